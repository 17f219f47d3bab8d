//! Accepting the charter: what is recorded and given, what is refused, and the join's jobs.

use super::*;

const GUILD: GuildId = GuildId(10);
const CAROL: UserId = UserId(500);

fn charter(acceptance: &str) -> Charter {
    let toml = format!(
        "title = {{ fr = \"Charte\", en = \"Charter\" }}\nlanguages = [\"fr\", \"en\"]\n\n[[section]]\nnumber = 1\ntitle = \"Respect\"\ntext = \"Be kind.\"\n\n{acceptance}"
    );
    let rule = "[[rule]]\nid = \"r\"\nsection = 1\noutcome = \"flag\"\nkeywords = [\"zut\"]\n";
    Charter::parse(&[("charter.toml", toml.as_str()), ("rules.toml", rule)])
        .unwrap_or_else(|e| panic!("{e}"))
}

const GATE: &str = "[acceptance]\nrole = \"Membre\"\nremind_after = \"1d\"\nkick_after = \"3d\"\n";

#[test]
fn accepting_records_the_version_and_gives_the_role() {
    let c = charter(GATE);
    let actions = accept(&c, GUILD, CAROL, &c.version, None, 42).unwrap();
    assert_eq!(
        actions,
        vec![
            Action::GiveRoles {
                user: CAROL,
                roles: vec!["Membre".into()]
            },
            Action::RecordAcceptance {
                guild: GUILD,
                user: CAROL,
                version: c.version.clone(),
                at_ms: 42
            },
        ]
    );
}

#[test]
fn accepting_twice_or_an_old_version_changes_nothing() {
    let c = charter(GATE);
    let done = Acceptance {
        version: c.version.clone(),
        accepted_at_ms: 7,
    };
    assert_eq!(
        accept(&c, GUILD, CAROL, &c.version, Some(&done), 9),
        Err(AcceptRefusal::AlreadyAccepted { at_ms: 7 })
    );
    assert_eq!(
        accept(&c, GUILD, CAROL, "000000000000", None, 9),
        Err(AcceptRefusal::Outdated)
    );
    // A member who accepted an older text accepts the new one.
    let old = Acceptance {
        version: "000000000000".into(),
        accepted_at_ms: 7,
    };
    assert!(accept(&c, GUILD, CAROL, &c.version, Some(&old), 9).is_ok());
    assert_eq!(
        accept(&charter(""), GUILD, CAROL, &c.version, None, 9),
        Err(AcceptRefusal::NotAsked)
    );
}

#[test]
fn the_version_follows_the_text_not_the_settings() {
    let a = charter(GATE);
    let b = charter("[acceptance]\nrole = \"Autre\"\n");
    assert_eq!(a.version, b.version);
    assert_eq!(a.version.len(), 12);
    let changed = Charter::parse(&[
        (
            "charter.toml",
            "title = \"Charte\"\nlanguages = [\"fr\", \"en\"]\n\n[[section]]\nnumber = 1\ntitle = \"Respect\"\ntext = \"Be very kind.\"\n",
        ),
        ("rules.toml", "[[rule]]\nid = \"r\"\nsection = 1\noutcome = \"flag\"\nkeywords = [\"zut\"]\n"),
    ])
    .unwrap();
    assert_ne!(changed.version, a.version);
}

#[test]
fn a_join_gets_the_invitation_a_reminder_and_a_deadline() {
    let c = charter(GATE);
    let actions = on_join(&c, GUILD, CAROL, None, 1_000);
    assert_eq!(
        actions[0],
        Action::CharterGate {
            target: GateTarget::Dm(CAROL),
            title: c.title.clone()
        }
    );
    assert!(actions.contains(&Action::Schedule {
        job: Job::AcceptanceReminder {
            guild: GUILD,
            user: CAROL
        },
        at_ms: 1_000 + 86_400_000
    }));
    assert!(actions.contains(&Action::Schedule {
        job: Job::AcceptanceDeadline {
            guild: GUILD,
            user: CAROL
        },
        at_ms: 1_000 + 3 * 86_400_000
    }));
    assert!(on_join(&charter(""), GUILD, CAROL, None, 1_000).is_empty());
}

#[test]
fn reminders_and_removal_spare_members_who_accepted() {
    let c = charter(GATE);
    assert!(remind(&c, true, CAROL).is_empty());
    assert_eq!(remind(&c, false, CAROL).len(), 1);
    assert!(deadline(&c, true, GUILD, CAROL, Lang::FR, 5).is_empty());
    let kick = deadline(&c, false, GUILD, CAROL, Lang::FR, 5);
    assert!(
        matches!(&kick[0], Action::Sanction { sanction: Sanction::Kick, reason, .. } if reason == "N'a pas accepté la charte à temps.")
    );
}

#[test]
fn acceptance_sections_are_checked() {
    let toml = "title = \"Charte\"\nlanguages = [\"fr\"]\n\n[[section]]\nnumber = 1\ntitle = \"R\"\ntext = \"T\"\n\n[acceptance]\nrole = \"\"\nremind_after = \"3d\"\nkick_after = \"1d\"\n";
    let rule = "[[rule]]\nid = \"r\"\nsection = 1\noutcome = \"flag\"\nkeywords = [\"zut\"]\n";
    let errors = Charter::parse(&[("charter.toml", toml), ("rules.toml", rule)])
        .unwrap_err()
        .to_string();
    assert!(
        errors.contains("[acceptance]: role cannot be empty"),
        "{errors}"
    );
    assert!(
        errors.contains(
            "charter.toml:12:14: [acceptance]: kick_after must be later than remind_after"
        ),
        "{errors}"
    );
}
