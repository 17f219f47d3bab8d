//! Unit tests of review decisions: planned, refused, without Discord.

use super::*;
use crate::cases::CaseKind;
use crate::charter::Sanction;
use crate::i18n::Lang;
use crate::ids::{ChannelId, GuildId, MessageId};
use crate::review::ReviewStatus;

const CHARTER: &str = r#"
title = { fr = "Charte", en = "Charter" }
languages = ["fr", "en"]
[[section]]
number = 1
title = { fr = "Respect", en = "Respect" }
text = { fr = "Soyez courtois.", en = "Be kind." }
"#;

const RULES: &str = r#"
[[rule]]
id = "rude-flag"
section = 1
name = { fr = "Grossier", en = "Rude" }
outcome = "flag"
keywords = ["bof"]
"#;

fn charter() -> Charter {
    Charter::parse(&[("charter.toml", CHARTER), ("rules.toml", RULES)]).unwrap()
}

fn facts() -> ManualFacts {
    ManualFacts {
        owner: Some(UserId(10)),
        bot: UserId(11),
        bot_permissions: vec![
            Permission::ManageMessages,
            Permission::ModerateMembers,
            Permission::BanMembers,
            Permission::ManageWebhooks,
        ],
        bot_top_role: 8,
        actor_top_role: 5,
        target_top_role: Some(0),
        guild_name: "Test Guild".into(),
        sections: vec![(1, "Respect".into())],
        lang: Lang::EN,
        now_ms: 5_000,
    }
}

fn item(source: ReviewSource, rules: &[&str]) -> ReviewItem {
    ReviewItem {
        id: 2,
        guild: GuildId(1),
        channel: ChannelId(3),
        message: MessageId(4),
        author: UserId(13),
        author_name: "Alice in Chains".into(),
        author_avatar: None,
        content: "bof bof".into(),
        attachments: vec![("a.png".into(), "https://cdn/a.png".into())],
        rules: rules.iter().map(|r| r.to_string()).collect(),
        matched: String::new(),
        source,
        status: ReviewStatus::Open,
        decision: None,
        review_channel: None,
        review_message: None,
        created_at_ms: 0,
        decided_at_ms: None,
        decided_by: None,
        report_count: 0,
    }
}

fn run(
    item: &ReviewItem,
    decision: Decision,
    reasons: &[String],
    facts: &ManualFacts,
) -> Result<Vec<Action>, Refusal> {
    let decision = ReviewDecision {
        item,
        decision,
        timeout: Duration::from_secs(3600),
        moderator: UserId(12),
        report_reasons: reasons,
    };
    plan_decision(&decision, &charter(), facts)
}

#[test]
fn dismissing_does_nothing_and_removing_deletes_what_is_still_there() {
    let flagged = item(ReviewSource::Flag, &["rude-flag"]);
    assert_eq!(run(&flagged, Decision::Dismiss, &[], &facts()), Ok(vec![]));
    assert_eq!(
        run(&flagged, Decision::Remove, &[], &facts()),
        Ok(vec![Action::DeleteMessage {
            channel: ChannelId(3),
            message: MessageId(4)
        }])
    );
    let held = item(ReviewSource::Hold, &["rude-flag"]);
    assert_eq!(run(&held, Decision::Remove, &[], &facts()), Ok(vec![]));
}

#[test]
fn approving_a_held_message_restores_it_under_the_display_name() {
    let held = item(ReviewSource::Hold, &["rude-flag"]);
    let actions = run(&held, Decision::Approve, &[], &facts()).unwrap();
    let [Action::RestoreMessage(restore)] = &actions[..] else {
        panic!("{actions:?}");
    };
    assert_eq!(restore.username, "Alice in Chains");
    assert_eq!(
        restore.content,
        "bof bof\nhttps://cdn/a.png\n-# restored by moderators"
    );
    let flagged = item(ReviewSource::Flag, &[]);
    assert_eq!(run(&flagged, Decision::Approve, &[], &facts()), Ok(vec![]));
}

#[test]
fn a_warning_removes_the_message_and_cites_the_rule_and_the_article() {
    let flagged = item(ReviewSource::Flag, &["rude-flag"]);
    let actions = run(&flagged, Decision::Warn, &[], &facts()).unwrap();
    let [
        Action::DeleteMessage { .. },
        Action::RecordCase(case),
        Action::DirectMessage { text, .. },
    ] = &actions[..]
    else {
        panic!("{actions:?}");
    };
    assert_eq!(case.kind, CaseKind::Warn);
    assert_eq!(case.rule.as_deref(), Some("rude-flag"));
    assert_eq!(case.reason, "Rude — section 1: Respect");
    assert_eq!(
        text,
        "**Test Guild**: you have been warned.\nReason: Rude\nCharter section 1: Respect"
    );
}

#[test]
fn a_reported_message_cites_the_reports_reason() {
    let reported = item(ReviewSource::Report, &[]);
    let reasons = vec!["insulting".to_string()];
    let actions = run(&reported, Decision::Warn, &reasons, &facts()).unwrap();
    let Some(Action::DirectMessage { text, .. }) = actions.last() else {
        panic!("{actions:?}");
    };
    assert!(text.contains("Reason: reported: insulting"), "{text}");
}

#[test]
fn a_sanction_refused_plans_nothing_not_even_the_deletion() {
    let mut owners = item(ReviewSource::Report, &[]);
    owners.author = UserId(10);
    assert_eq!(
        run(&owners, Decision::Ban, &[], &facts()),
        Err(Refusal::TargetIsOwner)
    );
    let mut same_rank = facts();
    same_rank.target_top_role = Some(5);
    let flagged = item(ReviewSource::Flag, &["rude-flag"]);
    assert_eq!(
        run(&flagged, Decision::Timeout, &[], &same_rank),
        Err(Refusal::AboveModerator { target: UserId(13) })
    );
    let timeout = run(&flagged, Decision::Timeout, &[], &facts()).unwrap();
    assert!(timeout.iter().any(|a| matches!(
        a,
        Action::Sanction { sanction: Sanction::Timeout(d), .. } if d.as_secs() == 3600
    )));
}

#[test]
fn removing_without_manage_messages_is_refused() {
    let mut f = facts();
    f.bot_permissions
        .retain(|p| *p != Permission::ManageMessages);
    let flagged = item(ReviewSource::Flag, &[]);
    assert_eq!(
        run(&flagged, Decision::Remove, &[], &f),
        Err(Refusal::BotLacks {
            permission: Permission::ManageMessages
        })
    );
}
