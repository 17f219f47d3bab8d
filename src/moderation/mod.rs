//! Moderation decisions, pure: what should happen, as a list of [`Action`]s that one executor
//! performs. No I/O, no clock: `now` is passed in.
//!
//! - Automatic moderation (here): a message's facts and the charter's verdict, plus the member's
//!   recent points, become actions ([`is_exempt`], [`judge`], [`decide`]).
//! - [`manual`]: a moderator's request and the facts of the server become actions or a typed
//!   [`Refusal`], found before anything is claimed, sent or deleted.
//! - [`review`]: a moderator's decision on a review item, planned the same way.

mod action;
pub mod lockdown;
pub mod manual;
pub mod massban;
pub mod purge;
#[cfg(test)]
mod purge_tests;
pub mod raid;
pub mod raid_mode;
mod refusal;
pub mod review;

pub use action::{Action, Notice, Restore, Step};
pub use manual::{ManualAction, SanctionRequest, plan};
pub use refusal::{Refusal, permission_key};

use std::time::Duration;

use crate::cases::{CaseKind, NewCase};
use crate::charter::{
    Attachment, Charter, DmContext, Message, Outcome, Place, Sanction, Tracker, Verdict,
};
use crate::facts::MessageFacts;
use crate::i18n::Lang;
use crate::ids::RoleId;
use crate::tr;

/// Longest excerpt of an offending message kept in a case or shown in the mod log.
pub const MAX_EXCERPT_CHARS: usize = 300;

/// The case kind for what happened to a message.
pub fn message_case_kind(outcome: Outcome) -> CaseKind {
    match outcome {
        Outcome::Delete => CaseKind::Delete,
        Outcome::Hold => CaseKind::Hold,
        Outcome::Flag | Outcome::Allow => CaseKind::Flag,
    }
}

/// The case kind and duration for a sanction.
pub fn sanction_case_kind(sanction: Sanction) -> (CaseKind, Option<i64>) {
    match sanction {
        Sanction::Warn => (CaseKind::Warn, None),
        Sanction::Timeout(d) => (CaseKind::Timeout, Some(d.as_secs() as i64)),
        Sanction::Kick => (CaseKind::Kick, None),
        Sanction::Ban => (CaseKind::Ban, None),
    }
}

/// Who is a moderator, the one definition: a member holding a moderation permission (Manage
/// Messages, Moderate Members, Kick, Ban, Manage Server or Administrator: the adapter reads them
/// into `holds_moderation_permission`), the owner, or a member of a role given to
/// `/setup moderator_role`.
pub fn is_moderator(
    holds_moderation_permission: bool,
    roles: impl IntoIterator<Item = RoleId>,
    moderator_roles: &[RoleId],
) -> bool {
    holds_moderation_permission || roles.into_iter().any(|r| moderator_roles.contains(&r))
}

/// Whether a message's author is out of automatic moderation's reach: bots, and moderators
/// ([`is_moderator`]).
pub fn is_exempt(facts: &MessageFacts, moderator_roles: &[RoleId]) -> bool {
    facts.author_is_bot
        || is_moderator(
            facts.author_can_moderate,
            facts.author_roles.iter().map(|(role, _)| *role),
            moderator_roles,
        )
}

/// Judges a message with the charter, recording it in the member windows.
pub fn judge(charter: &Charter, facts: &MessageFacts, tracker: &mut Tracker) -> Verdict {
    let roles: Vec<Place<'_>> = facts
        .author_roles
        .iter()
        .map(|(id, name)| Place { id: id.0, name })
        .collect();
    let attachments: Vec<Attachment<'_>> = facts
        .attachments
        .iter()
        .map(|a| Attachment {
            filename: &a.filename,
            url: &a.url,
        })
        .collect();
    let message = Message {
        content: &facts.content,
        author: facts.author.0,
        channel: Place {
            id: facts.channel.0,
            name: &facts.channel_name,
        },
        nsfw_channel: facts.nsfw_channel,
        roles: &roles,
        member_for: facts.member_since_ms.map(|since| {
            Duration::from_millis(facts.timestamp_ms.saturating_sub(since).max(0) as u64)
        }),
        attachments: &attachments,
        timestamp_ms: facts.timestamp_ms,
    };
    if facts.edited {
        // An edit is judged on its text alone: it is not a new message in the member's windows.
        charter.evaluate(&message)
    } else {
        charter.evaluate_with(&message, tracker)
    }
}

/// What to do about a message the charter matched. `points_before` is the member's points within
/// the escalation window before this message; `language` is the guild's.
pub fn decide(
    charter: &Charter,
    verdict: &Verdict,
    facts: &MessageFacts,
    points_before: u32,
    language: &str,
) -> Vec<Action> {
    let Some(first) = verdict.matches.first() else {
        return Vec::new();
    };
    let rule = &charter.rules[first.rule];
    let section = charter.section(rule.section);
    let section_title = section.map_or("", |s| s.title.get(language));
    let excerpt = excerpt(&facts.content);
    let mut actions = Vec::new();

    if verdict.outcome >= Outcome::Hold {
        actions.push(Action::DeleteMessage {
            channel: facts.channel,
            message: facts.message,
        });
    }
    let lang = Lang::of(language);
    let reason = tr!(
        lang,
        "automod-case-reason",
        rule = rule.name.get(language),
        section = rule.section,
        section_title = section_title
    );
    actions.push(Action::RecordCase(NewCase {
        guild: facts.guild,
        user: facts.author,
        moderator: None,
        kind: message_case_kind(verdict.outcome),
        rule: Some(rule.id.clone()),
        section: Some(rule.section),
        reason: reason.clone(),
        content: Some(excerpt),
        channel: Some(facts.channel),
        message: Some(facts.message),
        duration_secs: None,
        points: verdict.points,
        created_at_ms: facts.timestamp_ms,
    }));

    let escalated = charter.escalation.as_ref().and_then(|e| {
        let after = points_before + verdict.points;
        e.steps
            .iter()
            .rev()
            .find(|(needed, _)| points_before < *needed && *needed <= after)
            .map(|(_, sanction)| *sanction)
    });
    let sanction = verdict.sanction.max(escalated);

    if verdict.outcome >= Outcome::Hold || sanction.is_some() {
        let ctx = DmContext {
            language,
            section_title,
            matched: &first.text,
            channel: &format!("#{}", facts.channel_name),
        };
        let text = rule
            .render_dm(&ctx)
            .unwrap_or_else(|| default_dm(lang, rule.name.get(language), rule.section, &ctx));
        actions.push(Action::DirectMessage {
            user: facts.author,
            text,
        });
    }
    if let Some(sanction) = sanction {
        actions.push(Action::Sanction {
            guild: facts.guild,
            user: facts.author,
            sanction,
            reason: reason.clone(),
        });
        let (kind, duration_secs) = sanction_case_kind(sanction);
        actions.push(Action::RecordCase(NewCase {
            guild: facts.guild,
            user: facts.author,
            moderator: None,
            kind,
            rule: Some(rule.id.clone()),
            section: Some(rule.section),
            reason: if escalated == Some(sanction) && verdict.sanction != Some(sanction) {
                format!(
                    "{reason} ({})",
                    escalation_note(lang, points_before + verdict.points)
                )
            } else {
                reason
            },
            content: None,
            channel: Some(facts.channel),
            message: Some(facts.message),
            duration_secs,
            points: 0,
            created_at_ms: facts.timestamp_ms,
        }));
    }
    actions
}

/// `text` cut to at most `max` characters, with an ellipsis when cut.
pub fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// The start of a message, cut at a character boundary.
pub fn excerpt(text: &str) -> String {
    match text.char_indices().nth(MAX_EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

fn escalation_note(language: Lang, points: u32) -> String {
    tr!(language, "automod-escalation-note", points = points)
}

fn default_dm(language: Lang, rule: &str, section: u32, ctx: &DmContext<'_>) -> String {
    tr!(
        language,
        "automod-dm-default",
        channel = ctx.channel,
        section = section,
        section_title = ctx.section_title,
        rule = rule
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ChannelId, GuildId, MessageId, UserId};

    const CHARTER: &str = r#"
title = "Charte"
languages = ["fr", "en"]
[escalation]
window = "30d"
[[escalation.step]]
points = 3
action = "timeout 1h"
[[escalation.step]]
points = 6
action = "ban"
[[section]]
number = 1
title = { fr = "Respect", en = "Respect" }
text = "..."
"#;

    const RULES: &str = r#"
[[rule]]
id = "insults"
section = 1
name = { fr = "Insultes", en = "Insults" }
outcome = "delete"
action = "warn"
points = 2
keywords = ["connard"]
dm = { fr = "Retiré ({rule}, article {section} : {section_title}) dans {channel}", en = "Removed ({rule})" }

[[rule]]
id = "shouting"
section = 1
outcome = "flag"
points = 0
caps = { min_ratio = 0.9, min_letters = 10 }
"#;

    fn charter() -> Charter {
        Charter::parse(&[("charter.toml", CHARTER), ("rules.toml", RULES)]).unwrap()
    }

    fn facts(content: &str) -> MessageFacts {
        MessageFacts {
            guild: GuildId(1),
            channel: ChannelId(2),
            channel_name: "general".into(),
            message: MessageId(3),
            author: UserId(4),
            author_name: "alice".into(),
            content: content.into(),
            timestamp_ms: 1_000,
            ..MessageFacts::default()
        }
    }

    fn run(content: &str, points_before: u32) -> Vec<Action> {
        let c = charter();
        let f = facts(content);
        let verdict = judge(&c, &f, &mut c.tracker());
        decide(&c, &verdict, &f, points_before, "fr")
    }

    #[test]
    fn clean_messages_need_nothing() {
        assert!(run("bonjour à tous", 0).is_empty());
    }

    #[test]
    fn a_violation_is_deleted_recorded_and_explained() {
        let actions = run("espèce de connard", 0);
        assert_eq!(
            actions[0],
            Action::DeleteMessage {
                channel: ChannelId(2),
                message: MessageId(3)
            }
        );
        let Action::RecordCase(case) = &actions[1] else {
            panic!("{actions:?}")
        };
        assert_eq!(case.rule.as_deref(), Some("insults"));
        assert_eq!(case.points, 2);
        assert_eq!(case.reason, "Insultes — article 1: Respect");
        assert_eq!(
            actions[2],
            Action::DirectMessage {
                user: UserId(4),
                text: "Retiré (Insultes, article 1 : Respect) dans #general".into()
            }
        );
        assert!(matches!(
            actions[3],
            Action::Sanction {
                sanction: Sanction::Warn,
                ..
            }
        ));
        assert_eq!(actions.len(), 5);
    }

    #[test]
    fn crossing_an_escalation_step_raises_the_sanction_once() {
        let hour = Sanction::Timeout(Duration::from_secs(3600));
        let sanction_of = |actions: &[Action]| {
            actions.iter().find_map(|a| match a {
                Action::Sanction { sanction, .. } => Some(*sanction),
                _ => None,
            })
        };
        // 2 points before + 2 now = 4: the 3-point step is crossed.
        assert_eq!(sanction_of(&run("connard", 2)), Some(hour));
        // 4 before + 2 = 6: the ban step.
        assert_eq!(sanction_of(&run("connard", 4)), Some(Sanction::Ban));
        // 6 before + 2 = 8: no new step crossed, the rule's own warn.
        assert_eq!(sanction_of(&run("connard", 6)), Some(Sanction::Warn));
    }

    #[test]
    fn flagged_messages_stay_and_nobody_is_told() {
        let actions = run("POURQUOI RIEN NE MARCHE JAMAIS ICI", 0);
        assert_eq!(actions.len(), 1, "{actions:?}");
        assert!(matches!(&actions[0], Action::RecordCase(c) if c.kind == CaseKind::Flag));
    }

    #[test]
    fn bots_and_moderators_are_exempt() {
        let mut f = facts("connard");
        assert!(!is_exempt(&f, &[]));
        f.author_roles = vec![(RoleId(9), "Modération".into())];
        assert!(is_exempt(&f, &[RoleId(9)]));
        let mut bot = facts("x");
        bot.author_is_bot = true;
        assert!(is_exempt(&bot, &[]));
        let mut moderator = facts("x");
        moderator.author_can_moderate = true;
        assert!(is_exempt(&moderator, &[]));
    }

    #[test]
    fn excerpts_are_cut_on_a_character() {
        let long = "é".repeat(MAX_EXCERPT_CHARS + 10);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), MAX_EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt("court"), "court");
    }
}
