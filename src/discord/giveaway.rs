//! Giveaways on Discord: the end (by the scheduler's [`Job::EndGiveaway`] or `/giveaway end`),
//! rerolls, claim deadlines ([`Job::ClaimDeadline`]: unclaimed places rerolled once),
//! cancellation, and the giveaway message kept up to date. The draw is the pure
//! [`draw`]; the store makes each state change once ([`crate::store::giveaway_draws`]).
//!
//! **Coalesced edits.** Each entry asks for the message's entrant count to be refreshed; the
//! first request of a quiet giveaway schedules one edit [`EDIT_EVERY`] after the previous edit,
//! and requests arriving meanwhile ride along. The edit reads the count when it runs, so the last
//! one is exact: at most one edit per giveaway per [`EDIT_EVERY`], never one per press.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serenity::all::{
    ChannelId as SChannelId, CreateAllowedMentions, CreateAttachment, CreateMessage, EditMessage,
    Http, MessageId, UserId as SUserId,
};
use tokio::time::Instant;
use tracing::warn;

use super::Data;
use super::render::giveaway::{
    announcement, claim_button, entrants_file, entrants_file_name, mentions, message, winner_dm,
};
use super::render::{MESSAGE_CONTENT_MAX, fit};
use crate::community::giveaway::{DrawKey, draw};
use crate::i18n::Lang;
use crate::ids::{GuildId, UserId};
use crate::jobs::{Job, Outcome};
use crate::store::{Forfeit, Giveaway, Rerolled, Store};
use crate::tr;

/// The shortest time between two edits of one giveaway's message.
pub const EDIT_EVERY: Duration = Duration::from_secs(3);

/// Pending and past edits of giveaway messages, per giveaway.
#[derive(Default)]
pub struct Live {
    /// Giveaway -> when its last edit ran (or is due), and whether one is pending.
    edits: Mutex<HashMap<i64, (Instant, bool)>>,
}

/// The key of `g`'s draw in `round`.
pub(super) fn key(g: &Giveaway, round: u32) -> DrawKey {
    DrawKey {
        seed: g.seed,
        giveaway: g.id,
        round,
    }
}

/// Schedules the end of a new giveaway.
pub(super) async fn schedule_end(store: &Store, g: &Giveaway) -> Result<(), String> {
    let job = Job::EndGiveaway {
        guild: g.guild,
        giveaway: g.id,
    };
    store
        .schedule(
            job.kind(),
            g.guild,
            &job.to_payload(),
            g.ends_at_ms,
            Some(&job.dedupe_key()),
        )
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Sets the claim deadline of `round`'s winners of `g` to `by_ms` and schedules its job.
async fn schedule_claim_deadline(
    store: &Store,
    g: &Giveaway,
    round: u32,
    by_ms: i64,
) -> Result<(), String> {
    store
        .set_claim_deadline(g.id, round, by_ms)
        .await
        .map_err(|e| e.to_string())?;
    let job = Job::ClaimDeadline {
        guild: g.guild,
        giveaway: g.id,
        round,
    };
    store
        .schedule(
            job.kind(),
            g.guild,
            &job.to_payload(),
            by_ms,
            Some(&job.dedupe_key()),
        )
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Runs a due [`Job::EndGiveaway`]: ends, draws and announces once; too early (the job was
/// moved) puts it off.
pub(super) async fn end_job(
    data: &Data,
    http: &Arc<Http>,
    guild: GuildId,
    id: i64,
    now: i64,
) -> Result<Outcome, String> {
    let g = data
        .store
        .giveaway(guild, id)
        .await
        .map_err(|e| e.to_string())?;
    let Some(g) = g else {
        return Ok(Outcome::Done);
    };
    if g.ends_at_ms > now && g.announced_at_ms.is_none() {
        return Ok(Outcome::Later {
            at_ms: g.ends_at_ms,
        });
    }
    end(data, http, guild, id, now).await?;
    Ok(Outcome::Done)
}

/// Ends giveaway `id` now if it is open, and announces its end if that was not done (a retry
/// after a failed announcement). Whether this call ended it.
pub(super) async fn end(
    data: &Data,
    http: &Arc<Http>,
    guild: GuildId,
    id: i64,
    now: i64,
) -> Result<bool, String> {
    let store = &data.store;
    let ended = store
        .end_giveaway(guild, id, now, |g, entrants| {
            draw(&key(g, 0), entrants, g.winners as usize, &[])
        })
        .await
        .map_err(|e| e.to_string())?;
    let (g, entrants, winners, ended_here) = match ended {
        Some((g, entrants, winners)) => (g, entrants, winners, true),
        None => {
            let Some(g) = store.giveaway(guild, id).await.map_err(|e| e.to_string())? else {
                return Ok(false);
            };
            if g.status != crate::store::GiveawayStatus::Ended || g.announced_at_ms.is_some() {
                return Ok(false);
            }
            let entrants = store
                .giveaway_entrants(id)
                .await
                .map_err(|e| e.to_string())?;
            let winners = store
                .giveaway_winners(id)
                .await
                .map_err(|e| e.to_string())?;
            let first = winners
                .iter()
                .filter(|(_, r)| *r == 0)
                .map(|(u, _)| *u)
                .collect();
            (g, entrants, first, false)
        }
    };
    // The row as it is now (ended, with its end time).
    let g = store
        .giveaway(guild, g.id)
        .await
        .map_err(|e| e.to_string())?
        .unwrap_or(g);
    let k = g.winners as usize;
    announce(
        data,
        http,
        &g,
        &key(&g, 0),
        k,
        &entrants,
        &winners,
        &winners,
        None,
    )
    .await?;
    store
        .mark_giveaway_announced(g.id, super::review::now_ms())
        .await
        .map_err(|e| e.to_string())?;
    Ok(ended_here)
}

/// Draws `count` new winners of an ended giveaway, never a past winner, and announces them.
pub(super) async fn reroll(
    data: &Data,
    http: &Arc<Http>,
    guild: GuildId,
    id: i64,
    count: usize,
) -> Result<Rerolled, String> {
    let rerolled = data
        .store
        .reroll_giveaway(guild, id, |g, entrants, past| {
            draw(&key(g, g.round), entrants, count, past)
        })
        .await
        .map_err(|e| e.to_string())?;
    if let Rerolled::Drawn {
        giveaway,
        round,
        winners,
    } = &rerolled
    {
        let entrants = data
            .store
            .giveaway_entrants(id)
            .await
            .map_err(|e| e.to_string())?;
        let all = all_winners(&data.store, id).await?;
        announce(
            data,
            http,
            giveaway,
            &key(giveaway, *round),
            count,
            &entrants,
            winners,
            &all,
            None,
        )
        .await?;
    }
    Ok(rerolled)
}

/// Runs a due [`Job::ClaimDeadline`]: the winners of `round` who have not claimed forfeit and
/// their places are rerolled and announced, once; nobody left to draw is said so.
pub(super) async fn claim_deadline_job(
    data: &Data,
    http: &Arc<Http>,
    guild: GuildId,
    id: i64,
    round: u32,
) -> Result<Outcome, String> {
    let forfeit = data
        .store
        .forfeit_unclaimed(guild, id, round, |g, count, entrants, past| {
            draw(&key(g, g.round), entrants, count, past)
        })
        .await
        .map_err(|e| e.to_string())?;
    let Some(Forfeit {
        giveaway,
        forfeited,
        round,
        winners,
    }) = forfeit
    else {
        return Ok(Outcome::Done);
    };
    let settings = data.settings(guild).await.map_err(|e| e.to_string())?;
    let lang = Lang::of(&settings.language);
    if winners.is_empty() {
        let text = tr!(
            lang,
            "giveaway-forfeit-nobody-left",
            id = giveaway.id,
            prize = giveaway.prize.as_str(),
            forfeited = mentions(&forfeited)
        );
        SChannelId::new(giveaway.channel.0)
            .send_message(
                http,
                CreateMessage::new()
                    .content(fit(&text, MESSAGE_CONTENT_MAX))
                    .allowed_mentions(CreateAllowedMentions::new()),
            )
            .await
            .map_err(|e| format!("forfeit not announced: {e}"))?;
        return Ok(Outcome::Done);
    }
    let entrants = data
        .store
        .giveaway_entrants(id)
        .await
        .map_err(|e| e.to_string())?;
    let all = all_winners(&data.store, id).await?;
    let prefix = tr!(lang, "giveaway-forfeited", forfeited = mentions(&forfeited));
    announce(
        data,
        http,
        &giveaway,
        &key(&giveaway, round),
        forfeited.len(),
        &entrants,
        &winners,
        &all,
        Some(prefix),
    )
    .await?;
    Ok(Outcome::Done)
}

async fn all_winners(store: &Store, id: i64) -> Result<Vec<UserId>, String> {
    let winners = store
        .giveaway_winners(id)
        .await
        .map_err(|e| e.to_string())?;
    Ok(winners.into_iter().map(|(u, _)| u).collect())
}

/// Posts the draw's announcement with the entrant list attached, updates the giveaway
/// message (showing `shown` as winners) and tells each new winner by DM, in the server's language.
/// With a claim deadline, the announcement has the Claim button and the deadline job is
/// scheduled; `prefix` is a line put before the announcement.
#[allow(clippy::too_many_arguments)]
async fn announce(
    data: &Data,
    http: &Arc<Http>,
    g: &Giveaway,
    key: &DrawKey,
    k: usize,
    entrants: &[UserId],
    winners: &[UserId],
    shown: &[UserId],
    prefix: Option<String>,
) -> Result<(), String> {
    let settings = data.settings(g.guild).await.map_err(|e| e.to_string())?;
    let lang = Lang::of(&settings.language);
    let channel = SChannelId::new(g.channel.0);
    let claim_by = match g.claim_secs {
        Some(secs) if !winners.is_empty() => {
            let by = super::review::now_ms().saturating_add(i64::from(secs) * 1000);
            schedule_claim_deadline(&data.store, g, key.round, by).await?;
            Some(by)
        }
        _ => None,
    };
    let mut text = announcement(g, key, k, entrants.len(), winners, lang);
    if let Some(prefix) = prefix {
        text = fit(&format!("{prefix}\n{text}"), MESSAGE_CONTENT_MAX);
    }
    let file = CreateAttachment::bytes(entrants_file(entrants), entrants_file_name(g.id));
    let mut post = CreateMessage::new()
        .content(text)
        .add_file(file)
        // Winners are pinged; a prize reading "@everyone" is not.
        .allowed_mentions(CreateAllowedMentions::new().all_users(true));
    if claim_by.is_some() {
        post = post.components(claim_button(g.id, lang));
    }
    channel
        .send_message(http, post)
        .await
        .map_err(|e| format!("announcement not posted: {e}"))?;
    edit_message(data, http, g, shown, lang).await;
    let guild_name = http
        .get_guild(serenity::all::GuildId::new(g.guild.0))
        .await
        .map(|p| p.name)
        .unwrap_or_default();
    for winner in winners {
        let dm = CreateMessage::new().content(winner_dm(g, &guild_name, claim_by, lang));
        let sent = match SUserId::new(winner.0).create_dm_channel(http).await {
            Ok(dm_channel) => dm_channel.send_message(http, dm).await.map(|_| ()),
            Err(e) => Err(e),
        };
        if let Err(e) = sent {
            warn!(giveaway = g.id, winner = %winner, error = %e, "winner not told by DM");
        }
    }
    Ok(())
}

/// Edits the giveaway message to its current state.
async fn edit_message(data: &Data, http: &Http, g: &Giveaway, winners: &[UserId], lang: Lang) {
    let Some(posted) = g.message else { return };
    let count = data.store.entry_count(g.id).await.unwrap_or(0);
    let (embed, components) = message(g, count, winners, lang);
    let edit = EditMessage::new().embed(embed).components(components);
    if let Err(e) = SChannelId::new(g.channel.0)
        .edit_message(http, MessageId::new(posted.0), edit)
        .await
    {
        warn!(giveaway = g.id, error = %e, "giveaway message not updated");
    }
}

/// Brings the giveaway message up to date now (after a cancel or a manual end).
pub(super) async fn refresh_now(data: &Data, http: &Http, g: &Giveaway) {
    let lang = match data.settings(g.guild).await {
        Ok(s) => Lang::of(&s.language),
        Err(_) => Lang::EN,
    };
    let winners = all_winners(&data.store, g.id).await.unwrap_or_default();
    edit_message(data, http, g, &winners, lang).await;
}

/// Asks for the entrant count of giveaway `id` to be refreshed (coalesced: see the module doc).
pub(super) fn refresh_later(data: &Arc<Data>, http: &Arc<Http>, guild: GuildId, id: i64) {
    let due = {
        let mut edits = data.giveaways.edits.lock().expect("edits lock");
        let now = Instant::now();
        let entry = edits.entry(id).or_insert((now - EDIT_EVERY, false));
        if entry.1 {
            return;
        }
        let due = (entry.0 + EDIT_EVERY).max(now);
        *entry = (due, true);
        due
    };
    let (data, http) = (data.clone(), http.clone());
    tokio::spawn(async move {
        tokio::time::sleep_until(due).await;
        if let Some(entry) = data
            .giveaways
            .edits
            .lock()
            .expect("edits lock")
            .get_mut(&id)
        {
            entry.1 = false;
        }
        if let Ok(Some(g)) = data.store.giveaway(guild, id).await
            && g.status == crate::store::GiveawayStatus::Open
        {
            refresh_now(&data, &http, &g).await;
        }
    });
}
