//! The `joins` table: every join with the invite that brought the member and how sure that is
//! (rejoins included, so a member's history is complete), and when they left. Rows and SQL only;
//! attribution is decided in [`crate::community::referrals`].

use sqlx::FromRow;

use super::{Store, StoreError};
use crate::community::referrals::{Attribution, Confidence};
use crate::community::welcome::NewJoin;
use crate::ids::{GuildId, UserId};

/// A recorded join.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JoinRow {
    pub guild: GuildId,
    pub user: UserId,
    pub joined_at_ms: i64,
    pub attribution: Attribution,
    pub rejoin: bool,
    pub left_at_ms: Option<i64>,
}

#[derive(FromRow)]
struct Row {
    guild_id: i64,
    user_id: i64,
    joined_at_ms: i64,
    confidence: String,
    invite_code: Option<String>,
    inviter_id: Option<i64>,
    candidates: String,
    rejoin: i64,
    left_at_ms: Option<i64>,
}

impl From<Row> for JoinRow {
    fn from(row: Row) -> JoinRow {
        JoinRow {
            guild: GuildId::from_db(row.guild_id),
            user: UserId::from_db(row.user_id),
            joined_at_ms: row.joined_at_ms,
            attribution: Attribution {
                confidence: Confidence::parse(&row.confidence),
                code: row.invite_code,
                inviter: row.inviter_id.map(UserId::from_db),
                candidates: row
                    .candidates
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
                    .collect(),
            },
            rejoin: row.rejoin != 0,
            left_at_ms: row.left_at_ms,
        }
    }
}

const COLUMNS: &str = "guild_id, user_id, joined_at_ms, confidence, invite_code, inviter_id, \
                       candidates, rejoin, left_at_ms";

impl Store {
    /// Records a join.
    pub async fn record_join(&self, join: &NewJoin) -> Result<(), StoreError> {
        let a = &join.attribution;
        sqlx::query(
            "INSERT INTO joins (guild_id, user_id, joined_at_ms, confidence, invite_code, \
             inviter_id, candidates, rejoin) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(join.guild.to_db())
        .bind(join.user.to_db())
        .bind(join.joined_at_ms)
        .bind(a.confidence.as_str())
        .bind(a.code.clone())
        .bind(a.inviter.map(UserId::to_db))
        .bind(a.candidates.join(","))
        .bind(i64::from(join.rejoin))
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("record join"))?;
        Ok(())
    }

    /// Whether `user` joined `guild` before (a rejoin).
    pub async fn has_joined_before(
        &self,
        guild: GuildId,
        user: UserId,
    ) -> Result<bool, StoreError> {
        let (count,): (i64,) = sqlx::query_as(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM joins WHERE guild_id = $1 AND user_id = $2",
        )
        .bind(guild.to_db())
        .bind(user.to_db())
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query("count joins"))?;
        Ok(count > 0)
    }

    /// Marks `user`'s latest join of `guild` as ended at `at_ms`.
    pub async fn record_leave(
        &self,
        guild: GuildId,
        user: UserId,
        at_ms: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE joins SET left_at_ms = $3 WHERE id = (SELECT MAX(id) FROM joins \
             WHERE guild_id = $1 AND user_id = $2) AND left_at_ms IS NULL",
        )
        .bind(guild.to_db())
        .bind(user.to_db())
        .bind(at_ms)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("record leave"))?;
        Ok(())
    }

    /// Every join of `user` to `guild`, oldest first.
    pub async fn joins_of(&self, guild: GuildId, user: UserId) -> Result<Vec<JoinRow>, StoreError> {
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM joins WHERE guild_id = $1 AND user_id = $2 ORDER BY id"
        ))
        .bind(guild.to_db())
        .bind(user.to_db())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("list joins"))?;
        Ok(rows.into_iter().map(JoinRow::from).collect())
    }

    /// The joins `inviter` brought to `guild` (exact attributions only), oldest first.
    pub async fn joins_by_inviter(
        &self,
        guild: GuildId,
        inviter: UserId,
    ) -> Result<Vec<JoinRow>, StoreError> {
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM joins WHERE guild_id = $1 AND inviter_id = $2 ORDER BY id"
        ))
        .bind(guild.to_db())
        .bind(inviter.to_db())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("list referrals"))?;
        Ok(rows.into_iter().map(JoinRow::from).collect())
    }
}
