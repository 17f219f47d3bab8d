//! The review queue in storage, on SQLite always and on PostgreSQL when `TEST_POSTGRES_URL` is
//! set (in a schema of its own): merging per message, reports once per member, the first of many
//! concurrent decisions winning, feedback per rule, queue health and reminders.

use crate::support::{on_postgres, on_sqlite};
use steward::ids::{ChannelId, GuildId, MessageId, UserId};
use steward::review::{Decided, Decision, NewReviewItem};
use steward::store::Store;

fn item(message: u64, held: Option<bool>, rule: &str, at: i64) -> NewReviewItem {
    NewReviewItem {
        guild: GuildId(1),
        channel: ChannelId(10),
        message: MessageId(message),
        author: UserId(2),
        author_name: "alice".into(),
        author_avatar: Some("https://cdn.example/a.png".into()),
        content: "text".into(),
        attachments: vec![("a.png".into(), "https://cdn.example/f/a.png".into())],
        rules: if rule.is_empty() {
            Vec::new()
        } else {
            vec![rule.into(), "other".into()]
        },
        matched: "text".into(),
        held,
        created_at_ms: at,
    }
}

async fn review_story(store: &Store) {
    let guild = GuildId(1);
    let (first, created) = store
        .open_review_item(&item(100, Some(true), "scam", 1_000))
        .await
        .unwrap();
    assert!(created);
    assert_eq!(first.rules, ["scam", "other"]);
    assert_eq!(first.attachments[0].0, "a.png");
    // A report of the same open message merges into it.
    let (again, created) = store
        .open_review_item(&item(100, None, "", 1_500))
        .await
        .unwrap();
    assert!(!created);
    assert_eq!(again.id, first.id);
    assert!(
        store
            .add_report(guild, first.id, UserId(7), "spam", 1_600)
            .await
            .unwrap()
    );
    assert!(
        !store
            .add_report(guild, first.id, UserId(7), "again", 1_700)
            .await
            .unwrap()
    );
    assert!(
        store
            .add_report(guild, first.id, UserId(8), "scam", 1_800)
            .await
            .unwrap()
    );
    let merged = store.review_item(guild, first.id).await.unwrap().unwrap();
    assert_eq!(merged.report_count, 2);
    assert_eq!(
        store.report_reasons(first.id).await.unwrap(),
        ["spam", "scam"]
    );
    assert_eq!(store.reports_since(guild, UserId(7), 0).await.unwrap(), 1);
    assert_eq!(
        store.reports_since(guild, UserId(7), 1_601).await.unwrap(),
        0
    );

    // Twenty moderators decide at once: exactly one wins.
    let mut tasks = Vec::new();
    for n in 0..20_u64 {
        let store = store.clone();
        let decision = if n % 2 == 0 {
            Decision::Approve
        } else {
            Decision::Remove
        };
        tasks.push(tokio::spawn(async move {
            store
                .decide_review(guild, first.id, decision, UserId(100 + n), 5_000 + n as i64)
                .await
                .unwrap()
        }));
    }
    let mut won = Vec::new();
    let mut told = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Decided::Won(item) => won.push(item),
            Decided::Already(item) => told.push(item),
            Decided::Missing => panic!("the item exists"),
        }
    }
    assert_eq!(won.len(), 1, "exactly one decision wins");
    assert_eq!(told.len(), 19);
    let winner = &won[0];
    assert!(told.iter().all(|t| t.decided_by == winner.decided_by
        && t.decided_at_ms == winner.decided_at_ms
        && t.decision == winner.decision));
    assert_eq!(
        store
            .decide_review(GuildId(9), first.id, Decision::Ban, UserId(1), 9)
            .await
            .unwrap(),
        Decided::Missing,
        "another guild's item is not found"
    );

    // A decided message can enter the queue again as a new item.
    let (second, created) = store
        .open_review_item(&item(100, Some(false), "rude", 10_000))
        .await
        .unwrap();
    assert!(created && second.id != first.id);
    let (third, _) = store
        .open_review_item(&item(101, Some(false), "rude", 20_000))
        .await
        .unwrap();
    store
        .decide_review(guild, second.id, Decision::Approve, UserId(5), 13_000)
        .await
        .unwrap();
    let (open, total) = store.open_review_items(guild, 0, 10).await.unwrap();
    assert_eq!((open.len(), total), (1, 1));
    assert_eq!(open[0].id, third.id);

    let feedback = store.rule_feedback(guild).await.unwrap();
    let rude = feedback.iter().find(|f| f.rule == "rude").unwrap();
    assert_eq!((rude.flagged, rude.approved, rude.open), (2, 1, 1));
    assert_eq!(rude.approval_rate(), Some(1.0));
    let scam = feedback.iter().find(|f| f.rule == "scam").unwrap();
    assert_eq!(scam.held, 1);
    assert_eq!(scam.approved + scam.removed, 1);

    let health = store.queue_health(guild).await.unwrap();
    assert_eq!(health.open, 1);
    assert_eq!(health.oldest_open_at_ms, Some(20_000));
    // Waits: 4,000 + n for the first item (one winner), 3,000 for the second.
    let median = health.median_decision_ms.unwrap();
    assert!((3_000..=4_020).contains(&median), "{median}");

    // Reminders: each late item once.
    assert!(
        store
            .take_items_to_remind(guild, 20_000, 30_000)
            .await
            .unwrap()
            .is_empty()
    );
    let due = store
        .take_items_to_remind(guild, 20_001, 30_000)
        .await
        .unwrap();
    assert_eq!(due.iter().map(|i| i.id).collect::<Vec<_>>(), [third.id]);
    assert!(
        store
            .take_items_to_remind(guild, 99_999, 40_000)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn review_queue_on_sqlite() {
    on_sqlite(|store| async move { review_story(&store).await }).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn review_queue_on_postgres() {
    on_postgres(|store| async move { review_story(&store).await }).await;
}

/// Regression: a report merging into an open item used to spend an item number (PostgreSQL's
/// identity advances on `INSERT .. ON CONFLICT DO NOTHING`), so the next item skipped one.
async fn numbers_story(store: &Store) {
    let (first, _) = store
        .open_review_item(&item(200, Some(false), "rude", 1_000))
        .await
        .unwrap();
    for at in [1_100, 1_200] {
        let (merged, created) = store
            .open_review_item(&item(200, None, "", at))
            .await
            .unwrap();
        assert!(!created);
        assert_eq!(merged.id, first.id);
    }
    let (next, created) = store
        .open_review_item(&item(201, None, "", 1_300))
        .await
        .unwrap();
    assert!(created);
    assert_eq!(next.id, first.id + 1, "item numbers are consecutive");
}

#[tokio::test]
async fn review_numbers_do_not_skip_after_a_merged_report_on_sqlite() {
    on_sqlite(|store| async move { numbers_story(&store).await }).await;
}

#[tokio::test]
async fn review_numbers_do_not_skip_after_a_merged_report_on_postgres() {
    on_postgres(|store| async move { numbers_story(&store).await }).await;
}
