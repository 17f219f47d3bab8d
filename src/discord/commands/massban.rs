//! `/massban joined_within reason [name_contains] [raid]`: after a raid, lists the members who
//! joined within the window (with `raid`, only the latest raid's members) (never bots, the owner, moderators, or members out of reach) and asks the
//! moderator to confirm with a button (`discord::massban` carries it out). Checked before
//! anything is done; answers are private, in the moderator's language.

use poise::CreateReply;
use serenity::all::{ButtonStyle, CreateActionRow, CreateButton};

use super::{Context, guards, invoker_lang, private};
use crate::charter::parse_duration;
use crate::discord::Error;
use crate::discord::executor::Executor;
use crate::discord::massban::{MASSBAN_PREFIX, PENDING_FOR_MS, Pending, candidates};
use crate::discord::review::now_ms;
use crate::facts::Permission;
use crate::ids::{ChannelId, UserId};
use crate::moderation::massban::{MassBanRequest, targets};
use crate::tr;

/// How many of the listed members the confirmation names.
const NAMED: usize = 20;

/// Ban, after your confirmation, the members who joined within a recent window (a raid).
#[poise::command(
    slash_command,
    guild_only,
    required_permissions = "BAN_MEMBERS",
    default_member_permissions = "BAN_MEMBERS"
)]
pub async fn massban(
    ctx: Context<'_>,
    #[description = "Members who joined within (10m, 1h; 24h at most)"] joined_within: String,
    #[description = "Why (in each case and the audit log)"] reason: String,
    #[description = "Only members whose name contains this"] name_contains: Option<String>,
    #[description = "Only members of the latest raid"] raid: Option<bool>,
) -> Result<(), Error> {
    let (guild, settings) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    let Ok(within) = parse_duration(&joined_within) else {
        return private(ctx, tr!(lang, "massban-refusal-window")).await;
    };
    let serenity = ctx.serenity_context();
    let executor = Executor::new(serenity.http.clone(), serenity.cache.clone(), ctx.data());
    if let Err(e) = executor.can(
        guild,
        ChannelId(ctx.channel_id().get()),
        Permission::BanMembers,
    ) {
        return private(ctx, e.refusal().text(lang)).await;
    }
    let moderator = UserId(ctx.author().id.get());
    let candidates = candidates(
        &serenity.cache,
        guild,
        &settings,
        Some(ctx.author().id),
        None,
    );
    if candidates.is_empty() {
        return private(ctx, tr!(lang, "massban-not-loaded")).await;
    }
    let only = match raid {
        Some(true) => {
            let members = ctx.data().store.raid_members(guild).await?;
            Some(members.into_iter().map(|m| m.user).collect())
        }
        _ => None,
    };
    let from_raid = only.is_some();
    let request = MassBanRequest {
        guild,
        moderator,
        within,
        name_contains,
        only,
        reason,
    };
    let now = now_ms();
    let chosen = match targets(&request, &candidates, now) {
        Ok(chosen) => chosen,
        Err(refusal) => return private(ctx, refusal.text(lang)).await,
    };
    let mut named: Vec<String> = chosen
        .iter()
        .take(NAMED)
        .map(|u| format!("<@{u}>"))
        .collect();
    if chosen.len() > NAMED {
        named.push("…".into());
    }
    let key = if from_raid {
        "massban-confirm-raid"
    } else {
        "massban-confirm"
    };
    let text = tr!(
        lang,
        key,
        count = chosen.len(),
        within = joined_within,
        members = named.join(" ")
    );
    let token = ctx.id().to_string();
    let count = chosen.len();
    ctx.data().massbans.put(
        token.clone(),
        Pending {
            request,
            targets: chosen,
            expires_at_ms: now + PENDING_FOR_MS,
        },
        now,
    );
    let buttons = CreateActionRow::Buttons(vec![
        CreateButton::new(format!("{MASSBAN_PREFIX}{token}:confirm"))
            .style(ButtonStyle::Danger)
            .label(tr!(lang, "massban-button-confirm", count = count)),
        CreateButton::new(format!("{MASSBAN_PREFIX}{token}:cancel"))
            .style(ButtonStyle::Secondary)
            .label(tr!(lang, "massban-button-cancel")),
    ]);
    ctx.send(
        CreateReply::default()
            .ephemeral(true)
            .content(super::super::render::fit(&text, super::MESSAGE_MAX))
            .components(vec![buttons]),
    )
    .await?;
    Ok(())
}
