//! Activity counted in memory and flushed to storage in batches: the message hot path never
//! waits on the database. A batch that fails to flush is put back, so nothing is lost.

use std::collections::HashMap;

use crate::facts::MessageFacts;
use crate::first_messages::FirstMessages;
use crate::ids::{ChannelId, GuildId, UserId};
use crate::store::{ActivityDelta, MemberDelta, hour_of};

/// Counts a new message by a member: in `activity` (also as an answer when it replies to
/// someone else), and in `first` as a newcomer's first message or an answer to one.
pub fn count_message(
    activity: &mut ActivityCounters,
    first: &mut FirstMessages,
    facts: &MessageFacts,
) {
    let (guild, channel, author, at) =
        (facts.guild, facts.channel, facts.author, facts.timestamp_ms);
    activity.message(guild, channel, author, at);
    first.message(guild, author, facts.member_since_ms, at);
    if let Some(replied) = facts.replied_to.filter(|replied| *replied != author) {
        activity.answer(guild, channel, author, at);
        first.reply(guild, author, replied, at);
    }
}

/// Counts since the last flush.
#[derive(Debug, Default)]
pub struct ActivityCounters {
    /// Messages, and of them answers to another member, per (guild, channel, author, hour).
    messages: HashMap<(GuildId, ChannelId, UserId, i64), (u32, u32)>,
    members: HashMap<(GuildId, i64), (u32, u32)>,
}

/// What one flush writes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActivityBatch {
    pub messages: Vec<ActivityDelta>,
    pub members: Vec<MemberDelta>,
}

impl ActivityBatch {
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty() && self.members.is_empty()
    }
}

impl ActivityCounters {
    /// Counts a message.
    pub fn message(&mut self, guild: GuildId, channel: ChannelId, user: UserId, at_ms: i64) {
        self.messages
            .entry((guild, channel, user, hour_of(at_ms)))
            .or_default()
            .0 += 1;
    }

    /// Counts a message (counted with [`ActivityCounters::message`]) as an answer to another
    /// member: a reply to someone else's message.
    pub fn answer(&mut self, guild: GuildId, channel: ChannelId, user: UserId, at_ms: i64) {
        self.messages
            .entry((guild, channel, user, hour_of(at_ms)))
            .or_default()
            .1 += 1;
    }

    /// Counts a member joining.
    pub fn join(&mut self, guild: GuildId, at_ms: i64) {
        self.members.entry((guild, hour_of(at_ms))).or_default().0 += 1;
    }

    /// Counts a member leaving.
    pub fn leave(&mut self, guild: GuildId, at_ms: i64) {
        self.members.entry((guild, hour_of(at_ms))).or_default().1 += 1;
    }

    /// Takes everything counted so far, leaving the counters empty.
    pub fn take(&mut self) -> ActivityBatch {
        let messages = self
            .messages
            .drain()
            .map(
                |((guild, channel, user, hour), (messages, replies))| ActivityDelta {
                    guild,
                    channel,
                    user,
                    hour,
                    messages,
                    replies,
                },
            )
            .collect();
        let members = self
            .members
            .drain()
            .map(|((guild, hour), (joins, leaves))| MemberDelta {
                guild,
                hour,
                joins,
                leaves,
            })
            .collect();
        ActivityBatch { messages, members }
    }

    /// Puts back a batch that could not be written, adding to what was counted meanwhile.
    pub fn restore(&mut self, batch: ActivityBatch) {
        for d in batch.messages {
            let counts = self
                .messages
                .entry((d.guild, d.channel, d.user, d.hour))
                .or_default();
            counts.0 += d.messages;
            counts.1 += d.replies;
        }
        for d in batch.members {
            let counts = self.members.entry((d.guild, d.hour)).or_default();
            counts.0 += d.joins;
            counts.1 += d.leaves;
        }
    }

    /// Distinct rows waiting to be flushed.
    pub fn pending(&self) -> usize {
        self.messages.len() + self.members.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::activity::HOUR_MS;

    #[test]
    fn counts_aggregate_per_hour_and_take_empties() {
        let mut c = ActivityCounters::default();
        let (g, ch, u) = (GuildId(1), ChannelId(2), UserId(3));
        c.message(g, ch, u, 10);
        c.message(g, ch, u, HOUR_MS - 1);
        c.message(g, ch, u, HOUR_MS);
        c.join(g, 0);
        c.leave(g, 5);
        let batch = c.take();
        assert_eq!(c.pending(), 0);
        let mut counts: Vec<(i64, u32)> = batch
            .messages
            .iter()
            .map(|d| (d.hour, d.messages))
            .collect();
        counts.sort();
        assert_eq!(counts, [(0, 2), (1, 1)]);
        assert_eq!(
            batch.members,
            [MemberDelta {
                guild: g,
                hour: 0,
                joins: 1,
                leaves: 1
            }]
        );
    }

    #[test]
    fn a_failed_flush_is_put_back_without_loss() {
        let mut c = ActivityCounters::default();
        let (g, ch, u) = (GuildId(1), ChannelId(2), UserId(3));
        c.message(g, ch, u, 0);
        let batch = c.take();
        c.message(g, ch, u, 0);
        c.restore(batch);
        let again = c.take();
        assert_eq!(again.messages[0].messages, 2);
    }

    #[test]
    fn answers_are_counted_beside_messages() {
        let mut c = ActivityCounters::default();
        let (g, ch, u) = (GuildId(1), ChannelId(2), UserId(3));
        c.message(g, ch, u, 0);
        c.message(g, ch, u, 1);
        c.answer(g, ch, u, 1);
        let batch = c.take();
        assert_eq!(
            (batch.messages[0].messages, batch.messages[0].replies),
            (2, 1)
        );
    }
}
