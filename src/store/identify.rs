//! The identify lock: Discord allows `max_concurrency` IDENTIFYs per 5 seconds across every
//! process of a bot, one per rate-limit bucket (`shard % max_concurrency`), and invalidates the
//! sessions of shards that identify too close together. Processes sharing one PostgreSQL
//! database take a session-level advisory lock per bucket their shards use (in bucket order, so
//! two processes never wait on each other crosswise) and hold it while their shards identify.
//! On SQLite (one process per database file) the lock takes nothing.

use sqlx::Any;
use sqlx::pool::PoolConnection;

use super::{Backend, Store, StoreError};

/// The advisory-lock key of identify bucket 0; bucket `b` is `IDENTIFY_LOCK_BASE + b`.
pub const IDENTIFY_LOCK_BASE: i64 = 0x5354_4557_0000_0000; // "STEW" in the high bytes

/// How often a held bucket is tried again.
const RETRY_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

/// Identify buckets held by this process until [`IdentifyLock::release`].
pub struct IdentifyLock {
    /// The connection holding the advisory locks (PostgreSQL only).
    connection: Option<PoolConnection<Any>>,
    buckets: Vec<u32>,
}

impl Store {
    /// Waits until no other process holds any of `buckets`, then holds them.
    pub async fn lock_identify(&self, buckets: &[u32]) -> Result<IdentifyLock, StoreError> {
        if self.backend() != Backend::Postgres {
            return Ok(IdentifyLock {
                connection: None,
                buckets: Vec::new(),
            });
        }
        let op = "take the identify lock";
        let connection = self.pool.acquire().await.map_err(StoreError::query(op))?;
        // Built first, so that a wait given up (the future dropped) closes the connection
        // rather than returning a session that holds some buckets to the pool.
        let mut lock = IdentifyLock {
            connection: Some(connection),
            buckets: Vec::new(),
        };
        let mut sorted = buckets.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        for bucket in sorted {
            let connection = lock.connection.as_mut().expect("held until released");
            // Tried again and again rather than waited for in one statement: a wait given up
            // leaves nothing pending on the server, and no statement is slow.
            loop {
                let (taken,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_lock($1)")
                    .bind(IDENTIFY_LOCK_BASE + i64::from(bucket))
                    .fetch_one(&mut **connection)
                    .await
                    .map_err(StoreError::query(op))?;
                if taken {
                    break;
                }
                tokio::time::sleep(RETRY_EVERY).await;
            }
            lock.buckets.push(bucket);
        }
        Ok(lock)
    }
}

impl IdentifyLock {
    /// The buckets held.
    pub fn buckets(&self) -> &[u32] {
        &self.buckets
    }

    /// Lets other processes identify.
    pub async fn release(mut self) -> Result<(), StoreError> {
        let Some(mut connection) = self.connection.take() else {
            return Ok(());
        };
        for bucket in self.buckets.iter().rev() {
            sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(IDENTIFY_LOCK_BASE + i64::from(*bucket))
                .execute(&mut *connection)
                .await
                .map_err(StoreError::query("release the identify lock"))?;
        }
        Ok(())
    }
}

impl Drop for IdentifyLock {
    /// A lock dropped without [`IdentifyLock::release`] closes its connection rather than
    /// returning it to the pool, and PostgreSQL releases the locks with the session.
    fn drop(&mut self) {
        if let Some(connection) = self.connection.take() {
            drop(connection.detach());
        }
    }
}
