//! Cases, the moderation history, as the crate models them: what was done ([`CaseKind`]), a case
//! about to be recorded ([`NewCase`]), a recorded one with its number ([`Case`]) and a
//! correction of its reason. The store numbers and keeps them (`store::cases`); the core and the
//! adapter build and show them.

use std::fmt;
use std::str::FromStr;

use crate::ids::{ChannelId, GuildId, MessageId, UserId};

/// What was done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseKind {
    /// A message was removed.
    Delete,
    /// A message was removed and queued for review.
    Hold,
    /// A message was left in place and queued for review.
    Flag,
    /// The member was warned.
    Warn,
    /// The member was timed out.
    Timeout,
    /// A timeout was lifted.
    Untimeout,
    /// The member was kicked.
    Kick,
    /// The member was banned.
    Ban,
    /// A ban was lifted.
    Unban,
    /// A moderator's note, no sanction.
    Note,
}

impl CaseKind {
    /// Every kind, in declaration order.
    pub const ALL: [CaseKind; 10] = [
        CaseKind::Delete,
        CaseKind::Hold,
        CaseKind::Flag,
        CaseKind::Warn,
        CaseKind::Timeout,
        CaseKind::Untimeout,
        CaseKind::Kick,
        CaseKind::Ban,
        CaseKind::Unban,
        CaseKind::Note,
    ];

    /// The lowercase name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseKind::Delete => "delete",
            CaseKind::Hold => "hold",
            CaseKind::Flag => "flag",
            CaseKind::Warn => "warn",
            CaseKind::Timeout => "timeout",
            CaseKind::Untimeout => "untimeout",
            CaseKind::Kick => "kick",
            CaseKind::Ban => "ban",
            CaseKind::Unban => "unban",
            CaseKind::Note => "note",
        }
    }
}

impl fmt::Display for CaseKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown case kind.
#[derive(Debug, thiserror::Error)]
#[error("unknown case kind `{0}`")]
pub struct UnknownCaseKind(pub String);

impl FromStr for CaseKind {
    type Err = UnknownCaseKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CaseKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| UnknownCaseKind(s.to_owned()))
    }
}

/// A case about to be recorded; the store gives it its number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCase {
    /// The guild it happened in.
    pub guild: GuildId,
    /// The member it is about.
    pub user: UserId,
    /// Who acted; `None` when Steward acted on its own.
    pub moderator: Option<UserId>,
    /// What was done.
    pub kind: CaseKind,
    /// The charter rule id that caused it, if any.
    pub rule: Option<String>,
    /// The charter section that rule cites.
    pub section: Option<u32>,
    /// Why, as shown to moderators (and the member).
    pub reason: String,
    /// The offending text, already truncated by the caller.
    pub content: Option<String>,
    /// Where it happened.
    pub channel: Option<ChannelId>,
    /// The message concerned.
    pub message: Option<MessageId>,
    /// How long a timeout (or temporary sanction) lasts.
    pub duration_secs: Option<i64>,
    /// Escalation points it carries.
    pub points: u32,
    /// When, in milliseconds since the epoch.
    pub created_at_ms: i64,
}

impl NewCase {
    /// A case of `kind` about `user` in `guild`, for `reason`, at `created_at_ms`, with nothing
    /// else: by Steward, no rule, section, excerpt, place, duration or points. Callers set the
    /// fields that apply with `NewCase { moderator: ..., ..NewCase::new(...) }`.
    pub fn new(
        guild: GuildId,
        user: UserId,
        kind: CaseKind,
        reason: String,
        created_at_ms: i64,
    ) -> NewCase {
        NewCase {
            guild,
            user,
            moderator: None,
            kind,
            rule: None,
            section: None,
            reason,
            content: None,
            channel: None,
            message: None,
            duration_secs: None,
            points: 0,
            created_at_ms,
        }
    }
}

/// A recorded case: a [`NewCase`] with its number in the guild.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// The case number, unique within the guild, starting at 1.
    pub number: i64,
    /// The guild it happened in.
    pub guild: GuildId,
    /// The member it is about.
    pub user: UserId,
    /// Who acted; `None` when Steward acted on its own.
    pub moderator: Option<UserId>,
    /// What was done.
    pub kind: CaseKind,
    /// The charter rule id that caused it, if any.
    pub rule: Option<String>,
    /// The charter section that rule cites.
    pub section: Option<u32>,
    /// Why; the latest correction when the reason was changed.
    pub reason: String,
    /// The offending text.
    pub content: Option<String>,
    /// Where it happened.
    pub channel: Option<ChannelId>,
    /// The message concerned.
    pub message: Option<MessageId>,
    /// How long a timeout (or temporary sanction) lasts.
    pub duration_secs: Option<i64>,
    /// Escalation points it carries.
    pub points: u32,
    /// When, in milliseconds since the epoch.
    pub created_at_ms: i64,
}

impl Case {
    /// The case `case` became once the store gave it `number`.
    pub fn recorded(number: i64, case: NewCase) -> Case {
        Case {
            number,
            guild: case.guild,
            user: case.user,
            moderator: case.moderator,
            kind: case.kind,
            rule: case.rule,
            section: case.section,
            reason: case.reason,
            content: case.content,
            channel: case.channel,
            message: case.message,
            duration_secs: case.duration_secs,
            points: case.points,
            created_at_ms: case.created_at_ms,
        }
    }
}

/// One change of a case's reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseCorrection {
    /// The guild of the case.
    pub guild: GuildId,
    /// The case number.
    pub number: i64,
    /// The reason before the change.
    pub old_reason: String,
    /// The reason after the change.
    pub new_reason: String,
    /// The moderator who changed it.
    pub by: UserId,
    /// When, in milliseconds since the epoch.
    pub at_ms: i64,
}

#[cfg(test)]
mod tests {
    use super::CaseKind;

    #[test]
    fn case_kinds_round_trip_through_their_stored_names() {
        for kind in CaseKind::ALL {
            assert_eq!(kind.as_str().parse::<CaseKind>().unwrap(), kind);
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{kind}\""));
        }
        assert!("mute".parse::<CaseKind>().is_err());
    }
}
