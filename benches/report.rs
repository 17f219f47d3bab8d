//! The weekly report at scale: a week of a 50,000-member server with 1,000,000 messages in the
//! counters (and 900,000 the week before, for the changes), in an SQLite file; the report read
//! and computed (`Store::report_facts` + `ReportFacts::report`), its four charts drawn, and both
//! together; plus the in-memory cost of counting one message with 50,000 members. Time
//! (criterion) and peak heap memory (a counting allocator, printed before criterion starts).
//!
//! Two kinds of traffic: `scattered`, every message at a random member, channel and hour, so
//! that nearly every message is a counter row of its own (the worst case: 1.8 million rows), and
//! `conversations`, members posting in bursts of 1 to 8 messages in one channel within an hour,
//! as chat goes.
//!
//! `cargo bench --bench report`. Seeded, no external data; the databases are built once in a
//! temporary folder (about a minute).

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::tz::TimeZone;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use steward::activity::ActivityCounters;
use steward::charter::report::ReportSettings;
use steward::ids::{ChannelId, GuildId, UserId};
use steward::stats::Report;
use steward::stats::charts::render_all;
use steward::stats::{Period, wording};
use steward::store::{ActivityDelta, MemberDelta, Store, hour_of};

#[path = "support/counting.rs"]
mod counting;

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

const GUILD: GuildId = GuildId(1);
const MEMBERS: u64 = 50_000;
const CHANNELS: u64 = 20;
const MESSAGES: usize = 1_000_000;
const MESSAGES_BEFORE: usize = 900_000;
const HOUR_MS: i64 = 3_600_000;

fn tz() -> TimeZone {
    TimeZone::get("Europe/Paris").unwrap()
}

fn week() -> Period {
    Period::parse("2026-W47").unwrap()
}

/// A member drawn with a long tail (a few members post most), a channel likewise, an hour of
/// the period weighted towards the evening.
fn message(rng: &mut ChaCha8Rng, start_hour: i64, hours: i64) -> (u64, u64, i64) {
    let member = (rng.random::<f64>().powi(3) * MEMBERS as f64) as u64;
    let channel = (rng.random::<f64>().powi(2) * CHANNELS as f64) as u64;
    let hour = loop {
        let h = rng.random_range(0..hours);
        let local = (h + 1).rem_euclid(24);
        if rng.random_range(0..24) <= local {
            break start_hour + h;
        }
    };
    (member, channel, hour)
}

#[derive(Clone, Copy, Debug)]
enum Traffic {
    Scattered,
    Conversations,
}

fn counts(traffic: Traffic, seed: u64, period: Period, messages: usize) -> Vec<ActivityDelta> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let span = period.span(&tz());
    let (start, hours) = (
        hour_of(span.start_ms),
        (span.end_ms - span.start_ms) / HOUR_MS,
    );
    let mut totals: HashMap<(u64, u64, i64), u32> = HashMap::new();
    let mut sent = 0;
    while sent < messages {
        let burst = match traffic {
            Traffic::Scattered => 1,
            Traffic::Conversations => rng.random_range(1..=8).min(messages - sent),
        };
        *totals.entry(message(&mut rng, start, hours)).or_default() += burst as u32;
        sent += burst;
    }
    totals
        .into_iter()
        .map(|((member, channel, hour), messages)| ActivityDelta {
            guild: GUILD,
            channel: ChannelId(100 + channel),
            user: UserId(1_000 + member),
            hour,
            messages,
            replies: messages / 3,
        })
        .collect()
}

async fn database(url: &str, traffic: Traffic) -> (Store, usize) {
    let store = Store::connect(url).await.unwrap();
    store.migrate().await.unwrap();
    let mut rows = 0;
    for (seed, period, messages) in [
        (1, week(), MESSAGES),
        (2, week().previous(), MESSAGES_BEFORE),
    ] {
        let deltas = counts(traffic, seed, period, messages);
        rows += deltas.len();
        for chunk in deltas.chunks(20_000) {
            store.add_activity(chunk).await.unwrap();
        }
        let span = period.span(&tz());
        let members: Vec<MemberDelta> = (hour_of(span.start_ms)..hour_of(span.end_ms))
            .map(|hour| MemberDelta {
                guild: GUILD,
                hour,
                joins: (hour % 7) as u32,
                leaves: (hour % 3) as u32,
            })
            .collect();
        store.add_member_events(&members).await.unwrap();
    }
    (store, rows)
}

async fn compute(store: &Store) -> Report {
    let tz = tz();
    let settings = ReportSettings {
        timezone: "Europe/Paris".into(),
        ..ReportSettings::default()
    };
    store
        .report_facts(GUILD, week(), &tz)
        .await
        .unwrap()
        .report(week(), &settings)
}

fn draw(report: &Report) -> usize {
    let lang = steward::i18n::Lang::of("en");
    let charts = render_all(report, &wording::chart_text(lang, report)).unwrap();
    charts.iter().map(|c| c.png.len()).sum()
}

fn benches(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("report");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));
    for traffic in [Traffic::Scattered, Traffic::Conversations] {
        let name = format!("{traffic:?}").to_lowercase();
        let url = format!(
            "sqlite://{}",
            dir.path().join(format!("{name}.db")).display()
        );
        let started = Instant::now();
        let (store, rows) = runtime.block_on(database(&url, traffic));
        println!(
            "{name}: {MESSAGES} + {MESSAGES_BEFORE} messages from {MEMBERS} members in {CHANNELS} \
             channels, {rows} counter rows, built in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        let started = Instant::now();
        let ((report, bytes), peak) = counting::peak_of(|| {
            let report = runtime.block_on(compute(&store));
            let bytes = draw(&report);
            (report, bytes)
        });
        println!(
            "{name}: one report computed and drawn in {:.0} ms, peak heap {:.1} MiB, charts {} KiB, \
             messages {:?}, active members {:?}",
            started.elapsed().as_secs_f64() * 1000.0,
            peak as f64 / (1024.0 * 1024.0),
            bytes / 1024,
            report.figure("messages").and_then(|f| f.value),
            report.figure("active_members").and_then(|f| f.value),
        );
        group.bench_function(format!("compute_week_{name}"), |b| {
            b.iter(|| black_box(runtime.block_on(compute(&store))))
        });
        group.bench_function(format!("compute_and_draw_{name}"), |b| {
            b.iter(|| black_box(draw(&runtime.block_on(compute(&store)))))
        });
        if matches!(traffic, Traffic::Conversations) {
            group.bench_function("draw_four_charts", |b| b.iter(|| black_box(draw(&report))));
        }
        runtime.block_on(store.close());
    }
    group.finish();
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut counters = ActivityCounters::default();
    let mut at = 1_795_000_000_000_i64;
    c.bench_function("counting/message_50k_members", |b| {
        b.iter(|| {
            let (member, channel, _) = message(&mut rng, 0, 1);
            at += 50;
            counters.message(GUILD, ChannelId(100 + channel), UserId(1_000 + member), at);
            if counters.pending() > 100_000 {
                black_box(counters.take());
            }
        })
    });
}

criterion_group! {
    name = report;
    config = Criterion::default().without_plots();
    targets = benches
}
criterion_main!(report);
