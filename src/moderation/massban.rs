//! `/massban`, planned (pure): after a raid, the members who joined within a recent window (and
//! whose name contains a text, when given; or only the latest raid's members) are banned together, in Discord's bulk bans of 200 at
//! a time, after the moderator confirms the list; each banned member gets a case. Bots, the
//! owner, moderators and members Steward or the moderator may not act on are never in the list.

use std::time::Duration;

use crate::cases::{CaseKind, NewCase};
use crate::i18n::Lang;
use crate::ids::{GuildId, UserId};
use crate::tr;

/// Discord's most users in one bulk ban.
pub const BULK_BAN_MAX: usize = 200;
/// The longest window a mass ban looks back over.
pub const MAX_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// What a moderator asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MassBanRequest {
    pub guild: GuildId,
    pub moderator: UserId,
    /// Members who joined less than this long ago.
    pub within: Duration,
    /// Only those whose name contains this (case-insensitive).
    pub name_contains: Option<String>,
    /// Only these members (the latest raid's, with `/massban raid:true`).
    pub only: Option<Vec<UserId>>,
    pub reason: String,
}

/// Why a mass ban was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MassBanRefusal {
    /// The window is empty or longer than [`MAX_WINDOW`].
    Window,
    /// No reason was given.
    NoReason,
    /// Nobody matches.
    Nobody,
}

impl MassBanRefusal {
    /// The refusal in the moderator's language.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            MassBanRefusal::Window => tr!(lang, "massban-refusal-window"),
            MassBanRefusal::NoReason => tr!(lang, "massban-refusal-reason"),
            MassBanRefusal::Nobody => tr!(lang, "massban-nobody"),
        }
    }
}

/// A member of the server, as a mass ban sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub user: UserId,
    /// Their username and server name, lowercased or not.
    pub names: Vec<String>,
    pub joined_at_ms: Option<i64>,
    pub is_bot: bool,
    /// The owner, a moderator, or a member at or above Steward's or the moderator's top role.
    pub protected: bool,
}

/// The members `request` bans, in id order; a refusal when the request is out of bounds or
/// nobody matches.
pub fn targets(
    request: &MassBanRequest,
    members: &[Candidate],
    now_ms: i64,
) -> Result<Vec<UserId>, MassBanRefusal> {
    if request.within.is_zero() || request.within > MAX_WINDOW {
        return Err(MassBanRefusal::Window);
    }
    if request.reason.trim().is_empty() {
        return Err(MassBanRefusal::NoReason);
    }
    let window = i64::try_from(request.within.as_millis()).unwrap_or(i64::MAX);
    let needle = request.name_contains.as_deref().map(str::to_lowercase);
    let mut chosen: Vec<UserId> = members
        .iter()
        .filter(|m| !m.is_bot && !m.protected && m.user != request.moderator)
        .filter(|m| {
            request
                .only
                .as_ref()
                .is_none_or(|only| only.contains(&m.user))
        })
        .filter(|m| {
            m.joined_at_ms
                .is_some_and(|at| now_ms - at <= window && at <= now_ms)
        })
        .filter(|m| {
            needle
                .as_deref()
                .is_none_or(|n| m.names.iter().any(|name| name.to_lowercase().contains(n)))
        })
        .map(|m| m.user)
        .collect();
    chosen.sort();
    chosen.dedup();
    if chosen.is_empty() {
        return Err(MassBanRefusal::Nobody);
    }
    Ok(chosen)
}

/// The bulk bans for `targets`: at most [`BULK_BAN_MAX`] each.
pub fn batches(targets: &[UserId]) -> Vec<Vec<UserId>> {
    targets
        .chunks(BULK_BAN_MAX)
        .map(<[UserId]>::to_vec)
        .collect()
}

/// The case of each banned member.
pub fn cases(request: &MassBanRequest, banned: &[UserId], now_ms: i64) -> Vec<NewCase> {
    banned
        .iter()
        .map(|&user| NewCase {
            moderator: Some(request.moderator),
            ..NewCase::new(
                request.guild,
                user,
                CaseKind::Ban,
                request.reason.clone(),
                now_ms,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    fn request(within_s: u64, name: Option<&str>) -> MassBanRequest {
        MassBanRequest {
            guild: GuildId(1),
            moderator: UserId(2),
            within: Duration::from_secs(within_s),
            name_contains: name.map(str::to_string),
            only: None,
            reason: "raid".into(),
        }
    }

    fn member(id: u64, joined_s_ago: i64, name: &str) -> Candidate {
        Candidate {
            user: UserId(id),
            names: vec![name.into()],
            joined_at_ms: Some(NOW - joined_s_ago * 1000),
            is_bot: false,
            protected: false,
        }
    }

    #[test]
    fn the_recent_joiners_are_chosen_never_bots_moderators_or_the_moderator() {
        let mut members: Vec<Candidate> = (0..450)
            .map(|i| member(1000 + i, 60, &format!("raider{i}")))
            .collect();
        members.push(member(10, 7200, "old timer"));
        members.push(Candidate {
            is_bot: true,
            ..member(11, 60, "bot")
        });
        members.push(Candidate {
            protected: true,
            ..member(12, 60, "mod")
        });
        members.push(member(2, 60, "the moderator"));
        let chosen = targets(&request(600, None), &members, NOW).unwrap();
        assert_eq!(chosen.len(), 450);
        assert_eq!(
            batches(&chosen).iter().map(Vec::len).collect::<Vec<_>>(),
            [200, 200, 50]
        );
        let named = targets(&request(600, Some("RAIDER44")), &members, NOW).unwrap();
        assert_eq!(named.len(), 11); // raider44 and raider440..449
        let raid = MassBanRequest {
            only: Some(vec![UserId(1000), UserId(1001), UserId(10), UserId(12)]),
            ..request(24 * 3600, None)
        };
        assert_eq!(
            targets(&raid, &members, NOW).unwrap(),
            [UserId(10), UserId(1000), UserId(1001)],
            "the raid's members, even the one who joined two hours ago; never a moderator"
        );
        let cases = cases(&request(600, None), &named, NOW);
        assert!(
            cases
                .iter()
                .all(|c| c.kind == CaseKind::Ban && c.reason == "raid")
        );
    }

    #[test]
    fn out_of_bounds_requests_and_empty_lists_are_refused() {
        let members = [member(1000, 60, "a")];
        assert_eq!(
            targets(&request(0, None), &members, NOW),
            Err(MassBanRefusal::Window)
        );
        assert_eq!(
            targets(&request(24 * 3600 + 1, None), &members, NOW),
            Err(MassBanRefusal::Window)
        );
        let mut no_reason = request(600, None);
        no_reason.reason = " ".into();
        assert_eq!(
            targets(&no_reason, &members, NOW),
            Err(MassBanRefusal::NoReason)
        );
        assert_eq!(
            targets(&request(30, None), &members, NOW),
            Err(MassBanRefusal::Nobody)
        );
    }
}
