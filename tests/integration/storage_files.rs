//! SQLite files as operators handle them: several processes opening and migrating one new file at
//! once, a file that is not a database, a mistyped path given to a command that only reads, and a
//! copy of `steward.db` alone after a clean exit.

use std::time::Instant;

use steward::cases::{CaseKind, NewCase};
use steward::ids::{GuildId, UserId};
use steward::store::Store;

fn url(path: &std::path::Path) -> String {
    format!("sqlite://{}", path.display())
}

fn note(guild: u64) -> NewCase {
    NewCase {
        guild: GuildId(guild),
        user: UserId(42),
        moderator: None,
        kind: CaseKind::Warn,
        rule: None,
        section: None,
        reason: "kept".into(),
        content: None,
        channel: None,
        message: None,
        duration_secs: None,
        points: 1,
        created_at_ms: 1_750_000_000_000,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_openers_migrate_one_new_file_in_turn() {
    for attempt in 0..20 {
        let dir = tempfile::tempdir().unwrap();
        let url = url(&dir.path().join("steward.db"));
        let openers: Vec<_> = (0..4)
            .map(|_| {
                let url = url.clone();
                tokio::spawn(async move {
                    let store = Store::connect(&url).await?;
                    store.migrate().await?;
                    store.close().await;
                    Ok::<_, steward::store::StoreError>(())
                })
            })
            .collect();
        for opener in openers {
            let result = opener.await.unwrap();
            assert!(result.is_ok(), "attempt {attempt}: {result:?}");
        }
        let store = Store::connect(&url).await.unwrap();
        assert!(store.pending_migrations().await.unwrap().is_empty());
        store.close().await;
    }
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_named_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "not a database, just notes\n".repeat(200)).unwrap();
    let started = Instant::now();
    let error = Store::connect(&url(&path)).await.unwrap_err().to_string();
    assert!(error.contains("not a database"), "{error}");
    assert!(!error.contains("timed out"), "{error}");
    // Not a stall until a pool timeout (30 s by default): one connection attempt and its error.
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_reading_command_never_creates_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stewrad.db");
    let error = Store::connect_existing(&url(&path))
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("no database at"), "{error}");
    assert!(error.contains("stewrad.db"), "{error}");
    assert!(!path.exists(), "a mistyped path left a file behind");
}

#[tokio::test]
async fn after_a_clean_close_the_database_file_alone_holds_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("steward.db");
    let store = Store::connect(&url(&path)).await.unwrap();
    store.migrate().await.unwrap();
    for guild in 1..=20 {
        store.create_case(note(guild)).await.unwrap();
    }
    store.close().await;

    // The obvious backup: copy steward.db, and only it.
    let backup = dir.path().join("backup.db");
    std::fs::copy(&path, &backup).unwrap();
    let restored = Store::connect_existing(&url(&backup)).await.unwrap();
    for guild in 1..=20 {
        let case = restored.case(GuildId(guild), 1).await.unwrap();
        assert!(
            case.is_some(),
            "case of guild {guild} missing from the copy"
        );
    }
    restored.close().await;
}

#[tokio::test]
async fn a_backup_taken_while_the_database_is_in_use_is_complete() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("steward.db");
    let store = Store::connect(&url(&path)).await.unwrap();
    store.migrate().await.unwrap();
    for guild in 1..=5 {
        store.create_case(note(guild)).await.unwrap();
    }
    // Still open, its last writes in the write-ahead log.
    let copy = dir.path().join("copy.db");
    store.backup_to(&copy).await.unwrap();
    let restored = Store::connect_existing(&url(&copy)).await.unwrap();
    assert!(restored.pending_migrations().await.unwrap().is_empty());
    for guild in 1..=5 {
        assert!(restored.case(GuildId(guild), 1).await.unwrap().is_some());
    }
    restored.close().await;
    store.close().await;
}

#[tokio::test]
async fn an_unreachable_postgresql_is_named_at_once_not_as_a_pool_timeout() {
    let started = Instant::now();
    // Nothing listens on port 1.
    let error = Store::connect("postgres://steward:hunter2@127.0.0.1:1/steward")
        .await
        .unwrap_err()
        .to_string();
    assert!(!error.contains("timed out"), "{error}");
    assert!(!error.contains("hunter2"), "{error}");
    assert!(error.contains("127.0.0.1:1"), "{error}");
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}
