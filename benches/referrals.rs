//! Referral attribution and qualification: one join attributed in a server with 1,000 invites,
//! and 10,000 joins replayed through attribution (one look at the invites per burst of 1 to 20
//! joins), eligibility and qualification; time (criterion) and peak heap memory.
//!
//! `cargo bench --bench referrals`. The replay's peak heap is measured with a counting allocator
//! and printed before criterion's figures.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use steward::charter::referrals::ReferralSettings;
use steward::community::qualification::{Progress, eligible, standing};
use steward::community::referrals::{InviteFacts, InviteSnapshot, attribute};
use steward::ids::UserId;

#[path = "support/counting.rs"]
mod counting;

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

const INVITES: usize = 1_000;
const JOINS: usize = 10_000;
const DAY_MS: i64 = 86_400_000;
const NOW: i64 = 1_800_000_000_000;

fn invites(rng: &mut ChaCha8Rng) -> Vec<InviteFacts> {
    (0..INVITES)
        .map(|i| InviteFacts {
            code: format!("inv{i:04}x{}", rng.random_range(1000..9999)),
            inviter: Some(UserId(1_000_000_000_000_000_000 + i as u64 * 4_194_304)),
            uses: rng.random_range(0..500),
            max_uses: if i % 10 == 0 { 1 } else { 0 },
        })
        .collect()
}

fn settings() -> ReferralSettings {
    ReferralSettings {
        stay: Duration::from_secs(7 * 86_400),
        messages: 5,
        min_account_age: Duration::from_secs(7 * 86_400),
        rewards: Vec::new(),
    }
}

/// 10,000 joins in bursts: uses rise on random unlimited invites, then one comparison per burst;
/// every attributed join is checked for eligibility and judged a week later. Returns how many
/// qualified.
fn replay(seed: u64) -> usize {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let settings = settings();
    let mut live = invites(&mut rng);
    let mut snapshot = InviteSnapshot::new(live.iter().cloned(), None);
    let mut qualified = 0;
    let mut joined = 0;
    while joined < JOINS {
        let burst = rng.random_range(1..=20).min(JOINS - joined);
        let pick = rng.random_range(0..INVITES / 10) * 10 + 1; // one unlimited invite per burst
        live[pick].uses += burst as u64;
        let now = InviteSnapshot::new(live.iter().cloned(), None);
        let (found, next) = attribute(&snapshot, now, burst);
        snapshot = next;
        for attribution in &found {
            let newcomer =
                UserId(((NOW - 400 * DAY_MS) as u64 - 1_420_070_400_000) << 22 | joined as u64);
            if eligible(&settings, newcomer, attribution, false, NOW).is_ok() {
                let progress = Progress {
                    joined_at_ms: NOW,
                    present: rng.random_bool(0.8),
                    messages: rng.random_range(0..20),
                    cases: 0,
                    now_ms: NOW + 7 * DAY_MS,
                };
                qualified += usize::from(matches!(
                    standing(&settings, &progress),
                    steward::community::qualification::Standing::Qualified
                ));
            }
            joined += 1;
        }
    }
    qualified
}

fn bench(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let list = invites(&mut rng);
    let before = InviteSnapshot::new(list.iter().cloned(), Some(10));
    let mut after_list = list.clone();
    after_list[501].uses += 1;
    let after = InviteSnapshot::new(after_list, Some(10));

    let started = Instant::now();
    let (qualified, peak) = counting::peak_of(|| replay(42));
    println!(
        "replay of {JOINS} joins over {INVITES} invites: {qualified} qualified, {:.0} ms, peak heap {:.1} MB",
        started.elapsed().as_secs_f64() * 1000.0,
        peak as f64 / 1e6
    );

    c.bench_function("attribute one join among 1,000 invites", |b| {
        b.iter_batched(
            || after.clone(),
            |now| attribute(black_box(&before), now, 1),
            criterion::BatchSize::SmallInput,
        )
    });
    c.bench_function("snapshot of 1,000 invites", |b| {
        b.iter(|| InviteSnapshot::new(black_box(&list).iter().cloned(), None))
    });
    let mut group = c.benchmark_group("replay");
    group.sample_size(10);
    group.bench_function("10,000 joins attributed and qualified", |b| {
        b.iter(|| replay(black_box(42)))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = bench
}
criterion_main!(benches);
