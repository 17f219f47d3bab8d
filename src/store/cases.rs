//! Cases: the moderation history. Each guild numbers its cases 1, 2, 3... and a number is never
//! handed out twice, even when several bot processes write at once: a per-guild counter row is
//! bumped by one atomic upsert in the same transaction as the case insert (the row lock
//! serialises writers of one guild; a failed insert rolls the bump back). Cases are never deleted;
//! changing a reason records the old and new text in `case_corrections`.

use sqlx::FromRow;

use super::{Store, StoreError};
use crate::cases::{Case, CaseCorrection, NewCase, UnknownCaseKind};
use crate::ids::{ChannelId, GuildId, MessageId, UserId};

/// The columns of `cases`, in the order `CaseRow` reads them.
const CASE_COLUMNS: &str = "guild_id, number, user_id, moderator_id, kind, rule, section, reason, \
                            content, channel_id, message_id, duration_secs, points, created_at_ms";

#[derive(FromRow)]
struct CaseRow {
    guild_id: i64,
    number: i64,
    user_id: i64,
    moderator_id: Option<i64>,
    kind: String,
    rule: Option<String>,
    section: Option<i64>,
    reason: String,
    content: Option<String>,
    channel_id: Option<i64>,
    message_id: Option<i64>,
    duration_secs: Option<i64>,
    points: i64,
    created_at_ms: i64,
}

impl CaseRow {
    fn into_case(self, op: &'static str) -> Result<Case, StoreError> {
        let corrupt = |what: String| StoreError::Query {
            op,
            source: sqlx::Error::Decode(what.into()),
        };
        Ok(Case {
            number: self.number,
            guild: GuildId::from_db(self.guild_id),
            user: UserId::from_db(self.user_id),
            moderator: self.moderator_id.map(UserId::from_db),
            kind: self
                .kind
                .parse()
                .map_err(|e: UnknownCaseKind| corrupt(e.to_string()))?,
            rule: self.rule,
            section: self
                .section
                .map(u32::try_from)
                .transpose()
                .map_err(|_| corrupt(format!("case {}: section out of range", self.number)))?,
            reason: self.reason,
            content: self.content,
            channel: self.channel_id.map(ChannelId::from_db),
            message: self.message_id.map(MessageId::from_db),
            duration_secs: self.duration_secs,
            points: u32::try_from(self.points)
                .map_err(|_| corrupt(format!("case {}: points out of range", self.number)))?,
            created_at_ms: self.created_at_ms,
        })
    }
}

#[derive(FromRow)]
struct CorrectionRow {
    old_reason: String,
    new_reason: String,
    corrected_by: i64,
    corrected_at_ms: i64,
}

impl Store {
    /// Records `case` under the guild's next number and returns it.
    pub async fn create_case(&self, case: NewCase) -> Result<Case, StoreError> {
        let op = "create case";
        let mut tx = self.pool.begin().await.map_err(StoreError::query(op))?;
        let (number,): (i64,) = sqlx::query_as(
            "INSERT INTO case_counters (guild_id, last_number) VALUES ($1, 1) \
             ON CONFLICT (guild_id) DO UPDATE SET last_number = case_counters.last_number + 1 \
             RETURNING last_number",
        )
        .bind(case.guild.to_db())
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::query(op))?;
        sqlx::query(&format!(
            "INSERT INTO cases ({CASE_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        ))
        .bind(case.guild.to_db())
        .bind(number)
        .bind(case.user.to_db())
        .bind(case.moderator.map(UserId::to_db))
        .bind(case.kind.as_str())
        .bind(case.rule.as_deref())
        .bind(case.section.map(i64::from))
        .bind(&case.reason)
        .bind(case.content.as_deref())
        .bind(case.channel.map(ChannelId::to_db))
        .bind(case.message.map(MessageId::to_db))
        .bind(case.duration_secs)
        .bind(i64::from(case.points))
        .bind(case.created_at_ms)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query(op))?;
        tx.commit().await.map_err(StoreError::query(op))?;
        Ok(Case::recorded(number, case))
    }

    /// Case `number` of `guild`, if there is one.
    pub async fn case(&self, guild: GuildId, number: i64) -> Result<Option<Case>, StoreError> {
        let op = "read case";
        let row: Option<CaseRow> = sqlx::query_as(&format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE guild_id = $1 AND number = $2"
        ))
        .bind(guild.to_db())
        .bind(number)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query(op))?;
        row.map(|row| row.into_case(op)).transpose()
    }

    /// The latest `limit` cases about `user` in `guild`, newest first.
    pub async fn cases_for(
        &self,
        guild: GuildId,
        user: UserId,
        limit: u32,
    ) -> Result<Vec<Case>, StoreError> {
        let op = "list cases";
        let rows: Vec<CaseRow> = sqlx::query_as(&format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE guild_id = $1 AND user_id = $2 \
             ORDER BY created_at_ms DESC, number DESC LIMIT $3"
        ))
        .bind(guild.to_db())
        .bind(user.to_db())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query(op))?;
        rows.into_iter().map(|row| row.into_case(op)).collect()
    }

    /// The escalation points `user` collected in `guild` from cases created at or after
    /// `since_ms`.
    pub async fn points_since(
        &self,
        guild: GuildId,
        user: UserId,
        since_ms: i64,
    ) -> Result<u32, StoreError> {
        let (points,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM cases \
             WHERE guild_id = $1 AND user_id = $2 AND created_at_ms >= $3",
        )
        .bind(guild.to_db())
        .bind(user.to_db())
        .bind(since_ms)
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query("sum case points"))?;
        Ok(u32::try_from(points).unwrap_or(u32::MAX))
    }

    /// Replaces the reason of case `number`, recording the old and new text, who changed it and
    /// when in the case's corrections. Returns the updated case, or `None` when there is no such
    /// case (nothing is recorded then).
    pub async fn set_case_reason(
        &self,
        guild: GuildId,
        number: i64,
        reason: &str,
        by: UserId,
        at_ms: i64,
    ) -> Result<Option<Case>, StoreError> {
        let op = "correct case reason";
        let mut tx = self.pool.begin().await.map_err(StoreError::query(op))?;
        // Lock the row first, so that the old reason recorded below is the one this change
        // replaces even when two moderators correct the same case at once.
        let locked =
            sqlx::query("UPDATE cases SET reason = reason WHERE guild_id = $1 AND number = $2")
                .bind(guild.to_db())
                .bind(number)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query(op))?;
        if locked.rows_affected() == 0 {
            return Ok(None);
        }
        sqlx::query(
            "INSERT INTO case_corrections (guild_id, number, old_reason, new_reason, \
                                           corrected_by, corrected_at_ms) \
             SELECT guild_id, number, reason, $3, $4, $5 FROM cases \
             WHERE guild_id = $1 AND number = $2",
        )
        .bind(guild.to_db())
        .bind(number)
        .bind(reason)
        .bind(by.to_db())
        .bind(at_ms)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query(op))?;
        let row: CaseRow = sqlx::query_as(&format!(
            "UPDATE cases SET reason = $3 WHERE guild_id = $1 AND number = $2 \
             RETURNING {CASE_COLUMNS}"
        ))
        .bind(guild.to_db())
        .bind(number)
        .bind(reason)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::query(op))?;
        tx.commit().await.map_err(StoreError::query(op))?;
        row.into_case(op).map(Some)
    }

    /// Every correction of case `number`'s reason, oldest first.
    pub async fn case_corrections(
        &self,
        guild: GuildId,
        number: i64,
    ) -> Result<Vec<CaseCorrection>, StoreError> {
        let rows: Vec<CorrectionRow> = sqlx::query_as(
            "SELECT old_reason, new_reason, corrected_by, corrected_at_ms FROM case_corrections \
             WHERE guild_id = $1 AND number = $2 ORDER BY id",
        )
        .bind(guild.to_db())
        .bind(number)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("list case corrections"))?;
        Ok(rows
            .into_iter()
            .map(|row| CaseCorrection {
                guild,
                number,
                old_reason: row.old_reason,
                new_reason: row.new_reason,
                by: UserId::from_db(row.corrected_by),
                at_ms: row.corrected_at_ms,
            })
            .collect())
    }
}
