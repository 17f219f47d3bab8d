//! Join decisions: what is recorded, posted, sent and given, from inline `[welcome]` sections.

use super::*;
use crate::charter::Charter;
use crate::community::referrals::Confidence;

const GUILD: GuildId = GuildId(10);
const NEWCOMER: UserId = UserId(500);
const ALICE: UserId = UserId(7);
const WELCOME_CHANNEL: ChannelId = ChannelId(30);

fn charter(welcome: &str) -> Charter {
    let toml = format!(
        "title = {{ fr = \"Charte\", en = \"Charter\" }}\nlanguages = [\"fr\", \"en\"]\n\n[[section]]\nnumber = 1\ntitle = \"Respect\"\ntext = \"Be kind.\"\n\n{welcome}"
    );
    let rule = "[[rule]]\nid = \"r\"\nsection = 1\noutcome = \"flag\"\nkeywords = [\"zut\"]\n";
    Charter::parse(&[("charter.toml", toml.as_str()), ("rules.toml", rule)])
        .unwrap_or_else(|e| panic!("{e}"))
}

const WELCOME: &str = r#"[welcome]
message = { fr = """
Bienvenue {member} sur {server} !
Tu es notre {member_count}e membre.
Invité·e par {inviter}.""", en = """
Welcome {member} to {server}!
You are member number {member_count}.
Invited by {inviter}.""" }
dm = { fr = "Lis la {charter}, {member_name}.", en = "Please read the {charter}, {member_name}." }
roles = ["Membre"]
"#;

fn join(is_bot: bool, member_count: Option<u64>) -> JoinFacts {
    JoinFacts {
        guild: GUILD,
        user: NEWCOMER,
        display_name: "Carol".into(),
        is_bot,
        joined_at_ms: 1_000_000,
        guild_name: "Brand HQ".into(),
        member_count,
        pending: false,
    }
}

fn by(inviter: UserId) -> Attribution {
    Attribution {
        confidence: Confidence::Exact,
        code: Some("abc".into()),
        inviter: Some(inviter),
        candidates: Vec::new(),
    }
}

fn place(lang: Lang) -> WelcomePlace {
    WelcomePlace {
        channel: Some(WELCOME_CHANNEL),
        lang,
    }
}

fn decide(c: &Charter, lang: Lang, j: &JoinFacts, a: Attribution, h: &JoinHistory) -> Vec<Action> {
    on_join(c, place(lang), j, a, h)
}

fn post(actions: &[Action]) -> Option<&str> {
    actions.iter().find_map(|a| match a {
        Action::Post { text, .. } => Some(text.as_str()),
        _ => None,
    })
}

#[test]
fn a_newcomer_is_recorded_greeted_with_their_inviter_sent_the_charter_and_given_roles() {
    let c = charter(WELCOME);
    let actions = decide(
        &c,
        Lang::EN,
        &join(false, Some(42)),
        by(ALICE),
        &JoinHistory::default(),
    );
    assert!(
        matches!(&actions[0], Action::RecordJoin(j) if j.attribution.inviter == Some(ALICE) && !j.rejoin)
    );
    assert_eq!(
        post(&actions),
        Some("Welcome <@500> to Brand HQ!\nYou are member number 42.\nInvited by <@7>.")
    );
    assert!(actions.contains(&Action::DirectMessage {
        user: NEWCOMER,
        text: "Please read the Charter, Carol.".into()
    }));
    assert!(actions.contains(&Action::GiveRoles {
        user: NEWCOMER,
        roles: vec!["Membre".into()]
    }));
}

#[test]
fn lines_naming_what_is_not_known_are_left_out() {
    let c = charter(WELCOME);
    let actions = decide(
        &c,
        Lang::FR,
        &join(false, None),
        Attribution::unknown(),
        &JoinHistory::default(),
    );
    assert_eq!(post(&actions), Some("Bienvenue <@500> sur Brand HQ !"));
}

#[test]
fn a_self_invite_names_no_inviter() {
    let c = charter(WELCOME);
    let actions = decide(
        &c,
        Lang::EN,
        &join(false, Some(3)),
        by(NEWCOMER),
        &JoinHistory::default(),
    );
    assert!(!post(&actions).unwrap().contains("Invited by"));
}

#[test]
fn a_bot_is_announced_to_moderators_not_welcomed() {
    let c = charter(WELCOME);
    let actions = decide(
        &c,
        Lang::EN,
        &join(true, Some(3)),
        by(ALICE),
        &JoinHistory::default(),
    );
    assert_eq!(
        actions,
        vec![Action::Notice(Notice::BotJoined {
            bot: NEWCOMER,
            name: "Carol".into()
        })]
    );
}

#[test]
fn a_timeout_still_running_is_restored_on_rejoin_for_what_is_left() {
    let c = charter("");
    let history = JoinHistory {
        rejoin: true,
        timeout_until_ms: Some(1_000_000 + 90_500),
        kept_roles: Vec::new(),
    };
    let actions = decide(
        &c,
        Lang::EN,
        &join(false, None),
        Attribution::unknown(),
        &history,
    );
    assert!(matches!(&actions[0], Action::RecordJoin(j) if j.rejoin));
    assert!(matches!(
        &actions[1],
        Action::Sanction { sanction: Sanction::Timeout(d), .. } if d.as_secs() == 91
    ));
    // No [welcome] section: nothing posted, sent or given.
    assert_eq!(actions.len(), 2);
}

#[test]
fn delayed_roles_are_a_scheduled_job() {
    let c = charter(&format!("{WELCOME}roles_after = \"10m\"\n"));
    let actions = decide(
        &c,
        Lang::EN,
        &join(false, None),
        Attribution::unknown(),
        &JoinHistory::default(),
    );
    assert!(actions.contains(&Action::Schedule {
        job: Job::GiveRoles {
            guild: GUILD,
            user: NEWCOMER,
            roles: vec!["Membre".into()]
        },
        at_ms: 1_000_000 + 600_000
    }));
}

#[test]
fn the_latest_timeout_case_decides_whether_one_is_running() {
    let case = |kind, duration_secs, created_at_ms| Case {
        number: 1,
        guild: GUILD,
        user: NEWCOMER,
        moderator: None,
        kind,
        rule: None,
        section: None,
        reason: String::new(),
        content: None,
        channel: None,
        message: None,
        duration_secs,
        points: 0,
        created_at_ms,
    };
    let timeout = case(CaseKind::Timeout, Some(3600), 0);
    assert_eq!(
        running_timeout(std::slice::from_ref(&timeout), 10),
        Some(3_600_000)
    );
    assert_eq!(
        running_timeout(std::slice::from_ref(&timeout), 3_600_000),
        None
    );
    let lifted = case(CaseKind::Untimeout, None, 5);
    assert_eq!(running_timeout(&[lifted, timeout], 10), None);
}

#[test]
fn welcome_sections_are_checked_with_located_errors() {
    let bad = "[welcome]\nmessage = { fr = \"Salut {membre}\", en = \"Hi {member}\" }\nroles_after = \"10m\"\n";
    let toml = format!(
        "title = \"Charte\"\nlanguages = [\"fr\", \"en\"]\n\n[[section]]\nnumber = 1\ntitle = \"R\"\ntext = \"T\"\n\n{bad}"
    );
    let rule = "[[rule]]\nid = \"r\"\nsection = 1\noutcome = \"flag\"\nkeywords = [\"zut\"]\n";
    let errors = Charter::parse(&[("charter.toml", toml.as_str()), ("rules.toml", rule)])
        .unwrap_err()
        .to_string();
    assert!(
        errors.contains("charter.toml:10:11: [welcome]: unknown placeholder {membre}"),
        "{errors}"
    );
    assert!(
        errors.contains("[welcome]: roles_after needs roles"),
        "{errors}"
    );
}
