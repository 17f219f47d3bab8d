//! Raid mode, planned (pure). When a raid is detected ([`crate::moderation::raid`]) or a
//! moderator runs `/raid on`, the charter's `[raid] steps` become [`Change`]s to the server, each
//! with the setting it replaces, so that leaving raid mode puts back exactly what was there
//! ([`restoring`]), also after a restart (the adapter records every change before making it).
//! While raid mode lasts, messages of very new members are held for review ([`hold`]) and the
//! members who joined during the raid and match its signature are timed out or kicked
//! ([`sanctions`]).

use std::time::Duration;

use crate::cases::NewCase;
use crate::charter::Sanction;
use crate::charter::raid::{RaidSettings, RaidStep};
use crate::facts::MessageFacts;
use crate::ids::{ChannelId, GuildId, MessageId, UserId};
use crate::moderation::massban::Candidate;
use crate::moderation::raid::RaidSignal;
use crate::moderation::review::review_item;
use crate::moderation::{Action, sanction_case_kind};

/// The rule id under which messages held by raid mode enter the review queue (so that the
/// queue's per-rule figures show how many of them were fine).
pub const RAID_RULE: &str = "raid-mode";

/// What set raid mode off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// A wave of joins.
    Joins,
    /// The same text or link from many new members.
    Repeated,
    /// A storm of mentions.
    Mentions,
    /// A moderator's `/raid on`.
    Manual,
}

impl Trigger {
    /// The trigger of a detected signal.
    pub fn of(signal: &RaidSignal) -> Trigger {
        match signal {
            RaidSignal::JoinWave { .. } => Trigger::Joins,
            RaidSignal::RepeatedContent { .. } => Trigger::Repeated,
            RaidSignal::MentionStorm { .. } => Trigger::Mentions,
        }
    }

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Joins => "joins",
            Trigger::Repeated => "repeated",
            Trigger::Mentions => "mentions",
            Trigger::Manual => "manual",
        }
    }

    /// Read back from storage (an unknown word reads as a manual start).
    pub fn parse(text: &str) -> Trigger {
        match text {
            "joins" => Trigger::Joins,
            "repeated" => Trigger::Repeated,
            "mentions" => Trigger::Mentions,
            _ => Trigger::Manual,
        }
    }
}

/// A raid in progress, as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveRaid {
    pub guild: GuildId,
    pub started_at_ms: i64,
    /// The moderator who started it; `None` when Steward detected it.
    pub started_by: Option<UserId>,
    pub trigger: Trigger,
    /// The latest signal (or the start): raid mode ends a quiet period after it.
    pub last_signal_at_ms: i64,
    /// Messages held for review so far.
    pub held: u32,
    /// The mod-log alert with the button that ends it.
    pub alert: Option<(ChannelId, MessageId)>,
}

/// A server setting raid mode changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// A channel's slow mode, in seconds between two messages of a member (0: off).
    SlowMode { channel: ChannelId, secs: u32 },
    /// The server's verification level (0 none .. 4 highest).
    Verification(u8),
    /// New invites refused until then (ms since the epoch); `None`: invites open.
    InvitesPausedUntil(Option<i64>),
    /// DMs between members refused until then; `None`: DMs open.
    DmsPausedUntil(Option<i64>),
}

/// One change raid mode makes: what it sets, and what was there before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    pub before: Setting,
    pub during: Setting,
}

/// The settings of a server that raid mode may change, as they are now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerState {
    /// Text channels everyone can read, with their slow mode in seconds.
    pub public_channels: Vec<(ChannelId, u32)>,
    pub verification: u8,
    pub invites_paused_until_ms: Option<i64>,
    pub dms_paused_until_ms: Option<i64>,
}

/// The changes the charter's steps make to `server` at `now_ms`: only those that make it
/// stricter (a channel already slower, a level already higher or a pause already longer is
/// left as it is, and so is not touched when raid mode ends).
pub fn changes(steps: &[RaidStep], server: &ServerState, now_ms: i64) -> Vec<Change> {
    let mut changes = Vec::new();
    for step in steps {
        match *step {
            RaidStep::SlowMode(d) => {
                let secs = u32::try_from(d.as_secs()).unwrap_or(u32::MAX);
                changes.extend(
                    server
                        .public_channels
                        .iter()
                        .filter(|(_, before)| *before < secs)
                        .map(|&(channel, before)| Change {
                            before: Setting::SlowMode {
                                channel,
                                secs: before,
                            },
                            during: Setting::SlowMode { channel, secs },
                        }),
                );
            }
            RaidStep::Verification(level) if server.verification < level => changes.push(Change {
                before: Setting::Verification(server.verification),
                during: Setting::Verification(level),
            }),
            RaidStep::PauseInvites(d) => changes.extend(pause(
                Setting::InvitesPausedUntil,
                server.invites_paused_until_ms,
                d,
                now_ms,
            )),
            RaidStep::PauseDms(d) => changes.extend(pause(
                Setting::DmsPausedUntil,
                server.dms_paused_until_ms,
                d,
                now_ms,
            )),
            RaidStep::Verification(_)
            | RaidStep::HoldNewerThan(_)
            | RaidStep::TimeoutMatching(_)
            | RaidStep::KickMatching => {}
        }
    }
    changes
}

/// A pause of `d` from `now_ms` (invites or DMs, as `setting` makes it), unless a pause in force
/// lasts longer already.
fn pause(
    setting: fn(Option<i64>) -> Setting,
    paused_until_ms: Option<i64>,
    d: Duration,
    now_ms: i64,
) -> Option<Change> {
    let until = now_ms + millis(d);
    let before = paused_until_ms.filter(|b| *b > now_ms);
    before.is_none_or(|b| b < until).then(|| Change {
        before: setting(before),
        during: setting(Some(until)),
    })
}

/// What ending raid mode sets back for `change` at `now_ms`: the setting from before, except a
/// pause from before that has run out meanwhile, which is not put back.
pub fn restoring(change: &Change, now_ms: i64) -> Setting {
    match change.before {
        Setting::InvitesPausedUntil(Some(until)) if until <= now_ms => {
            Setting::InvitesPausedUntil(None)
        }
        Setting::DmsPausedUntil(Some(until)) if until <= now_ms => Setting::DmsPausedUntil(None),
        before => before,
    }
}

/// The incident actions to send so that the pauses among `targets` take effect: Discord sets
/// invites and DMs in one request, so the one not among `targets` is sent as it is now. `None`
/// when no target is a pause.
pub fn incident_request(
    targets: &[Setting],
    server: &ServerState,
) -> Option<(Option<i64>, Option<i64>)> {
    let mut invites = None;
    let mut dms = None;
    for target in targets {
        match *target {
            Setting::InvitesPausedUntil(until) => invites = Some(until),
            Setting::DmsPausedUntil(until) => dms = Some(until),
            Setting::SlowMode { .. } | Setting::Verification(_) => {}
        }
    }
    if invites.is_none() && dms.is_none() {
        return None;
    }
    Some((
        invites.unwrap_or(server.invites_paused_until_ms),
        dms.unwrap_or(server.dms_paused_until_ms),
    ))
}

/// How new a member must be for raid mode to hold their messages, when the charter says so.
pub fn hold_newer_than(settings: &RaidSettings) -> Option<Duration> {
    settings.steps.iter().find_map(|s| match s {
        RaidStep::HoldNewerThan(d) => Some(*d),
        _ => None,
    })
}

/// Whether raid mode holds this message: its author joined less than `newer_than` ago (a
/// member whose join time is unknown is held too: in a raid, doubt holds).
pub fn is_held(facts: &MessageFacts, newer_than: Duration) -> bool {
    facts
        .member_since_ms
        .is_none_or(|since| facts.timestamp_ms - since < millis(newer_than))
}

/// Holding a message in raid mode: removed, and queued for review under [`RAID_RULE`].
pub fn hold(facts: &MessageFacts) -> Vec<Action> {
    let rules = vec![RAID_RULE.to_string()];
    vec![
        Action::DeleteMessage {
            channel: facts.channel,
            message: facts.message,
        },
        Action::EnqueueReview(review_item(facts, rules, String::new(), true)),
    ]
}

/// A newcomer's welcome while raid mode is on: recorded, given roles and gated as usual, but
/// not greeted, neither in the welcome channel nor by DM, so that a raid neither floods the
/// welcome channel nor gets its accounts a greeting.
pub fn quiet_welcome(actions: Vec<Action>) -> Vec<Action> {
    actions
        .into_iter()
        .filter(|a| !matches!(a, Action::Post { .. } | Action::DirectMessage { .. }))
        .collect()
}

/// The raid a sanction is part of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RaidContext {
    pub guild: GuildId,
    /// When raid mode started.
    pub started_at_ms: i64,
    /// How far before the start a join still counts as "during the raid": the longest window
    /// of the charter's signals (the joins that made the wave came just before it).
    pub lookback: Duration,
    /// The reason written in each case and in the audit log.
    pub reason: String,
}

/// How far before raid mode's start a join is part of the raid: the longest signal window.
pub fn lookback(settings: &RaidSettings) -> Duration {
    [
        settings.joins.as_ref().map(|j| j.window),
        settings.repeated.as_ref().map(|r| r.window),
        settings.mentions.as_ref().map(|m| m.window),
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(Duration::ZERO)
}

/// The sanction raid mode gives the members matching its signature, if the charter asks for
/// one (a kick over a timeout when both are listed).
pub fn sanction(settings: &RaidSettings) -> Option<Sanction> {
    let kick = settings.steps.contains(&RaidStep::KickMatching);
    let timeout = settings.steps.iter().find_map(|s| match s {
        RaidStep::TimeoutMatching(d) => Some(Sanction::Timeout(*d)),
        _ => None,
    });
    if kick { Some(Sanction::Kick) } else { timeout }
}

/// The members of a detection raid mode sanctions: those who joined during the raid, never
/// bots, moderators, the owner or members out of Steward's reach (`protected`).
pub fn eligible(raid: &RaidContext, members: &[Candidate]) -> Vec<UserId> {
    let since = raid.started_at_ms - millis(raid.lookback);
    members
        .iter()
        .filter(|m| !m.is_bot && !m.protected)
        .filter(|m| m.joined_at_ms.is_some_and(|at| at >= since))
        .map(|m| m.user)
        .collect()
}

/// The sanction of each of `users`, each with a case by Steward.
pub fn sanctions(
    sanction: Sanction,
    raid: &RaidContext,
    users: &[UserId],
    now_ms: i64,
) -> Vec<Action> {
    let (kind, duration_secs) = sanction_case_kind(sanction);
    let mut actions = Vec::new();
    for &user in users {
        actions.push(Action::Sanction {
            guild: raid.guild,
            user,
            sanction,
            reason: raid.reason.clone(),
        });
        actions.push(Action::RecordCase(NewCase {
            rule: Some(RAID_RULE.to_string()),
            duration_secs,
            ..NewCase::new(raid.guild, user, kind, raid.reason.clone(), now_ms)
        }));
    }
    actions
}

/// When raid mode ends by itself: `quiet` after the last signal.
pub fn ends_at(settings: &RaidSettings, last_signal_ms: i64) -> i64 {
    last_signal_ms + millis(settings.quiet)
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
#[path = "raid_mode_tests.rs"]
mod tests;
