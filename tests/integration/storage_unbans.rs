//! Scheduled unbans in storage, on SQLite always and on PostgreSQL when `TEST_POSTGRES_URL` is
//! set (in a schema of its own).

use crate::support::{on_postgres, on_sqlite};
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
    on_sqlite(|store| async move { unban_story(&store).await }).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_unbans_on_postgres() {
    on_postgres(|store| async move { unban_story(&store).await }).await;
}
