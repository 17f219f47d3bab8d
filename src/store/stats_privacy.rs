//! The members' side of statistics: opting out of rankings, a member's own activity, the
//! reports already posted, and retention: per-member activity older than the charter's
//! retention is folded into per-channel totals under [`FOLDED_USER`], so totals stay right and
//! no member can be picked out of old counts.

use std::collections::HashSet;

use super::activity::HOUR_MS;
use super::stats::{FOLDED_USER, count};
use super::{Store, StoreError};
use crate::ids::{GuildId, UserId};

impl Store {
    /// Records that `user` does not want to appear in rankings; `false` if they had already.
    pub async fn opt_out_of_rankings(
        &self,
        guild: GuildId,
        user: UserId,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO stats_optouts (guild_id, user_id, opted_out_at_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (guild_id, user_id) DO NOTHING",
        )
        .bind(guild.to_db())
        .bind(user.to_db())
        .bind(now_ms)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("opt out of rankings"))?;
        Ok(done.rows_affected() == 1)
    }

    /// Lets `user` appear in rankings again; `false` if they had not opted out.
    pub async fn opt_in_to_rankings(
        &self,
        guild: GuildId,
        user: UserId,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM stats_optouts WHERE guild_id = $1 AND user_id = $2")
            .bind(guild.to_db())
            .bind(user.to_db())
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("opt in to rankings"))?;
        Ok(done.rows_affected() == 1)
    }

    /// The members of `guild` who opted out of rankings.
    pub async fn ranking_opt_outs(&self, guild: GuildId) -> Result<HashSet<UserId>, StoreError> {
        let rows: Vec<(i64,)> =
            sqlx::query_as("SELECT user_id FROM stats_optouts WHERE guild_id = $1")
                .bind(guild.to_db())
                .fetch_all(&self.pool)
                .await
                .map_err(StoreError::query("ranking opt-outs"))?;
        Ok(rows.into_iter().map(|(u,)| UserId::from_db(u)).collect())
    }

    /// A member's messages during the hours `from..to`, and how many members posted more.
    pub async fn member_activity(
        &self,
        guild: GuildId,
        user: UserId,
        (from_hour, to_hour): (i64, i64),
    ) -> Result<(u64, u64), StoreError> {
        let mine = self
            .user_messages_in(guild, user, from_hour, to_hour)
            .await?;
        let (ahead,): (i64,) = sqlx::query_as(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT user_id FROM message_activity \
             WHERE guild_id = $1 AND hour >= $2 AND hour < $3 AND user_id <> 0 \
             GROUP BY user_id HAVING SUM(messages) > $4) AS ahead",
        )
        .bind(guild.to_db())
        .bind(from_hour)
        .bind(to_hour)
        .bind(mine as i64)
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query("a member's rank"))?;
        Ok((mine, count(ahead)))
    }

    /// A channel's messages during the hours `from..to`, and how many members posted in it.
    pub async fn channel_activity(
        &self,
        guild: GuildId,
        channel: crate::ids::ChannelId,
        (from_hour, to_hour): (i64, i64),
    ) -> Result<(u64, u64), StoreError> {
        let (messages, posters): (i64, i64) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(messages), 0) AS BIGINT), \
                    CAST(COUNT(DISTINCT CASE WHEN user_id <> 0 THEN user_id END) AS BIGINT) \
             FROM message_activity WHERE guild_id = $1 AND channel_id = $2 AND hour >= $3 AND hour < $4",
        )
        .bind(guild.to_db())
        .bind(channel.to_db())
        .bind(from_hour)
        .bind(to_hour)
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query("a channel's activity"))?;
        Ok((count(messages), count(posters)))
    }

    /// Claims the posting of `period`'s report in `guild`; `false` when it was posted (or is
    /// being posted) already.
    pub async fn claim_report(
        &self,
        guild: GuildId,
        period: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO posted_reports (guild_id, period, posted_at_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (guild_id, period) DO NOTHING",
        )
        .bind(guild.to_db())
        .bind(period)
        .bind(now_ms)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("claim a report"))?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives back a claim whose post failed, so the retry can post.
    pub async fn release_report(&self, guild: GuildId, period: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM posted_reports WHERE guild_id = $1 AND period = $2")
            .bind(guild.to_db())
            .bind(period)
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("release a report"))?;
        Ok(())
    }

    /// Folds `guild`'s per-member message counts from before `before_ms` into per-channel
    /// totals (one transaction); returns how many per-member rows were folded.
    pub async fn fold_old_activity(
        &self,
        guild: GuildId,
        before_ms: i64,
    ) -> Result<u64, StoreError> {
        let op = "fold old activity";
        let hour = before_ms.div_euclid(HOUR_MS);
        let mut tx = self.pool.begin().await.map_err(StoreError::query(op))?;
        sqlx::query(
            "INSERT INTO message_activity (guild_id, channel_id, user_id, hour, messages, replies) \
             SELECT guild_id, channel_id, $3, hour, SUM(messages), SUM(replies) FROM message_activity \
             WHERE guild_id = $1 AND hour < $2 AND user_id <> $3 \
             GROUP BY guild_id, channel_id, hour \
             ON CONFLICT (guild_id, channel_id, user_id, hour) \
             DO UPDATE SET messages = message_activity.messages + excluded.messages, \
                 replies = message_activity.replies + excluded.replies",
        )
        .bind(guild.to_db())
        .bind(hour)
        .bind(FOLDED_USER)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query(op))?;
        let folded = sqlx::query(
            "DELETE FROM message_activity WHERE guild_id = $1 AND hour < $2 AND user_id <> $3",
        )
        .bind(guild.to_db())
        .bind(hour)
        .bind(FOLDED_USER)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query(op))?;
        tx.commit().await.map_err(StoreError::query(op))?;
        Ok(folded.rows_affected())
    }
}
