//! Charter acceptance, decided from plain data: a newcomer (or a member asked again after the text
//! changed) reads the charter and presses "I accept"; that records the version they accepted and
//! gives the member role. Reminders and the optional removal of members who never accept are
//! jobs scheduled at the join. Pure: the adapter gathers the facts and performs the actions.

use crate::cases::{CaseKind, NewCase};
use crate::charter::{Charter, Sanction};
use crate::i18n::Lang;
use crate::ids::{ChannelId, GuildId, UserId};
use crate::jobs::Job;
use crate::moderation::Action;
use crate::store::Acceptance;
use crate::tr;

/// Why pressing "I accept" changed nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AcceptRefusal {
    /// The charter has no `[acceptance]` section.
    NotAsked,
    /// They accepted this version already.
    AlreadyAccepted { at_ms: i64 },
    /// The button was for an older version: the charter changed since it was shown.
    Outdated,
}

impl AcceptRefusal {
    /// The sentence in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            AcceptRefusal::NotAsked => tr!(lang, "acceptance-not-asked"),
            AcceptRefusal::AlreadyAccepted { at_ms } => {
                tr!(
                    lang,
                    "acceptance-already",
                    at = format!("<t:{}:f>", at_ms / 1000)
                )
            }
            AcceptRefusal::Outdated => tr!(lang, "acceptance-outdated"),
        }
    }
}

/// Where the invitation to read and accept the charter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GateTarget {
    /// A post in a channel, pinging `mention` (a newcomer) when there is one.
    Channel {
        channel: ChannelId,
        mention: Option<UserId>,
    },
    /// A DM to the member (no welcome channel).
    Dm(UserId),
}

/// `user` pressed "I accept" on version `shown` of the charter, having `previous` on record.
pub fn accept(
    charter: &Charter,
    guild: GuildId,
    user: UserId,
    shown: &str,
    previous: Option<&Acceptance>,
    now_ms: i64,
) -> Result<Vec<Action>, AcceptRefusal> {
    let settings = charter.acceptance.as_ref().ok_or(AcceptRefusal::NotAsked)?;
    if shown != charter.version {
        return Err(AcceptRefusal::Outdated);
    }
    if let Some(previous) = previous.filter(|p| p.version == charter.version) {
        return Err(AcceptRefusal::AlreadyAccepted {
            at_ms: previous.accepted_at_ms,
        });
    }
    // The role first: if it cannot be given (missing, above Steward), nothing is recorded and
    // the member can press again once moderators have fixed it.
    Ok(vec![
        Action::GiveRoles {
            user,
            roles: vec![settings.role.clone()],
        },
        Action::RecordAcceptance {
            guild,
            user,
            version: charter.version.clone(),
            at_ms: now_ms,
        },
    ])
}

/// What a join adds when the charter must be accepted: the invitation, and the reminder and
/// removal jobs the charter asks for.
pub fn on_join(
    charter: &Charter,
    guild: GuildId,
    user: UserId,
    welcome_channel: Option<ChannelId>,
    joined_at_ms: i64,
) -> Vec<Action> {
    let Some(settings) = &charter.acceptance else {
        return Vec::new();
    };
    let target = match welcome_channel {
        Some(channel) => GateTarget::Channel {
            channel,
            mention: Some(user),
        },
        None => GateTarget::Dm(user),
    };
    let mut actions = vec![Action::CharterGate {
        target,
        title: charter.title.clone(),
    }];
    let later = |after: std::time::Duration, job| Action::Schedule {
        job,
        at_ms: joined_at_ms + after.as_millis() as i64,
    };
    if let Some(after) = settings.remind_after {
        actions.push(later(after, Job::AcceptanceReminder { guild, user }));
    }
    if let Some(after) = settings.kick_after {
        actions.push(later(after, Job::AcceptanceDeadline { guild, user }));
    }
    actions
}

/// The reminder job: a DM with the invitation again, unless they accepted meanwhile.
pub fn remind(charter: &Charter, accepted: bool, user: UserId) -> Vec<Action> {
    if accepted || charter.acceptance.is_none() {
        return Vec::new();
    }
    vec![Action::CharterGate {
        target: GateTarget::Dm(user),
        title: charter.title.clone(),
    }]
}

/// The deadline job: a member who never accepted is removed, with a case, unless they did (or
/// the charter no longer asks for acceptance).
pub fn deadline(
    charter: &Charter,
    accepted: bool,
    guild: GuildId,
    user: UserId,
    lang: Lang,
    now_ms: i64,
) -> Vec<Action> {
    if accepted || charter.acceptance.is_none() {
        return Vec::new();
    }
    let reason = tr!(lang, "acceptance-kick-reason");
    vec![
        Action::Sanction {
            guild,
            user,
            sanction: Sanction::Kick,
            reason: reason.clone(),
        },
        Action::RecordCase(NewCase::new(guild, user, CaseKind::Kick, reason, now_ms)),
    ]
}

#[cfg(test)]
#[path = "acceptance_tests.rs"]
mod tests;
