//! The moderation pipeline behind the gateway, pure and in memory (see BENCHMARKS.md): for each
//! message, facts in, `is_exempt`, `judge` (charter evaluation with the per-member windows),
//! `decide` when flagged (actions out), and the activity counters updated, as `discord::moderate`
//! does minus the network and the database.
//!
//! Data: the first 60,000 messages of `../shared/data/chat/ubuntu-irc.jsonl` (relative to the
//! project root), turned into `MessageFacts` before anything is timed. Every message gets its own,
//! increasing time, so the stateful windows see a live stream:
//! - corpus pace: the messages of each minute of the log are spread evenly over that minute, and
//!   consecutive minutes of the log become consecutive minutes of the stream (idle gaps dropped);
//! - 50 ms pace: one message every 50 ms, whoever the author (20 messages/s).
//!
//! Every criterion iteration continues its stream where the last one stopped (times keep
//! increasing, the member windows and counters persist). Before criterion runs, the binary prints
//! two memory checks (5 passes with 100,000 distinct authors, then with a new author for every
//! message: the members tracked and the process RSS after each pass) and what each stream flags.
//!
//! Run with `cargo bench --bench pipeline`.

use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use steward::activity::{ActivityCounters, count_message};
use steward::charter::{Charter, Tracker};
use steward::facts::MessageFacts;
use steward::first_messages::FirstMessages;
use steward::ids::{ChannelId, GuildId, MessageId, RoleId, UserId};
use steward::moderation::{decide, is_exempt, judge};

/// Relative to the project root.
const DATA_FILE: &str = "../shared/data/chat/ubuntu-irc.jsonl";
const MESSAGES: usize = 60_000;
/// Time between two messages at the 50 ms pace.
const BURST_STEP_MS: i64 = 50;
const MINUTE_MS: i64 = 60_000;
/// The stream starts on 2024-01-01T00:00:00Z.
const START_MS: i64 = 1_704_067_200_000;
/// Distinct authors in the `100k_users` stream and the first memory check.
const MANY_USERS: u64 = 100_000;
/// Activity is taken (as the runtime's periodic flush does) every this many messages.
const FLUSH_EVERY: u64 = 10_000;
/// Passes of the memory check.
const MEMORY_PASSES: u64 = 5;

const GUILD: GuildId = GuildId(1);
/// Every author holds this ordinary role...
const MEMBER_ROLE: RoleId = RoleId(2);
/// ...and none holds the guild's moderator role, so `is_exempt` checks and lets all through.
const MODERATOR_ROLE: RoleId = RoleId(3);
/// The guild's language, as `decide` gets it from the guild settings.
const LANGUAGE: &str = "fr";

/// One line of the corpus.
struct Row {
    channel: String,
    author: String,
    /// As written (RFC 3339, whole minutes): only compared, to find the log's minutes.
    timestamp: String,
    content: String,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The first `MESSAGES` lines with a `content`.
fn load_rows(path: &Path) -> Result<Vec<Row>, String> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut rows = Vec::with_capacity(MESSAGES);
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        if rows.len() == MESSAGES {
            break;
        }
        let line = line.map_err(|e| e.to_string())?;
        let value: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("line {}: {e}", n + 1))?;
        let text = |key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_string);
        if let Some(content) = text("content") {
            rows.push(Row {
                channel: text("channel").unwrap_or_default(),
                author: text("author").unwrap_or_default(),
                timestamp: text("timestamp").unwrap_or_default(),
                content,
            });
        }
    }
    Ok(rows)
}

/// When each message comes, relative to the start of its pass, and how long a pass lasts.
#[derive(Clone)]
struct Pace {
    offsets: Vec<i64>,
    span_ms: i64,
}

impl Pace {
    /// Each run of messages stamped with the same minute is spread evenly over one minute of the
    /// stream; runs follow each other minute after minute.
    fn corpus(rows: &[Row]) -> Pace {
        let mut offsets = Vec::with_capacity(rows.len());
        let mut minute = 0i64;
        let mut start = 0;
        while start < rows.len() {
            let end = rows[start..]
                .iter()
                .position(|r| r.timestamp != rows[start].timestamp)
                .map_or(rows.len(), |n| start + n);
            let len = (end - start) as i64;
            offsets.extend((0..len).map(|j| minute * MINUTE_MS + j * MINUTE_MS / len));
            minute += 1;
            start = end;
        }
        Pace {
            offsets,
            span_ms: minute * MINUTE_MS,
        }
    }

    /// One message every `step_ms`.
    fn every(n: usize, step_ms: i64) -> Pace {
        Pace {
            offsets: (0..n as i64).map(|i| i * step_ms).collect(),
            span_ms: n as i64 * step_ms,
        }
    }
}

/// The facts of every message, built once: channels and authors get ids in order of first
/// appearance; times (and, for a stream with `users`, authors) are set per pass by
/// [`Stream::advance`].
fn build_facts(rows: &[Row]) -> Vec<MessageFacts> {
    let mut channels: HashMap<&str, ChannelId> = HashMap::new();
    let mut authors: HashMap<&str, UserId> = HashMap::new();
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            let next = channels.len() as u64;
            let channel = *channels
                .entry(&row.channel)
                .or_insert(ChannelId(1_000 + next));
            let next = authors.len() as u64;
            let author = *authors
                .entry(&row.author)
                .or_insert(UserId(1_000_000 + next));
            MessageFacts {
                guild: GUILD,
                channel,
                channel_name: row.channel.clone(),
                nsfw_channel: false,
                message: MessageId(i as u64 + 1),
                author,
                author_name: row.author.clone(),
                author_display_name: row.author.clone(),
                author_avatar: None,
                author_is_bot: false,
                author_roles: vec![(MEMBER_ROLE, "Member".to_string())],
                author_can_moderate: false,
                // Members for 90 days.
                member_since_ms: Some(START_MS - 90 * 86_400_000),
                content: row.content.clone(),
                attachments: Vec::new(),
                timestamp_ms: START_MS,
                edited: false,
                replied_to: None,
            }
        })
        .collect()
}

/// What one pass did, kept so that nothing is optimised away.
#[derive(Default)]
struct Tally {
    exempt: usize,
    flagged: usize,
    actions: usize,
    flushed_rows: usize,
    /// The most members tracked at a flush (every `FLUSH_EVERY` messages).
    peak_members: usize,
    /// Messages flagged, by the id of their first matched rule.
    by_rule: HashMap<String, usize>,
}

/// A live stream of the corpus through one pipeline: the charter's member windows and the
/// activity counters persist from pass to pass, and time keeps moving forward.
struct Stream<'a> {
    charter: &'a Charter,
    facts: Vec<MessageFacts>,
    pace: Pace,
    /// `Some(n)`: message number `k` of the stream is by user `k % n` (instead of its corpus
    /// author).
    users: Option<u64>,
    /// Passes already run.
    passes: u64,
    tracker: Tracker,
    activity: ActivityCounters,
    first_messages: FirstMessages,
    moderator_roles: Vec<RoleId>,
}

impl<'a> Stream<'a> {
    fn new(charter: &'a Charter, facts: &[MessageFacts], pace: &Pace, users: Option<u64>) -> Self {
        Stream {
            charter,
            facts: facts.to_vec(),
            pace: pace.clone(),
            users,
            passes: 0,
            tracker: charter.tracker(),
            activity: ActivityCounters::default(),
            first_messages: FirstMessages::default(),
            moderator_roles: vec![MODERATOR_ROLE],
        }
    }

    /// Number of the first message of the current pass in the whole stream.
    fn first_number(&self) -> u64 {
        self.passes * self.facts.len() as u64
    }

    /// Sets the times (and, with `users`, the authors) of the next pass: not timed.
    fn advance(&mut self) {
        let base = self.first_number();
        let pass_start = START_MS + self.passes as i64 * self.pace.span_ms;
        for (i, facts) in self.facts.iter_mut().enumerate() {
            facts.timestamp_ms = pass_start + self.pace.offsets[i];
            if let Some(n) = self.users {
                facts.author = UserId(1_000_000 + (base + i as u64) % n);
            }
        }
    }

    /// One pass over every message: the timed part. With `by_rule`, also counts flagged
    /// messages per rule (for the report, not while timing).
    fn run(&mut self, by_rule: bool) -> Tally {
        let mut tally = Tally::default();
        let base = self.first_number();
        for (i, facts) in self.facts.iter().enumerate() {
            // As in `discord::moderate`: count the message, then judge it unless exempt.
            if !facts.edited {
                count_message(&mut self.activity, &mut self.first_messages, facts);
            }
            if (base + i as u64 + 1).is_multiple_of(FLUSH_EVERY) {
                tally.flushed_rows += black_box(self.activity.take()).messages.len();
                black_box(self.first_messages.take(facts.timestamp_ms));
                tally.peak_members = tally.peak_members.max(self.tracker.members());
            }
            if is_exempt(facts, &self.moderator_roles) {
                tally.exempt += 1;
                continue;
            }
            let verdict = judge(self.charter, facts, &mut self.tracker);
            if verdict.is_flagged() {
                tally.flagged += 1;
                let actions = decide(self.charter, &verdict, facts, 0, LANGUAGE);
                tally.actions += black_box(actions).len();
                if by_rule {
                    let rule = &self.charter.rules[verdict.matches[0].rule].id;
                    *tally.by_rule.entry(rule.clone()).or_default() += 1;
                }
            }
        }
        self.passes += 1;
        tally
    }

    /// Runs the next pass, returning how long the pipeline took (setting the times is not
    /// counted).
    fn timed_pass(&mut self) -> Duration {
        self.advance();
        let t = Instant::now();
        let tally = self.run(false);
        let elapsed = t.elapsed();
        black_box(tally);
        elapsed
    }
}

/// The process's resident set size in bytes, from `/proc/self/statm` (resident pages × 4096).
fn rss_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn mib(bytes: Option<u64>) -> String {
    bytes.map_or("n/a".to_string(), |b| {
        format!("{:.1}", b as f64 / (1024.0 * 1024.0))
    })
}

/// The streams benchmarked: name, pace, authors.
fn streams<'p>(corpus: &'p Pace, burst: &'p Pace) -> [(&'static str, &'p Pace, Option<u64>); 3] {
    [
        ("default_charter", corpus, None),
        ("100k_users", corpus, Some(MANY_USERS)),
        ("burst_50ms", burst, None),
    ]
}

/// A memory check: `MEMORY_PASSES` passes at the 50 ms pace (the densest: 1,200 messages within
/// the default charter's one-minute horizon), message `k` of the stream by user `k % users`.
fn memory_check(charter: &Charter, facts: &[MessageFacts], burst: &Pace, users: u64) {
    let authors = if users == u64::MAX {
        "a new author for every message".to_string()
    } else {
        format!("message k by user k % {users}")
    };
    println!(
        "-- memory: {MEMORY_PASSES} passes of {} messages, 50 ms apart, {authors} --",
        facts.len()
    );
    let mut stream = Stream::new(charter, facts, burst, Some(users));
    println!("before  RSS={} MiB", mib(rss_bytes()));
    let t = Instant::now();
    let mut judged = 0;
    for pass in 1..=MEMORY_PASSES {
        stream.advance();
        let tally = stream.run(false);
        judged += stream.facts.len();
        println!(
            "pass {pass}  tracker.members={:<6} (peak at a flush {:<6}) activity.pending={:<4} flagged={:<4} RSS={} MiB",
            stream.tracker.members(),
            tally.peak_members,
            stream.activity.pending(),
            tally.flagged,
            mib(rss_bytes())
        );
    }
    let elapsed = t.elapsed();
    println!(
        "memory loop: {judged} messages in {elapsed:.3?} => {:.0} messages/s",
        judged as f64 / elapsed.as_secs_f64()
    );
}

/// What each stream flags on its first pass, and the memory check: printed before criterion runs.
fn preliminary_report(charter: &Charter, facts: &[MessageFacts], corpus: &Pace, burst: &Pace) {
    println!("== steward moderation pipeline benchmarks ==");
    let mut authors: Vec<UserId> = facts.iter().map(|f| f.author).collect();
    authors.sort_unstable();
    authors.dedup();
    println!(
        "messages: {} ({} distinct corpus authors); corpus pace: {} minutes, {:.1} s apart on average; activity taken every {} messages",
        facts.len(),
        authors.len(),
        corpus.span_ms / MINUTE_MS,
        corpus.span_ms as f64 / 1000.0 / facts.len() as f64,
        FLUSH_EVERY
    );
    println!(
        "charter: {} rules, {} keywords, {} regexes",
        charter.stats.rules, charter.stats.keywords, charter.stats.regexes
    );

    // First, while the heap holds nothing else of ours: 100,000 distinct authors, then authors
    // who never come back (every message by a new member, as in a raid of fresh accounts).
    memory_check(charter, facts, burst, MANY_USERS);
    memory_check(charter, facts, burst, u64::MAX);

    println!("-- first pass of each stream, by first matched rule --");
    for (name, pace, users) in streams(corpus, burst) {
        let mut stream = Stream::new(charter, facts, pace, users);
        stream.advance();
        let tally = stream.run(true);
        let mut rules: Vec<_> = tally.by_rule.iter().collect();
        rules.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let rules: Vec<String> = rules.iter().map(|(r, n)| format!("{r}={n}")).collect();
        println!(
            "{name:<16} flagged={} actions={} exempt={} tracker.members={} activity rows flushed={} [{}]",
            tally.flagged,
            tally.actions,
            tally.exempt,
            stream.tracker.members(),
            tally.flushed_rows,
            rules.join(", ")
        );
    }
    println!("== criterion ==");
}

fn bench_pipeline(c: &mut Criterion, charter: &Charter, facts: &[MessageFacts], paces: [&Pace; 2]) {
    let mut group = c.benchmark_group("pipeline");
    group.throughput(Throughput::Elements(facts.len() as u64));
    group.sampling_mode(SamplingMode::Flat);
    for (name, pace, users) in streams(paces[0], paces[1]) {
        // One stream per benchmark, continued by every iteration (warm-up included).
        let mut stream = Stream::new(charter, facts, pace, users);
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter_custom(|iters| (0..iters).map(|_| stream.timed_pass()).sum())
        });
    }
    group.finish();
}

fn main() {
    let path = root().join(DATA_FILE);
    if !path.is_file() {
        println!("{DATA_FILE} not found: the pipeline benchmarks need the shared data; skipping");
        return;
    }
    let rows = match load_rows(&path) {
        Ok(rows) => rows,
        Err(e) => {
            println!("{DATA_FILE}: cannot read: {e}; skipping");
            return;
        }
    };
    let charter = match Charter::load(&root().join("rules")) {
        Ok(charter) => charter,
        Err(e) => {
            println!("the default charter (rules/) does not load: {e:?}; skipping");
            return;
        }
    };
    let facts = build_facts(&rows);
    let corpus = Pace::corpus(&rows);
    let burst = Pace::every(facts.len(), BURST_STEP_MS);
    drop(rows);

    // `cargo bench` passes `--bench`; `cargo test --benches` does not (criterion then only
    // checks that each benchmark runs once). The report only runs in benchmark mode, not with
    // `--test`, `--list` or `--profile-time`.
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| {
        args.iter()
            .any(|a| a == flag || a.starts_with(&format!("{flag}=")))
    };
    if has("--bench") && !has("--test") && !has("--list") && !has("--profile-time") {
        preliminary_report(&charter, &facts, &corpus, &burst);
    }

    // No `criterion_group!`: the benchmarks borrow the data loaded here.
    let mut criterion = Criterion::default()
        .sample_size(20)
        .measurement_time(Duration::from_secs(5))
        .warm_up_time(Duration::from_secs(1))
        .configure_from_args();
    bench_pipeline(&mut criterion, &charter, &facts, [&corpus, &burst]);
    criterion.final_summary();
}
