//! Locked channels and the `@everyone` overwrite each had before its lockdown
//! ([`crate::moderation::lockdown`]). A channel locked twice keeps its first "before": the one
//! that lifting the lockdown must restore.

use super::{Store, StoreError};
use crate::ids::{ChannelId, GuildId, UserId};
use crate::moderation::lockdown::{Locked, Overwrite};

impl Store {
    /// Records that `locked.channel` is locked (keeping an earlier record); `false` when it was
    /// locked already.
    pub async fn record_lockdown(
        &self,
        guild: GuildId,
        locked: &Locked,
        by: UserId,
        at_ms: i64,
    ) -> Result<bool, StoreError> {
        let before = locked.before.unwrap_or(Overwrite { allow: 0, deny: 0 });
        let done = sqlx::query(
            "INSERT INTO lockdowns (guild_id, channel_id, had_overwrite, allow_bits, deny_bits, \
             locked_by, locked_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (guild_id, channel_id) DO NOTHING",
        )
        .bind(guild.to_db())
        .bind(locked.channel.to_db())
        .bind(i64::from(locked.before.is_some()))
        .bind(before.allow as i64)
        .bind(before.deny as i64)
        .bind(by.to_db())
        .bind(at_ms)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("record a lockdown"))?;
        Ok(done.rows_affected() == 1)
    }

    /// The locked channels of `guild`.
    pub async fn lockdowns(&self, guild: GuildId) -> Result<Vec<Locked>, StoreError> {
        let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT channel_id, had_overwrite, allow_bits, deny_bits FROM lockdowns \
             WHERE guild_id = $1 ORDER BY channel_id",
        )
        .bind(guild.to_db())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("list lockdowns"))?;
        Ok(rows
            .into_iter()
            .map(|(channel, had, allow, deny)| Locked {
                channel: ChannelId::from_db(channel),
                before: (had != 0).then_some(Overwrite {
                    allow: allow as u64,
                    deny: deny as u64,
                }),
            })
            .collect())
    }

    /// Forgets the lockdown of `channel` (once it is lifted); `false` when it was not locked.
    pub async fn end_lockdown(
        &self,
        guild: GuildId,
        channel: ChannelId,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM lockdowns WHERE guild_id = $1 AND channel_id = $2")
            .bind(guild.to_db())
            .bind(channel.to_db())
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("end a lockdown"))?;
        Ok(done.rows_affected() == 1)
    }
}
