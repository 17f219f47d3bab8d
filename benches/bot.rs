//! The whole bot, end to end (see BENCHMARKS.md, "Whole bot, end to end"): the real `steward`
//! binary (`steward run`, the bench profile's build) against the fake Discord of the end-to-end
//! tests on 127.0.0.1, message events pushed through the real gateway connection.
//!
//! Steward runs pinned to one core with `taskset` (when the machine has two cores or more and
//! `taskset` exists); this process, which is the fake Discord, runs on the other. The charter is
//! the shipped `rules/` folder; the guild's settings (a mod log) are saved in an SQLite file
//! before the start; `METRICS_ADDR` serves the counter `steward_messages_judged_total`, which the
//! bench reads to know what Steward has judged. `LOG_LEVEL` is this process's own, else `info`.
//! In order:
//!
//! 1. memory: Steward's RSS once connected, then after GUILD_MEMBERS_CHUNK events (1,000 members
//!    each) have put 100,000 members in its cache (and, before anything starts, the heap that
//!    serenity's cache alone holds for them in this process, with and without its user map);
//! 2. throughput: 100,000 MESSAGE_CREATE events from those members, sent as fast as the fake
//!    sends, clean (real chat from `../shared/data/chat/ubuntu-irc.jsonl`, minus what the charter
//!    flags; generated text without the file), then with 1 % offending (an insult: delete, DM,
//!    two cases, two mod-log posts each); events/s = events / time until the counter has them
//!    all, polled every 10 ms;
//! 3. latency: once Steward's 30 s activity flush has written the bursts, a steady 1,000
//!    events/s for 30 s (so one flush of steady traffic falls inside), 1 % offending: for each
//!    offending message, from the fake sending it to the fake receiving its
//!    `DELETE /channels/{c}/messages/{m}`;
//! 4. the fake alone: how fast it sends the same frames to a client that only reads them.
//!
//! Payloads are built and serialised before anything is timed; one of each kind is checked
//! against serenity's own types, the rest go out through the fake's bulk path unchecked.
//! Reports, never fails on a slow machine. Run with `cargo bench --bench bot` (about 75 s
//! after the build); `cargo test --bench bot` runs a small version of it on the debug build.

#[path = "../tests/integration/fake_discord/mod.rs"]
mod fake_discord;
#[path = "bot/measure.rs"]
mod measure;
#[path = "bot/process.rs"]
mod process;
#[path = "bot/report.rs"]
mod report;
#[path = "bot/world.rs"]
mod world;

use measure::*;
use process::*;
use report::*;
use world::*;

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::io::BufRead;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use serenity::all::Permissions;
use serenity::model::event::{GuildCreateEvent, GuildMembersChunkEvent};
use steward::charter::{Charter, Message, Outcome};
use steward::ids::{ChannelId, GuildId};
use steward::store::{GuildSettings, Store};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message as WsMessage;

use fake_discord::bulk::{CHUNK_SIZE, Prepared, members_chunk};
use fake_discord::fixtures::{message_create_by, snowflake_at, timestamp_at};
use fake_discord::{
    ChannelSpec, FakeDiscord, MemberSpec, RoleSpec, UserSpec, World, ids, validate,
};

/// Relative to the project root.
const DATA_FILE: &str = "../shared/data/chat/ubuntu-irc.jsonl";
/// Long enough for the configuration's check (the fake accepts any token).
const TOKEN: &str = "fake.discord.token.for.the.whole.bot.bench";
/// The core Steward is pinned to, and the one this process (the fake Discord) is pinned to.
const BOT_CORE: usize = 1;
const FAKE_CORE: usize = 0;
/// One message in this many is offending in the "1 %" runs.
const OFFENDING_EVERY: usize = 100;
/// 2019-01-01T00:00:00Z, when the default guild was created (see `fake_discord::ids`).
const GUILD_BORN_MS: u64 = 1_546_300_800_000;
/// 2020-01-01T00:00:00Z: the members' accounts are created a minute apart from then on.
const ACCOUNTS_BORN_MS: u64 = 1_577_836_800_000;
/// Offending texts (French insults, as the shipped `insults` rule lists them); a corpus line is
/// put before every other one.
const INSULTS: [&str; 4] = [
    "espèce de connard",
    "quel connard celui-là",
    "t'es vraiment un connard",
    "connard va",
];

/// How much of everything: the full bench, or a small run (`cargo test --benches`).
struct Plan {
    members: usize,
    burst: usize,
    steady_rate: u64,
    steady_secs: u64,
    /// Whether the steady run waits for Steward's 30 s activity flush to have written the bursts
    /// (so that the flush during the steady run holds only steady traffic).
    wait_for_flush: bool,
    /// How long a wait for Steward may last before the bench gives up on it.
    patience: Duration,
}

impl Plan {
    fn full() -> Plan {
        Plan {
            members: 100_000,
            burst: 100_000,
            steady_rate: 1_000,
            steady_secs: 30,
            wait_for_flush: true,
            patience: Duration::from_secs(120),
        }
    }

    fn small() -> Plan {
        Plan {
            members: 3_000,
            burst: 2_000,
            steady_rate: 200,
            steady_secs: 2,
            wait_for_flush: false,
            patience: Duration::from_secs(60),
        }
    }

    fn steady_events(&self) -> usize {
        (self.steady_rate * self.steady_secs) as usize
    }

    /// Distinct offenders needed: nobody offends twice, so no escalation step (3 points) is
    /// reached and every offending message costs the same actions.
    fn offenders(&self) -> usize {
        self.burst / OFFENDING_EVERY + self.steady_events() / OFFENDING_EVERY + 10
    }
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let plan = if full { Plan::full() } else { Plan::small() };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let taskset = find_program("taskset");
    // Before the runtime starts, so that its threads inherit the mask.
    let pinned = match &taskset {
        Some(taskset) if cores >= 2 => pin_self(taskset, FAKE_CORE),
        _ => false,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let bot_taskset = taskset.filter(|_| pinned);
    runtime.block_on(run(plan, full, bot_taskset, cores));
}

/// The clean texts, and where they come from.
struct Texts {
    clean: Vec<String>,
    source: String,
}

async fn run(plan: Plan, full: bool, taskset: Option<PathBuf>, cores: usize) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let rules = root.join("rules");
    let charter = Charter::load_verified(&rules).expect("the shipped charter loads");
    println!(
        "charter: {} ({} rules, {} keywords, {} regexes)",
        rules.display(),
        charter.stats.rules,
        charter.stats.keywords,
        charter.stats.regexes
    );
    let texts = texts(&root, &charter);
    println!("clean texts: {}", texts.source);
    for insult in INSULTS {
        let verdict = charter.evaluate(&Message::text(insult));
        assert!(
            verdict.outcome == Outcome::Delete,
            "{insult:?} should be deleted by the shipped charter"
        );
    }

    let start = Instant::now();
    let step = |what: &str| println!("[{:5.1} s] {what}", start.elapsed().as_secs_f64());
    println!(
        "serenity's Member is {} bytes (its User {}), before the strings and roles it points to",
        std::mem::size_of::<serenity::all::Member>(),
        std::mem::size_of::<serenity::all::User>()
    );
    let pool = members(plan.members);
    let cache_heap = cache_alone(&pool);
    let offenders = &pool[..plan.offenders()];
    let fake = FakeDiscord::start(world()).await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let database = format!("sqlite://{}", dir.path().join("steward.db").display());
    save_settings(&database).await;
    let metrics = free_port();
    let mark = fake.request_count();
    let bot = Bot::start(
        taskset.as_deref(),
        &fake,
        &database,
        &rules,
        metrics,
        dir.path(),
    );
    let connected = Instant::now();
    wait_for_commands(&fake, mark, plan.patience).await;
    fake.wait_connected().await;
    let mut metrics_up = judged(metrics).await;
    while metrics_up.is_none() && connected.elapsed() < plan.patience {
        tokio::time::sleep(Duration::from_millis(50)).await;
        metrics_up = judged(metrics).await;
    }
    assert!(metrics_up.is_some(), "Steward serves its metrics");
    println!(
        "steward: pid {}, LOG_LEVEL={}, {}; connected in {:.1?}",
        bot.pid,
        log_level(),
        match (&taskset, cores) {
            (Some(_), _) => format!("pinned to core {BOT_CORE} (this process: core {FAKE_CORE})"),
            (None, 1) => "not pinned (one core only)".to_string(),
            (None, _) => "not pinned (taskset not found)".to_string(),
        },
        connected.elapsed()
    );
    // The offenders are in the fake's world (for their DM channel), not in GUILD_CREATE.
    fake.update_world(|w| w.guild_mut().members.extend(offenders.iter().cloned()));
    let guild = fake.world().guild().clone();
    let channels: Vec<u64> = guild
        .channels
        .iter()
        .filter(|c| c.id != ids::MOD_LOG && c.id != ids::REVIEW)
        .map(|c| c.id)
        .collect();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut report = Report::default();

    // 1. Memory: 100,000 members in the cache.
    step("member chunks");
    report.rss_connected = rss_kib(bot.pid);
    let chunk_count = plan.members.div_ceil(CHUNK_SIZE);
    let chunks: Vec<Prepared> = pool
        .chunks(CHUNK_SIZE)
        .enumerate()
        .map(|(i, members)| {
            let chunk = members_chunk(guild.id, members, i, chunk_count);
            if i == 0 {
                validate("GUILD_MEMBERS_CHUNK", &chunk);
            }
            fake.prepare("GUILD_MEMBERS_CHUNK", &chunk)
        })
        .collect();
    let chunk_bytes: usize = chunks.iter().map(Prepared::len).sum();
    let marker = {
        let text = &texts.clean[0];
        let message = message_create_by(&guild, &pool[0], channels[0], text);
        fake.prepare("MESSAGE_CREATE", &message)
    };
    let before = judged(metrics).await.unwrap_or(0);
    let began = Instant::now();
    fake.send_prepared(&chunks).expect("chunks sent");
    fake.send_prepared(std::slice::from_ref(&marker))
        .expect("marker sent");
    let done = wait_judged(metrics, before + 1, plan.patience).await;
    report.chunks_handled = done.map(|_| began.elapsed());
    tokio::time::sleep(Duration::from_secs(2)).await;
    report.rss_members = rss_kib(bot.pid);
    report.rss_members_anon = status_field(bot.pid, "RssAnon:");
    report.rss_members_file = status_field(bot.pid, "RssFile:");
    report.cache_heap = cache_heap;
    report.chunk_mib = chunk_bytes as f64 / 1_048_576.0;
    report.chunks = chunk_count;
    drop(chunks);

    // 2. Throughput, clean then 1 % offending.
    let mut next_author = 0usize;
    let mut next_offender = 0usize;
    let mut next_text = 0usize;
    let mut batch = |offending_every: Option<usize>, count: usize| -> Batch {
        let mut batch = Batch::default();
        for i in 0..count {
            let channel = channels[i % channels.len()];
            let offending = offending_every.is_some_and(|every| i % every == every - 1);
            let message = if offending {
                let offender = &offenders[next_offender];
                next_offender += 1;
                let insult = INSULTS[next_offender % INSULTS.len()];
                let text = if next_offender.is_multiple_of(2) {
                    format!("{} {insult}", texts.clean[next_text % texts.clean.len()])
                } else {
                    insult.to_string()
                };
                next_text += 1;
                message_create_by(&guild, offender, channel, &text)
            } else {
                // Spread over every member: at 40,000 messages/s each still posts fewer than
                // 7 in 5 s (the shipped flood rule) and never the same text 4 times a minute.
                let author = &pool[next_author % pool.len()];
                next_author += 7919;
                let text = &texts.clean[next_text % texts.clean.len()];
                next_text += 1;
                message_create_by(&guild, author, channel, text)
            };
            if i == 0 || (offending && batch.offending.is_empty()) {
                validate("MESSAGE_CREATE", &message);
            }
            if offending {
                fake.observe("MESSAGE_CREATE", &message);
                let id = message["id"]
                    .as_str()
                    .expect("an id")
                    .parse()
                    .expect("a snowflake");
                batch.offending.push(id);
            }
            batch.is_offending.push(offending);
            batch
                .ids
                .push(message["id"].as_str().unwrap_or_default().to_string());
            batch.frames.push(fake.prepare("MESSAGE_CREATE", &message));
        }
        batch
    };

    step("building the clean burst");
    let clean = batch(None, plan.burst);
    step("clean burst");
    report.frame_bytes = clean.frames.iter().map(Prepared::len).sum::<usize>() / clean.frames.len();
    report.clean = Some(throughput(&fake, &bot, metrics, &clean, &plan).await);
    report.rss_after_clean = rss_kib(bot.pid);
    step("building the 1 % burst");
    let offending = batch(Some(OFFENDING_EVERY), plan.burst);
    step("1 % burst");
    report.offending = Some(throughput(&fake, &bot, metrics, &offending, &plan).await);
    report.rss_after_offending = rss_kib(bot.pid);

    // 3. Latency at a steady rate.
    let steady = batch(Some(OFFENDING_EVERY), plan.steady_events());
    let activity = Activity::open(&database).await;
    if plan.wait_for_flush {
        step("waiting for Steward's activity flush (every 30 s) to write the bursts");
        let sent = 1 + 2 * plan.burst as u64;
        activity.wait_for(sent, plan.patience).await;
        wait_idle(bot.pid).await;
    }
    step("steady rate");
    report.steady = Some(steady_latency(&fake, &bot, metrics, &steady, &plan, activity).await);
    report.rss_end = rss_kib(bot.pid);
    report.rss_peak = peak_kib(bot.pid);

    // 4. The fake alone, with the clean frames.
    step("the fake alone");
    report.fake_alone = fake_alone(&clean.frames).await;

    report.unknown_routes = fake.unknown_requests().len();
    report.log = bot.log_summary();
    drop(bot);
    fake.shutdown().await;
    report.print(&plan, full, &texts.source);
}
