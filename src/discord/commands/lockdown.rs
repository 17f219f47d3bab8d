//! `/lockdown on [channel]` and `/lockdown off [channel]`: in a crisis, moderators freeze posting
//! in a channel (this one by default) and lift it again. Each channel's `@everyone` overwrite is
//! read from Discord and recorded before it changes, so lifting the lockdown restores exactly
//! what was there, also after a restart; a notice in the server's language tells members. The
//! overwrites themselves are [`crate::moderation::lockdown`]. Answers are private, in the
//! moderator's language.

use serenity::all::{
    Channel, ChannelId as SChannelId, CreateMessage, GuildChannel, PermissionOverwrite,
    PermissionOverwriteType, Permissions, RoleId,
};
use tracing::warn;

use super::{Context, guards, invoker_lang, private};
use crate::discord::Error;
use crate::discord::executor::Executor;
use crate::discord::review::now_ms;
use crate::facts::Permission;
use crate::i18n::Lang;
use crate::ids::{ChannelId, GuildId, UserId};
use crate::moderation::lockdown::{Locked, Overwrite, Restore, frozen, restore};
use crate::tr;

/// Freeze or reopen posting in channels, during a crisis.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("lockdown_on", "lockdown_off"),
    subcommand_required,
    default_member_permissions = "MANAGE_MESSAGES"
)]
pub async fn lockdown(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

fn everyone(guild: GuildId) -> PermissionOverwriteType {
    PermissionOverwriteType::Role(RoleId::new(guild.0.max(1)))
}

/// Freeze posting in a channel (this one by default): members can read, not write.
#[poise::command(slash_command, rename = "on")]
async fn lockdown_on(
    ctx: Context<'_>,
    #[description = "The channel (default: this one)"]
    #[channel_types("Text", "News", "Forum")]
    channel: Option<GuildChannel>,
) -> Result<(), Error> {
    let (guild, settings) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    let id = channel.map_or(ctx.channel_id(), |c| c.id);
    let target = ChannelId(id.get());
    let store = &ctx.data().store;
    if store
        .lockdowns(guild)
        .await?
        .iter()
        .any(|l| l.channel == target)
    {
        return private(
            ctx,
            tr!(lang, "lockdown-already", channel = format!("<#{target}>")),
        )
        .await;
    }
    let serenity = ctx.serenity_context();
    let executor = Executor::new(serenity.http.clone(), serenity.cache.clone(), ctx.data());
    if let Err(e) = executor.can(guild, target, Permission::ManageRoles) {
        return private(ctx, e.refusal().text(lang)).await;
    }
    // The overwrite as Discord has it now (the cache may be behind), kept before it changes.
    let Channel::Guild(current) = id.to_channel(ctx).await? else {
        return private(ctx, tr!(lang, "lockdown-not-a-channel")).await;
    };
    let before = current
        .permission_overwrites
        .iter()
        .find(|o| o.kind == everyone(guild))
        .map(|o| Overwrite {
            allow: o.allow.bits(),
            deny: o.deny.bits(),
        });
    let locked = Locked {
        channel: target,
        before,
    };
    let moderator = UserId(ctx.author().id.get());
    if !store
        .record_lockdown(guild, &locked, moderator, now_ms())
        .await?
    {
        return private(
            ctx,
            tr!(lang, "lockdown-already", channel = format!("<#{target}>")),
        )
        .await;
    }
    let freeze = frozen(before);
    let overwrite = PermissionOverwrite {
        allow: Permissions::from_bits_truncate(freeze.allow),
        deny: Permissions::from_bits_truncate(freeze.deny),
        kind: everyone(guild),
    };
    if let Err(e) = id.create_permission(ctx, overwrite).await {
        store.end_lockdown(guild, target).await?;
        warn!(%guild, channel = %target, error = %e, "lockdown not applied");
        return private(
            ctx,
            tr!(lang, "lockdown-failed", channel = format!("<#{target}>")),
        )
        .await;
    }
    let server = Lang::of(&settings.language);
    announce(ctx, id, tr!(server, "lockdown-notice-on")).await;
    private(
        ctx,
        tr!(lang, "lockdown-on-done", channel = format!("<#{target}>")),
    )
    .await
}

/// Reopen a locked channel (default: every locked channel), exactly as it was.
#[poise::command(slash_command, rename = "off")]
async fn lockdown_off(
    ctx: Context<'_>,
    #[description = "The channel (default: every locked channel)"]
    #[channel_types("Text", "News", "Forum")]
    channel: Option<GuildChannel>,
) -> Result<(), Error> {
    let (guild, settings) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    let store = &ctx.data().store;
    let only = channel.map(|c| ChannelId(c.id.get()));
    let locked: Vec<Locked> = store
        .lockdowns(guild)
        .await?
        .into_iter()
        .filter(|l| only.is_none_or(|c| c == l.channel))
        .collect();
    if locked.is_empty() {
        return private(ctx, tr!(lang, "lockdown-none")).await;
    }
    let server = Lang::of(&settings.language);
    let mut reopened = Vec::new();
    let mut failed = Vec::new();
    for lock in &locked {
        let id = SChannelId::new(lock.channel.0.max(1));
        let done = match restore(lock) {
            Restore::Put(before) => {
                let overwrite = PermissionOverwrite {
                    allow: Permissions::from_bits_truncate(before.allow),
                    deny: Permissions::from_bits_truncate(before.deny),
                    kind: everyone(guild),
                };
                id.create_permission(ctx, overwrite).await
            }
            Restore::Remove => id.delete_permission(ctx, everyone(guild)).await,
        };
        match done {
            Ok(()) => {
                store.end_lockdown(guild, lock.channel).await?;
                announce(ctx, id, tr!(server, "lockdown-notice-off")).await;
                reopened.push(format!("<#{}>", lock.channel));
            }
            Err(e) => {
                warn!(%guild, channel = %lock.channel, error = %e, "lockdown not lifted");
                failed.push(format!("<#{}>", lock.channel));
            }
        }
    }
    let mut text = tr!(lang, "lockdown-off-done", channels = reopened.join(", "));
    if !failed.is_empty() {
        text = tr!(lang, "lockdown-off-failed", channels = failed.join(", "));
    }
    private(ctx, text).await
}

/// Tells the channel's members, in the server's language (a failure is only logged).
async fn announce(ctx: Context<'_>, channel: SChannelId, text: String) {
    if let Err(e) = channel
        .send_message(ctx, CreateMessage::new().content(text))
        .await
    {
        warn!(%channel, error = %e, "lockdown notice not posted");
    }
}
