//! The `jobs` table: everything Steward must do later (the end of a temporary ban, a review
//! reminder), one row per job, claimed by one worker at a time. Rows and SQL only; what a job
//! is lives in [`crate::jobs`], running them in `discord::scheduler`.
//!
//! **Why not apalis.** `apalis-sqlite` and `apalis-postgres` (1.0) each take their own pool type
//! (`SqlitePool`, `PgPool`), not sqlx's `AnyPool` that [`Store`] is built on, and bring a schema
//! and migrations per backend, so a deployment would have two queue implementations to trust,
//! the PostgreSQL one resting on `FOR UPDATE SKIP LOCKED` that SQLite lacks; nor do they list a
//! guild's pending jobs or cancel one by a key of ours. One table with portable SQL gives the
//! guarantees on both backends with the queries below.
//!
//! **Claiming.** [`Store::claim_due`] is one statement, `UPDATE .. WHERE id IN (due, unclaimed
//! ids) AND <unclaimed again> RETURNING ..`. On SQLite writers are serialised, so the statement
//! sees and changes the rows alone. On PostgreSQL (READ COMMITTED) two such statements may pick
//! the same ids; the second waits for the first's row lock, then re-evaluates its `WHERE` on the
//! committed row, which the repeated condition (the claim's lease is now in the future) rejects:
//! each row goes to one worker. The loser may come back empty-handed while other jobs are due;
//! [`Store::has_due_jobs`] tells it to claim again. A claim holds for a lease; a worker that died lets it expire and
//! the job is claimed again. Settling a job ([`Store::complete_job`], [`Store::retry_job`],
//! [`Store::postpone_job`], [`Store::give_up_job`]) only acts on a row still claimed by the same
//! worker, so a worker that outlived its lease does not undo the next one's work.
//!
//! **Giving up** deletes the row and returns it; the scheduler then logs an error and posts a
//! notice to the guild's mod log. The table only ever holds work still to do.

use sqlx::FromRow;

use super::{Store, StoreError};
use crate::ids::GuildId;
use crate::shards::ShardRange;

/// A job as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobRow {
    /// The row's id.
    pub id: i64,
    /// The job's kind (`lift_ban`, `remind_review`).
    pub kind: String,
    /// The guild it acts in.
    pub guild: GuildId,
    /// The key that makes it unique within its kind, if any.
    pub dedupe_key: Option<String>,
    /// The job as JSON ([`crate::jobs::Job::to_payload`]).
    pub payload: String,
    /// When it is due, in ms since the epoch.
    pub due_at_ms: i64,
    /// How many runs failed so far.
    pub attempts: u32,
    /// The last failure's error.
    pub last_error: Option<String>,
    /// The worker whose claim it is under, if any.
    pub claimed_by: Option<String>,
    /// Until when that claim holds.
    pub claimed_until_ms: Option<i64>,
}

#[derive(FromRow)]
struct Row {
    id: i64,
    kind: String,
    guild_id: i64,
    dedupe_key: Option<String>,
    payload: String,
    due_at_ms: i64,
    attempts: i64,
    last_error: Option<String>,
    claimed_by: Option<String>,
    claimed_until_ms: Option<i64>,
}

const COLUMNS: &str = "id, kind, guild_id, dedupe_key, payload, due_at_ms, attempts, last_error, \
                       claimed_by, claimed_until_ms";

impl From<Row> for JobRow {
    fn from(r: Row) -> JobRow {
        JobRow {
            id: r.id,
            kind: r.kind,
            guild: GuildId::from_db(r.guild_id),
            dedupe_key: r.dedupe_key,
            payload: r.payload,
            due_at_ms: r.due_at_ms,
            attempts: u32::try_from(r.attempts).unwrap_or(u32::MAX),
            last_error: r.last_error,
            claimed_by: r.claimed_by,
            claimed_until_ms: r.claimed_until_ms,
        }
    }
}

/// The condition that keeps the jobs of guilds on shards `$6..=$7` of `$5`: Discord's
/// `(guild_id >> 22) % shards`, written with a division both backends share.
const ON_SHARDS: &str = "(guild_id / 4194304) % $5 BETWEEN $6 AND $7";

/// The values bound to [`ON_SHARDS`]; without shards, shard 0 of 1: every job.
fn shard_bounds(shards: Option<ShardRange>) -> (i64, i64, i64) {
    shards.map_or((1, 0, 0), |r| {
        (i64::from(r.total), i64::from(r.first), i64::from(r.last))
    })
}

impl Store {
    /// Schedules a job of `kind` in `guild` at `due_at_ms`; returns its id. With a `key`, a job
    /// of the same kind and key is replaced (new payload and time, attempts and claim reset).
    pub async fn schedule(
        &self,
        kind: &str,
        guild: GuildId,
        payload: &str,
        due_at_ms: i64,
        key: Option<&str>,
    ) -> Result<i64, StoreError> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO jobs (kind, guild_id, dedupe_key, payload, due_at_ms) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (kind, dedupe_key) DO UPDATE SET \
                 guild_id = excluded.guild_id, payload = excluded.payload, \
                 due_at_ms = excluded.due_at_ms, attempts = 0, last_error = NULL, \
                 claimed_by = NULL, claimed_until_ms = NULL \
             RETURNING id",
        )
        .bind(kind)
        .bind(guild.to_db())
        .bind(key)
        .bind(payload)
        .bind(due_at_ms)
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query("schedule job"))?;
        Ok(id)
    }

    /// Schedules a job of `kind` and `key` unless one is scheduled already (which is kept as it
    /// is); `true` when this one was added.
    pub async fn schedule_if_absent(
        &self,
        kind: &str,
        guild: GuildId,
        payload: &str,
        due_at_ms: i64,
        key: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO jobs (kind, guild_id, dedupe_key, payload, due_at_ms) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, dedupe_key) DO NOTHING",
        )
        .bind(kind)
        .bind(guild.to_db())
        .bind(key)
        .bind(payload)
        .bind(due_at_ms)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("schedule job if absent"))?;
        Ok(done.rows_affected() == 1)
    }

    /// Claims up to `limit` jobs due at `now_ms` and not under a live claim, for `worker`, until
    /// `now_ms + lease_ms`; earliest first. Atomic across processes (see the module doc). With
    /// `shards`, only jobs of the guilds on those shards: the process that runs a guild's shard
    /// has it in its cache.
    pub async fn claim_due(
        &self,
        now_ms: i64,
        limit: i64,
        lease_ms: i64,
        worker: &str,
        shards: Option<ShardRange>,
    ) -> Result<Vec<JobRow>, StoreError> {
        let (total, first, last) = shard_bounds(shards);
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "UPDATE jobs SET claimed_by = $1, claimed_until_ms = $2 \
             WHERE id IN (SELECT id FROM jobs WHERE due_at_ms <= $3 \
                          AND (claimed_until_ms IS NULL OR claimed_until_ms <= $3) \
                          AND {ON_SHARDS} \
                          ORDER BY due_at_ms, id LIMIT $4) \
             AND due_at_ms <= $3 AND (claimed_until_ms IS NULL OR claimed_until_ms <= $3) \
             RETURNING {COLUMNS}"
        ))
        .bind(worker)
        .bind(now_ms.saturating_add(lease_ms))
        .bind(now_ms)
        .bind(limit)
        .bind(total)
        .bind(first)
        .bind(last)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("claim due jobs"))?;
        let mut jobs: Vec<JobRow> = rows.into_iter().map(Into::into).collect();
        jobs.sort_by_key(|j| (j.due_at_ms, j.id));
        Ok(jobs)
    }

    /// Whether a job is due at `now_ms` and not under a live claim: after an empty
    /// [`Store::claim_due`], tells a worker that lost a race for its candidates (PostgreSQL)
    /// that more are waiting.
    pub async fn has_due_jobs(
        &self,
        now_ms: i64,
        shards: Option<ShardRange>,
    ) -> Result<bool, StoreError> {
        let (total, first, last) = shard_bounds(shards);
        let on_shards = ON_SHARDS
            .replace("$5", "$2")
            .replace("$6", "$3")
            .replace("$7", "$4");
        let row: Option<(i64,)> = sqlx::query_as(&format!(
            "SELECT id FROM jobs WHERE due_at_ms <= $1 \
             AND (claimed_until_ms IS NULL OR claimed_until_ms <= $1) AND {on_shards} LIMIT 1",
        ))
        .bind(now_ms)
        .bind(total)
        .bind(first)
        .bind(last)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("look for due jobs"))?;
        Ok(row.is_some())
    }

    /// Removes job `id`, done by `worker`; `false` when it is no longer `worker`'s (its lease
    /// expired and another claimed it, it was replaced, or cancelled).
    pub async fn complete_job(&self, id: i64, worker: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM jobs WHERE id = $1 AND claimed_by = $2")
            .bind(id)
            .bind(worker)
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("complete job"))?;
        Ok(done.rows_affected() > 0)
    }

    /// Records a failed run of `worker`'s job `id` and releases it, due again at `next_due_ms`;
    /// `false` when it is no longer `worker`'s.
    pub async fn retry_job(
        &self,
        id: i64,
        worker: &str,
        next_due_ms: i64,
        error: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE jobs SET attempts = attempts + 1, last_error = $1, due_at_ms = $2, \
             claimed_by = NULL, claimed_until_ms = NULL WHERE id = $3 AND claimed_by = $4",
        )
        .bind(error)
        .bind(next_due_ms)
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("retry job"))?;
        Ok(done.rows_affected() > 0)
    }

    /// Releases `worker`'s job `id`, due again at `due_ms`, without counting a failure (the job
    /// found it was too early).
    pub async fn postpone_job(
        &self,
        id: i64,
        worker: &str,
        due_ms: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE jobs SET due_at_ms = $1, claimed_by = NULL, claimed_until_ms = NULL \
             WHERE id = $2 AND claimed_by = $3",
        )
        .bind(due_ms)
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("postpone job"))?;
        Ok(done.rows_affected() > 0)
    }

    /// Gives up on `worker`'s job `id` after its last failed run: deletes it and returns it with
    /// that failure counted and recorded as `error`; `None` when it is no longer `worker`'s.
    pub async fn give_up_job(
        &self,
        id: i64,
        worker: &str,
        error: &str,
    ) -> Result<Option<JobRow>, StoreError> {
        let row: Option<Row> = sqlx::query_as(&format!(
            "DELETE FROM jobs WHERE id = $1 AND claimed_by = $2 RETURNING {COLUMNS}"
        ))
        .bind(id)
        .bind(worker)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("give up job"))?;
        Ok(row.map(|row| {
            let mut job = JobRow::from(row);
            job.attempts = job.attempts.saturating_add(1);
            job.last_error = Some(error.to_owned());
            job
        }))
    }

    /// Releases every claim of `worker` (a clean shutdown), so that other processes or the next
    /// start need not wait for the leases; how many.
    pub async fn release_claims(&self, worker: &str) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE jobs SET claimed_by = NULL, claimed_until_ms = NULL WHERE claimed_by = $1",
        )
        .bind(worker)
        .execute(&self.pool)
        .await
        .map_err(StoreError::query("release job claims"))?;
        Ok(done.rows_affected())
    }

    /// The jobs of `guild` still to run (claimed or not), earliest first, at most `limit`; and
    /// how many there are.
    pub async fn pending_jobs(
        &self,
        guild: GuildId,
        limit: i64,
    ) -> Result<(Vec<JobRow>, i64), StoreError> {
        let op = "list pending jobs";
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM jobs WHERE guild_id = $1 ORDER BY due_at_ms, id LIMIT $2"
        ))
        .bind(guild.to_db())
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query(op))?;
        let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE guild_id = $1")
            .bind(guild.to_db())
            .fetch_one(&self.pool)
            .await
            .map_err(StoreError::query(op))?;
        Ok((rows.into_iter().map(Into::into).collect(), total))
    }

    /// Cancels the job of `kind` and `key` (an early `/unban`); whether there was one.
    pub async fn cancel_job(&self, kind: &str, key: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM jobs WHERE kind = $1 AND dedupe_key = $2")
            .bind(kind)
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("cancel job"))?;
        Ok(done.rows_affected() > 0)
    }
}
