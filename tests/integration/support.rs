//! Helpers shared by the integration tests.

use std::path::PathBuf;
use std::process::{Command, Output};

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file of the shared data set, or `None` (with a note on stderr) when it is absent.
pub fn shared_data(relative: &str) -> Option<PathBuf> {
    let path = root().join("../shared/data").join(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "skipped: {} not found (the shared data set is not beside the project)",
            path.display()
        );
        None
    }
}

/// Runs the `steward` binary with `args` in the project root.
pub fn steward(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(args)
        .current_dir(root())
        .env_remove("DISCORD_TOKEN")
        .output()
        .expect("steward runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs a storage story on a fresh, migrated SQLite database in a temporary folder.
pub async fn on_sqlite<Story, Done>(story: Story)
where
    Story: FnOnce(steward::store::Store) -> Done,
    Done: std::future::Future<Output = ()>,
{
    on_sqlite_at(|store, _url| story(store)).await;
}

/// [`on_sqlite`], also giving the story the database's URL (to open more pools on it).
pub async fn on_sqlite_at<Story, Done>(story: Story)
where
    Story: FnOnce(steward::store::Store, String) -> Done,
    Done: std::future::Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("steward.db").display());
    let store = steward::store::Store::connect(&url).await.expect("connect");
    assert_eq!(store.backend(), steward::store::Backend::Sqlite);
    store.migrate().await.expect("migrate");
    story(store.clone(), url).await;
    store.close().await;
}

/// Runs a storage story on PostgreSQL when `TEST_POSTGRES_URL` is set (and says it skipped
/// otherwise), in a schema of its own so that parallel and repeated runs never see each other's
/// rows; the schema is dropped afterwards, even when the story panics.
pub async fn on_postgres<Story, Done>(story: Story)
where
    Story: FnOnce(steward::store::Store) -> Done + Send + 'static,
    Done: std::future::Future<Output = ()> + Send,
{
    on_postgres_at(|store, _url| story(store)).await;
}

/// [`on_postgres`], also giving the story the schema's URL (to open more pools on it).
pub async fn on_postgres_at<Story, Done>(story: Story)
where
    Story: FnOnce(steward::store::Store, String) -> Done + Send + 'static,
    Done: std::future::Future<Output = ()> + Send,
{
    use sqlx::Connection;
    use std::sync::atomic::{AtomicU32, Ordering};

    let Ok(admin_url) = std::env::var("TEST_POSTGRES_URL") else {
        eprintln!("skipped: TEST_POSTGRES_URL not set");
        return;
    };
    static RUN: AtomicU32 = AtomicU32::new(0);
    let schema = format!(
        "steward_test_{}_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
        RUN.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .expect("TEST_POSTGRES_URL is set but PostgreSQL cannot be reached");
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let separator = if admin_url.contains('?') { '&' } else { '?' };
    let url = format!("{admin_url}{separator}options=-c%20search_path%3D{schema}");
    let outcome = tokio::spawn(async move {
        let store = steward::store::Store::connect(&url).await.expect("connect");
        assert_eq!(store.backend(), steward::store::Backend::Postgres);
        store.migrate().await.expect("migrate");
        story(store.clone(), url).await;
        store.close().await;
    })
    .await;
    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
        .execute(&mut admin)
        .await
        .unwrap();
    if let Err(error) = outcome {
        std::panic::resume_unwind(error.into_panic());
    }
}
