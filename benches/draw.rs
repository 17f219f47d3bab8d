//! A giveaway draw over 1,000,000 entrants: time (criterion) and peak heap memory.
//!
//! `cargo bench --bench draw`. The peak memory of one draw is measured with a counting
//! allocator and printed before criterion's figures.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use steward::community::giveaway::{DrawKey, draw};
use steward::ids::UserId;

#[path = "support/counting.rs"]
mod counting;

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

const ENTRANTS: u64 = 1_000_000;

/// Realistic snowflakes, not in order (as entries are read back before sorting).
fn entrants() -> Vec<UserId> {
    (0..ENTRANTS)
        .map(|i| UserId(1_100_000_000_000_000_000 + (i * 7_919 % ENTRANTS) * 4_194_304))
        .collect()
}

fn bench(c: &mut Criterion) {
    let entrants = entrants();
    let key = DrawKey {
        seed: [42; 32],
        giveaway: 1,
        round: 0,
    };
    let excluded: Vec<UserId> = entrants[..10].to_vec();
    let (_, peak) = counting::peak_of(|| black_box(draw(&key, &entrants, 10, &excluded)));
    println!(
        "draw of 10 winners among {ENTRANTS} entrants: peak heap above the input {:.1} MB (input {:.1} MB)",
        peak as f64 / 1e6,
        (entrants.len() * 8) as f64 / 1e6
    );
    c.bench_function("draw 10 winners of 1,000,000 entrants", |b| {
        b.iter(|| draw(&key, black_box(&entrants), 10, &excluded))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
