//! Raid mode on Discord. Joins and messages go through the detector ([`RaidBoard`]); a
//! detection (or `/raid on`) starts raid mode once across processes: every change the charter's
//! steps make is recorded with the setting it replaces before it is made, moderators get an
//! alert in the mod log with a button that ends it, and the raid's members are sanctioned. While
//! it lasts, newcomers' messages are held for review. It ends with `/raid off`, the button, or
//! the [`Job::EndRaid`] after a quiet period; every change is then undone from what was
//! recorded, also after a restart, and moderators get a summary.

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};

use serenity::all::{
    Cache, ChannelId as SChannelId, ComponentInteraction, Context as SerenityContext,
    CreateInteractionResponse, CreateInteractionResponseMessage, EditMessage, GuildId as SGuildId,
    Http, Member, MessageId as SMessageId,
};
use tracing::{info, warn};

use super::raid_settings::{apply, server_state};
use super::render::raid::{Alert, Summary, alert, ended_alert, summary};
use super::{Data, Error, Executor};
use crate::charter::raid::RaidSettings;
use crate::facts::MessageFacts;
use crate::i18n::Lang;
use crate::ids::{GuildId, UserId};
use crate::jobs::{Job, Outcome};
use crate::moderation::raid::{Detection, RaidDetector, RaidJoin, RaidMessage};
use crate::moderation::raid_mode::{
    self, ActiveRaid, RaidContext, Trigger, changes, ends_at, restoring,
};
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

    fn set(&self, raid: ActiveRaid) {
        self.active
            .write()
            .expect("raids lock")
            .insert(raid.guild, raid);
    }

    fn forget(&self, guild: GuildId) {
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
    let Some(settings) = data.charter().raid.clone() else {
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
        .join(&settings, join);
    if let Some(detection) = detection {
        detected(ctx, data, &settings, guild, detection, None, at_ms).await;
    }
}

/// A new message from a member who is not exempt, before it is judged: the detector hears it.
pub async fn watch(ctx: &SerenityContext, data: &Data, facts: &MessageFacts) {
    if facts.edited {
        return;
    }
    let Some(settings) = data.charter().raid.clone() else {
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
        .message(&settings, &message);
    if let Some(detection) = detection {
        let sample = crate::moderation::excerpt(&facts.content);
        let at = facts.timestamp_ms;
        detected(
            ctx,
            data,
            &settings,
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
pub fn holds(data: &Data, facts: &MessageFacts) -> bool {
    data.raids.active(facts.guild).is_some()
        && data
            .charter()
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

/// How a raid mode starts.
pub struct Start<'a> {
    /// The moderator who started it; `None` when detected.
    pub by: Option<UserId>,
    pub trigger: Trigger,
    pub detection: Option<&'a Detection>,
    /// An excerpt of the message that completed the signal, when a message did.
    pub sample: Option<String>,
}

/// Starts raid mode in `guild`: recorded first (once across processes; `false` when it was on
/// already), then each change recorded and made, the end scheduled, moderators alerted.
pub async fn begin(
    http: &Http,
    cache: &Cache,
    data: &Data,
    guild: GuildId,
    start: Start<'_>,
    now_ms: i64,
) -> Result<bool, Error> {
    let charter = data.charter();
    let settings = charter.raid.clone().unwrap_or_else(RaidSettings::none);
    let raid = ActiveRaid {
        guild,
        started_at_ms: now_ms,
        started_by: start.by,
        trigger: start.trigger,
        last_signal_at_ms: now_ms,
        held: 0,
        alert: None,
    };
    if !data.store.start_raid(&raid).await? {
        resume(data, guild).await;
        return Ok(false);
    }
    data.raids.set(raid.clone());
    let state = server_state(http, cache, guild).await;
    let planned = changes(&settings.steps, &state, now_ms);
    for change in &planned {
        data.store.record_raid_change(guild, change).await?;
    }
    let targets: Vec<_> = planned.iter().map(|c| c.during).collect();
    let refused = apply(http, guild, &targets, &state).await;
    for (setting, error) in &refused {
        warn!(%guild, ?setting, %error, "raid step refused by Discord");
        data.store.forget_raid_change(guild, setting).await?;
    }
    let job = Job::EndRaid { guild };
    let end = ends_at(&settings, now_ms);
    data.store
        .schedule(
            job.kind(),
            guild,
            &job.to_payload(),
            end,
            Some(&job.dedupe_key()),
        )
        .await?;
    let server = data.settings(guild).await?;
    let lang = Lang::of(&server.language);
    let applied: Vec<_> = targets
        .iter()
        .filter(|t| !refused.iter().any(|(r, _)| r == *t))
        .copied()
        .collect();
    let message = alert(
        lang,
        &Alert {
            raid: &raid,
            detection: start.detection,
            sample: start.sample.as_deref(),
            settings: &settings,
            applied: &applied,
            refused: &refused,
            ends_at_ms: end,
        },
        now_ms,
    );
    if let Some(channel) = server.mod_log_channel {
        match SChannelId::new(channel.0.max(1))
            .send_message(http, message)
            .await
        {
            Ok(posted) => {
                let message = crate::ids::MessageId(posted.id.get());
                data.store.set_raid_alert(guild, channel, message).await?;
                data.raids.set(ActiveRaid {
                    alert: Some((channel, message)),
                    ..raid
                });
            }
            Err(e) => warn!(%guild, error = %e, "raid alert not posted"),
        }
    }
    info!(%guild, changes = applied.len(), refused = refused.len(), "raid mode on");
    Ok(true)
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
    // A member named by an earlier detection of this raid is not sanctioned twice.
    let actioned: Vec<UserId> = match data.store.raid_members(guild).await {
        Ok(known) => known
            .iter()
            .filter(|m| m.actioned)
            .map(|m| m.user)
            .collect(),
        Err(e) => {
            warn!(%guild, error = %e, "raid members unreadable; nobody sanctioned");
            return;
        }
    };
    let candidates = super::massban::candidates(&ctx.cache, guild, &server, None)
        .into_iter()
        .filter(|c| members.contains(&c.user) && !actioned.contains(&c.user))
        .collect::<Vec<_>>();
    let context = RaidContext {
        guild,
        started_at_ms: raid.started_at_ms,
        lookback: raid_mode::lookback(settings),
        reason: tr!(Lang::of(&server.language), "raid-case-reason"),
    };
    let actions = raid_mode::sanctions(sanction, &context, &candidates, now_ms);
    let sanctioned = raid_mode::sanctioned(&actions);
    Executor::new(ctx.http.clone(), ctx.cache.clone(), data)
        .perform(actions, &server)
        .await;
    for user in sanctioned {
        if let Err(e) = data.store.mark_raid_actioned(guild, user).await {
            warn!(%guild, %user, error = %e, "raid sanction not recorded");
        }
    }
}

fn joined_at(cache: &Cache, guild: GuildId, user: UserId) -> Option<i64> {
    let server = cache.guild(SGuildId::new(guild.0.max(1)))?;
    let member = server
        .members
        .get(&serenity::all::UserId::new(user.0.max(1)))?;
    member.joined_at.as_ref().map(super::convert::millis)
}

/// Ends raid mode in `guild` (once across processes): every recorded change undone, the alert's
/// button removed, a summary in the mod log. `None` when no raid was on.
pub async fn end(
    http: &Http,
    cache: &Cache,
    data: &Data,
    guild: GuildId,
    by: Option<UserId>,
    now_ms: i64,
) -> Result<Option<String>, Error> {
    let raid = data.store.end_raid(guild).await?;
    let recorded = data.store.raid_changes(guild).await?;
    data.raids.forget(guild);
    let Some(raid) = raid else {
        if recorded.is_empty() {
            return Ok(None);
        }
        // A raid whose end was interrupted: its remaining changes are undone below.
        warn!(%guild, changes = recorded.len(), "undoing the changes of an interrupted raid end");
        undo(http, cache, data, guild, &recorded, now_ms).await?;
        data.store.clear_raid(guild).await?;
        return Ok(None);
    };
    let refused = undo(http, cache, data, guild, &recorded, now_ms).await?;
    let members = data.store.raid_members(guild).await?;
    data.store.clear_raid(guild).await?;
    let job = Job::EndRaid { guild };
    data.store.cancel_job(job.kind(), &job.dedupe_key()).await?;
    let server = data.settings(guild).await?;
    let lang = Lang::of(&server.language);
    let text = summary(
        lang,
        &Summary {
            raid: &raid,
            ended_by: by,
            ended_at_ms: now_ms,
            members: members.len(),
            actioned: members.iter().filter(|m| m.actioned).count(),
            restored: recorded.len() - refused.len(),
            refused: &refused,
        },
    );
    if let Some((channel, message)) = raid.alert {
        let edit = EditMessage::new()
            .embed(ended_alert(lang, &raid, now_ms))
            .components(Vec::new());
        if let Err(e) = SChannelId::new(channel.0.max(1))
            .edit_message(http, SMessageId::new(message.0.max(1)), edit)
            .await
        {
            warn!(%guild, error = %e, "raid alert not updated");
        }
    }
    if let Some(channel) = server.mod_log_channel {
        let post = super::render::notice::notice_message(&tr!(lang, "raid-summary-title"), &text);
        if let Err(e) = SChannelId::new(channel.0.max(1))
            .send_message(http, post)
            .await
        {
            warn!(%guild, error = %e, "raid summary not posted");
        }
    }
    info!(%guild, members = members.len(), "raid mode off");
    Ok(Some(text))
}

/// Sets back what each recorded change replaced; the settings Discord refused to set back.
async fn undo(
    http: &Http,
    cache: &Cache,
    data: &Data,
    guild: GuildId,
    recorded: &[raid_mode::Change],
    now_ms: i64,
) -> Result<Vec<(raid_mode::Setting, String)>, Error> {
    let state = server_state(http, cache, guild).await;
    let targets: Vec<_> = recorded.iter().map(|c| restoring(c, now_ms)).collect();
    let refused = apply(http, guild, &targets, &state).await;
    for target in &targets {
        if !refused.iter().any(|(r, _)| r == target) {
            data.store.forget_raid_change(guild, target).await?;
        }
    }
    for (setting, error) in &refused {
        warn!(%guild, ?setting, %error, "raid change not undone");
    }
    Ok(refused)
}

/// Runs a [`Job::EndRaid`]: ends raid mode once the quiet period after its last signal has
/// passed, else waits until then.
pub async fn end_job(
    data: &Data,
    executor: &Executor,
    guild: GuildId,
    now_ms: i64,
) -> Result<Outcome, String> {
    let raid = data.store.raid(guild).await.map_err(|e| e.to_string())?;
    let Some(raid) = raid else {
        return Ok(Outcome::Done);
    };
    let settings = data
        .charter()
        .raid
        .clone()
        .unwrap_or_else(RaidSettings::none);
    let quiet_until = ends_at(&settings, raid.last_signal_at_ms);
    if quiet_until > now_ms {
        return Ok(Outcome::Later { at_ms: quiet_until });
    }
    end(&executor.http, &executor.cache, data, guild, None, now_ms)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Outcome::Done)
}

/// A press of the alert's button: a moderator ends raid mode.
pub(super) async fn on_button(
    ctx: &SerenityContext,
    data: &Data,
    press: &ComponentInteraction,
) -> Result<(), Error> {
    let lang = Lang::from_locale(&press.locale);
    let Some(guild) = press.guild_id.map(|g| GuildId(g.get())) else {
        return Ok(());
    };
    let settings = data.settings(guild).await?;
    if !super::review::is_moderator(press.member.as_ref(), &settings) {
        let reply = CreateInteractionResponseMessage::new()
            .content(tr!(lang, "raid-not-moderator"))
            .ephemeral(true);
        press
            .create_response(&ctx.http, CreateInteractionResponse::Message(reply))
            .await?;
        return Ok(());
    }
    press
        .create_response(&ctx.http, CreateInteractionResponse::Acknowledge)
        .await?;
    let by = UserId(press.user.id.get());
    end(
        &ctx.http,
        &ctx.cache,
        data,
        guild,
        Some(by),
        super::review::now_ms(),
    )
    .await?;
    Ok(())
}
