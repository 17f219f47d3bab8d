//! SQLite specifics: the URL that creates the file or only opens an existing one, the pragmas
//! every connection sets, a first connection that reports a bad file at once (instead of a pool
//! timeout), and a lock file that serialises the one-time preparation of a file (WAL journaling,
//! migrations) between processes.

use std::fs::File;
use std::path::PathBuf;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, AnyPool, Connection};

use super::{StoreError, redact_url};

/// How long a connection waits for another's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The pragma that sets [`BUSY_TIMEOUT`] on a connection.
fn busy_timeout_pragma() -> String {
    format!("PRAGMA busy_timeout = {}", BUSY_TIMEOUT.as_millis())
}

/// Whether opening may create the database file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Open {
    /// `steward run` and `steward migrate`: a missing file is created.
    CreateIfMissing,
    /// Commands that only read (`steward stats`, `doctor`): a missing file is an error, so that a
    /// mistyped path never leaves an empty database behind.
    ExistingOnly,
}

/// The file a `sqlite:` URL names, or `None` for an in-memory database.
pub fn file_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split_once('?').map_or(rest, |(path, _)| path);
    let in_memory = path.is_empty() || path == ":memory:" || url.contains("mode=memory");
    (!in_memory).then(|| PathBuf::from(path))
}

/// `url` with the `mode=` that `open` asks for, unless the URL chose its own.
pub fn url_with_mode(url: &str, open: Open) -> String {
    let query = url.split_once('?').map(|(_, query)| query);
    let has_mode =
        query.is_some_and(|query| query.split('&').any(|pair| pair.starts_with("mode=")));
    let mode = match open {
        Open::CreateIfMissing => "mode=rwc",
        Open::ExistingOnly => "mode=rw",
    };
    match (has_mode, query) {
        (true, _) => url.to_owned(),
        (false, Some(_)) => format!("{url}&{mode}"),
        (false, None) => format!("{url}?{mode}"),
    }
}

/// Opens a pool on the file, after one direct connection has shown that the file is there and
/// is a database; switches the file to WAL journaling once, under the preparation lock.
pub async fn pool(url: &str, open: Open) -> Result<AnyPool, StoreError> {
    let connect_error = |source| StoreError::Connect {
        url: redact_url(url),
        source,
    };
    let path = file_path(url);
    if open == Open::ExistingOnly
        && let Some(path) = &path
        && !path.exists()
    {
        return Err(StoreError::NoDatabase {
            path: path.display().to_string(),
        });
    }
    let full_url = url_with_mode(url, open);
    let mut probe = AnyConnection::connect(&full_url)
        .await
        .map_err(connect_error)?;
    sqlx::query(&busy_timeout_pragma())
        .execute(&mut probe)
        .await
        .map_err(connect_error)?;
    // Reading the schema reads the file's header: "file is not a database" surfaces here.
    sqlx::query("SELECT count(*) FROM sqlite_master")
        .execute(&mut probe)
        .await
        .map_err(connect_error)?;
    let _preparing = lock(path.as_ref()).await?;
    // The journal mode is a property of the file: set it once, not per connection (switching
    // needs an exclusive lock that the busy timeout does not wait for).
    sqlx::query("PRAGMA journal_mode = WAL")
        .execute(&mut probe)
        .await
        .map_err(connect_error)?;
    probe.close().await.map_err(connect_error)?;
    AnyPoolOptions::new()
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                // WAL makes NORMAL durable across crashes of the process (only a power loss can
                // drop the last commits).
                sqlx::query("PRAGMA synchronous = NORMAL")
                    .execute(&mut *conn)
                    .await?;
                sqlx::query(&busy_timeout_pragma())
                    .execute(&mut *conn)
                    .await?;
                sqlx::query("PRAGMA foreign_keys = ON")
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            })
        })
        .connect(&full_url)
        .await
        .map_err(connect_error)
}

/// Holds the preparation lock of a database file until dropped: `PATH-prepare.lock` beside it,
/// locked with the operating system's advisory lock, so that processes opening or migrating the
/// same new file take turns. The lock is released when the holder exits, however it exits.
pub struct PrepareLock(Option<File>);

/// Takes the preparation lock of `path` (nothing to lock for an in-memory database).
pub async fn lock(path: Option<&PathBuf>) -> Result<PrepareLock, StoreError> {
    let Some(path) = path else {
        return Ok(PrepareLock(None));
    };
    let mut name = path.as_os_str().to_owned();
    name.push("-prepare.lock");
    let lock_path = PathBuf::from(name);
    let shown = lock_path.display().to_string();
    let locked = tokio::task::spawn_blocking(move || {
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)?;
        file.lock()?;
        Ok::<_, std::io::Error>(file)
    })
    .await
    .map_err(std::io::Error::other)
    .and_then(|r| r)
    .map_err(|source| StoreError::Lock {
        path: shown,
        source,
    })?;
    Ok(PrepareLock(Some(locked)))
}

impl Drop for PrepareLock {
    fn drop(&mut self) {
        if let Some(file) = self.0.take() {
            let _ = file.unlock();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_create_missing_files_only_when_asked() {
        let create = Open::CreateIfMissing;
        assert_eq!(
            url_with_mode("sqlite://a.db", create),
            "sqlite://a.db?mode=rwc"
        );
        assert_eq!(
            url_with_mode("sqlite://a.db?cache=shared", create),
            "sqlite://a.db?cache=shared&mode=rwc"
        );
        assert_eq!(
            url_with_mode("sqlite://a.db?mode=ro", create),
            "sqlite://a.db?mode=ro"
        );
        assert_eq!(
            url_with_mode("sqlite://a.db", Open::ExistingOnly),
            "sqlite://a.db?mode=rw"
        );
    }

    #[test]
    fn file_paths_are_read_from_both_url_forms() {
        assert_eq!(file_path("sqlite://data/a.db"), Some("data/a.db".into()));
        assert_eq!(file_path("sqlite:a.db?mode=rwc"), Some("a.db".into()));
        assert_eq!(file_path("sqlite::memory:"), None);
        assert_eq!(file_path("sqlite://x?mode=memory"), None);
        assert_eq!(file_path("postgres://h/db"), None);
    }
}
