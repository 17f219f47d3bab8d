//! Queue reminders: when an item enters the review queue, a [`Job::RemindReview`] is scheduled
//! for when it will have waited `REVIEW_REMIND_AFTER`; the scheduler runs it then, and open items
//! that waited that long are recalled in the review channel (or the mod log), each item once.

use std::time::Duration;

use serenity::all::{ChannelId, CreateAllowedMentions, CreateMessage, Http};
use tracing::warn;

use super::Data;
use super::commands::review::age;
use super::render::fit;
use super::review::MESSAGE_CONTENT_MAX;
use crate::i18n::Lang;
use crate::ids::GuildId;
use crate::jobs::{Job, Outcome};
use crate::review::ReviewItem;
use crate::store::{GuildSettings, Store};
use crate::tr;

/// Schedules the reminder of a new item, unless reminders are off.
pub(super) async fn schedule(store: &Store, remind_after: Option<Duration>, item: &ReviewItem) {
    let Some(after) = remind_after else {
        return;
    };
    let job = Job::RemindReview {
        guild: item.guild,
        item: item.id,
    };
    let due = item.created_at_ms.saturating_add(millis(after));
    let scheduled = store
        .schedule(
            job.kind(),
            item.guild,
            &job.to_payload(),
            due,
            Some(&job.dedupe_key()),
        )
        .await;
    if let Err(e) = scheduled {
        warn!(guild = %item.guild, item = item.id, error = %e, "review reminder not scheduled");
    }
}

/// Runs a due [`Job::RemindReview`] at `now`: if item `id` is still open and has waited long
/// enough, recalls it with every other item of the guild that waited as long and was not
/// recalled yet (they are marked recalled, so their own jobs find nothing to do). Too early
/// (the delay grew since it was scheduled) puts the job off until the item's time.
pub(super) async fn remind(
    data: &Data,
    http: &Http,
    guild: GuildId,
    id: i64,
    now: i64,
) -> Result<Outcome, String> {
    let Some(after) = data.review_remind_after else {
        return Ok(Outcome::Done);
    };
    let item = data
        .store
        .review_item(guild, id)
        .await
        .map_err(|e| e.to_string())?;
    let Some(item) = item.filter(ReviewItem::is_open) else {
        return Ok(Outcome::Done);
    };
    let due = item.created_at_ms.saturating_add(millis(after));
    if due > now {
        return Ok(Outcome::Later { at_ms: due });
    }
    let settings = data
        .settings(guild)
        .await
        .map_err(|e| format!("settings unavailable: {e}"))?;
    // Items created at or before `now - after`.
    let before = now - millis(after) + 1;
    let items = data
        .store
        .take_items_to_remind(guild, before, now)
        .await
        .map_err(|e| e.to_string())?;
    if !items.is_empty() {
        post(http, &settings, &items, after, now).await;
    }
    Ok(Outcome::Done)
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

async fn post(
    http: &Http,
    settings: &GuildSettings,
    items: &[ReviewItem],
    after: Duration,
    now: i64,
) {
    let Some(channel) = settings.review_channel.or(settings.mod_log_channel) else {
        return;
    };
    let text = reminder_text(items, after, now, Lang::of(&settings.language));
    let message = CreateMessage::new()
        .content(fit(&text, MESSAGE_CONTENT_MAX))
        .allowed_mentions(CreateAllowedMentions::new());
    if let Err(e) = ChannelId::new(channel.0.max(1))
        .send_message(http, message)
        .await
    {
        warn!(%channel, error = %e, "review reminder not posted");
    }
}

/// The reminder: how many items wait longer than `after`, then one line per item with its age
/// and a link to its review message.
pub fn reminder_text(items: &[ReviewItem], after: Duration, now: i64, lang: Lang) -> String {
    let limit = crate::charter::format_duration(after);
    let mut lines = vec![tr!(
        lang,
        "review-reminder",
        count = items.len(),
        limit = limit
    )];
    for item in items {
        let link = match (item.review_channel, item.review_message) {
            (Some(c), Some(m)) => format!(" · https://discord.com/channels/{}/{c}/{m}", item.guild),
            _ => String::new(),
        };
        lines.push(format!(
            "• #{} ({}, {}){link}",
            item.id,
            super::render::review::source_name(item.source, lang),
            age(now - item.created_at_ms)
        ));
    }
    lines.join("\n")
}
