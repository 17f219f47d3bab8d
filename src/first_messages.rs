//! Newcomers' first messages, and whether another member answered them within an hour: how
//! welcoming the community is, measured from reply references alone (no content is kept). A
//! member who joined less than [`NEWCOMER_FOR`] ago is watched from their first message on; a
//! reply by someone else to any of their messages within [`ANSWER_WITHIN`] of that first message
//! answers it. Kept in memory on the hot path and written with the activity counters, into the
//! newcomer's join (`store::joins`), where the first write of each wins.

use std::collections::HashMap;

use crate::ids::{GuildId, UserId};

/// How long after joining a member's first message counts as a newcomer's.
pub const NEWCOMER_FOR_MS: i64 = 7 * 86_400_000;
/// How soon an answer must come.
pub const ANSWER_WITHIN_MS: i64 = 3_600_000;

/// A newcomer's first message, or its first answer, to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moment {
    pub guild: GuildId,
    /// The newcomer.
    pub user: UserId,
    pub at_ms: i64,
}

/// What one flush writes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FirstMessagesBatch {
    pub first_messages: Vec<Moment>,
    pub answers: Vec<Moment>,
}

#[derive(Clone, Copy, Debug)]
struct Watched {
    first_at_ms: i64,
    answered: bool,
}

/// The newcomers being watched, and what is still to write.
#[derive(Debug, Default)]
pub struct FirstMessages {
    watched: HashMap<(GuildId, UserId), Watched>,
    pending: FirstMessagesBatch,
}

impl FirstMessages {
    /// A message by `user`, who joined at `member_since_ms` (when known), at `at_ms`.
    pub fn message(
        &mut self,
        guild: GuildId,
        user: UserId,
        member_since_ms: Option<i64>,
        at_ms: i64,
    ) {
        let Some(since) = member_since_ms else {
            return;
        };
        if at_ms - since > NEWCOMER_FOR_MS || at_ms < since {
            return;
        }
        self.watched.entry((guild, user)).or_insert_with(|| {
            self.pending
                .first_messages
                .push(Moment { guild, user, at_ms });
            Watched {
                first_at_ms: at_ms,
                answered: false,
            }
        });
    }

    /// `replier` answered a message of `author` at `at_ms`.
    pub fn reply(&mut self, guild: GuildId, replier: UserId, author: UserId, at_ms: i64) {
        if replier == author {
            return;
        }
        if let Some(watched) = self.watched.get_mut(&(guild, author))
            && !watched.answered
            && at_ms - watched.first_at_ms <= ANSWER_WITHIN_MS
        {
            watched.answered = true;
            self.pending.answers.push(Moment {
                guild,
                user: author,
                at_ms,
            });
        }
    }

    /// Takes what is to write, and forgets newcomers who can no longer be answered in time or
    /// count as new (keeping memory bounded by the last week's newcomers).
    pub fn take(&mut self, now_ms: i64) -> FirstMessagesBatch {
        self.watched.retain(|_, w| {
            now_ms - w.first_at_ms <= NEWCOMER_FOR_MS
                && !(w.answered && now_ms - w.first_at_ms > ANSWER_WITHIN_MS)
        });
        std::mem::take(&mut self.pending)
    }

    /// Puts back a batch that could not be written.
    pub fn restore(&mut self, batch: FirstMessagesBatch) {
        self.pending.first_messages.extend(batch.first_messages);
        self.pending.answers.extend(batch.answers);
    }

    /// Newcomers watched.
    pub fn watched(&self) -> usize {
        self.watched.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: GuildId = GuildId(1);
    const NEW: UserId = UserId(2);
    const OLD: UserId = UserId(3);

    #[test]
    fn a_newcomers_first_message_and_its_first_answer_within_the_hour_are_written_once() {
        let mut f = FirstMessages::default();
        f.message(G, NEW, Some(0), 1_000);
        f.message(G, NEW, Some(0), 2_000);
        // A member of long standing is not watched.
        f.message(G, OLD, Some(0), NEWCOMER_FOR_MS + 1);
        f.reply(G, NEW, NEW, 3_000); // answering oneself does not count
        f.reply(G, OLD, NEW, 1_000 + ANSWER_WITHIN_MS);
        f.reply(G, UserId(4), NEW, 1_000 + ANSWER_WITHIN_MS + 5);
        let batch = f.take(10_000);
        assert_eq!(
            batch.first_messages,
            [Moment {
                guild: G,
                user: NEW,
                at_ms: 1_000
            }]
        );
        assert_eq!(
            batch.answers,
            [Moment {
                guild: G,
                user: NEW,
                at_ms: 1_000 + ANSWER_WITHIN_MS
            }]
        );
        assert!(f.take(10_000).first_messages.is_empty());
    }

    #[test]
    fn an_answer_after_the_hour_does_not_count_and_old_newcomers_are_forgotten() {
        let mut f = FirstMessages::default();
        f.message(G, NEW, Some(0), 0);
        f.reply(G, OLD, NEW, ANSWER_WITHIN_MS + 1);
        let batch = f.take(ANSWER_WITHIN_MS + 1);
        assert!(batch.answers.is_empty());
        f.take(NEWCOMER_FOR_MS + 1);
        assert_eq!(f.watched(), 0);
    }

    #[test]
    fn a_failed_write_is_put_back() {
        let mut f = FirstMessages::default();
        f.message(G, NEW, Some(0), 0);
        let batch = f.take(0);
        f.restore(batch.clone());
        assert_eq!(f.take(0), batch);
    }
}
