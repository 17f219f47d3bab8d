//! Scheduled unbans in storage, on SQLite always and on PostgreSQL when `TEST_POSTGRES_URL` is
//! set (in a schema of its own).

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;
use steward::ids::{GuildId, UserId};
use steward::store::{ScheduledUnban, Store};

async fn unban_story(store: &Store) {
    let (guild, alice, bob) = (GuildId(1), UserId(2), UserId(3));
    store.schedule_unban(guild, alice, 5_000, 1).await.unwrap();
    store.schedule_unban(guild, bob, 2_000, 2).await.unwrap();
    // Banning again replaces the schedule.
    store.schedule_unban(guild, alice, 3_000, 4).await.unwrap();
    assert!(store.due_unbans(1_999).await.unwrap().is_empty());
    assert_eq!(
        store.due_unbans(3_000).await.unwrap(),
        vec![
            ScheduledUnban {
                guild,
                user: bob,
                unban_at_ms: 2_000,
                case_number: 2
            },
            ScheduledUnban {
                guild,
                user: alice,
                unban_at_ms: 3_000,
                case_number: 4
            },
        ]
    );
    // Another guild's schedule is its own.
    store
        .schedule_unban(GuildId(9), alice, 1_000, 1)
        .await
        .unwrap();
    assert!(store.clear_unban(guild, bob).await.unwrap());
    assert!(!store.clear_unban(guild, bob).await.unwrap());
    let left = store.due_unbans(i64::MAX).await.unwrap();
    assert_eq!(left.len(), 2, "{left:?}");
    assert_eq!(left[0].guild, GuildId(9));
}

#[tokio::test]
async fn scheduled_unbans_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("steward.db").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    unban_story(&store).await;
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_unbans_on_postgres() {
    let Ok(admin_url) = std::env::var("TEST_POSTGRES_URL") else {
        eprintln!("skipped: TEST_POSTGRES_URL not set");
        return;
    };
    static RUN: AtomicU32 = AtomicU32::new(0);
    let schema = format!(
        "steward_unbans_{}_{}_{}",
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
        let store = Store::connect(&url).await.expect("connect");
        store.migrate().await.expect("migrate");
        unban_story(&store).await;
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
