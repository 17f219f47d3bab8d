//! Coalesced edits of poll messages: a vote asks for its poll's message to be refreshed
//! ([`PollEdits::request`]); the first request starts a wait of [`PollEdits::every`], the ones
//! during it join it, and after it one edit shows every vote recorded so far. So a poll's
//! message is edited at most once per interval however fast members vote, and Discord's rate
//! limits are never approached. Nothing here must survive a restart: the next vote refreshes.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serenity::all::{ChannelId, EditMessage, Http, MessageId};
use tracing::{debug, warn};

use super::Data;
use super::render::poll::{components, poll_embed};
use crate::i18n::Lang;

/// The default interval between two edits of one poll's message.
pub const EDIT_EVERY: Duration = Duration::from_secs(5);

/// Which polls have an edit on the way.
#[derive(Debug)]
pub struct PollEdits {
    every: Duration,
    pending: Mutex<HashSet<i64>>,
}

impl PollEdits {
    /// No edit pending; edits at most once per `every` per poll.
    pub fn new(every: Duration) -> PollEdits {
        PollEdits {
            every,
            pending: Mutex::new(HashSet::new()),
        }
    }

    /// The interval between two edits of one poll.
    pub fn every(&self) -> Duration {
        self.every
    }

    /// Whether this request starts a wait (false: one is on the way and will include it).
    fn start(&self, poll: i64) -> bool {
        self.pending.lock().expect("poll edits lock").insert(poll)
    }

    fn finish(&self, poll: i64) {
        self.pending.lock().expect("poll edits lock").remove(&poll);
    }

    /// Asks for poll `poll`'s message to show the votes so far, within [`PollEdits::every`].
    pub fn request(data: &Arc<Data>, http: &Arc<Http>, guild: crate::ids::GuildId, poll: i64) {
        if !data.poll_edits.start(poll) {
            return;
        }
        let (data, http) = (data.clone(), http.clone());
        tokio::spawn(async move {
            tokio::time::sleep(data.poll_edits.every).await;
            // Votes from now on start a new wait: this edit may miss them, the next will not.
            data.poll_edits.finish(poll);
            refresh(&data, &http, guild, poll).await;
        });
    }
}

/// Edits an open poll's message to show its tally now.
async fn refresh(data: &Data, http: &Http, guild: crate::ids::GuildId, id: i64) {
    let poll = match data.store.poll(guild, id).await {
        Ok(Some(poll)) if poll.open => poll,
        Ok(_) => return, // Closed meanwhile: the close wrote the final message.
        Err(e) => return warn!(poll = id, error = %e, "poll not refreshed"),
    };
    let Some(message) = poll.message else { return };
    let (tally, settings) = match (data.store.tally(&poll).await, data.settings(guild).await) {
        (Ok(tally), Ok(settings)) => (tally, settings),
        (Err(e), _) => return warn!(poll = id, error = %e, "poll not refreshed"),
        (_, Err(e)) => return warn!(poll = id, error = %e, "poll not refreshed"),
    };
    let lang = Lang::of(&settings.language);
    let edit = EditMessage::new()
        .embed(poll_embed(&poll, &tally, lang))
        .components(components(&poll, lang));
    let channel = ChannelId::new(poll.channel.0.max(1));
    match channel
        .edit_message(http, MessageId::new(message.0.max(1)), edit)
        .await
    {
        Ok(_) => debug!(poll = id, voters = tally.voters, "poll message refreshed"),
        Err(e) => warn!(poll = id, error = %e, "poll message not refreshed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_wait_per_poll_at_a_time() {
        let edits = PollEdits::new(Duration::from_secs(1));
        assert!(edits.start(1));
        assert!(!edits.start(1), "a second vote joins the pending edit");
        assert!(edits.start(2), "another poll has its own");
        edits.finish(1);
        assert!(edits.start(1), "after the edit, a vote starts a new wait");
    }
}
