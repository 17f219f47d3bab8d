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
    /// `none`, `pending`, `qualified` or `lapsed`.
    pub referral: String,
    /// Why a referral lapsed (`left`, `sanctioned`, `inactive`).
    pub lapse: Option<String>,
    /// The `[welcome] keep_roles` the member held when this stay ended.
    pub kept_roles: Vec<String>,
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
    referral: String,
    lapse: Option<String>,
    kept_roles: String,
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
            referral: row.referral,
            lapse: row.lapse,
            kept_roles: row
                .kept_roles
                .lines()
                .filter(|r| !r.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }
}

const COLUMNS: &str = "guild_id, user_id, joined_at_ms, confidence, invite_code, inviter_id, \
                       candidates, rejoin, left_at_ms, referral, lapse, kept_roles";

impl Store {
    /// Records a join.
    pub async fn record_join(&self, join: &NewJoin) -> Result<(), StoreError> {
        let a = &join.attribution;
        sqlx::query(
            "INSERT INTO joins (guild_id, user_id, joined_at_ms, confidence, invite_code, \
             inviter_id, candidates, rejoin, referral, awaiting_screening) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(join.guild.to_db())
        .bind(join.user.to_db())
        .bind(join.joined_at_ms)
        .bind(a.confidence.as_str())
        .bind(a.code.clone())
        .bind(a.inviter.map(UserId::to_db))
        .bind(a.candidates.join(","))
        .bind(i64::from(join.rejoin))
        .bind(if join.referral_pending {
            "pending"
        } else {
            "none"
        })
        .bind(i64::from(join.awaiting_screening))
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("record join"))?;
        Ok(())
    }

    /// Marks `user`'s latest join of `guild` as through the membership screening; `true` when it
    /// was waiting for it (the first time only).
    pub async fn finish_screening(&self, guild: GuildId, user: UserId) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE joins SET awaiting_screening = 0 WHERE id = (SELECT MAX(id) FROM joins \
             WHERE guild_id = $1 AND user_id = $2) AND awaiting_screening = 1",
        )
        .bind(guild.to_db())
        .bind(user.to_db())
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("finish a screening"))?;
        Ok(done.rows_affected() == 1)
    }

    /// Marks `user`'s latest join of `guild` as ended at `at_ms`, holding `kept_roles` (to give
    /// back if they return); a referral it was still waiting for lapses (leaving before
    /// qualifying removes the credit).
    pub async fn record_leave(
        &self,
        guild: GuildId,
        user: UserId,
        at_ms: i64,
        kept_roles: &[String],
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE joins SET left_at_ms = $3, kept_roles = $4, \
             lapse = CASE WHEN referral = 'pending' THEN 'left' ELSE lapse END, \
             settled_at_ms = CASE WHEN referral = 'pending' THEN $3 ELSE settled_at_ms END, \
             referral = CASE WHEN referral = 'pending' THEN 'lapsed' ELSE referral END \
             WHERE id = (SELECT MAX(id) FROM joins WHERE guild_id = $1 AND user_id = $2) \
             AND left_at_ms IS NULL",
        )
        .bind(guild.to_db())
        .bind(user.to_db())
        .bind(at_ms)
        .bind(kept_roles.join("\n"))
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("record leave"))?;
        Ok(())
    }

    /// The join of `user` to `guild` at `joined_at_ms`, if its referral is still pending: its
    /// row id and the inviter to credit.
    pub async fn pending_referral(
        &self,
        guild: GuildId,
        user: UserId,
        joined_at_ms: i64,
    ) -> Result<Option<(i64, UserId)>, StoreError> {
        let row: Option<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT id, inviter_id FROM joins WHERE guild_id = $1 AND user_id = $2 \
             AND joined_at_ms = $3 AND referral = 'pending'",
        )
        .bind(guild.to_db())
        .bind(user.to_db())
        .bind(joined_at_ms)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("find a pending referral"))?;
        Ok(row.and_then(|(id, inviter)| Some((id, UserId::from_db(inviter?)))))
    }

    /// Settles pending referral `id` as qualified (`lapse` `None`) or lapsed; `false` when it was
    /// not pending any more (settled by someone else first).
    pub async fn settle_referral(
        &self,
        id: i64,
        lapse: Option<&str>,
        at_ms: i64,
    ) -> Result<bool, StoreError> {
        let status = if lapse.is_some() {
            "lapsed"
        } else {
            "qualified"
        };
        let done = sqlx::query(
            "UPDATE joins SET referral = $2, lapse = $3, settled_at_ms = $4 \
             WHERE id = $1 AND referral = 'pending'",
        )
        .bind(id)
        .bind(status)
        .bind(lapse)
        .bind(at_ms)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("settle a referral"))?;
        Ok(done.rows_affected() == 1)
    }

    /// How many of `inviter`'s referrals in `guild` qualified, and how many are pending.
    pub async fn referral_counts(
        &self,
        guild: GuildId,
        inviter: UserId,
    ) -> Result<(u32, u32), StoreError> {
        let (qualified, pending): (i64, i64) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(CASE WHEN referral = 'qualified' THEN 1 ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN referral = 'pending' THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM joins WHERE guild_id = $1 AND inviter_id = $2",
        )
        .bind(guild.to_db())
        .bind(inviter.to_db())
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query("count referrals"))?;
        Ok((qualified.max(0) as u32, pending.max(0) as u32))
    }

    /// The members with the most referrals qualified at or after `since_ms`, most first (ties by
    /// who got there first), at most `limit`.
    pub async fn top_referrers(
        &self,
        guild: GuildId,
        since_ms: i64,
        limit: u32,
    ) -> Result<Vec<(UserId, u32)>, StoreError> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT inviter_id, CAST(COUNT(*) AS BIGINT) AS n FROM joins \
             WHERE guild_id = $1 AND referral = 'qualified' AND settled_at_ms >= $2 \
             GROUP BY inviter_id ORDER BY n DESC, MIN(settled_at_ms) LIMIT $3",
        )
        .bind(guild.to_db())
        .bind(since_ms)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("rank referrers"))?;
        Ok(rows
            .into_iter()
            .map(|(user, n)| (UserId::from_db(user), n.max(0) as u32))
            .collect())
    }

    /// `user`'s personal invite code in `guild`, if Steward made one.
    pub async fn personal_invite(
        &self,
        guild: GuildId,
        user: UserId,
    ) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT code FROM personal_invites WHERE guild_id = $1 AND user_id = $2",
        )
        .bind(guild.to_db())
        .bind(user.to_db())
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("read a personal invite"))?;
        Ok(row.map(|(code,)| code))
    }

    /// Keeps `code` as `user`'s personal invite in `guild` (replacing a dead one).
    pub async fn save_personal_invite(
        &self,
        guild: GuildId,
        user: UserId,
        code: &str,
        at_ms: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO personal_invites (guild_id, user_id, code, created_at_ms) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (guild_id, user_id) \
             DO UPDATE SET code = excluded.code, created_at_ms = excluded.created_at_ms",
        )
        .bind(guild.to_db())
        .bind(user.to_db())
        .bind(code)
        .bind(at_ms)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("save a personal invite"))?;
        Ok(())
    }

    /// The member whose personal invite `code` is.
    pub async fn personal_invite_owner(
        &self,
        guild: GuildId,
        code: &str,
    ) -> Result<Option<UserId>, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT user_id FROM personal_invites WHERE guild_id = $1 AND code = $2",
        )
        .bind(guild.to_db())
        .bind(code)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("find a personal invite"))?;
        Ok(row.map(|(user,)| UserId::from_db(user)))
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
