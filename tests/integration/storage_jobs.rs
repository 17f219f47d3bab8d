//! The jobs table under the scheduler's use, on SQLite always and on PostgreSQL when
//! `TEST_POSTGRES_URL` is set (in a schema of its own): two schedulers on separate pools share
//! 1,000 due jobs and run each once; jobs that fell due while no scheduler ran are caught up
//! once; failures are retried with backoff, then given up; an expired lease lets another worker
//! take a job over. Time is passed in, never read.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{on_postgres_at, on_sqlite_at};
use steward::ids::GuildId;
use steward::jobs::{AfterFailure, MAX_ATTEMPTS, after_failure};
use steward::shards::ShardRange;
use steward::store::Store;

const GUILD: GuildId = GuildId(1_111_111_111_111_111_111);
const OTHER: GuildId = GuildId(2_222);
const T0: i64 = 1_750_000_000_000;
const LEASE: i64 = 60_000;
const BASE: Duration = Duration::from_millis(100);
const KIND: &str = "test";

/// Runs per job id, across workers.
type Runs = Arc<Mutex<HashMap<i64, u32>>>;

/// One scheduler pass as `discord::scheduler` makes it, at `now`: claim due jobs batch after
/// batch (again after an empty claim while jobs are due), "run" each (count it; it fails when `fails(run number)`), then complete, retry or give
/// up. Returns how many jobs this worker claimed and those it gave up.
async fn pass(
    store: &Store,
    worker: &str,
    now: i64,
    runs: &Runs,
    fails: impl Fn(u32) -> bool,
) -> (usize, Vec<i64>) {
    let (mut claimed, mut given_up) = (0, Vec::new());
    loop {
        let jobs = store.claim_due(now, 25, LEASE, worker, None).await.unwrap();
        if jobs.is_empty() {
            if store.has_due_jobs(now, None).await.unwrap() {
                tokio::task::yield_now().await;
                continue; // Lost a race for these rows; others are due.
            }
            return (claimed, given_up);
        }
        claimed += jobs.len();
        for job in jobs {
            assert_eq!(job.claimed_by.as_deref(), Some(worker));
            let run = {
                let mut runs = runs.lock().unwrap();
                let n = runs.entry(job.id).or_default();
                *n += 1;
                *n
            };
            tokio::task::yield_now().await;
            let settled = if !fails(run) {
                store.complete_job(job.id, worker).await.unwrap()
            } else {
                match after_failure(job.attempts, now, BASE) {
                    AfterFailure::Retry { at_ms } => store
                        .retry_job(job.id, worker, at_ms, &format!("failure {run}"))
                        .await
                        .unwrap(),
                    AfterFailure::GiveUp => {
                        let row = store
                            .give_up_job(job.id, worker, "last failure")
                            .await
                            .unwrap()
                            .expect("still ours");
                        assert_eq!(row.attempts, MAX_ATTEMPTS);
                        assert_eq!(row.last_error.as_deref(), Some("last failure"));
                        given_up.push(job.id);
                        true
                    }
                }
            };
            assert!(settled, "job {} was not {worker}'s any more", job.id);
        }
    }
}

async fn schedule_at(store: &Store, due: i64, key: Option<&str>) -> i64 {
    store
        .schedule(KIND, GUILD, r#"{"n":1}"#, due, key)
        .await
        .unwrap()
}

async fn jobs_story(store: Store, url: String) {
    // 1,000 jobs due at once, two schedulers on two pools: each job runs exactly once.
    let second = Store::connect(&url).await.unwrap();
    let inserts: Vec<_> = (0..1_000)
        .map(|i| {
            let store = if i % 2 == 0 { &store } else { &second }.clone();
            tokio::spawn(async move {
                store
                    .schedule(KIND, GUILD, &format!("{{\"n\":{i}}}"), T0 - i, None)
                    .await
                    .unwrap()
            })
        })
        .collect();
    for insert in inserts {
        insert.await.unwrap();
    }
    let runs = Runs::default();
    let workers: Vec<_> = [("a", store.clone()), ("b", second.clone())]
        .into_iter()
        .map(|(name, store)| {
            let runs = runs.clone();
            tokio::spawn(async move { pass(&store, name, T0, &runs, |_| false).await.0 })
        })
        .collect();
    let mut claimed = Vec::new();
    for worker in workers {
        claimed.push(worker.await.unwrap());
    }
    {
        let runs = runs.lock().unwrap();
        assert_eq!(runs.len(), 1_000);
        assert!(runs.values().all(|&n| n == 1), "a job ran twice");
    }
    assert_eq!(claimed.iter().sum::<usize>(), 1_000);
    assert!(
        claimed.iter().all(|&n| n > 0),
        "both workers claimed: {claimed:?}"
    );
    assert_eq!(store.pending_jobs(GUILD, 10).await.unwrap().1, 0);

    // Downtime: jobs fall due while no scheduler runs; the next start runs each once.
    let runs = Runs::default();
    for due in [T0 + 10, T0 + 20, T0 + 30] {
        schedule_at(&store, due, None).await;
    }
    let later = schedule_at(&store, T0 + 50_000, None).await;
    let (claimed, _) = pass(&second, "restarted", T0 + 40_000, &runs, |_| false).await;
    assert_eq!(claimed, 3);
    let (again, _) = pass(&store, "other", T0 + 40_000, &runs, |_| false).await;
    assert_eq!(again, 0, "caught-up jobs do not run again");
    assert!(runs.lock().unwrap().values().all(|&n| n == 1));
    let (pending, total) = store.pending_jobs(GUILD, 10).await.unwrap();
    assert_eq!((pending.len(), total), (1, 1));
    assert_eq!(pending[0].id, later);
    let (n, _) = pass(&store, "a", T0 + 50_000, &runs, |_| false).await;
    assert_eq!(n, 1);

    // A job failing twice then succeeding runs three times, then is done; the failures are
    // visible meanwhile and each retry waits its backoff.
    let runs = Runs::default();
    let flaky = schedule_at(&store, T0, None).await;
    let fails_twice = |run| run <= 2;
    pass(&store, "a", T0, &runs, fails_twice).await;
    let (pending, _) = store.pending_jobs(GUILD, 10).await.unwrap();
    assert_eq!(pending[0].attempts, 1);
    assert_eq!(pending[0].last_error.as_deref(), Some("failure 1"));
    assert_eq!(pending[0].due_at_ms, T0 + 100);
    assert_eq!(pending[0].claimed_by, None);
    assert_eq!(pass(&store, "a", T0 + 99, &runs, fails_twice).await.0, 0);
    pass(&store, "a", T0 + 100, &runs, fails_twice).await;
    assert_eq!(
        store.pending_jobs(GUILD, 10).await.unwrap().0[0].due_at_ms,
        T0 + 300
    );
    pass(&store, "b", T0 + 300, &runs, fails_twice).await;
    assert_eq!(runs.lock().unwrap()[&flaky], 3);
    assert_eq!(store.pending_jobs(GUILD, 10).await.unwrap().1, 0);

    // A job failing every time is given up after MAX_ATTEMPTS runs, and removed.
    let runs = Runs::default();
    let doomed = schedule_at(&store, T0, None).await;
    let mut now = T0;
    let mut given_up = Vec::new();
    for _ in 0..MAX_ATTEMPTS {
        given_up = pass(&store, "a", now, &runs, |_| true).await.1;
        now += 60 * 60 * 1_000;
    }
    assert_eq!(given_up, [doomed]);
    assert_eq!(runs.lock().unwrap()[&doomed], MAX_ATTEMPTS);
    assert_eq!(store.pending_jobs(GUILD, 10).await.unwrap().1, 0);

    // Leases: a worker that died holds its job only until its lease expires; then another
    // takes it over, and the dead worker can no longer settle it.
    let orphan = schedule_at(&store, T0, None).await;
    let taken = store.claim_due(T0, 10, LEASE, "dead", None).await.unwrap();
    assert_eq!(taken.iter().map(|j| j.id).collect::<Vec<_>>(), [orphan]);
    assert_eq!(taken[0].claimed_until_ms, Some(T0 + LEASE));
    assert!(
        second
            .claim_due(T0 + LEASE - 1, 10, LEASE, "b", None)
            .await
            .unwrap()
            .is_empty()
    );
    let retaken = second
        .claim_due(T0 + LEASE, 10, LEASE, "b", None)
        .await
        .unwrap();
    assert_eq!(retaken.len(), 1);
    assert!(!store.complete_job(orphan, "dead").await.unwrap());
    assert!(!store.retry_job(orphan, "dead", T0, "late").await.unwrap());
    assert!(second.complete_job(orphan, "b").await.unwrap());

    // A clean shutdown releases its claims at once.
    let released = schedule_at(&store, T0, None).await;
    assert_eq!(
        store
            .claim_due(T0, 10, LEASE, "a", None)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(store.release_claims("a").await.unwrap(), 1);
    let again = second
        .claim_due(T0 + 1, 10, LEASE, "b", None)
        .await
        .unwrap();
    assert_eq!(again[0].id, released);
    assert!(!store.postpone_job(released, "a", T0 + 5).await.unwrap());
    assert!(
        second
            .postpone_job(released, "b", T0 + 5_000)
            .await
            .unwrap()
    );
    assert!(
        store
            .claim_due(T0 + 4_999, 10, LEASE, "a", None)
            .await
            .unwrap()
            .is_empty()
    );
    let postponed = store
        .claim_due(T0 + 5_000, 10, LEASE, "a", None)
        .await
        .unwrap();
    assert_eq!(postponed[0].attempts, 0, "putting off is not a failure");
    assert!(store.complete_job(released, "a").await.unwrap());

    // A key makes a job unique in its kind: scheduling again replaces it (and revives a claimed
    // one); cancelling removes it; keys and listings are per kind and per guild.
    let first = schedule_at(&store, T0 + 1_000, Some("1:2")).await;
    store
        .claim_due(T0 + 1_000, 10, LEASE, "a", None)
        .await
        .unwrap();
    let replaced = store
        .schedule(KIND, GUILD, r#"{"n":2}"#, T0 + 2_000, Some("1:2"))
        .await
        .unwrap();
    assert_eq!(replaced, first);
    store
        .schedule("other", OTHER, "{}", T0, Some("1:2"))
        .await
        .unwrap();
    let (pending, total) = store.pending_jobs(GUILD, 10).await.unwrap();
    assert_eq!(total, 1);
    assert_eq!(
        (pending[0].payload.as_str(), pending[0].due_at_ms),
        (r#"{"n":2}"#, T0 + 2_000)
    );
    assert_eq!(
        (pending[0].claimed_by.as_deref(), pending[0].attempts),
        (None, 0)
    );
    assert!(
        !store.complete_job(first, "a").await.unwrap(),
        "the old claim is void"
    );
    assert_eq!(store.pending_jobs(OTHER, 10).await.unwrap().1, 1);
    assert!(store.cancel_job(KIND, "1:2").await.unwrap());
    assert!(!store.cancel_job(KIND, "1:2").await.unwrap());
    assert_eq!(store.pending_jobs(GUILD, 10).await.unwrap().1, 0);
    assert_eq!(store.pending_jobs(OTHER, 10).await.unwrap().1, 1);
    second.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_on_sqlite() {
    on_sqlite_at(jobs_story).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_on_postgres() {
    on_postgres_at(jobs_story).await;
}

/// With shard ranges, a process claims only the jobs of the guilds on its shards.
async fn shards_story(store: Store, _url: String) {
    let range = |shards: &str| Some(ShardRange::parse(shards, "2").unwrap());
    // (guild_id >> 22) % 2: 4 << 22 is on shard 0, 5 << 22 on shard 1.
    let (even, odd) = (GuildId(4 << 22), GuildId(5 << 22));
    for (guild, key) in [(even, "a"), (odd, "b"), (odd, "c")] {
        store
            .schedule(KIND, guild, "{}", T0, Some(key))
            .await
            .unwrap();
    }
    assert!(store.has_due_jobs(T0, range("0")).await.unwrap());
    let first = store
        .claim_due(T0, 10, LEASE, "zero", range("0"))
        .await
        .unwrap();
    assert_eq!(
        first.iter().map(|j| j.guild).collect::<Vec<_>>(),
        vec![even]
    );
    assert!(!store.has_due_jobs(T0, range("0")).await.unwrap());
    let second = store
        .claim_due(T0, 10, LEASE, "one", range("1"))
        .await
        .unwrap();
    assert_eq!(second.len(), 2);
    assert!(second.iter().all(|j| j.guild == odd));
    assert!(
        store
            .claim_due(T0, 10, LEASE, "all", None)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn each_shard_range_claims_its_own_guilds_jobs_on_sqlite() {
    on_sqlite_at(shards_story).await;
}

#[tokio::test]
async fn each_shard_range_claims_its_own_guilds_jobs_on_postgres() {
    on_postgres_at(shards_story).await;
}
