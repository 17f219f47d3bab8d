//! Giveaways in storage, on SQLite always and on PostgreSQL when `TEST_POSTGRES_URL` is set:
//! one entry per member under concurrent presses (also the same member pressing many times at
//! once); no entry once ended; the end claimed by exactly one of two stores on one database,
//! with its winners recorded in the same transaction; a reroll never draws a past winner and
//! stops when nobody is left; a cancelled giveaway cannot be ended; claims (once, winners only,
//! before the deadline) and forfeits at the deadline (once, rerolled among non-winners).

use crate::support::{on_postgres_at, on_sqlite_at};
use steward::community::giveaway::{DrawKey, commitment, draw};
use steward::community::giveaway_checks::Requirements;
use steward::ids::{ChannelId, GuildId, UserId};
use steward::store::{Claim, Entry, GiveawayStatus, NewGiveaway, Rerolled, Store};

const GUILD: GuildId = GuildId(1_111_111_111_111_111_111);
const T0: i64 = 1_750_000_000_000;

fn new(winners: u32) -> NewGiveaway {
    let seed = [7; 32];
    NewGiveaway {
        guild: GUILD,
        channel: ChannelId(5),
        host: UserId(6),
        prize: "Nitro".into(),
        winners,
        requirements: Requirements {
            account_days: Some(30),
            clean_record: true,
            ..Requirements::default()
        },
        seed,
        commitment: commitment(&seed),
        created_at_ms: T0,
        ends_at_ms: T0 + 60_000,
        claim_secs: None,
    }
}

fn key(id: i64, round: u32) -> DrawKey {
    DrawKey {
        seed: [7; 32],
        giveaway: id,
        round,
    }
}

async fn giveaways_story(store: Store, url: String) {
    let g = store.create_giveaway(&new(2)).await.unwrap();
    assert_eq!(g.status, GiveawayStatus::Open);
    assert_eq!(g.requirements.account_days, Some(30));
    assert!(g.requirements.clean_record);
    assert_eq!(store.giveaway(GUILD, g.id).await.unwrap(), Some(g.clone()));
    assert_eq!(store.giveaway(GuildId(9), g.id).await.unwrap(), None);

    // 200 members press at once, and member 1 presses 20 more times meanwhile.
    let mut presses = Vec::new();
    for user in 1..=200_u64 {
        let store = store.clone();
        presses.push(tokio::spawn(async move {
            store
                .enter_giveaway(g.id, UserId(user), T0 + 1)
                .await
                .unwrap()
        }));
    }
    for _ in 0..20 {
        let store = store.clone();
        presses.push(tokio::spawn(async move {
            store.enter_giveaway(g.id, UserId(1), T0 + 2).await.unwrap()
        }));
    }
    let mut entered = 0;
    let mut already = 0;
    for press in presses {
        match press.await.unwrap() {
            Entry::Entered => entered += 1,
            Entry::Already => already += 1,
            Entry::Closed => panic!("the giveaway is open"),
        }
    }
    assert_eq!((entered, already), (200, 20));
    assert_eq!(store.entry_count(g.id).await.unwrap(), 200);
    let entrants = store.giveaway_entrants(g.id).await.unwrap();
    assert_eq!(entrants, (1..=200).map(UserId).collect::<Vec<_>>());

    // Two stores on one database end it at once: exactly one draws.
    let other = Store::connect(&url).await.unwrap();
    let drawer = |g: &steward::store::Giveaway, e: &[UserId]| draw(&key(g.id, 0), e, 2, &[]);
    let (a, b) = tokio::join!(
        store.end_giveaway(GUILD, g.id, T0 + 60_000, drawer),
        other.end_giveaway(GUILD, g.id, T0 + 60_000, drawer)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(
        a.is_some() != b.is_some(),
        "exactly one ends it: {a:?} {b:?}"
    );
    let (ended, seen, winners) = a.or(b).unwrap();
    assert_eq!(seen.len(), 200);
    assert_eq!(winners, draw(&key(g.id, 0), &entrants, 2, &[]));
    assert_eq!(ended.id, g.id);
    let recorded = store.giveaway_winners(g.id).await.unwrap();
    assert_eq!(
        recorded,
        winners.iter().map(|w| (*w, 0)).collect::<Vec<_>>()
    );
    let after = store.giveaway(GUILD, g.id).await.unwrap().unwrap();
    assert_eq!(after.status, GiveawayStatus::Ended);
    assert_eq!(after.ended_at_ms, Some(T0 + 60_000));
    assert_eq!(
        store
            .end_giveaway(GUILD, g.id, T0 + 70_000, drawer)
            .await
            .unwrap(),
        None
    );
    // Entries racing the end: every member told "entered" is among the entrants the draw saw.
    // (In a server of its own, so that the listings below see only the first server's.)
    let elsewhere = GuildId(77);
    let mut spec = new(1);
    spec.guild = elsewhere;
    let raced = store.create_giveaway(&spec).await.unwrap();
    let mut presses = Vec::new();
    for user in 1_000..1_060_u64 {
        let store = if user % 2 == 0 {
            store.clone()
        } else {
            other.clone()
        };
        presses.push(tokio::spawn(async move {
            let entry = store.enter_giveaway(raced.id, UserId(user), T0 + 1).await;
            (user, entry.unwrap())
        }));
    }
    tokio::task::yield_now().await;
    let ended = other
        .end_giveaway(elsewhere, raced.id, T0 + 60_000, |g, e| {
            draw(&key(g.id, 0), e, 1, &[])
        })
        .await
        .unwrap();
    let (_, seen, _) = ended.expect("the raced giveaway ends");
    for press in presses {
        let (user, entry) = press.await.unwrap();
        if entry == Entry::Entered {
            assert!(
                seen.contains(&UserId(user)),
                "member {user} was told entered but left out of the draw"
            );
        }
    }
    other.close().await;

    // Entries are closed.
    assert_eq!(
        store
            .enter_giveaway(g.id, UserId(500), T0 + 61_000)
            .await
            .unwrap(),
        Entry::Closed
    );
    assert_eq!(store.entry_count(g.id).await.unwrap(), 200);

    // Rerolls exclude every past winner, round after round, until nobody is left.
    let mut past: Vec<UserId> = winners.clone();
    for round in 1..=3_u32 {
        let rerolled = store
            .reroll_giveaway(GUILD, g.id, |g, e, p| draw(&key(g.id, g.round), e, 5, p))
            .await
            .unwrap();
        let Rerolled::Drawn {
            round: r, winners, ..
        } = rerolled
        else {
            panic!("{rerolled:?}")
        };
        assert_eq!(r, round);
        assert_eq!(winners.len(), 5);
        assert!(
            winners.iter().all(|w| !past.contains(w)),
            "{winners:?} {past:?}"
        );
        past.extend(winners);
    }
    assert_eq!(store.giveaway_winners(g.id).await.unwrap().len(), 17);
    let everyone = store
        .reroll_giveaway(GUILD, g.id, |g, e, p| draw(&key(g.id, g.round), e, 500, p))
        .await
        .unwrap();
    assert!(matches!(everyone, Rerolled::Drawn { ref winners, .. } if winners.len() == 183));
    let none = store
        .reroll_giveaway(GUILD, g.id, |g, e, p| draw(&key(g.id, g.round), e, 1, p))
        .await
        .unwrap();
    assert_eq!(none, Rerolled::NobodyLeft);
    assert_eq!(store.giveaway(GUILD, g.id).await.unwrap().unwrap().round, 4);

    // A cancelled giveaway is neither ended nor rerolled; listing shows both, latest first.
    let c = store.create_giveaway(&new(1)).await.unwrap();
    let missing = store
        .reroll_giveaway(GUILD, 9_999, |_, _, _| Vec::new())
        .await
        .unwrap();
    assert_eq!(missing, Rerolled::Missing);
    assert_eq!(
        store
            .reroll_giveaway(GUILD, c.id, |_, _, _| Vec::new())
            .await
            .unwrap(),
        Rerolled::NotEnded
    );
    let cancelled = store
        .cancel_giveaway(GUILD, c.id, T0 + 5)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cancelled.status, GiveawayStatus::Cancelled);
    assert_eq!(
        store.cancel_giveaway(GUILD, c.id, T0 + 6).await.unwrap(),
        None
    );
    assert_eq!(
        store
            .end_giveaway(GUILD, c.id, T0 + 7, drawer)
            .await
            .unwrap(),
        None
    );
    let listed = store.giveaways_of(GUILD, 10).await.unwrap();
    let ids: Vec<(i64, u64)> = listed.iter().map(|(g, n)| (g.id, *n)).collect();
    assert_eq!(ids, vec![(c.id, 0), (g.id, 200)]);
    store
        .mark_giveaway_announced(g.id, T0 + 61_000)
        .await
        .unwrap();
    let announced = store.giveaway(GUILD, g.id).await.unwrap().unwrap();
    assert_eq!(announced.announced_at_ms, Some(T0 + 61_000));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn giveaways_on_sqlite() {
    on_sqlite_at(giveaways_story).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn giveaways_on_postgres() {
    on_postgres_at(giveaways_story).await;
}

/// A claim deadline: a winner claims once, a non-winner cannot, a claim after the deadline is
/// refused; the deadline forfeits the unclaimed winners once and draws as many others, never a
/// past winner; with nobody left, the forfeit stands and nothing is drawn.
async fn claims_story(store: Store, _url: String) {
    let mut spec = new(2);
    spec.claim_secs = Some(60);
    let g = store.create_giveaway(&spec).await.unwrap();
    assert_eq!(g.claim_secs, Some(60));
    for user in 1..=4_u64 {
        store
            .enter_giveaway(g.id, UserId(user), T0 + 1)
            .await
            .unwrap();
    }
    let (_, _, first) = store
        .end_giveaway(GUILD, g.id, T0 + 60_000, |g, e| {
            draw(&key(g.id, 0), e, 2, &[])
        })
        .await
        .unwrap()
        .unwrap();
    let (a, b) = (first[0], first[1]);
    let loser = (1..=4).map(UserId).find(|u| !first.contains(u)).unwrap();
    let by = T0 + 120_000;
    store.set_claim_deadline(g.id, 0, by).await.unwrap();
    assert_eq!(
        store.claim_giveaway(g.id, a, T0 + 61_000).await.unwrap(),
        Claim::Claimed
    );
    assert_eq!(
        store.claim_giveaway(g.id, a, T0 + 62_000).await.unwrap(),
        Claim::Already
    );
    assert_eq!(
        store
            .claim_giveaway(g.id, loser, T0 + 62_000)
            .await
            .unwrap(),
        Claim::NotWinner
    );
    assert_eq!(
        store.claim_giveaway(g.id, b, by).await.unwrap(),
        Claim::TooLate
    );
    let reroll = |g: &steward::store::Giveaway, n: usize, e: &[UserId], past: &[UserId]| {
        draw(&key(g.id, g.round), e, n, past)
    };
    let forfeit = store
        .forfeit_unclaimed(GUILD, g.id, 0, reroll)
        .await
        .unwrap()
        .expect("b forfeits");
    assert_eq!(forfeit.forfeited, vec![b]);
    assert_eq!(forfeit.round, 1);
    assert_eq!(forfeit.winners.len(), 1);
    let c = forfeit.winners[0];
    assert!(!first.contains(&c));
    // Once only; the forfeited winner cannot claim any more.
    assert_eq!(
        store
            .forfeit_unclaimed(GUILD, g.id, 0, reroll)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store.claim_giveaway(g.id, b, T0 + 70_000).await.unwrap(),
        Claim::TooLate
    );
    // Round 1's winner does not claim either: the last entrant is drawn; then nobody is left.
    store.set_claim_deadline(g.id, 1, by).await.unwrap();
    let second = store
        .forfeit_unclaimed(GUILD, g.id, 1, reroll)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second.forfeited, vec![c]);
    let d = second.winners[0];
    assert!(![a, b, c].contains(&d));
    let last = store
        .forfeit_unclaimed(GUILD, g.id, 2, reroll)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((last.forfeited, last.winners), (vec![d], vec![]));
    assert_eq!(last.round, 2);
    let row = store.giveaway(GUILD, g.id).await.unwrap().unwrap();
    assert_eq!(row.round, 2);
    assert_eq!(store.giveaway_winners(g.id).await.unwrap().len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_on_sqlite() {
    on_sqlite_at(claims_story).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_on_postgres() {
    on_postgres_at(claims_story).await;
}
