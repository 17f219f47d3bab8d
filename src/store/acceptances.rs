//! The `charter_acceptances` table: which version of the charter each member accepted, and when.
//! Rows and SQL only; what accepting does is [`crate::community::acceptance`].

use super::{Store, StoreError};
use crate::ids::{GuildId, UserId};

/// A member's acceptance of the charter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Acceptance {
    /// The version accepted ([`crate::charter::Charter::version`]).
    pub version: String,
    pub accepted_at_ms: i64,
}

impl Store {
    /// Records that `user` accepted `version` at `at_ms` (replacing an older acceptance).
    pub async fn record_acceptance(
        &self,
        guild: GuildId,
        user: UserId,
        version: &str,
        at_ms: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO charter_acceptances (guild_id, user_id, version, accepted_at_ms) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (guild_id, user_id) \
             DO UPDATE SET version = excluded.version, accepted_at_ms = excluded.accepted_at_ms",
        )
        .bind(guild.to_db())
        .bind(user.to_db())
        .bind(version)
        .bind(at_ms)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("record an acceptance"))?;
        Ok(())
    }

    /// What `user` last accepted in `guild`.
    pub async fn acceptance(
        &self,
        guild: GuildId,
        user: UserId,
    ) -> Result<Option<Acceptance>, StoreError> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT version, accepted_at_ms FROM charter_acceptances \
             WHERE guild_id = $1 AND user_id = $2",
        )
        .bind(guild.to_db())
        .bind(user.to_db())
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("read an acceptance"))?;
        Ok(row.map(|(version, accepted_at_ms)| Acceptance {
            version,
            accepted_at_ms,
        }))
    }
}
