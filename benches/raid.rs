//! The raid detector under a day of traffic: 10,000 joins (one every 8.6 s, accounts from a day
//! to five years old) and 100,000 messages (the Ubuntu chat corpus's first 100,000 texts, by
//! long-standing members and newcomers alike, 1 % with mentions), through `RaidDetector::join`
//! and `RaidDetector::message` with the shipped charter's `[raid]` section; then the
//! same day with a raid in the middle (50 young accounts joining within 20 s, each posting the
//! same scam link). Time (criterion), peak heap memory and what was detected, printed first.
//!
//! `cargo bench --bench raid`. Data: `../shared/data/chat/ubuntu-irc.jsonl` (relative to the
//! repository); without it the bench says so and exits.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use steward::charter::Charter;
use steward::charter::raid::RaidSettings;
use steward::ids::{GuildId, UserId};
use steward::moderation::raid::{Detection, RaidDetector, RaidJoin, RaidMessage};

#[path = "support/counting.rs"]
mod counting;

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

const DATA_FILE: &str = "../shared/data/chat/ubuntu-irc.jsonl";
const JOINS: usize = 10_000;
const MESSAGES: usize = 100_000;
const DAY_MS: i64 = 86_400_000;
const START_MS: i64 = 1_800_000_000_000;
const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;
const GUILD: GuildId = GuildId(1);
const REGULARS: u64 = 20_000;

/// A user whose account was created at `created_ms` (Discord ids carry their creation time).
fn user_created_at(created_ms: i64, n: u64) -> UserId {
    UserId((((created_ms - DISCORD_EPOCH_MS) as u64) << 22) | (n & 0x3F_FFFF))
}

/// The shipped charter's `[raid]` section (`rules/charter.toml`).
fn settings() -> RaidSettings {
    let rules = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules");
    let charter = Charter::load(&rules).expect("the shipped charter loads");
    charter
        .raid
        .expect("the shipped charter has a [raid] section")
}

enum Event {
    Join(RaidJoin),
    Message {
        author: UserId,
        at_ms: i64,
        member_since_ms: i64,
        text: usize,
        mentions: u32,
    },
}

/// The day's events in time order; with `raid`, 50 young accounts join within 20 s at noon and
/// each posts the same link. `texts` gains the raid's text.
fn day(texts: &mut Vec<String>, raid: bool) -> Vec<Event> {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut events = Vec::with_capacity(JOINS + MESSAGES + 100);
    let mut newcomers: Vec<(UserId, i64)> = Vec::new();
    for i in 0..JOINS {
        let at_ms = START_MS + i as i64 * (DAY_MS / JOINS as i64);
        let age = rng.random_range(DAY_MS..5 * 365 * DAY_MS);
        let member = user_created_at(at_ms - age, i as u64);
        newcomers.push((member, at_ms));
        events.push(Event::Join(RaidJoin {
            guild: GUILD,
            member,
            at_ms,
        }));
    }
    for i in 0..MESSAGES {
        let at_ms = START_MS + i as i64 * (DAY_MS / MESSAGES as i64) + 1;
        // A quarter from members who joined earlier that day, the rest from regulars.
        // Joins are evenly spaced: the last one before this message is found by division.
        let last = ((at_ms - START_MS) / (DAY_MS / JOINS as i64)) as usize;
        let (author, member_since_ms) = match last.min(JOINS - 1) {
            last if rng.random_bool(0.25) => newcomers[rng.random_range(0..=last)],
            _ => (
                user_created_at(START_MS - 400 * DAY_MS, rng.random_range(0..REGULARS)),
                START_MS - 300 * DAY_MS,
            ),
        };
        let mentions = if rng.random_bool(0.01) {
            rng.random_range(1..=3)
        } else {
            0
        };
        events.push(Event::Message {
            author,
            at_ms,
            member_since_ms,
            text: i % texts.len(),
            mentions,
        });
    }
    if raid {
        texts.push("FREE NITRO for everyone: https://discord-gift.example/claim".into());
        let scam = texts.len() - 1;
        let noon = START_MS + DAY_MS / 2;
        for i in 0..50 {
            let at_ms = noon + i * 400;
            let member = user_created_at(at_ms - 3_600_000, 1_000_000 + i as u64);
            events.push(Event::Join(RaidJoin {
                guild: GUILD,
                member,
                at_ms,
            }));
            events.push(Event::Message {
                author: member,
                at_ms: at_ms + 100,
                member_since_ms: at_ms,
                text: scam,
                mentions: 0,
            });
        }
    }
    events.sort_by_key(|e| match e {
        Event::Join(j) => j.at_ms,
        Event::Message { at_ms, .. } => *at_ms,
    });
    events
}

/// Runs the day through a fresh detector; returns the detections.
fn run(events: &[Event], texts: &[String], settings: &RaidSettings) -> usize {
    detections(events, texts, settings).len()
}

/// Runs the day through a fresh detector; returns each detection with the text that completed
/// it (for a message).
fn detections(
    events: &[Event],
    texts: &[String],
    settings: &RaidSettings,
) -> Vec<(Detection, Option<String>)> {
    let mut detector = RaidDetector::new();
    let mut detected = Vec::new();
    for event in events {
        let (found, text) = match event {
            Event::Join(join) => (detector.join(settings, *join), None),
            Event::Message {
                author,
                at_ms,
                member_since_ms,
                text,
                mentions,
            } => (
                detector.message(
                    settings,
                    &RaidMessage {
                        guild: GUILD,
                        author: *author,
                        at_ms: *at_ms,
                        member_since_ms: Some(*member_since_ms),
                        content: &texts[*text],
                        mentions: *mentions,
                    },
                ),
                Some(texts[*text].clone()),
            ),
        };
        if let Some(found) = found {
            detected.push((found, text));
        }
    }
    detected
}

fn load_texts() -> Option<Vec<String>> {
    use std::io::BufRead;
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(DATA_FILE);
    let file = std::fs::File::open(&path).ok()?;
    let texts: Vec<String> = std::io::BufReader::new(file)
        .lines()
        .map_while(Result::ok)
        .filter_map(|line| {
            let value: serde_json::Value = serde_json::from_str(&line).ok()?;
            value["content"].as_str().map(str::to_string)
        })
        .take(MESSAGES)
        .collect();
    (texts.len() == MESSAGES).then_some(texts)
}

fn benches(c: &mut Criterion) {
    let Some(corpus) = load_texts() else {
        eprintln!(
            "{DATA_FILE} is missing (or short): the raid benchmark needs the Ubuntu chat corpus"
        );
        return;
    };
    let settings = settings();
    let mut quiet_texts = corpus.clone();
    let quiet = day(&mut quiet_texts, false);
    let mut raid_texts = corpus;
    let raided = day(&mut raid_texts, true);
    for (name, events, texts) in [
        ("quiet day", &quiet, &quiet_texts),
        ("raided day", &raided, &raid_texts),
    ] {
        let started = std::time::Instant::now();
        let (detected, peak) = counting::peak_of(|| run(events, texts, &settings));
        println!(
            "{name}: {} events, {detected} detections, {:.1} ms, peak heap {:.2} MiB",
            events.len(),
            started.elapsed().as_secs_f64() * 1000.0,
            peak as f64 / (1024.0 * 1024.0)
        );
        for (found, text) in detections(events, texts, &settings).iter().take(5) {
            println!(
                "  {:?} (members {}) on {:?}",
                found.signal,
                found.members.len(),
                text
            );
        }
    }
    let mut group = c.benchmark_group("raid");
    group.sample_size(20);
    group.bench_function("day_10k_joins_100k_messages", |b| {
        b.iter(|| black_box(run(&quiet, &quiet_texts, &settings)))
    });
    group.bench_function("day_with_a_raid", |b| {
        b.iter(|| black_box(run(&raided, &raid_texts, &settings)))
    });
    group.finish();
}

criterion_group! {
    name = raid;
    config = Criterion::default().without_plots();
    targets = benches
}
criterion_main!(raid);
