//! Storage: the only place SQL lives. One [`Store`] wraps a connection pool on SQLite (the
//! embedded default, `sqlite://steward.db`) or PostgreSQL (`postgres://...`, for deployments that
//! run several bot processes against one database), chosen by the URL scheme.
//!
//! Queries go through sqlx's `Any` driver and are written once in SQL both backends accept:
//! `$1` placeholders, `INSERT .. ON CONFLICT .. DO UPDATE`, `RETURNING`, integers for times
//! (milliseconds since the epoch, always passed in by the caller) and for snowflakes. Only the
//! migrations differ per backend (`migrations/sqlite`, `migrations/postgres`).
//!
//! One module per table group: [`settings`], [`cases`], [`activity`], [`review`], [`jobs`] (the
//! scheduler's), [`polls`] and [`poll_votes`], [`giveaways`], [`joins`] (with their referral
//! attribution and personal invites), [`acceptances`] (of the charter).

pub mod acceptances;
pub mod activity;
pub mod cases;
mod error;
mod first_messages;
mod giveaway_draws;
pub mod giveaways;
pub mod identify;
pub mod jobs;
pub mod joins;
mod lockdowns;
pub mod poll_votes;
pub mod polls;
pub mod raids;
pub mod review;
pub mod review_stats;
pub mod settings;
mod sqlite;
pub mod stats;
mod stats_community;
mod stats_privacy;

use std::path::PathBuf;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, AnyPool, Connection};

pub use acceptances::Acceptance;
pub use activity::{ActivityDelta, MemberDelta, hour_of};
pub use error::{StoreError, redact_url};
pub use giveaways::{Claim, Entry, Forfeit, Giveaway, GiveawayStatus, NewGiveaway, Rerolled};
pub use jobs::JobRow;
pub use joins::JoinRow;
pub use polls::{NewPoll, PollRow, VoteOutcome, VoteRow};
pub use settings::GuildSettings;
use sqlite::Open;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// Which database a [`Store`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A local file, `sqlite://PATH`.
    Sqlite,
    /// A server, `postgres://...` or `postgresql://...`.
    Postgres,
}

impl Backend {
    /// The backend a database URL names, judged by its scheme.
    pub fn from_url(url: &str) -> Result<Backend, StoreError> {
        let scheme = url.split_once(':').map_or(url, |(scheme, _)| scheme);
        match scheme.to_ascii_lowercase().as_str() {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            _ => Err(StoreError::UnsupportedScheme {
                scheme: scheme.chars().take(32).collect(),
                url: redact_url(url),
            }),
        }
    }
}

/// The database, behind one cheap-to-clone handle (a connection pool).
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// The SQLite file, for its preparation lock and the checkpoint at close.
    file: Option<PathBuf>,
}

/// How long the first connection to a PostgreSQL server may take before it is called unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl Store {
    /// Opens a pool on `url`, creating a missing SQLite file.
    ///
    /// `sqlite://PATH` creates the file when it is missing (unless the URL sets its own `mode=`),
    /// switches it to WAL journaling, waits up to 5 s for another writer's lock, and enforces
    /// foreign keys. `postgres://...` is passed to the driver as is (use
    /// `?options=-c%20search_path%3Dname` to pick a schema). Any other scheme is an error that
    /// names it. A file that is not a database or a server that does not answer is reported at
    /// once with the driver's error. Does not migrate: call [`Store::migrate`].
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Store::open(url, Open::CreateIfMissing).await
    }

    /// [`Store::connect`] for commands that only read: a missing SQLite file is an error.
    pub async fn connect_existing(url: &str) -> Result<Store, StoreError> {
        Store::open(url, Open::ExistingOnly).await
    }

    async fn open(url: &str, open: Open) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let pool = match backend {
            Backend::Sqlite => sqlite::pool(url, open).await?,
            Backend::Postgres => {
                let connect_error = |source| StoreError::Connect {
                    url: redact_url(url),
                    source,
                };
                // One direct connection first: a refused connection or a wrong password is
                // reported with the driver's error at once, not as a pool timeout.
                let probe = tokio::time::timeout(CONNECT_TIMEOUT, AnyConnection::connect(url))
                    .await
                    .map_err(|_| StoreError::Unreachable {
                        url: redact_url(url),
                        after: CONNECT_TIMEOUT,
                    })?
                    .map_err(connect_error)?;
                probe.close().await.map_err(connect_error)?;
                AnyPoolOptions::new()
                    .acquire_timeout(CONNECT_TIMEOUT)
                    .connect(url)
                    .await
                    .map_err(connect_error)?
            }
        };
        let file = match backend {
            Backend::Sqlite => sqlite::file_path(url),
            Backend::Postgres => None,
        };
        Ok(Store {
            pool,
            backend,
            file,
        })
    }

    /// Brings the schema up to date with the migrations embedded for this backend. Idempotent;
    /// safe to run from several processes at once (PostgreSQL's migrator takes an advisory lock;
    /// on SQLite the file's preparation lock makes the processes take turns).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        let _turn = sqlite::lock(self.file.as_ref()).await?;
        migrator.run(&self.pool).await?;
        Ok(())
    }

    /// The migrations not applied yet, by description (all of them on an empty database).
    pub async fn pending_migrations(&self) -> Result<Vec<String>, StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        let applied: Vec<(i64,)> =
            sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_all(&self.pool)
                .await
                .unwrap_or_default(); // No table yet: nothing applied.
        Ok(migrator
            .iter()
            .filter(|m| !applied.iter().any(|(v,)| *v == m.version))
            .map(|m| m.description.to_string())
            .collect())
    }

    /// Writes a consistent copy of the SQLite database to the new file `path` (`VACUUM INTO`,
    /// safe while other connections write). PostgreSQL has its own tools (`pg_dump`).
    pub async fn backup_to(&self, path: &std::path::Path) -> Result<(), StoreError> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::BackupUnsupported);
        }
        sqlx::query("VACUUM INTO $1")
            .bind(path.display().to_string())
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("back up the database"))?;
        Ok(())
    }

    /// Which database this store talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database answers (`SELECT 1`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(StoreError::query("ping"))
    }

    /// Waits for running queries to finish and closes every connection (for shutdown). A SQLite
    /// file gets its write-ahead log folded back first, so that after a clean exit `steward.db`
    /// alone holds everything (a copy of it is a complete backup).
    pub async fn close(&self) {
        if self.backend == Backend::Sqlite
            && let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await
        {
            tracing::warn!(error = %e, "the SQLite write-ahead log could not be checkpointed");
        }
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_are_chosen_by_scheme() {
        assert_eq!(
            Backend::from_url("sqlite://steward.db").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::from_url("sqlite:steward.db").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::from_url("postgres://h/db").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::from_url("PostgreSQL://h/db").unwrap(),
            Backend::Postgres
        );
        let error = Backend::from_url("mysql://root:hunter2@h/db")
            .unwrap_err()
            .to_string();
        assert!(error.contains("`mysql`"), "{error}");
        assert!(!error.contains("hunter2"), "{error}");
    }
}
