//! Queue reminders: every so often, open review items that waited longer than the configured
//! time are recalled in the review channel (or the mod log), each item once.

use std::sync::Arc;
use std::time::Duration;

use serenity::all::{ChannelId, CreateAllowedMentions, CreateMessage, Http};
use tracing::warn;

use super::Data;
use super::render::fit;
use super::review::{MESSAGE_CONTENT_MAX, now_ms};
use super::review_commands::age;
use crate::review::ReviewItem;
use crate::store::GuildSettings;

/// How often the queue is checked for items to recall.
pub const REMINDER_CHECK_EVERY: Duration = Duration::from_secs(60);

/// Recalls items older than `after` in every known guild, checking every `every`.
pub(super) async fn remind_on_time(
    data: Arc<Data>,
    http: Arc<Http>,
    after: Duration,
    every: Duration,
) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        for settings in data.known_settings() {
            let now = now_ms();
            let before = now - after.as_millis() as i64;
            match data
                .store
                .take_items_to_remind(settings.guild, before, now)
                .await
            {
                Ok(items) if !items.is_empty() => {
                    remind(&http, &settings, &items, after, now).await;
                }
                Ok(_) => {}
                Err(e) => warn!(guild = %settings.guild, error = %e, "review reminders not read"),
            }
        }
    }
}

async fn remind(
    http: &Http,
    settings: &GuildSettings,
    items: &[ReviewItem],
    after: Duration,
    now: i64,
) {
    let Some(channel) = settings.review_channel.or(settings.mod_log_channel) else {
        return;
    };
    let text = reminder_text(items, after, now, &settings.language);
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
pub fn reminder_text(items: &[ReviewItem], after: Duration, now: i64, language: &str) -> String {
    let fr = language == "fr";
    let limit = crate::charter::format_duration(after);
    let mut lines = vec![if fr {
        format!(
            "⏰ Rappel : {} élément(s) attendent un examen depuis plus de {limit}.",
            items.len()
        )
    } else {
        format!(
            "⏰ Reminder: {} review item(s) waiting longer than {limit}.",
            items.len()
        )
    }];
    for item in items {
        let link = match (item.review_channel, item.review_message) {
            (Some(c), Some(m)) => format!(" · https://discord.com/channels/{}/{c}/{m}", item.guild),
            _ => String::new(),
        };
        lines.push(format!(
            "• #{} ({}, {}){link}",
            item.id,
            item.source.as_str(),
            age(now - item.created_at_ms)
        ));
    }
    lines.join("\n")
}
