//! Raid mode's start and end on Discord. [`begin`] records the raid first (once across
//! processes), then records each change the charter's steps make with the setting it replaces
//! before making it, schedules the [`Job::EndRaid`] and alerts moderators with a button. [`end`]
//! (the button, `/raid off`, or the job after the quiet period) undoes every recorded change,
//! also after a restart, takes the button off the alert and posts the summary.

use serenity::all::{
    Cache, ChannelId as SChannelId, ComponentInteraction, Context as SerenityContext,
    CreateInteractionResponse, CreateInteractionResponseMessage, EditMessage, Http,
    MessageId as SMessageId,
};
use tracing::{info, warn};

use super::raid::resume;
use super::raid_settings::{apply, server_state};
use super::render::raid::{Alert, Summary, alert, ended_alert, summary};
use super::{Data, Error, Executor};
use crate::charter::raid::RaidSettings;
use crate::i18n::Lang;
use crate::ids::{GuildId, UserId};
use crate::jobs::{Job, Outcome};
use crate::moderation::raid::Detection;
use crate::moderation::raid_mode::{self, ActiveRaid, Trigger, changes, ends_at, restoring};
use crate::tr;

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
    metrics::counter!(crate::telemetry::names::RAIDS, "trigger" => start.trigger.as_str())
        .increment(1);
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
