//! `/poll create`, `/poll close` and `/poll results`, for moderators. A request is validated
//! completely ([`validate`]) before anything is stored or posted; a refusal is told privately,
//! in the invoker's language. A created poll is stored, its close scheduled
//! ([`Job::ClosePoll`]), then posted in the channel in the server's language.
//!
//! With `native:True` the poll is Discord's own (no buttons of Steward's, Discord counts);
//! it is closed the same way, and its final counts are recorded for the reports.
//!
//! The options are one text separated by `;` rather than ten optional fields: Discord's form
//! then shows three required fields and a few switches instead of a wall of `option1..10`, a
//! list is typed or pasted at once, and the order typed is the order shown.

use poise::CreateReply;
use serenity::all::{CreateAttachment, CreateMessage, Role};

use super::{Context, UserError, guards, invoker_lang, private};
use crate::charter::parse_duration;
use crate::community::poll::{PollRequest, Tally, validate};
use crate::discord::Error;
use crate::discord::poll::close as close_poll;
use crate::discord::render::poll::{components, native_poll, poll_embed, results_text, votes_csv};
use crate::discord::review::now_ms;
use crate::i18n::Lang;
use crate::ids::{ChannelId, MessageId, RoleId, UserId};
use crate::jobs::Job;
use crate::store::NewPoll;
use crate::tr;

/// How long after a native poll's end its results are read (Discord finalizes them meanwhile).
const NATIVE_SETTLE_MS: i64 = 60_000;

/// Polls: create, close, results.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("create", "close", "results"),
    subcommand_required
)]
pub async fn poll(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Post a poll in this channel.
#[allow(clippy::too_many_arguments)]
#[poise::command(slash_command, guild_only)]
async fn create(
    ctx: Context<'_>,
    #[description = "The question"] question: String,
    #[description = "2 to 10 options, separated by ; (Yes; No; Maybe)"] options: String,
    #[description = "How long it stays open: 10m, 1h, 2d"] duration: String,
    #[description = "Members may choose several options"] multiple: Option<bool>,
    #[description = "Nobody can see who voted for what; votes are final"] anonymous: Option<bool>,
    #[description = "Hide the results until the close"] hidden: Option<bool>,
    #[description = "Only members with this role may vote"] role: Option<Role>,
    #[description = "Post a Discord native poll instead (no extras; whole hours)"] native: Option<
        bool,
    >,
) -> Result<(), Error> {
    let (guild, settings) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    let duration =
        parse_duration(&duration).map_err(|_| UserError::InvalidDuration(duration.clone()))?;
    let request = PollRequest {
        question,
        options,
        duration,
        multiple: multiple.unwrap_or(false),
        anonymous: anonymous.unwrap_or(false),
        live: !hidden.unwrap_or(false),
        role: role.map(|r| RoleId(r.id.get())),
        native: native.unwrap_or(false),
    };
    let spec = match validate(&request, ctx.data().poll_min_duration) {
        Ok(spec) => spec,
        Err(refusal) => return private(ctx, refusal.text(lang)).await,
    };
    let store = &ctx.data().store;
    let channel = ctx.channel_id();
    let poll = store
        .create_poll(&NewPoll {
            guild,
            channel: ChannelId(channel.get()),
            author: UserId(ctx.author().id.get()),
            spec: &spec,
            created_at_ms: now_ms(),
        })
        .await?;
    let job = Job::ClosePoll {
        guild,
        poll: poll.id,
    };
    // Discord finalizes a native poll's counts shortly after its end: read them a bit later.
    let settle = if poll.native { NATIVE_SETTLE_MS } else { 0 };
    store
        .schedule(
            job.kind(),
            guild,
            &job.to_payload(),
            poll.closes_at_ms.saturating_add(settle),
            Some(&job.dedupe_key()),
        )
        .await?;
    let public = Lang::of(&settings.language);
    let empty = Tally::of(poll.options.len(), []);
    let message = if poll.native {
        CreateMessage::new().poll(native_poll(&poll.question, &poll.options, spec.duration))
    } else {
        CreateMessage::new()
            .embed(poll_embed(&poll, &empty, public))
            .components(components(&poll, public))
    };
    match channel.send_message(ctx.http(), message).await {
        Ok(posted) => {
            store
                .set_poll_message(poll.id, MessageId(posted.id.get()))
                .await?;
            let when = format!("<t:{}:R>", poll.closes_at_ms.div_euclid(1000));
            private(ctx, tr!(lang, "poll-created", id = poll.id, when = when)).await
        }
        Err(e) => {
            // Never shown, so never closed with results: withdrawn at once.
            store.close_poll(guild, poll.id, now_ms()).await?;
            store.cancel_job(Job::CLOSE_POLL, &job.dedupe_key()).await?;
            let error = e.to_string();
            private(
                ctx,
                tr!(lang, "poll-not-posted", id = poll.id, error = error),
            )
            .await
        }
    }
}

/// Close a poll now and post its results.
#[poise::command(slash_command, guild_only)]
async fn close(
    ctx: Context<'_>,
    #[description = "The poll's number"] poll: i64,
) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    ctx.defer_ephemeral().await?;
    let data = ctx.data();
    if data.store.poll(guild, poll).await?.is_none() {
        return private(ctx, tr!(lang, "poll-unknown", id = poll)).await;
    }
    if !close_poll(data, ctx.http(), guild, poll).await? {
        return private(ctx, tr!(lang, "poll-already-closed", id = poll)).await;
    }
    data.store
        .cancel_job(Job::CLOSE_POLL, &poll.to_string())
        .await?;
    private(ctx, tr!(lang, "poll-closed-now", id = poll)).await
}

/// A poll's results so far (only you see them), with its votes as CSV unless anonymous.
#[poise::command(slash_command, guild_only)]
async fn results(
    ctx: Context<'_>,
    #[description = "The poll's number"] poll: i64,
) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    let store = &ctx.data().store;
    let Some(row) = store.poll(guild, poll).await? else {
        return private(ctx, tr!(lang, "poll-unknown", id = poll)).await;
    };
    let tally = store.tally(&row).await?;
    let mut text = results_text(&row, &tally, lang);
    let mut reply = CreateReply::default().ephemeral(true);
    if row.anonymous {
        text.push_str("\n\n");
        text.push_str(&tr!(lang, "poll-results-no-csv"));
    } else {
        let votes = store.poll_votes(row.id).await?;
        let csv = votes_csv(&row, &votes);
        reply = reply.attachment(CreateAttachment::bytes(
            csv.into_bytes(),
            format!("poll-{}-votes.csv", row.id),
        ));
    }
    ctx.send(reply.content(super::super::render::fit(&text, super::MESSAGE_MAX)))
        .await?;
    Ok(())
}
