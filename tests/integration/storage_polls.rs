//! Polls in storage, on SQLite always and on PostgreSQL when `TEST_POSTGRES_URL` is set: a
//! changed vote counts once; 20 concurrent votes by one member (on two pools, as two processes
//! would) count once; an anonymous poll keeps no choice of anyone and a vote in it is final; a
//! vote after the close is refused; of two stores closing one poll at once, exactly one gets it;
//! a vote told "recorded" while the poll closes is in the results.

use std::time::Duration;

use crate::support::{on_postgres_at, on_sqlite_at};
use steward::community::poll::{Ballot, PollSpec, Tally};
use steward::ids::{ChannelId, GuildId, UserId};
use steward::store::{NewPoll, PollRow, Store, VoteOutcome};

const GUILD: GuildId = GuildId(1_111_111_111_111_111_111);
const T0: i64 = 1_750_000_000_000;
const ALICE: UserId = UserId(1_000_000_000_000_000_001);
const BOB: UserId = UserId(1_000_000_000_000_000_002);

fn spec(anonymous: bool, multiple: bool) -> PollSpec {
    PollSpec {
        question: "Quel jour ?".into(),
        options: vec!["Lundi".into(), "Mardi".into(), "Mercredi".into()],
        duration: Duration::from_secs(3600),
        multiple,
        anonymous,
        live: true,
        role: None,
        native: false,
    }
}

async fn create(store: &Store, spec: &PollSpec) -> PollRow {
    store
        .create_poll(&NewPoll {
            guild: GUILD,
            channel: ChannelId(5),
            author: BOB,
            spec,
            created_at_ms: T0,
        })
        .await
        .unwrap()
}

fn ballot(choices: &[usize]) -> Ballot {
    Ballot {
        choices: choices.to_vec(),
    }
}

async fn polls_story(store: Store, url: String) {
    // A public poll: a changed vote replaces the first and counts once.
    let public = create(&store, &spec(false, true)).await;
    assert_eq!(public.closes_at_ms, T0 + 3_600_000);
    assert_eq!(
        store.poll(GUILD, public.id).await.unwrap().as_ref(),
        Some(&public)
    );
    assert_eq!(store.poll(GuildId(9), public.id).await.unwrap(), None);
    let vote = |user, choices: &'static [usize], at| {
        let (store, public) = (store.clone(), public.clone());
        async move {
            store
                .vote(&public, user, &ballot(choices), at)
                .await
                .unwrap()
        }
    };
    assert_eq!(vote(ALICE, &[0], T0 + 1).await, VoteOutcome::Recorded);
    assert_eq!(vote(BOB, &[0, 2], T0 + 2).await, VoteOutcome::Recorded);
    assert_eq!(vote(ALICE, &[1], T0 + 3).await, VoteOutcome::Changed);
    let tally = store.tally(&public).await.unwrap();
    assert_eq!(
        tally,
        Tally {
            counts: vec![1, 1, 1],
            voters: 2
        }
    );
    let votes = store.poll_votes(public.id).await.unwrap();
    assert_eq!(votes.len(), 2);
    assert_eq!((votes[0].user, &votes[0].ballot), (BOB, &ballot(&[0, 2])));
    assert_eq!((votes[1].user, votes[1].voted_at_ms), (ALICE, T0 + 3));

    // One member voting 20 times at once, through two pools: one vote.
    let other = Store::connect(&url).await.unwrap();
    let racing = create(&store, &spec(false, false)).await;
    let mut presses = Vec::new();
    for n in 0..20_usize {
        let store = if n % 2 == 0 {
            store.clone()
        } else {
            other.clone()
        };
        let racing = racing.clone();
        presses.push(tokio::spawn(async move {
            store
                .vote(&racing, ALICE, &ballot(&[n % 3]), T0 + n as i64)
                .await
                .unwrap()
        }));
    }
    let mut outcomes = Vec::new();
    for press in presses {
        outcomes.push(press.await.unwrap());
    }
    let first = outcomes
        .iter()
        .filter(|o| **o == VoteOutcome::Recorded)
        .count();
    assert_eq!(first, 1, "{outcomes:?}");
    let tally = store.tally(&racing).await.unwrap();
    assert_eq!((tally.voters, tally.counts.iter().sum::<u64>()), (1, 1));

    // An anonymous poll: counters only, the voter row names no choice, a vote is final.
    let secret = create(&store, &spec(true, false)).await;
    for (user, choice) in [(ALICE, 2), (BOB, 2)] {
        let outcome = store
            .vote(&secret, user, &ballot(&[choice]), T0)
            .await
            .unwrap();
        assert_eq!(outcome, VoteOutcome::Recorded);
    }
    let again = store.vote(&secret, ALICE, &ballot(&[0]), T0).await.unwrap();
    assert_eq!(again, VoteOutcome::AlreadyVoted);
    let mut racers = Vec::new();
    for n in 0..10_i64 {
        let store = if n % 2 == 0 {
            store.clone()
        } else {
            other.clone()
        };
        let secret = secret.clone();
        racers.push(tokio::spawn(async move {
            store
                .vote(&secret, UserId(77), &ballot(&[1]), T0 + n)
                .await
                .unwrap()
        }));
    }
    let mut recorded = 0;
    for racer in racers {
        recorded += usize::from(racer.await.unwrap() == VoteOutcome::Recorded);
    }
    assert_eq!(recorded, 1);
    assert_eq!(
        store.tally(&secret).await.unwrap(),
        Tally {
            counts: vec![0, 1, 2],
            voters: 3
        }
    );
    for vote in store.poll_votes(secret.id).await.unwrap() {
        assert!(
            vote.ballot.choices.is_empty(),
            "an anonymous voter row holds a choice"
        );
    }

    // Two stores close one poll at once: exactly one gets it; later votes are refused.
    let (a, b) = tokio::join!(
        store.close_poll(GUILD, public.id, T0 + 10),
        other.close_poll(GUILD, public.id, T0 + 10)
    );
    let closed: Vec<PollRow> = [a.unwrap(), b.unwrap()].into_iter().flatten().collect();
    assert_eq!(closed.len(), 1, "closed by both");
    assert!(!closed[0].open);
    assert_eq!(closed[0].closed_at_ms, Some(T0 + 10));
    assert_eq!(closed[0].options, public.options);
    assert_eq!(
        store.close_poll(GUILD, public.id, T0 + 11).await.unwrap(),
        None
    );
    assert_eq!(vote(BOB, &[1], T0 + 12).await, VoteOutcome::Closed);
    assert_eq!(
        store.tally(&public).await.unwrap(),
        Tally {
            counts: vec![1, 1, 1],
            voters: 2
        }
    );

    // Votes racing the close: every vote told "recorded" is in the tally read after the close.
    let racing = create(&store, &spec(false, false)).await;
    let mut votes = Vec::new();
    for n in 0..30_u64 {
        let store = if n % 2 == 0 {
            store.clone()
        } else {
            other.clone()
        };
        let racing = racing.clone();
        votes.push(tokio::spawn(async move {
            let voter = UserId(500 + n);
            store.vote(&racing, voter, &ballot(&[0]), T0).await.unwrap()
        }));
    }
    tokio::task::yield_now().await;
    let closed = other.close_poll(GUILD, racing.id, T0 + 1).await.unwrap();
    assert!(closed.is_some());
    let tally_at_close = store.tally(&racing).await.unwrap();
    let mut recorded = 0;
    for vote in votes {
        match vote.await.unwrap() {
            VoteOutcome::Recorded => recorded += 1,
            outcome => assert_eq!(outcome, VoteOutcome::Closed),
        }
    }
    assert_eq!(
        tally_at_close.voters, recorded,
        "a vote told recorded is missing"
    );
    assert_eq!(store.tally(&racing).await.unwrap().voters, recorded);
    other.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polls_on_sqlite() {
    on_sqlite_at(polls_story).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polls_on_postgres() {
    on_postgres_at(polls_story).await;
}
