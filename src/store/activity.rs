//! Activity counters: messages (and answers to other members) per (guild, channel, user, hour) and joins/leaves per
//! (guild, hour). The bot counts in memory and flushes batches here; each batch is one
//! transaction of upserts that add to the stored counts, so a flush never costs a write per
//! message and two flushes of the same hour add up.

use std::collections::BTreeMap;

use super::{Store, StoreError};
use crate::ids::{ChannelId, GuildId, UserId};

/// Milliseconds in an hour bucket.
pub const HOUR_MS: i64 = 3_600_000;

/// Rows per multi-row `INSERT` (keeps the bound parameters well under both backends' limits).
const ROWS_PER_STATEMENT: usize = 100;

/// The hour bucket of a time in milliseconds since the epoch (`ms / 3_600_000`, rounded down).
pub fn hour_of(ms: i64) -> i64 {
    ms.div_euclid(HOUR_MS)
}

/// Messages one member sent in one channel during one hour, to add to the stored count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActivityDelta {
    /// The guild.
    pub guild: GuildId,
    /// The channel.
    pub channel: ChannelId,
    /// The author.
    pub user: UserId,
    /// The hour bucket, see [`hour_of`].
    pub hour: i64,
    /// How many messages to add.
    pub messages: u32,
    /// How many of them answered another member (replies to someone else's message).
    pub replies: u32,
}

/// Members who joined and left a guild during one hour, to add to the stored counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemberDelta {
    /// The guild.
    pub guild: GuildId,
    /// The hour bucket, see [`hour_of`].
    pub hour: i64,
    /// Joins to add.
    pub joins: u32,
    /// Leaves to add.
    pub leaves: u32,
}

/// `(... ), (...)` for `rows` rows of `columns` placeholders each: `($1, $2), ($3, $4)`.
fn values_list(rows: usize, columns: usize) -> String {
    let tuples: Vec<String> = (0..rows)
        .map(|row| {
            let cells: Vec<String> = (1..=columns)
                .map(|column| format!("${}", row * columns + column))
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect();
    tuples.join(", ")
}

impl Store {
    /// Adds message counts, in one transaction. Deltas for the same (guild, channel, user, hour)
    /// are summed first; zero counts are skipped.
    pub async fn add_activity(&self, deltas: &[ActivityDelta]) -> Result<(), StoreError> {
        let op = "add message activity";
        // Summed and sorted: one row per key per statement (PostgreSQL refuses an upsert that
        // touches a row twice), and every writer locks rows in the same order (no deadlock
        // between processes flushing overlapping batches).
        let mut totals: BTreeMap<(i64, i64, i64, i64), (i64, i64)> = BTreeMap::new();
        for delta in deltas.iter().filter(|delta| delta.messages > 0) {
            let key = (
                delta.guild.to_db(),
                delta.channel.to_db(),
                delta.user.to_db(),
                delta.hour,
            );
            let total = totals.entry(key).or_default();
            total.0 += i64::from(delta.messages);
            total.1 += i64::from(delta.replies);
        }
        if totals.is_empty() {
            return Ok(());
        }
        let rows: Vec<_> = totals.into_iter().collect();
        let mut tx = self.pool.begin().await.map_err(StoreError::query(op))?;
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO message_activity (guild_id, channel_id, user_id, hour, messages, replies) \
                 VALUES {} \
                 ON CONFLICT (guild_id, channel_id, user_id, hour) \
                 DO UPDATE SET messages = message_activity.messages + excluded.messages, \
                     replies = message_activity.replies + excluded.replies",
                values_list(chunk.len(), 6)
            );
            let mut query = sqlx::query(&sql);
            for &((guild, channel, user, hour), (messages, replies)) in chunk {
                query = query
                    .bind(guild)
                    .bind(channel)
                    .bind(user)
                    .bind(hour)
                    .bind(messages)
                    .bind(replies);
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query(op))?;
        }
        tx.commit().await.map_err(StoreError::query(op))
    }

    /// Adds join and leave counts, in one transaction. Deltas for the same (guild, hour) are
    /// summed first; all-zero deltas are skipped.
    pub async fn add_member_events(&self, deltas: &[MemberDelta]) -> Result<(), StoreError> {
        let op = "add member events";
        let mut totals: BTreeMap<(i64, i64), (i64, i64)> = BTreeMap::new();
        for delta in deltas
            .iter()
            .filter(|delta| delta.joins > 0 || delta.leaves > 0)
        {
            let total = totals.entry((delta.guild.to_db(), delta.hour)).or_default();
            total.0 += i64::from(delta.joins);
            total.1 += i64::from(delta.leaves);
        }
        if totals.is_empty() {
            return Ok(());
        }
        let rows: Vec<_> = totals.into_iter().collect();
        let mut tx = self.pool.begin().await.map_err(StoreError::query(op))?;
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO member_activity (guild_id, hour, joins, leaves) \
                 VALUES {} \
                 ON CONFLICT (guild_id, hour) DO UPDATE SET \
                     joins = member_activity.joins + excluded.joins, \
                     leaves = member_activity.leaves + excluded.leaves",
                values_list(chunk.len(), 4)
            );
            let mut query = sqlx::query(&sql);
            for &((guild, hour), (joins, leaves)) in chunk {
                query = query.bind(guild).bind(hour).bind(joins).bind(leaves);
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query(op))?;
        }
        tx.commit().await.map_err(StoreError::query(op))
    }

    /// Messages sent in `guild` during the hours `from_hour..to_hour` (end excluded).
    pub async fn messages_in(
        &self,
        guild: GuildId,
        from_hour: i64,
        to_hour: i64,
    ) -> Result<u64, StoreError> {
        let (messages,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(messages), 0) AS BIGINT) FROM message_activity \
             WHERE guild_id = $1 AND hour >= $2 AND hour < $3",
        )
        .bind(guild.to_db())
        .bind(from_hour)
        .bind(to_hour)
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query("count messages"))?;
        Ok(messages.max(0) as u64)
    }

    /// Messages `user` sent in `guild` during the hours `from_hour..to_hour` (end excluded).
    pub async fn user_messages_in(
        &self,
        guild: GuildId,
        user: UserId,
        from_hour: i64,
        to_hour: i64,
    ) -> Result<u64, StoreError> {
        let (messages,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(messages), 0) AS BIGINT) FROM message_activity \
             WHERE guild_id = $1 AND user_id = $2 AND hour >= $3 AND hour < $4",
        )
        .bind(guild.to_db())
        .bind(user.to_db())
        .bind(from_hour)
        .bind(to_hour)
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query("count a member's messages"))?;
        Ok(messages.max(0) as u64)
    }

    /// Joins and leaves in `guild` during the hours `from_hour..to_hour` (end excluded).
    pub async fn member_events_in(
        &self,
        guild: GuildId,
        from_hour: i64,
        to_hour: i64,
    ) -> Result<(u64, u64), StoreError> {
        let (joins, leaves): (i64, i64) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(joins), 0) AS BIGINT), \
                    CAST(COALESCE(SUM(leaves), 0) AS BIGINT) \
             FROM member_activity WHERE guild_id = $1 AND hour >= $2 AND hour < $3",
        )
        .bind(guild.to_db())
        .bind(from_hour)
        .bind(to_hour)
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query("count member events"))?;
        Ok((joins.max(0) as u64, leaves.max(0) as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_round_down_even_before_the_epoch() {
        assert_eq!(hour_of(0), 0);
        assert_eq!(hour_of(HOUR_MS - 1), 0);
        assert_eq!(hour_of(HOUR_MS), 1);
        assert_eq!(hour_of(-1), -1);
    }

    #[test]
    fn values_lists_number_placeholders_row_by_row() {
        assert_eq!(values_list(2, 2), "($1, $2), ($3, $4)");
        assert_eq!(values_list(1, 3), "($1, $2, $3)");
    }
}
