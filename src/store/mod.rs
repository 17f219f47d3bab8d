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
//! scheduler's), [`polls`] and [`poll_votes`], [`giveaways`].

pub mod activity;
pub mod cases;
mod error;
mod giveaway_draws;
pub mod giveaways;
pub mod jobs;
pub mod poll_votes;
pub mod polls;
pub mod review;
pub mod review_stats;
pub mod settings;

use std::time::Duration;

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;

pub use activity::{ActivityDelta, MemberDelta, hour_of};
pub use error::{StoreError, redact_url};
pub use giveaways::{Claim, Entry, Forfeit, Giveaway, GiveawayStatus, NewGiveaway, Rerolled};
pub use jobs::JobRow;
pub use polls::{NewPoll, PollRow, VoteOutcome, VoteRow};
pub use settings::GuildSettings;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// How long a connection waits for another's write lock (SQLite) before failing.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

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
}

impl Store {
    /// Opens a pool on `url`.
    ///
    /// `sqlite://PATH` creates the file when it is missing (unless the URL sets its own `mode=`),
    /// switches it to WAL journaling, waits up to 5 s for another writer's lock, and enforces
    /// foreign keys. `postgres://...` is passed to the driver as is (use
    /// `?options=-c%20search_path%3Dname` to pick a schema). Any other scheme is an error that
    /// names it. Does not migrate: call [`Store::migrate`].
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let connect_error = |source| StoreError::Connect {
            url: redact_url(url),
            source,
        };
        let pool = match backend {
            Backend::Sqlite => {
                let url = sqlite_url(url);
                let pool = AnyPoolOptions::new()
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            // Per connection; WAL makes NORMAL durable across crashes of the
                            // process (only a power loss can drop the last commits).
                            sqlx::query("PRAGMA synchronous = NORMAL")
                                .execute(&mut *conn)
                                .await?;
                            let busy = format!(
                                "PRAGMA busy_timeout = {}",
                                SQLITE_BUSY_TIMEOUT.as_millis()
                            );
                            sqlx::query(&busy).execute(&mut *conn).await?;
                            sqlx::query("PRAGMA foreign_keys = ON")
                                .execute(&mut *conn)
                                .await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await
                    .map_err(connect_error)?;
                // The journal mode is a property of the file: set it once, not per connection
                // (switching needs an exclusive lock that the busy timeout does not wait for).
                sqlx::query("PRAGMA journal_mode = WAL")
                    .execute(&pool)
                    .await
                    .map_err(connect_error)?;
                pool
            }
            Backend::Postgres => AnyPoolOptions::new()
                .connect(url)
                .await
                .map_err(connect_error)?,
        };
        Ok(Store { pool, backend })
    }

    /// Brings the schema up to date with the migrations embedded for this backend. Idempotent;
    /// safe to run from several processes at once (the migrator takes a lock).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
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

    /// Waits for running queries to finish and closes every connection (for shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A SQLite URL that creates a missing file: `mode=rwc` unless the URL chose a mode.
fn sqlite_url(url: &str) -> String {
    let query = url.split_once('?').map(|(_, query)| query);
    let has_mode =
        query.is_some_and(|query| query.split('&').any(|pair| pair.starts_with("mode=")));
    match (has_mode, query) {
        (true, _) => url.to_owned(),
        (false, Some(_)) => format!("{url}&mode=rwc"),
        (false, None) => format!("{url}?mode=rwc"),
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

    #[test]
    fn sqlite_urls_create_missing_files_unless_told_otherwise() {
        assert_eq!(sqlite_url("sqlite://a.db"), "sqlite://a.db?mode=rwc");
        assert_eq!(
            sqlite_url("sqlite://a.db?cache=shared"),
            "sqlite://a.db?cache=shared&mode=rwc"
        );
        assert_eq!(sqlite_url("sqlite://a.db?mode=ro"), "sqlite://a.db?mode=ro");
    }
}
