//! `/raid on`, `/raid off` and `/raid status`: a moderator starts raid mode by hand (with the
//! charter's `[raid]` steps), ends it (everything it changed put back), or asks where it stands.
//! The work is [`crate::discord::raid`]; answers are private, in the moderator's language.

use super::{Context, guards, invoker_lang, private};
use crate::discord::Error;
use crate::discord::raid_lifecycle::{Start, begin, end};
use crate::discord::review::now_ms;
use crate::ids::UserId;
use crate::moderation::raid_mode::{Trigger, ends_at};
use crate::tr;

/// Raid mode: the charter's [raid] steps, undone exactly when it ends.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("raid_on", "raid_off", "raid_status"),
    subcommand_required,
    default_member_permissions = "MANAGE_MESSAGES"
)]
pub async fn raid(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

fn since(at_ms: i64) -> String {
    format!("<t:{}:f>", at_ms / 1000)
}

/// Start raid mode now, with the steps of the charter's [raid] section.
#[poise::command(slash_command, rename = "on")]
async fn raid_on(ctx: Context<'_>) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    let data = ctx.data();
    if data.charter().raid.is_none() {
        return private(ctx, tr!(lang, "raid-on-no-section")).await;
    }
    if let Some(raid) = data.raids.active(guild) {
        let text = tr!(lang, "raid-on-already", since = since(raid.started_at_ms));
        return private(ctx, text).await;
    }
    ctx.defer_ephemeral().await?;
    let serenity = ctx.serenity_context();
    let start = Start {
        by: Some(UserId(ctx.author().id.get())),
        trigger: Trigger::Manual,
        detection: None,
        sample: None,
    };
    let now = now_ms();
    if begin(&serenity.http, &serenity.cache, data, guild, start, now).await? {
        return private(ctx, tr!(lang, "raid-on-done")).await;
    }
    let started = data.raids.active(guild).map_or(now, |r| r.started_at_ms);
    private(ctx, tr!(lang, "raid-on-already", since = since(started))).await
}

/// End raid mode: everything it changed is put back as it was.
#[poise::command(slash_command, rename = "off")]
async fn raid_off(ctx: Context<'_>) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    ctx.defer_ephemeral().await?;
    let serenity = ctx.serenity_context();
    let by = Some(UserId(ctx.author().id.get()));
    let ended = end(
        &serenity.http,
        &serenity.cache,
        ctx.data(),
        guild,
        by,
        now_ms(),
    )
    .await?;
    match ended {
        Some(_) => private(ctx, tr!(lang, "raid-off-done")).await,
        None => private(ctx, tr!(lang, "raid-off-none")).await,
    }
}

/// Whether raid mode is on, since when, and when it ends.
#[poise::command(slash_command, rename = "status")]
async fn raid_status(ctx: Context<'_>) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    let data = ctx.data();
    let Some(raid) = data.store.raid(guild).await? else {
        return private(ctx, tr!(lang, "raid-status-off")).await;
    };
    let settings = data
        .charter()
        .raid
        .clone()
        .unwrap_or_else(crate::charter::raid::RaidSettings::none);
    let text = tr!(
        lang,
        "raid-status-on",
        since = since(raid.started_at_ms),
        trigger = tr!(lang, "raid-trigger", trigger = raid.trigger.as_str()),
        ends = format!(
            "<t:{}:R>",
            ends_at(&settings, raid.last_signal_at_ms) / 1000
        )
    );
    private(ctx, text).await
}
