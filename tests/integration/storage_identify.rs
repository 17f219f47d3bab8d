//! The identify lock across processes, on PostgreSQL when `TEST_POSTGRES_URL` is set (two pools
//! stand for two processes): while one holds a bucket, the other waits for it; other buckets are
//! free; a lock dropped without release is let go with its connection. On SQLite it takes nothing.

use std::time::Duration;

use crate::support::{on_postgres_at, on_sqlite};
use steward::store::Store;

const SHORT: Duration = Duration::from_millis(300);

async fn identify_story(first: Store, url: String) {
    let second = Store::connect(&url).await.unwrap();
    let held = first.lock_identify(&[0, 1]).await.unwrap();
    assert_eq!(held.buckets(), &[0, 1]);
    let waiting = tokio::time::timeout(SHORT, second.lock_identify(&[1])).await;
    assert!(waiting.is_err(), "bucket 1 is held by the first process");
    let other = tokio::time::timeout(SHORT, second.lock_identify(&[2]))
        .await
        .expect("bucket 2 is free")
        .unwrap();
    other.release().await.unwrap();
    held.release().await.unwrap();
    let taken = tokio::time::timeout(SHORT * 10, second.lock_identify(&[1]))
        .await
        .expect("released: the second process identifies")
        .unwrap();
    drop(taken);
    tokio::time::timeout(SHORT * 10, first.lock_identify(&[1]))
        .await
        .expect("a dropped lock goes with its connection")
        .unwrap()
        .release()
        .await
        .unwrap();
    second.close().await;
}

#[tokio::test]
async fn processes_identify_one_bucket_at_a_time_on_postgres() {
    on_postgres_at(identify_story).await;
}

#[tokio::test]
async fn the_identify_lock_takes_nothing_on_sqlite() {
    on_sqlite(|store| async move {
        let a = store.lock_identify(&[0]).await.unwrap();
        let b = store.lock_identify(&[0]).await.unwrap();
        assert!(b.buckets().is_empty());
        a.release().await.unwrap();
        b.release().await.unwrap();
    })
    .await;
}
