//! Raid mode's memory on SQLite always and on PostgreSQL when `TEST_POSTGRES_URL` is set: a raid
//! starts once (a second start keeps the first), each change keeps the first setting it replaced
//! (nullable pauses included), read back as recorded; signals only move forward; members are
//! recorded once, marked when sanctioned, and kept after the raid ends until the next one starts.

use crate::support::{on_postgres, on_sqlite};
use steward::ids::{ChannelId, GuildId, MessageId, UserId};
use steward::moderation::raid_mode::{ActiveRaid, Change, Setting, Trigger};
use steward::store::Store;

const GUILD: GuildId = GuildId(1_111_111_111_111_111_111);
const OTHER: GuildId = GuildId(2_222);
const T0: i64 = 1_750_000_000_000;

fn raid(guild: GuildId, by: Option<UserId>, at: i64) -> ActiveRaid {
    ActiveRaid {
        guild,
        started_at_ms: at,
        started_by: by,
        trigger: if by.is_some() {
            Trigger::Manual
        } else {
            Trigger::Joins
        },
        last_signal_at_ms: at,
        held: 0,
        alert: None,
    }
}

fn changes() -> Vec<Change> {
    let general = ChannelId(9_000_000_000_000_000_001);
    vec![
        Change {
            before: Setting::SlowMode {
                channel: general,
                secs: 5,
            },
            during: Setting::SlowMode {
                channel: general,
                secs: 30,
            },
        },
        Change {
            before: Setting::Verification(1),
            during: Setting::Verification(3),
        },
        Change {
            before: Setting::InvitesPausedUntil(None),
            during: Setting::InvitesPausedUntil(Some(T0 + 7_200_000)),
        },
        Change {
            before: Setting::DmsPausedUntil(Some(T0 + 60_000)),
            during: Setting::DmsPausedUntil(Some(T0 + 3_600_000)),
        },
    ]
}

async fn raids_story(store: Store) {
    assert!(store.start_raid(&raid(GUILD, None, T0)).await.unwrap());
    let moderator = Some(UserId(42));
    assert!(
        !store
            .start_raid(&raid(GUILD, moderator, T0 + 5))
            .await
            .unwrap()
    );
    assert!(store.start_raid(&raid(OTHER, moderator, T0)).await.unwrap());
    store.raid_signal(GUILD, T0 + 10_000).await.unwrap();
    store.raid_signal(GUILD, T0 + 4_000).await.unwrap();
    store.count_raid_hold(GUILD).await.unwrap();
    store.count_raid_hold(GUILD).await.unwrap();
    store
        .set_raid_alert(GUILD, ChannelId(7), MessageId(8))
        .await
        .unwrap();
    let read = store.raid(GUILD).await.unwrap().unwrap();
    assert_eq!(
        read,
        ActiveRaid {
            last_signal_at_ms: T0 + 10_000,
            held: 2,
            alert: Some((ChannelId(7), MessageId(8))),
            ..raid(GUILD, None, T0)
        }
    );
    assert_eq!(store.raids().await.unwrap().len(), 2);

    for change in changes() {
        store.record_raid_change(GUILD, &change).await.unwrap();
    }
    // Changed again during the raid: the first "before" is the one to restore.
    let again = Change {
        before: Setting::Verification(3),
        during: Setting::Verification(4),
    };
    store.record_raid_change(GUILD, &again).await.unwrap();
    let mut recorded = store.raid_changes(GUILD).await.unwrap();
    let mut expected = changes();
    let key = |c: &Change| format!("{:?}", c.before);
    recorded.sort_by_key(key);
    expected.sort_by_key(key);
    assert_eq!(recorded, expected);
    store
        .forget_raid_change(GUILD, &Setting::Verification(1))
        .await
        .unwrap();
    assert_eq!(store.raid_changes(GUILD).await.unwrap().len(), 3);
    assert!(store.raid_changes(OTHER).await.unwrap().is_empty());

    let members = [(UserId(1), Some(T0)), (UserId(2), None)];
    store.add_raid_members(GUILD, &members).await.unwrap();
    store
        .add_raid_members(GUILD, &[(UserId(1), Some(T0 + 99))])
        .await
        .unwrap();
    assert!(store.claim_raid_sanction(GUILD, UserId(2)).await.unwrap());
    assert!(!store.claim_raid_sanction(GUILD, UserId(2)).await.unwrap());
    let listed = store.raid_members(GUILD).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].joined_at_ms, Some(T0));
    assert!(!listed[0].actioned && listed[1].actioned);

    // Ending: once; changes go with clear_raid, members stay until the next raid.
    let ended = store.end_raid(GUILD).await.unwrap().unwrap();
    assert_eq!(ended.held, 2);
    assert_eq!(store.end_raid(GUILD).await.unwrap(), None);
    store.clear_raid(GUILD).await.unwrap();
    assert!(store.raid_changes(GUILD).await.unwrap().is_empty());
    assert_eq!(store.raid_members(GUILD).await.unwrap().len(), 2);
    assert!(store.raid(OTHER).await.unwrap().is_some());
    assert!(store.start_raid(&raid(GUILD, None, T0 + 1)).await.unwrap());
    assert!(store.raid_members(GUILD).await.unwrap().is_empty());
}

#[tokio::test]
async fn raid_mode_is_remembered_on_sqlite() {
    on_sqlite(raids_story).await;
}

#[tokio::test]
async fn raid_mode_is_remembered_on_postgres() {
    on_postgres(raids_story).await;
}
