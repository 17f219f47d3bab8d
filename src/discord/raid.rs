//! Raid mode on Discord, the hot path: joins and messages go through the detector
//! ([`RaidBoard`]); a detection starts raid mode ([`super::raid_lifecycle::begin`]) or, when it is
//! on, keeps it on; the members a detection names are recorded and sanctioned as the charter
//! asks. While it lasts, newcomers' messages are held for review.

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};

use serenity::all::{Cache, Context as SerenityContext, GuildId as SGuildId, Member};
use tracing::{info, warn};

use super::raid_lifecycle::{Start, begin};
use super::{Data, Error, Executor};
use crate::charter::Charter;
use crate::charter::raid::RaidSettings;
use crate::facts::MessageFacts;
use crate::i18n::Lang;
use crate::ids::{GuildId, UserId};
use crate::moderation::raid::{Detection, RaidDetector, RaidJoin, RaidMessage};
use crate::moderation::raid_mode::{self, ActiveRaid, RaidContext, Trigger};
use crate::store::GuildSettings;
use crate::tr;

/// Custom id of the alert's button that ends raid mode.
pub const RAID_END_BUTTON: &str = "raid:end";

/// The detector's windows and the raids in progress, in memory for the hot path (raids are
/// read back from storage when a guild is seen, so a restart keeps them).
#[derive(Debug, Default)]
pub struct RaidBoard {
    detector: Mutex<RaidDetector>,
    active: RwLock<HashMap<GuildId, ActiveRaid>>,
}

impl RaidBoard {
    /// The raid in progress in `guild`, if any.
    pub fn active(&self, guild: GuildId) -> Option<ActiveRaid> {
        self.active.read().expect("raids lock").get(&guild).cloned()
    }

    /// Keeps `raid` as the one in progress in its guild.
    pub(super) fn set(&self, raid: ActiveRaid) {
        self.active
            .write()
            .expect("raids lock")
            .insert(raid.guild, raid);
    }

    /// No raid in progress in `guild` any more.
    pub(super) fn forget(&self, guild: GuildId) {
        self.active.write().expect("raids lock").remove(&guild);
    }
}

/// Reads back the raid in progress in `guild`, if any (when the guild is seen after a start).
pub async fn resume(data: &Data, guild: GuildId) {
    match data.store.raid(guild).await {
        Ok(Some(raid)) => {
            info!(%guild, since_ms = raid.started_at_ms, "raid mode still on");
            data.raids.set(raid);
        }
        Ok(None) => {}
        Err(e) => warn!(%guild, error = %e, "raid mode not read back"),
    }
}

/// A member joined: the detector hears it, and during a raid they count among its members.
pub async fn on_join(ctx: &SerenityContext, data: &Data, member: &Member) {
    if member.user.bot {
        return;
    }
    let guild = GuildId(member.guild_id.get());
    let at_ms = member
        .joined_at
        .as_ref()
        .map_or_else(super::review::now_ms, super::convert::millis);
    let user = UserId(member.user.id.get());
    if data.raids.active(guild).is_some()
        && let Err(e) = data
            .store
            .add_raid_members(guild, &[(user, Some(at_ms))])
            .await
    {
        warn!(%guild, %user, error = %e, "raid member not recorded");
    }
    let charter = data.charter();
    let Some(settings) = charter.raid.as_ref() else {
        return;
    };
    let join = RaidJoin {
        guild,
        member: user,
        at_ms,
    };
    let detection = data
        .raids
        .detector
        .lock()
        .expect("detector lock")
        .join(settings, join);
    if let Some(detection) = detection {
        detected(ctx, data, settings, guild, detection, None, at_ms).await;
    }
}

/// A new message from a member who is not exempt, before it is judged by `charter`: the
/// detector hears it.
pub async fn watch(ctx: &SerenityContext, data: &Data, charter: &Charter, facts: &MessageFacts) {
    if facts.edited {
        return;
    }
    let Some(settings) = charter.raid.as_ref() else {
        return;
    };
    let message = RaidMessage {
        guild: facts.guild,
        author: facts.author,
        at_ms: facts.timestamp_ms,
        member_since_ms: facts.member_since_ms,
        content: &facts.content,
        mentions: crate::charter::count_mentions(&facts.content),
    };
    let detection = data
        .raids
        .detector
        .lock()
        .expect("detector lock")
        .message(settings, &message);
    if let Some(detection) = detection {
        let sample = crate::moderation::excerpt(&facts.content);
        let at = facts.timestamp_ms;
        detected(
            ctx,
            data,
            settings,
            facts.guild,
            detection,
            Some(sample),
            at,
        )
        .await;
    }
}

/// Whether raid mode holds this message (a raid is on, the charter holds newcomers' messages,
/// and the author is one).
pub fn holds(data: &Data, charter: &Charter, facts: &MessageFacts) -> bool {
    data.raids.active(facts.guild).is_some()
        && charter
            .raid
            .as_ref()
            .and_then(raid_mode::hold_newer_than)
            .is_some_and(|newer_than| raid_mode::is_held(facts, newer_than))
}

/// Holds a message for review during a raid.
pub async fn hold(
    executor: &Executor,
    data: &Data,
    facts: &MessageFacts,
    settings: &GuildSettings,
) {
    executor.perform(raid_mode::hold(facts), settings).await;
    if let Err(e) = data.store.count_raid_hold(facts.guild).await {
        warn!(guild = %facts.guild, error = %e, "raid hold not counted");
    }
}

/// A detection: raid mode starts (or, on already, goes on a quiet period longer), and the
/// members of the detection are recorded and sanctioned as the charter asks.
async fn detected(
    ctx: &SerenityContext,
    data: &Data,
    settings: &RaidSettings,
    guild: GuildId,
    detection: Detection,
    sample: Option<String>,
    at_ms: i64,
) {
    info!(%guild, signal = ?detection.signal, members = detection.members.len(), "raid detected");
    let outcome = match data.raids.active(guild) {
        Some(mut raid) => {
            raid.last_signal_at_ms = raid.last_signal_at_ms.max(at_ms);
            data.raids.set(raid);
            data.store
                .raid_signal(guild, at_ms)
                .await
                .map_err(Error::from)
        }
        None => {
            let start = Start {
                by: None,
                trigger: Trigger::of(&detection.signal),
                detection: Some(&detection),
                sample,
            };
            begin(&ctx.http, &ctx.cache, data, guild, start, at_ms)
                .await
                .map(drop)
        }
    };
    if let Err(e) = outcome {
        warn!(%guild, error = %e, "raid mode not started");
        return;
    }
    let members: Vec<(UserId, Option<i64>)> = detection
        .members
        .iter()
        .map(|u| (*u, joined_at(&ctx.cache, guild, *u)))
        .collect();
    if let Err(e) = data.store.add_raid_members(guild, &members).await {
        warn!(%guild, error = %e, "raid members not recorded");
    }
    sanction(ctx, data, settings, guild, &detection.members, at_ms).await;
}

/// Times out or kicks the members of a detection who joined during the raid, if the charter
/// asks, each with a case.
async fn sanction(
    ctx: &SerenityContext,
    data: &Data,
    settings: &RaidSettings,
    guild: GuildId,
    members: &[UserId],
    now_ms: i64,
) {
    let (Some(sanction), Some(raid)) = (raid_mode::sanction(settings), data.raids.active(guild))
    else {
        return;
    };
    let Ok(server) = data.settings(guild).await else {
        return;
    };
    let candidates = super::massban::candidates(&ctx.cache, guild, &server, None, Some(members));
    let context = RaidContext {
        guild,
        started_at_ms: raid.started_at_ms,
        lookback: raid_mode::lookback(settings),
        reason: tr!(Lang::of(&server.language), "raid-case-reason"),
    };
    // Each sanction is claimed first, so that a member named by two detections of this raid
    // at once (or by two processes) is sanctioned once.
    let mut claimed = Vec::new();
    for user in raid_mode::eligible(&context, &candidates) {
        match data.store.claim_raid_sanction(guild, user).await {
            Ok(true) => claimed.push(user),
            Ok(false) => {}
            Err(e) => warn!(%guild, %user, error = %e, "raid sanction not claimed; not given"),
        }
    }
    let actions = raid_mode::sanctions(sanction, &context, &claimed, now_ms);
    Executor::new(ctx.http.clone(), ctx.cache.clone(), data)
        .perform(actions, &server)
        .await;
}

fn joined_at(cache: &Cache, guild: GuildId, user: UserId) -> Option<i64> {
    let server = cache.guild(SGuildId::new(guild.0.max(1)))?;
    let member = server
        .members
        .get(&serenity::all::UserId::new(user.0.max(1)))?;
    member.joined_at.as_ref().map(super::convert::millis)
}
