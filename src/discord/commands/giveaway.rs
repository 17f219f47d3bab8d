//! `/giveaway start, end, reroll, cancel, list`, for moderators. Each parses its options, asks
//! the core ([`check_start`]) and the store, and answers privately in the invoker's language;
//! the giveaway message, the announcements and the winners' DMs speak the server's language.

use std::time::Duration;

use rand::TryRngCore;
use rand::rngs::OsRng;
use serenity::all::{ChannelId as SChannelId, CreateMessage, GuildChannel, Permissions, Role};

use super::{Context, UserError, guards, invoker_lang, private};
use crate::charter::parse_duration;
use crate::community::giveaway::commitment;
use crate::community::giveaway_checks::{GiveawayRefusal, Requirements, StartRequest, check_start};
use crate::discord::render::giveaway::message;
use crate::discord::{Error, giveaway as flows};
use crate::i18n::Lang;
use crate::ids::{ChannelId, MessageId, RoleId, UserId};
use crate::store::{GiveawayStatus, NewGiveaway, Rerolled};
use crate::tr;

/// How many giveaways `/giveaway list` shows.
pub const LIST_MAX: i64 = 15;

/// Giveaways: provably fair draws among members who press Enter.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("start", "end", "reroll", "cancel", "list"),
    subcommand_required,
    default_member_permissions = "MANAGE_MESSAGES"
)]
pub async fn giveaway(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

fn refused(refusal: GiveawayRefusal, lang: Lang) -> String {
    refusal.text(lang)
}

/// Whether Steward may post an embed in `channel` (true when the server is not cached yet:
/// Discord decides then).
fn bot_can_post(ctx: Context<'_>, channel: &GuildChannel) -> bool {
    let Some(guild) = ctx.guild() else {
        return true;
    };
    let me = ctx.cache().current_user().id;
    let Some(bot) = guild.members.get(&me) else {
        return true;
    };
    let needed = Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES | Permissions::EMBED_LINKS;
    let held = guild.user_permissions_in(channel, bot);
    held.administrator() || held.contains(needed)
}

/// Start a giveaway: members enter by a button until it ends.
#[poise::command(slash_command, guild_only)]
#[allow(clippy::too_many_arguments)]
async fn start(
    ctx: Context<'_>,
    #[description = "What is won"] prize: String,
    #[description = "How long entries are open: 1h, 2d, 1w"] duration: String,
    #[description = "How many winners"] winners: u32,
    #[description = "Where to post it (default: here)"] channel: Option<GuildChannel>,
    #[description = "A role members must have"] role: Option<Role>,
    #[description = "Minimum account age, in days"] account_age: Option<u32>,
    #[description = "Minimum time in the server, in days"] member_days: Option<u32>,
    #[description = "Minimum messages in the last 30 days"] min_messages: Option<u32>,
    #[description = "No timeout and no sanction in the last 30 days"] clean_record: Option<bool>,
    #[description = "How long a winner has to claim: 1h, 1d (default: no claim needed)"]
    claim: Option<String>,
) -> Result<(), Error> {
    let (guild, settings) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    let duration: Duration =
        parse_duration(&duration).map_err(|_| UserError::InvalidDuration(duration.clone()))?;
    let claim: Option<Duration> = match claim {
        Some(text) => {
            Some(parse_duration(&text).map_err(|_| UserError::InvalidDuration(text.clone()))?)
        }
        None => None,
    };
    let channel = match channel {
        Some(c) => c,
        None => match ctx.guild_channel().await {
            Some(c) => c,
            None => return Err(UserError::GuildOnly.into()),
        },
    };
    let request = StartRequest {
        prize: prize.trim().to_string(),
        duration,
        winners,
        claim,
    };
    if let Err(refusal) = check_start(&request, bot_can_post(ctx, &channel)) {
        return private(ctx, refused(refusal, lang)).await;
    }
    let mut seed = [0_u8; 32];
    OsRng.try_fill_bytes(&mut seed)?;
    let now = crate::discord::review::now_ms();
    let new = NewGiveaway {
        guild,
        channel: ChannelId(channel.id.get()),
        host: UserId(ctx.author().id.get()),
        prize: request.prize,
        winners,
        requirements: Requirements {
            role: role.map(|r| RoleId(r.id.get())),
            account_days: account_age,
            member_days,
            messages_30d: min_messages,
            clean_record: clean_record.unwrap_or(false),
        },
        commitment: commitment(&seed),
        seed,
        created_at_ms: now,
        ends_at_ms: now.saturating_add(i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)),
        claim_secs: claim.map(|c| u32::try_from(c.as_secs()).unwrap_or(u32::MAX)),
    };
    let store = &ctx.data().store;
    let mut g = store.create_giveaway(&new).await?;
    let (embed, components) = message(&g, 0, &[], Lang::of(&settings.language));
    let posted = SChannelId::new(channel.id.get())
        .send_message(
            ctx.http(),
            CreateMessage::new().embed(embed).components(components),
        )
        .await?;
    g.message = Some(MessageId(posted.id.get()));
    store
        .set_giveaway_message(g.id, MessageId(posted.id.get()))
        .await?;
    flows::schedule_end(store, &g).await?;
    let text = tr!(
        lang,
        "giveaway-started",
        id = g.id,
        channel = format!("<#{}>", channel.id),
        when = format!("<t:{}:R>", g.ends_at_ms.div_euclid(1000))
    );
    private(ctx, text).await
}

/// End a giveaway now and draw its winners.
#[poise::command(slash_command, guild_only)]
async fn end(
    ctx: Context<'_>,
    #[description = "The giveaway's number"] id: i64,
) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    let Some(g) = ctx.data().store.giveaway(guild, id).await? else {
        return private(ctx, refused(GiveawayRefusal::Unknown, lang)).await;
    };
    let now = crate::discord::review::now_ms();
    if !flows::end(ctx.data(), &ctx.serenity_context().http, guild, id, now).await? {
        return private(ctx, refused(GiveawayRefusal::Closed, lang)).await;
    }
    let key = crate::jobs::Job::EndGiveaway {
        guild,
        giveaway: id,
    }
    .dedupe_key();
    ctx.data()
        .store
        .cancel_job(crate::jobs::Job::END_GIVEAWAY, &key)
        .await?;
    let channel = format!("<#{}>", g.channel);
    private(
        ctx,
        tr!(lang, "giveaway-ended-now", id = id, channel = channel),
    )
    .await
}

/// Draw new winners of an ended giveaway, never a past winner.
#[poise::command(slash_command, guild_only)]
async fn reroll(
    ctx: Context<'_>,
    #[description = "The giveaway's number"] id: i64,
    #[description = "How many new winners (default: 1)"] winners: Option<u32>,
) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    let count = winners
        .unwrap_or(1)
        .clamp(1, crate::community::giveaway_checks::MAX_WINNERS);
    let http = &ctx.serenity_context().http;
    let text = match flows::reroll(ctx.data(), http, guild, id, count as usize).await? {
        Rerolled::Drawn { giveaway, .. } => tr!(
            lang,
            "giveaway-rerolled",
            id = id,
            channel = format!("<#{}>", giveaway.channel)
        ),
        Rerolled::NobodyLeft => refused(GiveawayRefusal::NobodyLeft, lang),
        Rerolled::NotEnded => refused(GiveawayRefusal::NotEnded, lang),
        Rerolled::Missing => refused(GiveawayRefusal::Unknown, lang),
    };
    private(ctx, text).await
}

/// Cancel an open giveaway: nobody wins.
#[poise::command(slash_command, guild_only)]
async fn cancel(
    ctx: Context<'_>,
    #[description = "The giveaway's number"] id: i64,
) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    let now = crate::discord::review::now_ms();
    let store = &ctx.data().store;
    let Some(g) = store.cancel_giveaway(guild, id, now).await? else {
        let refusal = match store.giveaway(guild, id).await? {
            Some(_) => GiveawayRefusal::Closed,
            None => GiveawayRefusal::Unknown,
        };
        return private(ctx, refused(refusal, lang)).await;
    };
    let key = crate::jobs::Job::EndGiveaway {
        guild,
        giveaway: id,
    }
    .dedupe_key();
    store
        .cancel_job(crate::jobs::Job::END_GIVEAWAY, &key)
        .await?;
    flows::refresh_now(ctx.data(), &ctx.serenity_context().http, &g).await;
    private(ctx, tr!(lang, "giveaway-cancelled-now", id = id)).await
}

/// The server's latest giveaways: open ones with their entrants and end, then past ones.
#[poise::command(slash_command, guild_only)]
async fn list(ctx: Context<'_>) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    let giveaways = ctx.data().store.giveaways_of(guild, LIST_MAX).await?;
    if giveaways.is_empty() {
        return private(ctx, tr!(lang, "giveaway-list-empty")).await;
    }
    let mut lines = vec![tr!(lang, "giveaway-list-header")];
    for (g, entrants) in giveaways {
        let channel = format!("<#{}>", g.channel);
        let prize = g.prize.as_str();
        lines.push(match g.status {
            GiveawayStatus::Open => tr!(
                lang,
                "giveaway-list-open",
                id = g.id,
                prize = prize,
                entrants = entrants,
                when = format!("<t:{}:R>", g.ends_at_ms.div_euclid(1000)),
                channel = channel
            ),
            GiveawayStatus::Ended => tr!(
                lang,
                "giveaway-list-ended",
                id = g.id,
                prize = prize,
                entrants = entrants,
                channel = channel
            ),
            GiveawayStatus::Cancelled => {
                tr!(
                    lang,
                    "giveaway-list-cancelled",
                    id = g.id,
                    prize = prize,
                    channel = channel
                )
            }
        });
    }
    private(ctx, lines.join("\n")).await
}
