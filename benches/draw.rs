//! A giveaway draw over 1,000,000 entrants: time (criterion) and peak heap memory.
//!
//! `cargo bench --bench draw`. The peak memory of one draw is measured with a counting
//! allocator and printed before criterion's figures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{Criterion, criterion_group, criterion_main};
use steward::community::giveaway::{DrawKey, draw};
use steward::ids::UserId;

/// The system allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

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
    let before = IN_USE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    black_box(draw(&key, &entrants, 10, &excluded));
    let peak = PEAK.load(Ordering::Relaxed) - before;
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
