//! Temporary bans: the time each is to be lifted, so that a ban ends on time even when Steward
//! restarted in between. One row per (guild, member); banning again replaces the row, lifting the
//! ban (by hand or on time) clears it.

use sqlx::FromRow;

use super::{Store, StoreError};
use crate::ids::{GuildId, UserId};

/// A ban to lift at `unban_at_ms`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduledUnban {
    /// The guild of the ban.
    pub guild: GuildId,
    /// The banned member.
    pub user: UserId,
    /// When to lift it, in milliseconds since the epoch.
    pub unban_at_ms: i64,
    /// The case of the ban.
    pub case_number: i64,
}

#[derive(FromRow)]
struct UnbanRow {
    guild_id: i64,
    user_id: i64,
    unban_at_ms: i64,
    case_number: i64,
}

impl Store {
    /// Schedules `user`'s ban in `guild` to be lifted at `unban_at_ms`, replacing any earlier
    /// schedule for them.
    pub async fn schedule_unban(
        &self,
        guild: GuildId,
        user: UserId,
        unban_at_ms: i64,
        case_number: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO scheduled_unbans (guild_id, user_id, unban_at_ms, case_number) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (guild_id, user_id) DO UPDATE SET \
                 unban_at_ms = excluded.unban_at_ms, case_number = excluded.case_number",
        )
        .bind(guild.to_db())
        .bind(user.to_db())
        .bind(unban_at_ms)
        .bind(case_number)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("schedule unban"))?;
        Ok(())
    }

    /// The bans whose time has come at `now_ms`, earliest first.
    pub async fn due_unbans(&self, now_ms: i64) -> Result<Vec<ScheduledUnban>, StoreError> {
        let rows: Vec<UnbanRow> = sqlx::query_as(
            "SELECT guild_id, user_id, unban_at_ms, case_number FROM scheduled_unbans \
             WHERE unban_at_ms <= $1 ORDER BY unban_at_ms, guild_id, user_id",
        )
        .bind(now_ms)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("list due unbans"))?;
        Ok(rows
            .into_iter()
            .map(|row| ScheduledUnban {
                guild: GuildId::from_db(row.guild_id),
                user: UserId::from_db(row.user_id),
                unban_at_ms: row.unban_at_ms,
                case_number: row.case_number,
            })
            .collect())
    }

    /// Forgets the scheduled unban of `user` in `guild`; whether there was one.
    pub async fn clear_unban(&self, guild: GuildId, user: UserId) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM scheduled_unbans WHERE guild_id = $1 AND user_id = $2")
            .bind(guild.to_db())
            .bind(user.to_db())
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("clear unban"))?;
        Ok(done.rows_affected() > 0)
    }
}
