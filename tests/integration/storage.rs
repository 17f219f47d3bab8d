//! The storage story (settings, case numbering under concurrency, escalation points, reason
//! corrections, activity counters, repeated migrations), written once and run on SQLite always
//! and on PostgreSQL when `TEST_POSTGRES_URL` is set, each run in a schema of its own.

use crate::support::{on_postgres, on_sqlite};
use std::collections::BTreeSet;
use steward::cases::{CaseKind, NewCase};
use steward::ids::{ChannelId, GuildId, MessageId, RoleId, UserId};
use steward::store::{ActivityDelta, GuildSettings, MemberDelta, Store};

const G1: GuildId = GuildId(1_111_111_111_111_111_111);
const G2: GuildId = GuildId(2_222);
const G3: GuildId = GuildId(3_333);
const ALICE: UserId = UserId(1_234_567_890_123_456_789);
const BOB: UserId = UserId(42);
const MODERATOR: UserId = UserId(7);
const T0: i64 = 1_750_000_000_000;
const DAY_MS: i64 = 86_400_000;

fn warn(guild: GuildId, user: UserId, points: u32, created_at_ms: i64) -> NewCase {
    NewCase {
        guild,
        user,
        moderator: None,
        kind: CaseKind::Warn,
        rule: Some("insults".to_owned()),
        section: Some(2),
        reason: "Insult".to_owned(),
        content: Some("you idiot".to_owned()),
        channel: Some(ChannelId(10)),
        message: Some(MessageId(1_300_000_000_000_000_001)),
        duration_secs: None,
        points,
        created_at_ms,
    }
}

/// Everything the bot asks of its store, on whichever backend `store` uses.
async fn storage_story(store: Store) {
    // Migrating an up-to-date schema again changes nothing.
    store.migrate().await.expect("second migrate");

    // Settings: defaults until saved, then what was saved, replaced on the next save.
    let defaults = store.guild_settings(G1).await.unwrap();
    assert_eq!(defaults, GuildSettings::defaults(G1));
    assert_eq!(defaults.language, "fr");
    assert!(defaults.moderator_roles.is_empty() && defaults.mod_log_channel.is_none());
    let mut settings = GuildSettings {
        guild: G1,
        mod_log_channel: Some(ChannelId(1_200_000_000_000_000_001)),
        review_channel: Some(ChannelId(12)),
        welcome_channel: None,
        stats_channel: Some(ChannelId(14)),
        moderator_roles: vec![RoleId(5), RoleId(900_000_000_000_000_000)],
        language: "en".to_owned(),
    };
    store.save_guild_settings(&settings).await.unwrap();
    assert_eq!(store.guild_settings(G1).await.unwrap(), settings);
    settings.review_channel = None;
    settings.welcome_channel = Some(ChannelId(13));
    settings.moderator_roles = vec![RoleId(6)];
    store.save_guild_settings(&settings).await.unwrap();
    assert_eq!(store.guild_settings(G1).await.unwrap(), settings);
    assert_eq!(
        store.guild_settings(G2).await.unwrap(),
        GuildSettings::defaults(G2)
    );

    // Cases are numbered per guild from 1.
    let first = store.create_case(warn(G1, ALICE, 1, T0)).await.unwrap();
    let second = store
        .create_case(NewCase {
            moderator: Some(MODERATOR),
            kind: CaseKind::Timeout,
            rule: None,
            section: None,
            content: None,
            channel: None,
            message: None,
            duration_secs: Some(600),
            ..warn(G1, BOB, 3, T0 + 1_000)
        })
        .await
        .unwrap();
    let third = store
        .create_case(warn(G1, ALICE, 2, T0 + 2_000))
        .await
        .unwrap();
    let other_guild = store.create_case(warn(G2, ALICE, 1, T0)).await.unwrap();
    assert_eq!(
        [
            first.number,
            second.number,
            third.number,
            other_guild.number
        ],
        [1, 2, 3, 1]
    );
    assert_eq!(store.case(G1, 2).await.unwrap(), Some(second.clone()));
    assert_eq!(second.moderator, Some(MODERATOR));
    assert_eq!(second.rule, None);
    assert_eq!(store.case(G1, 1).await.unwrap(), Some(first.clone()));
    assert_eq!(store.case(G1, 99).await.unwrap(), None);
    assert_eq!(store.case(G3, 1).await.unwrap(), None);
    assert_eq!(
        store.cases_for(G1, ALICE, 10).await.unwrap(),
        vec![third.clone(), first.clone()]
    );
    assert_eq!(
        store.cases_for(G1, ALICE, 1).await.unwrap(),
        vec![third.clone()]
    );

    // Concurrent writers never share a number.
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .create_case(warn(G3, UserId(100 + i), 1, T0 + i as i64))
                    .await
                    .expect("concurrent create_case")
                    .number
            })
        })
        .collect();
    let mut numbers = BTreeSet::new();
    for task in tasks {
        assert!(
            numbers.insert(task.await.unwrap()),
            "a case number repeated"
        );
    }
    assert_eq!(numbers, (1..=50).collect::<BTreeSet<i64>>());
    let next = store.create_case(warn(G3, BOB, 0, T0)).await.unwrap();
    assert_eq!(next.number, 51);

    // Escalation points count the cases inside the window only.
    store
        .create_case(warn(G1, ALICE, 4, T0 - 40 * DAY_MS))
        .await
        .unwrap();
    assert_eq!(
        store
            .points_since(G1, ALICE, T0 - 30 * DAY_MS)
            .await
            .unwrap(),
        3
    );
    assert_eq!(
        store
            .points_since(G1, ALICE, T0 - 50 * DAY_MS)
            .await
            .unwrap(),
        7
    );
    assert_eq!(store.points_since(G1, ALICE, T0 + 1).await.unwrap(), 2);
    assert_eq!(store.points_since(G1, ALICE, T0 + 2_000).await.unwrap(), 2);
    assert_eq!(store.points_since(G1, ALICE, T0 + 2_001).await.unwrap(), 0);
    assert_eq!(store.points_since(G2, BOB, 0).await.unwrap(), 0);
    assert_eq!(store.points_since(G1, BOB, 0).await.unwrap(), 3);

    // A reason correction shows on the case and leaves a trace.
    let corrected = store
        .set_case_reason(G1, 1, "Insult (repeated)", MODERATOR, T0 + 5_000)
        .await
        .unwrap()
        .expect("case 1 exists");
    assert_eq!(corrected.reason, "Insult (repeated)");
    assert_eq!(corrected.points, first.points);
    store
        .set_case_reason(G1, 1, "Insult, second offence", BOB, T0 + 6_000)
        .await
        .unwrap();
    assert_eq!(
        store.case(G1, 1).await.unwrap().unwrap().reason,
        "Insult, second offence"
    );
    let corrections = store.case_corrections(G1, 1).await.unwrap();
    let history: Vec<_> = corrections
        .iter()
        .map(|c| (c.old_reason.as_str(), c.new_reason.as_str(), c.by, c.at_ms))
        .collect();
    assert_eq!(
        history,
        [
            ("Insult", "Insult (repeated)", MODERATOR, T0 + 5_000),
            (
                "Insult (repeated)",
                "Insult, second offence",
                BOB,
                T0 + 6_000
            ),
        ]
    );
    assert!(store.case_corrections(G1, 2).await.unwrap().is_empty());
    assert_eq!(
        store
            .set_case_reason(G1, 99, "nope", MODERATOR, T0)
            .await
            .unwrap(),
        None
    );
    assert!(store.case_corrections(G1, 99).await.unwrap().is_empty());

    // Activity counters add up across batches (and within one).
    let hour = T0 / 3_600_000;
    let delta = |guild, channel, user, hour, messages| ActivityDelta {
        guild,
        channel: ChannelId(channel),
        user,
        hour,
        messages,
        replies: 0,
    };
    store
        .add_activity(&[
            delta(G1, 10, ALICE, hour, 3),
            delta(G1, 10, ALICE, hour, 2),
            delta(G1, 11, BOB, hour, 4),
            delta(G1, 10, ALICE, hour + 1, 1),
            delta(G2, 10, ALICE, hour, 100),
        ])
        .await
        .unwrap();
    store
        .add_activity(&[
            delta(G1, 10, ALICE, hour, 10),
            delta(G1, 10, BOB, hour + 5, 0),
        ])
        .await
        .unwrap();
    store.add_activity(&[]).await.unwrap();
    assert_eq!(store.messages_in(G1, hour, hour + 1).await.unwrap(), 19);
    assert_eq!(store.messages_in(G1, hour, hour + 2).await.unwrap(), 20);
    assert_eq!(store.messages_in(G1, hour + 1, hour + 24).await.unwrap(), 1);
    assert_eq!(store.messages_in(G2, hour, hour + 1).await.unwrap(), 100);
    assert_eq!(store.messages_in(G3, hour, hour + 1).await.unwrap(), 0);
    // A batch larger than one statement's rows.
    let many: Vec<_> = (0..250)
        .map(|i| delta(G3, 10 + i % 7, UserId(1_000 + i), hour, 2))
        .collect();
    store.add_activity(&many).await.unwrap();
    store.add_activity(&many).await.unwrap();
    assert_eq!(store.messages_in(G3, hour, hour + 1).await.unwrap(), 1_000);

    let members = |guild, hour, joins, leaves| MemberDelta {
        guild,
        hour,
        joins,
        leaves,
    };
    store
        .add_member_events(&[members(G1, hour, 3, 1), members(G1, hour + 1, 1, 0)])
        .await
        .unwrap();
    store
        .add_member_events(&[members(G1, hour, 2, 2), members(G2, hour, 9, 9)])
        .await
        .unwrap();
    assert_eq!(
        store.member_events_in(G1, hour, hour + 1).await.unwrap(),
        (5, 3)
    );
    assert_eq!(
        store.member_events_in(G1, hour, hour + 2).await.unwrap(),
        (6, 3)
    );
    assert_eq!(
        store
            .member_events_in(G1, hour + 2, hour + 9)
            .await
            .unwrap(),
        (0, 0)
    );

    store.migrate().await.expect("migrate after use");
    assert_eq!(store.case(G1, 3).await.unwrap(), Some(third));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storage_story_on_sqlite() {
    on_sqlite(storage_story).await;
}

#[tokio::test]
async fn sqlite_connect_creates_a_missing_file_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    assert!(!path.exists());
    let store = Store::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("connect");
    store.migrate().await.expect("migrate");
    store.close().await;
    let header = std::fs::read(&path).expect("the file was created");
    assert!(header.starts_with(b"SQLite format 3\0"));
    // Bytes 18 and 19 of the header are the read and write versions: 2 means WAL.
    assert_eq!((header[18], header[19]), (2, 2), "not in WAL mode");

    // Reopening finds the data it left (a file, not a fresh database each time).
    let store = Store::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let case = store.create_case(warn(G1, ALICE, 1, T0)).await.unwrap();
    assert_eq!(case.number, 1);
    store.close().await;
}

#[tokio::test]
async fn unknown_url_schemes_are_named_without_credentials() {
    let error = Store::connect("mysql://steward:hunter2@db.example/steward")
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("`mysql`"), "{error}");
    assert!(!error.contains("hunter2"), "{error}");

    // A database that cannot be opened: the error names it.
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/missing/dir/steward.db", dir.path().display());
    let error = Store::connect(&url).await.unwrap_err().to_string();
    assert!(
        error.starts_with(&format!("cannot connect to `{url}")),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storage_story_on_postgres() {
    on_postgres(storage_story).await;
}
