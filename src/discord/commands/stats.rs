//! `/stats`: the community's figures on demand. Moderators see a week's or a month's report
//! (`/stats week [offset]`, `/stats month [offset]`, the period so far at offset 0) with its
//! charts, a member's activity (`/stats member`) and a channel's (`/stats channel`); every member
//! sees their own (`/stats me`) and may leave the rankings (`/stats optout`, again to come
//! back): they are still counted in totals, never named. Every answer is private, in the
//! invoker's language.

use poise::CreateReply;
use serenity::all::{CreateAttachment, GuildChannel, User};

use super::{Context, guards, invoker_lang, private};
use crate::discord::Error;
use crate::discord::render::report::report_embed;
use crate::discord::reports::report_of;
use crate::discord::review::now_ms;
use crate::i18n::Lang;
use crate::ids::{ChannelId, GuildId, UserId};
use crate::stats::charts::render_all;
use crate::stats::period::{Span, local_date};
use crate::stats::{Period, wording};
use crate::tr;

/// How far back `/stats week` reaches.
const MAX_WEEKS_BACK: u32 = 52;
/// How far back `/stats month` reaches.
const MAX_MONTHS_BACK: u32 = 24;

/// Community statistics.
#[poise::command(
    slash_command,
    guild_only,
    subcommands(
        "stats_week",
        "stats_month",
        "stats_member",
        "stats_channel",
        "stats_me",
        "stats_optout"
    ),
    subcommand_required
)]
pub async fn stats(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// The week and the month that hold now, in the server's time zone, each with its span.
fn current(ctx: Context<'_>) -> [(Period, Span); 2] {
    let tz = ctx.data().report_settings().time_zone();
    let today = local_date(now_ms(), &tz);
    [Period::week_of(today), Period::month_of(today)].map(|p| (p, p.span(&tz)))
}

async fn send_report(ctx: Context<'_>, guild: GuildId, period: Period) -> Result<(), Error> {
    let lang = invoker_lang(ctx);
    let report = report_of(ctx.data(), guild, period).await?;
    let charts = render_all(&report, &wording::chart_text(lang, &report))?;
    let mut reply = CreateReply::default().ephemeral(true).embed(report_embed(
        &report,
        lang,
        charts.first().map(|c| c.name),
    ));
    for chart in charts {
        reply = reply.attachment(CreateAttachment::bytes(chart.png, chart.name));
    }
    ctx.send(reply).await?;
    Ok(())
}

/// A week's report: this week so far, or `offset` weeks back (moderators).
#[poise::command(slash_command, rename = "week")]
async fn stats_week(
    ctx: Context<'_>,
    #[description = "Weeks back (0: this week so far, 1: last week)"]
    #[max = 52]
    offset: Option<u32>,
) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    ctx.defer_ephemeral().await?;
    let back = offset.unwrap_or(0).min(MAX_WEEKS_BACK);
    send_report(ctx, guild, current(ctx)[0].0.shifted(-(back as i32))).await
}

/// A month's report: this month so far, or `offset` months back (moderators).
#[poise::command(slash_command, rename = "month")]
async fn stats_month(
    ctx: Context<'_>,
    #[description = "Months back (0: this month so far, 1: last month)"]
    #[max = 24]
    offset: Option<u32>,
) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    ctx.defer_ephemeral().await?;
    let back = offset.unwrap_or(0).min(MAX_MONTHS_BACK);
    send_report(ctx, guild, current(ctx)[1].0.shifted(-(back as i32))).await
}

/// A member's messages this week and this month, and their rank among posters.
async fn activity_lines(
    ctx: Context<'_>,
    guild: GuildId,
    user: UserId,
    lang: Lang,
) -> Result<Vec<String>, Error> {
    ctx.data().flush_activity().await;
    let mut lines = Vec::new();
    for ((_, span), key) in current(ctx)
        .into_iter()
        .zip(["stats-member-week", "stats-member-month"])
    {
        let (messages, ahead) = ctx
            .data()
            .store
            .member_activity(guild, user, span.hours())
            .await?;
        let text = if messages == 0 {
            tr!(lang, &format!("{key}-none"))
        } else {
            tr!(lang, key, messages = messages, rank = ahead + 1)
        };
        lines.push(text);
    }
    Ok(lines)
}

/// A member's activity (moderators).
#[poise::command(slash_command, rename = "member")]
async fn stats_member(
    ctx: Context<'_>,
    #[description = "The member"] member: User,
) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    let user = UserId(member.id.get());
    let mut lines = vec![tr!(
        lang,
        "stats-member-heading",
        member = format!("<@{user}>")
    )];
    lines.extend(activity_lines(ctx, guild, user, lang).await?);
    if ctx
        .data()
        .store
        .ranking_opt_outs(guild)
        .await?
        .contains(&user)
    {
        lines.push(tr!(lang, "stats-member-opted-out"));
    }
    private(ctx, lines.join("\n")).await
}

/// A channel's messages and posters this week and this month (moderators).
#[poise::command(slash_command, rename = "channel")]
async fn stats_channel(
    ctx: Context<'_>,
    #[description = "The channel"]
    #[channel_types("Text", "News", "Forum")]
    channel: GuildChannel,
) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    ctx.data().flush_activity().await;
    let id = ChannelId(channel.id.get());
    let mut lines = vec![tr!(
        lang,
        "stats-channel-heading",
        channel = format!("<#{id}>")
    )];
    for ((_, span), key) in current(ctx)
        .into_iter()
        .zip(["stats-channel-week", "stats-channel-month"])
    {
        let (messages, posters) = ctx
            .data()
            .store
            .channel_activity(guild, id, span.hours())
            .await?;
        lines.push(tr!(lang, key, messages = messages, posters = posters));
    }
    private(ctx, lines.join("\n")).await
}

/// Your own activity: your messages this week and this month.
#[poise::command(slash_command, rename = "me")]
async fn stats_me(ctx: Context<'_>) -> Result<(), Error> {
    let guild = guards::guild(ctx)?;
    let lang = invoker_lang(ctx);
    let user = UserId(ctx.author().id.get());
    let mut lines = activity_lines(ctx, guild, user, lang).await?;
    let opted_out = ctx
        .data()
        .store
        .ranking_opt_outs(guild)
        .await?
        .contains(&user);
    lines.push(tr!(
        lang,
        if opted_out {
            "stats-me-opted-out"
        } else {
            "stats-me-ranked"
        }
    ));
    private(ctx, lines.join("\n")).await
}

/// Leave the rankings (you are still counted in totals); run it again to come back.
#[poise::command(slash_command, rename = "optout")]
async fn stats_optout(ctx: Context<'_>) -> Result<(), Error> {
    let guild = guards::guild(ctx)?;
    let lang = invoker_lang(ctx);
    let user = UserId(ctx.author().id.get());
    let store = &ctx.data().store;
    let text = if store.opt_out_of_rankings(guild, user, now_ms()).await? {
        tr!(lang, "stats-optout-done")
    } else {
        store.opt_in_to_rankings(guild, user).await?;
        tr!(lang, "stats-optout-undone")
    };
    private(ctx, text).await
}
