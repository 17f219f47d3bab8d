//! The storage layer's one error type. Every message is safe to log: URLs are shown with their
//! credentials redacted, and no message carries a row's contents.

/// What went wrong in the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL names a backend Steward does not support.
    #[error(
        "unsupported database URL scheme `{scheme}` in `{url}`: use sqlite://PATH or postgres://..."
    )]
    UnsupportedScheme {
        /// The scheme as written (`mysql`, or the whole URL's start when there is no `:`).
        scheme: String,
        /// The URL, credentials redacted.
        url: String,
    },
    /// The database could not be opened or reached.
    #[error("cannot connect to `{url}`: {source}")]
    Connect {
        /// The URL, credentials redacted.
        url: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// The database server did not answer in time.
    #[error("no answer from `{url}` within {after:?}: is the server running and reachable?")]
    Unreachable {
        /// The URL, credentials redacted.
        url: String,
        /// How long Steward waited.
        after: std::time::Duration,
    },
    /// `steward backup` on a PostgreSQL database.
    #[error("steward backup copies SQLite files; back up PostgreSQL with pg_dump")]
    BackupUnsupported,
    /// A command that only reads was pointed at a SQLite file that does not exist.
    #[error("no database at {path}: check DATABASE_URL (`steward migrate` creates one)")]
    NoDatabase {
        /// The file as the URL names it.
        path: String,
    },
    /// The lock that lets processes prepare one SQLite file in turn could not be taken.
    #[error("cannot lock {path}: {source}")]
    Lock {
        /// The lock file.
        path: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// Applying the schema migrations failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed; `op` says which store operation ran it.
    #[error("{op}: {source}")]
    Query {
        /// The store operation, e.g. `create case`.
        op: &'static str,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
}

impl StoreError {
    /// Wraps a driver error from the operation `op`.
    pub(crate) fn query(op: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |source| StoreError::Query { op, source }
    }
}

/// `url` with any `user:password@` replaced by `***@` and any `password=` parameter's value
/// replaced by `***`, so it can be shown in an error or a log line.
pub fn redact_url(url: &str) -> String {
    let (before_query, query) = match url.split_once('?') {
        Some((head, query)) => (head, Some(query)),
        None => (url, None),
    };
    let mut out = match before_query.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find('/').unwrap_or(rest.len());
            let (authority, path) = rest.split_at(authority_end);
            match authority.rfind('@') {
                Some(at) => format!("{scheme}://***{}{path}", &authority[at..]),
                None => before_query.to_owned(),
            }
        }
        None => before_query.to_owned(),
    };
    if let Some(query) = query {
        out.push('?');
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                _ => pair.to_owned(),
            })
            .collect();
        out.push_str(&pairs.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn credentials_are_redacted() {
        assert_eq!(
            redact_url("postgres://bob:s3cret@db.example:5432/steward"),
            "postgres://***@db.example:5432/steward"
        );
        assert_eq!(
            redact_url("postgres://db/steward?user=bob&password=s3cret&sslmode=require"),
            "postgres://db/steward?user=bob&password=***&sslmode=require"
        );
        assert_eq!(redact_url("sqlite://steward.db"), "sqlite://steward.db");
        assert_eq!(redact_url("mysql://a@b@host/x"), "mysql://***@host/x");
    }
}
