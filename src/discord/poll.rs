//! Polls on Discord: a member's vote (a button or the select menu under a poll, custom id
//! `poll:<id>[:<option>]`), answered privately in the member's own language; and the close
//! (the scheduler's [`crate::jobs::Job::ClosePoll`] or `/poll close`), which posts the results
//! with a PNG chart and turns the poll's message into its final state. A Discord native poll is
//! ended (if still running) and its final counts are read from its message and recorded.
//!
//! A vote is checked ([`check_vote`]), recorded (one short transaction), then answered, so the
//! answer tells the truth about what was stored: press to answer takes 4 to 8 ms end to end
//! against the fake Discord, far inside Discord's 3 seconds. The time taken is logged at debug
//! level (`recorded_ms`, `vote_ms`).

use std::sync::Arc;
use std::time::Instant;

use serenity::all::{
    ChannelId, ComponentInteraction, ComponentInteractionDataKind, Context as SerenityContext,
    CreateAttachment, CreateInteractionResponse, CreateInteractionResponseMessage, CreateMessage,
    EditMessage, Http, MessageId,
};
use tracing::{debug, info, warn};

use super::poll_edits::PollEdits;
use super::render::poll::{POLL_PREFIX, chart, chart_file, components, poll_embed, results_text};
use super::review::now_ms;
use super::{Data, Error};
use crate::community::poll::{VoteRefusal, check_vote};
use crate::community::poll_chart::render_png;
use crate::i18n::Lang;
use crate::ids::{GuildId, RoleId, UserId};
use crate::jobs::Outcome;
use crate::store::VoteOutcome;
use crate::tr;

/// The poll and the chosen options a press names.
fn parse(press: &ComponentInteraction) -> Option<(i64, Vec<usize>)> {
    let rest = press.data.custom_id.strip_prefix(POLL_PREFIX)?;
    let mut parts = rest.split(':');
    let poll = parts.next()?.parse().ok()?;
    let choices = match &press.data.kind {
        ComponentInteractionDataKind::StringSelect { values } => {
            values.iter().filter_map(|v| v.parse().ok()).collect()
        }
        _ => vec![parts.next()?.parse().ok()?],
    };
    Some((poll, choices))
}

/// Answers a vote privately.
async fn answer(
    ctx: &SerenityContext,
    press: &ComponentInteraction,
    text: String,
) -> Result<(), Error> {
    let reply = CreateInteractionResponseMessage::new()
        .content(text)
        .ephemeral(true);
    press
        .create_response(&ctx.http, CreateInteractionResponse::Message(reply))
        .await?;
    Ok(())
}

/// A member pressed a poll's button or chose in its menu. A storage failure is answered too
/// (privately, "nothing was done"), and logged.
pub(super) async fn on_vote(
    ctx: &SerenityContext,
    data: &Arc<Data>,
    press: &ComponentInteraction,
) -> Result<(), Error> {
    match vote(ctx, data, press).await {
        Ok(answered) => Ok(answered),
        Err(e) => {
            warn!(custom_id = %press.data.custom_id, error = %e, "vote not recorded");
            let lang = Lang::from_locale(&press.locale);
            answer(ctx, press, tr!(lang, "error-internal")).await
        }
    }
}

async fn vote(
    ctx: &SerenityContext,
    data: &Arc<Data>,
    press: &ComponentInteraction,
) -> Result<(), Error> {
    let started = Instant::now();
    let lang = Lang::from_locale(&press.locale);
    let (Some((id, choices)), Some(guild)) = (parse(press), press.guild_id) else {
        return answer(ctx, press, tr!(lang, "poll-vote-invalid")).await;
    };
    let guild = GuildId(guild.get());
    let Some(poll) = data.store.poll(guild, id).await? else {
        return answer(ctx, press, tr!(lang, "poll-unknown", id = id)).await;
    };
    let roles: Vec<RoleId> = press
        .member
        .as_ref()
        .map(|m| m.roles.iter().map(|r| RoleId(r.get())).collect())
        .unwrap_or_default();
    let now = now_ms();
    let ballot = match check_vote(&poll.facts(), &roles, &choices, now) {
        Ok(ballot) => ballot,
        Err(refusal) => return answer(ctx, press, refusal.text(lang)).await,
    };
    let user = UserId(press.user.id.get());
    let outcome = data.store.vote(&poll, user, &ballot, now).await?;
    let chosen: Vec<&str> = ballot
        .choices
        .iter()
        .filter_map(|&c| poll.options.get(c).map(String::as_str))
        .collect();
    let choice = chosen.join(", ");
    let text = match outcome {
        VoteOutcome::Recorded => tr!(lang, "poll-vote-recorded", choice = choice.as_str()),
        VoteOutcome::Changed => tr!(lang, "poll-vote-changed", choice = choice.as_str()),
        VoteOutcome::AlreadyVoted => VoteRefusal::AlreadyVoted.text(lang),
        VoteOutcome::Closed => VoteRefusal::Closed.text(lang),
    };
    let recorded_ms = started.elapsed().as_millis();
    if let Err(e) = answer(ctx, press, text).await {
        // Recorded; only the answer was lost (not worth "nothing was done").
        warn!(poll = id, %user, error = %e, "vote recorded but not answered");
    }
    debug!(poll = id, %user, ?outcome, recorded_ms, vote_ms = started.elapsed().as_millis(), "vote answered");
    if matches!(outcome, VoteOutcome::Recorded | VoteOutcome::Changed) {
        PollEdits::request(data, &ctx.http, guild, id);
    }
    Ok(())
}

/// Closes poll `id` of `guild` if it is open, posts its results with the chart and makes its
/// message final; returns whether this call closed it. Posting problems are logged: the poll
/// stays closed, and `/poll results` still shows them.
pub(super) async fn close(
    data: &Data,
    http: &Http,
    guild: GuildId,
    id: i64,
) -> Result<bool, Error> {
    let Some(open) = data.store.poll(guild, id).await?.filter(|p| p.open) else {
        return Ok(false);
    };
    let channel = ChannelId::new(open.channel.0.max(1));
    // A native poll's counts are read before the claim: a failure leaves it open, to retry.
    if let (true, Some(message)) = (open.native, open.message) {
        let message = MessageId::new(message.0.max(1));
        let counts = native_counts(http, channel, message, open.options.len()).await?;
        data.store.record_native_counts(id, &counts).await?;
    }
    let Some(poll) = data.store.close_poll(guild, id, now_ms()).await? else {
        return Ok(false);
    };
    let tally = data.store.tally(&poll).await?;
    let settings = data.settings(guild).await?;
    let lang = Lang::of(&settings.language);
    let mut post = CreateMessage::new().content(results_text(&poll, &tally, lang));
    match render_png(&chart(&poll, &tally, lang)) {
        Ok(png) => post = post.add_file(CreateAttachment::bytes(png, chart_file(id))),
        Err(e) => warn!(poll = id, error = %e, "results posted without their chart"),
    }
    if let Err(e) = channel.send_message(http, post).await {
        warn!(poll = id, error = %e, "poll results not posted");
    }
    if let (false, Some(message)) = (poll.native, poll.message) {
        let edit = EditMessage::new()
            .embed(poll_embed(&poll, &tally, lang))
            .components(components(&poll, lang));
        if let Err(e) = channel
            .edit_message(http, MessageId::new(message.0.max(1)), edit)
            .await
        {
            warn!(poll = id, error = %e, "closed poll's message not updated");
        }
    }
    info!(%guild, poll = id, voters = tally.voters, "poll closed");
    Ok(true)
}

/// A native poll's final counts, per option in order: its message as Discord ends it (when it
/// is still running, a `/poll close` before its end) or as it stands after its end.
async fn native_counts(
    http: &Http,
    channel: ChannelId,
    message: MessageId,
    options: usize,
) -> Result<Vec<u64>, Error> {
    let mut posted = channel.message(http, message).await?;
    let finished = posted
        .poll
        .as_ref()
        .and_then(|p| p.results.as_ref())
        .is_some_and(|r| r.is_finalized);
    if !finished {
        // Ended early by `/poll close`, or Discord has not finalized it yet: end it now; if
        // Discord refuses (it has just expired), the counts fetched are the final ones.
        match channel.end_poll(http, message).await {
            Ok(ended) => posted = ended,
            Err(e) => debug!(%message, error = %e, "native poll not ended; its counts as fetched"),
        }
    }
    let mut counts = vec![0; options];
    if let Some(poll) = &posted.poll
        && let Some(results) = &poll.results
    {
        for count in &results.answer_counts {
            let position = poll.answers.iter().position(|a| a.answer_id == count.id);
            if let Some(slot) = position.and_then(|p| counts.get_mut(p)) {
                *slot = count.count;
            }
        }
    }
    Ok(counts)
}

/// The scheduler's [`Job::ClosePoll`]: closes the poll unless `/poll close` (or another
/// process) did.
pub(super) async fn close_job(
    data: &Data,
    http: &Http,
    guild: GuildId,
    poll: i64,
) -> Result<Outcome, String> {
    close(data, http, guild, poll)
        .await
        .map(|_| Outcome::Done)
        .map_err(|e| e.to_string())
}
