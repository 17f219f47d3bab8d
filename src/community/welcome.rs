//! What happens when someone joins, decided from plain data: the join recorded with its
//! attribution, a timeout still running restored (leaving is no way out of a sanction), the
//! newcomer greeted in the welcome channel and by DM from the charter's `[welcome]` texts, and
//! their roles given at once or later. A bot joining is announced to moderators instead.

use crate::cases::{Case, CaseKind};
use crate::charter::{Charter, Sanction};
use crate::community::qualification::eligible;
use crate::community::referrals::Attribution;
use crate::i18n::Lang;
use crate::ids::{ChannelId, GuildId, UserId};
use crate::jobs::Job;
use crate::moderation::{Action, Notice};
use crate::tr;

/// A member who just joined, as the adapter saw them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JoinFacts {
    pub guild: GuildId,
    pub user: UserId,
    /// The name the server shows for them.
    pub display_name: String,
    pub is_bot: bool,
    pub joined_at_ms: i64,
    pub guild_name: String,
    /// The server's member count with them, when known.
    pub member_count: Option<u64>,
    /// They have not passed the server's membership screening yet (Discord's `pending`).
    pub pending: bool,
}

/// What storage knows about this member before this join.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JoinHistory {
    /// They were here before.
    pub rejoin: bool,
    /// The end of a timeout that was running when they left, if it has not ended.
    pub timeout_until_ms: Option<i64>,
    /// The sanction roles (`[welcome] keep_roles`) they held when they left.
    pub kept_roles: Vec<String>,
}

/// A join to record ([`Action::RecordJoin`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewJoin {
    pub guild: GuildId,
    pub user: UserId,
    pub joined_at_ms: i64,
    pub attribution: Attribution,
    pub rejoin: bool,
    /// The join may earn its inviter a referral once the newcomer qualifies.
    pub referral_pending: bool,
    /// Roles and the charter's invitation wait for the membership screening.
    pub awaiting_screening: bool,
}

/// Where the welcome goes and in which language (from `/setup`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WelcomePlace {
    pub channel: Option<ChannelId>,
    pub lang: Lang,
}

/// Everything Steward does about one join, in order.
pub fn on_join(
    charter: &Charter,
    place: WelcomePlace,
    join: &JoinFacts,
    attribution: Attribution,
    history: &JoinHistory,
) -> Vec<Action> {
    if join.is_bot {
        return vec![Action::Notice(Notice::BotJoined {
            bot: join.user,
            name: join.display_name.clone(),
        })];
    }
    let lang = place.lang;
    let inviter = attribution.inviter.filter(|i| *i != join.user);
    let referral = charter.referrals.as_ref().filter(|settings| {
        eligible(
            settings,
            join.user,
            &attribution,
            history.rejoin,
            join.joined_at_ms,
        )
        .is_ok()
    });
    let mut actions = vec![Action::RecordJoin(NewJoin {
        guild: join.guild,
        user: join.user,
        joined_at_ms: join.joined_at_ms,
        attribution,
        rejoin: history.rejoin,
        referral_pending: referral.is_some(),
        awaiting_screening: join.pending,
    })];
    if let Some(settings) = referral {
        actions.push(Action::Schedule {
            job: Job::QualifyReferral {
                guild: join.guild,
                user: join.user,
                joined_at_ms: join.joined_at_ms,
            },
            at_ms: join.joined_at_ms + settings.stay.as_millis() as i64,
        });
    }
    if let Some(until) = history.timeout_until_ms
        && until > join.joined_at_ms
    {
        let remaining = std::time::Duration::from_millis((until - join.joined_at_ms) as u64);
        // Discord counts timeouts in whole seconds; round up so it never ends early.
        let secs = remaining.as_secs() + u64::from(remaining.subsec_millis() > 0);
        actions.push(Action::Sanction {
            guild: join.guild,
            user: join.user,
            sanction: Sanction::Timeout(std::time::Duration::from_secs(secs)),
            reason: tr!(lang, "welcome-timeout-restored"),
        });
    }
    if !join.pending {
        actions.extend(access(
            charter,
            join.guild,
            join.user,
            place.channel,
            join.joined_at_ms,
        ));
    }
    if !history.kept_roles.is_empty() {
        actions.push(Action::GiveRoles {
            user: join.user,
            roles: history.kept_roles.clone(),
        });
    }
    let Some(welcome) = &charter.welcome else {
        return actions;
    };
    let charter_title = &charter.title;
    let values = |name: &str| -> Option<String> {
        match name {
            "member" => Some(format!("<@{}>", join.user)),
            "member_name" => Some(join.display_name.clone()),
            "server" => Some(join.guild_name.clone()),
            "member_count" => join.member_count.map(|n| n.to_string()),
            "inviter" => inviter.map(|i| format!("<@{i}>")),
            "charter" => Some(charter_title.get(lang.code()).to_string()),
            _ => None,
        }
    };
    if let (Some(message), Some(channel)) = (&welcome.message, place.channel) {
        let text = fill_known_lines(message.get(lang.code()), &values);
        if !text.trim().is_empty() {
            actions.push(Action::Post {
                channel,
                text,
                mention: join.user,
            });
        }
    }
    if let Some(dm) = &welcome.dm {
        let text = fill_known_lines(dm.get(lang.code()), &values);
        if !text.trim().is_empty() {
            actions.push(Action::DirectMessage {
                user: join.user,
                text,
            });
        }
    }
    actions
}

/// What gives a member access, once they may have it (at join, or when they pass the server's
/// membership screening at `at_ms`): the welcome roles, at once or later, and the charter's
/// invitation with its reminder and deadline.
pub fn access(
    charter: &Charter,
    guild: GuildId,
    user: UserId,
    welcome_channel: Option<ChannelId>,
    at_ms: i64,
) -> Vec<Action> {
    let mut actions = Vec::new();
    if let Some(welcome) = charter.welcome.as_ref().filter(|w| !w.roles.is_empty()) {
        actions.push(match welcome.roles_after {
            Some(after) => Action::Schedule {
                job: Job::GiveRoles {
                    guild,
                    user,
                    roles: welcome.roles.clone(),
                },
                at_ms: at_ms + after.as_millis() as i64,
            },
            None => Action::GiveRoles {
                user,
                roles: welcome.roles.clone(),
            },
        });
    }
    actions.extend(crate::community::acceptance::on_join(
        charter,
        guild,
        user,
        welcome_channel,
        at_ms,
    ));
    actions
}

/// The end of the timeout running at `now_ms`, from a member's cases (newest first): the latest
/// timeout or lifted timeout decides.
pub fn running_timeout(cases: &[Case], now_ms: i64) -> Option<i64> {
    let latest = cases
        .iter()
        .find(|c| matches!(c.kind, CaseKind::Timeout | CaseKind::Untimeout))?;
    let secs = latest
        .duration_secs
        .filter(|_| latest.kind == CaseKind::Timeout)?;
    let until = latest
        .created_at_ms
        .saturating_add(secs.saturating_mul(1000));
    (until > now_ms).then_some(until)
}

/// Fills `{name}` placeholders; a line that names a value nobody knows (the inviter of a member
/// who came through server discovery, the member count before the server is cached) is left out
/// rather than shown with a hole.
pub fn fill_known_lines(template: &str, value: &dyn Fn(&str) -> Option<String>) -> String {
    let lines: Vec<String> = template
        .lines()
        .filter_map(|line| {
            let missing = std::cell::Cell::new(false);
            let filled = crate::charter::fill_placeholders(line, |name| {
                let v = value(name);
                missing.set(missing.get() || v.is_none());
                v
            });
            (!missing.get()).then_some(filled)
        })
        .collect();
    lines.join("\n")
}

#[cfg(test)]
#[path = "welcome_tests.rs"]
mod tests;
