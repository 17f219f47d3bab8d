//! Charter throughput, latency and compile-time benchmarks on real chat (see BENCHMARKS.md).
//!
//! Data: the first 60,000 messages of `../shared/data/chat/ubuntu-irc.jsonl` (relative to the
//! project root). Charters: the shipped default (`rules/`) and generated deny lists of 1,000 or
//! 10,000 AutoMod keywords with 0, 100 or 500 regexes. Before criterion runs, a per-message
//! latency pass prints percentiles (criterion only reports means).
//!
//! Run with `cargo bench --bench charter`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group};
use steward::charter::{Charter, Message};

/// Relative to the project root.
const DATA_FILE: &str = "../shared/data/chat/ubuntu-irc.jsonl";
const MESSAGES: usize = 60_000;

const CHARTER_TOML: &str = r#"title = "Bench"
languages = ["en"]
[[section]]
number = 1
title = "Rules"
text = "Be nice."
"#;

/// Real words of the corpus, so that keyword matches happen (about a quarter of the messages
/// contain one of them).
const REAL_WORDS: [&str; 50] = [
    "install",
    "kernel",
    "driver",
    "package",
    "update",
    "upgrade",
    "partition",
    "mount",
    "sudo",
    "xorg",
    "grub",
    "gnome",
    "firefox",
    "network",
    "wireless",
    "printer",
    "monitor",
    "screen",
    "sound",
    "audio",
    "server",
    "desktop",
    "laptop",
    "windows",
    "debian",
    "source",
    "compile",
    "config",
    "boot",
    "reboot",
    "error",
    "problem",
    "module",
    "repository",
    "synaptic",
    "terminal",
    "console",
    "password",
    "version",
    "release",
    "warty",
    "hoary",
    "breezy",
    "nvidia",
    "radeon",
    "video",
    "mplayer",
    "totem",
    "java",
    "python",
];

/// Syllables for made-up deny-list words ("zorvak", "quentrix"): rare in real chat.
const SYLLABLES: [&str; 32] = [
    "zor", "vak", "quen", "trix", "xul", "zem", "qua", "vex", "kry", "plo", "zik", "thu", "gra",
    "mov", "yth", "bri", "osk", "uz", "fel", "jor", "wix", "dra", "nek", "sby", "ulm", "zef",
    "kaz", "vro", "gly", "phu", "xan", "oqu",
];

/// A tiny deterministic generator (64-bit LCG, high bits out).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }

    fn below(&mut self, n: usize) -> usize {
        self.next() as usize % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A keyword: its letters and its AutoMod wildcards.
#[derive(Clone, Debug)]
struct Word {
    core: String,
    /// No leading `*`: the match must start a word.
    word_start: bool,
    /// No trailing `*`: the match must end a word.
    word_end: bool,
}

impl Word {
    fn automod(&self) -> String {
        format!(
            "{}{}{}",
            if self.word_start { "" } else { "*" },
            self.core,
            if self.word_end { "" } else { "*" }
        )
    }
}

/// 10,000 distinct keywords: the 50 real words at indices 0, 20, 40, ... 980 (so the first
/// 1,000 hold all of them), syllable soup elsewhere; 70% `word`, 10% `word*`, 10% `*word`,
/// 10% `*word*`.
fn generate_words(n: usize) -> Vec<Word> {
    let mut rng = Lcg(0x5eed_c4a7_7e55);
    let mut seen = std::collections::HashSet::new();
    let mut words = Vec::with_capacity(n);
    let mut real = REAL_WORDS.iter();
    while words.len() < n {
        let core = if words.len() % 20 == 0
            && let Some(w) = real.next()
        {
            w.to_string()
        } else {
            let mut w = String::new();
            let parts = 2 + rng.below(3);
            for _ in 0..parts {
                w.push_str(rng.pick(&SYLLABLES));
            }
            let doubled = w.as_bytes().windows(2).any(|p| p[0] == p[1]);
            if !(4..=12).contains(&w.len()) || doubled || REAL_WORDS.contains(&w.as_str()) {
                continue;
            }
            w
        };
        if !seen.insert(core.clone()) {
            continue;
        }
        let (word_start, word_end) = match rng.below(10) {
            0 => (true, false),
            1 => (false, true),
            2 => (false, false),
            _ => (true, true),
        };
        words.push(Word {
            core,
            word_start,
            word_end,
        });
    }
    words
}

/// `n` regexes in the style of hand-written deny rules, built on syllable soup (they rarely
/// match real chat; the keyword list provides the matches).
fn generate_regexes(n: usize, words: &[Word]) -> Vec<String> {
    let mut rng = Lcg(0xbad_5eed);
    let soup: Vec<&str> = words
        .iter()
        .filter(|w| !REAL_WORDS.contains(&w.core.as_str()))
        .map(|w| w.core.as_str())
        .collect();
    let lures = ["free", "cheap", "buy", "get", "win", "best", "hot", "new"];
    (0..n)
        .map(|i| {
            let w = rng.pick(&soup);
            let w2 = rng.pick(&soup);
            let s1 = rng.pick(&SYLLABLES);
            let s2 = rng.pick(&SYLLABLES);
            let s3 = rng.pick(&SYLLABLES);
            match i % 8 {
                0 => format!(r"\b(?:{s1}|{s2}){s3}\d{{2,4}}\b"),
                1 => format!(r"{}\s+{w}\d+", rng.pick(&lures)),
                2 => format!(r"[a-z]+\.{w}\.(?:com|net)"),
                3 => format!(r"\b{w}[-_ ]?{s1}(?:ing|ed|s)?\b"),
                4 => format!(r"(?:https?://)?(?:www\.)?{w}\.(?:ru|xyz|top)/\S*"),
                5 => format!(r"\b(?:{s1})+{s2}\b"),
                6 => format!(r"{w}\W{{0,3}}{w2}"),
                _ => format!(r"\b[0-9]{{3}}[- ]?{w}\b"),
            }
        })
        .collect()
}

fn rules_toml(words: &[Word], regexes: &[String]) -> String {
    let mut out = String::from("[[rule]]\nid = \"words\"\nsection = 1\noutcome = \"delete\"\n");
    out.push_str("keywords = [\n");
    for w in words {
        out.push_str(&format!("  \"{}\",\n", w.automod()));
    }
    out.push_str("]\n");
    if !regexes.is_empty() {
        out.push_str("regex = [\n");
        for r in regexes {
            assert!(!r.contains('\''));
            out.push_str(&format!("  '{r}',\n"));
        }
        out.push_str("]\n");
    }
    out
}

/// A generated charter: its name, its rule file, and the compiled charter.
struct Generated {
    name: &'static str,
    rules: String,
    charter: Charter,
}

struct Data {
    messages: Vec<String>,
    words: Vec<Word>,
    default: Option<Charter>,
    generated: Vec<Generated>,
    raw: RawScan,
}

static DATA: OnceLock<Data> = OnceLock::new();

fn data() -> &'static Data {
    DATA.get().expect("data loaded in main")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load_messages(path: &Path) -> Result<Vec<String>, String> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut messages = Vec::with_capacity(MESSAGES);
    for line in std::io::BufReader::new(file).lines().take(MESSAGES) {
        let line = line.map_err(|e| e.to_string())?;
        let value: serde_json::Value = serde_json::from_str(&line).map_err(|e| e.to_string())?;
        if let Some(content) = value.get("content").and_then(|c| c.as_str()) {
            messages.push(content.to_string());
        }
    }
    Ok(messages)
}

fn parse(rules: &str) -> Charter {
    match Charter::parse(&[("charter.toml", CHARTER_TOML), ("gen.toml", rules)]) {
        Ok(charter) => charter,
        Err(e) => panic!("generated charter does not compile: {e:?}"),
    }
}

impl Data {
    fn load() -> Option<Data> {
        let path = root().join(DATA_FILE);
        if !path.is_file() {
            println!("{DATA_FILE} not found: benchmarks need the shared data");
            return None;
        }
        let messages = match load_messages(&path) {
            Ok(m) => m,
            Err(e) => {
                println!("{DATA_FILE}: cannot read: {e}");
                return None;
            }
        };
        let words = generate_words(10_000);
        let regexes = generate_regexes(500, &words);
        let default = match Charter::load(&root().join("rules")) {
            Ok(c) => Some(c),
            Err(e) => {
                println!("the default charter (rules/) does not load, skipping it: {e:?}");
                None
            }
        };
        let configs: [(&'static str, usize, usize); 5] = [
            ("kw10_re0", 10, 0),
            ("kw1k_re100", 1_000, 100),
            ("kw10k_re100", 10_000, 100),
            ("kw10k_re500", 10_000, 500),
            ("kw10k_re0", 10_000, 0),
        ];
        let generated = configs
            .iter()
            .map(|&(name, kw, re)| {
                let rules = rules_toml(&words[..kw], &regexes[..re]);
                let charter = parse(&rules);
                Generated {
                    name,
                    rules,
                    charter,
                }
            })
            .collect();
        let raw = RawScan::new(&words);
        Some(Data {
            messages,
            words,
            default,
            generated,
            raw,
        })
    }

    fn generated(&self, name: &str) -> &Generated {
        self.generated.iter().find(|g| g.name == name).unwrap()
    }
}

/// The floor: one ASCII case-insensitive Aho-Corasick DFA over the same keywords, with the
/// AutoMod word-boundary checks on ASCII alphanumeric neighbours, no normalisation.
struct RawScan {
    automaton: AhoCorasick,
    /// (word_start, word_end) per pattern.
    bounds: Vec<(bool, bool)>,
}

impl RawScan {
    fn new(words: &[Word]) -> RawScan {
        let patterns: Vec<&str> = words.iter().map(|w| w.core.as_str()).collect();
        let automaton = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(&patterns)
            .expect("raw Aho-Corasick DFA builds");
        RawScan {
            automaton,
            bounds: words.iter().map(|w| (w.word_start, w.word_end)).collect(),
        }
    }

    fn count(&self, text: &str) -> usize {
        let bytes = text.as_bytes();
        let mut n = 0;
        for m in self.automaton.find_overlapping_iter(bytes) {
            let (word_start, word_end) = self.bounds[m.pattern().as_usize()];
            let start_ok =
                !word_start || m.start() == 0 || !bytes[m.start() - 1].is_ascii_alphanumeric();
            let end_ok =
                !word_end || m.end() == bytes.len() || !bytes[m.end()].is_ascii_alphanumeric();
            n += usize::from(start_ok && end_ok);
        }
        n
    }
}

/// Nanoseconds per message, one sample per message, over `passes` passes of which the first is
/// discarded as warm-up.
fn time_each(messages: &[String], passes: usize, mut f: impl FnMut(&str) -> bool) -> Vec<u64> {
    let mut samples = Vec::with_capacity(messages.len() * (passes - 1));
    for pass in 0..passes {
        for m in messages {
            let t = Instant::now();
            black_box(f(black_box(m)));
            let ns = t.elapsed().as_nanos() as u64;
            if pass > 0 {
                samples.push(ns);
            }
        }
    }
    samples
}

fn report_latency(label: &str, mut samples: Vec<u64>) -> f64 {
    samples.sort_unstable();
    let at = |p: f64| samples[((p / 100.0) * (samples.len() - 1) as f64).round() as usize];
    let total: u64 = samples.iter().sum();
    let mean = total as f64 / samples.len() as f64;
    println!(
        "latency {label:<22} n={:<7} p50={:>6} p90={:>6} p99={:>7} p99.9={:>7} max={:>9} mean={:>8.0} ns  => {:>10.0} msg/s",
        samples.len(),
        at(50.0),
        at(90.0),
        at(99.0),
        at(99.9),
        samples[samples.len() - 1],
        mean,
        1e9 / mean,
    );
    mean
}

/// Per-message latency and compile times, printed before criterion runs.
fn preliminary_report(d: &Data) {
    println!("== steward charter benchmarks ==");
    println!(
        "messages: {} (all ASCII: {}, mean {:.1} bytes)",
        d.messages.len(),
        d.messages.iter().all(|m| m.is_ascii()),
        d.messages.iter().map(String::len).sum::<usize>() as f64 / d.messages.len() as f64
    );
    println!(
        "keywords generated: {} (real corpus words: {})",
        d.words.len(),
        REAL_WORDS.len()
    );

    println!("-- compile (charter.stats.compile_time; wall time of Charter::parse) --");
    if let Some(c) = &d.default {
        println!(
            "compile default                rules={:<3} keywords={:<6} regexes={:<4} compile_time={:>10.3?}",
            c.stats.rules, c.stats.keywords, c.stats.regexes, c.stats.compile_time
        );
    }
    for g in &d.generated {
        let t = Instant::now();
        let again = parse(&g.rules);
        let wall = t.elapsed();
        println!(
            "compile {:<22} keywords={:<6} patterns={:<6} regexes={:<4} compile_time={:>10.3?} (first) {:>10.3?} (again, wall {:.3?})",
            g.name,
            g.charter.stats.keywords,
            g.charter.stats.keyword_patterns,
            g.charter.stats.regexes,
            g.charter.stats.compile_time,
            again.stats.compile_time,
            wall
        );
    }
    let t = Instant::now();
    let _raw = RawScan::new(&d.words);
    println!("compile raw AC DFA (10k words) wall={:.3?}", t.elapsed());

    println!("-- flagged messages (of {}) --", d.messages.len());
    let flagged = |c: &Charter| {
        d.messages
            .iter()
            .filter(|m| c.evaluate(&Message::text(m)).is_flagged())
            .count()
    };
    if let Some(c) = &d.default {
        println!("flagged default                {}", flagged(c));
    }
    for g in &d.generated {
        println!("flagged {:<22} {}", g.name, flagged(&g.charter));
    }
    println!(
        "flagged raw AC kw10k           {} (messages with >= 1 raw match)",
        d.messages.iter().filter(|m| d.raw.count(m) > 0).count()
    );

    println!("-- per-message latency (3 passes, first discarded; includes Instant overhead) --");
    let overhead = time_each(&d.messages, 3, |m| !m.is_empty());
    report_latency("Instant overhead only", overhead);
    let mut means = Vec::new();
    for name in ["kw10k_re500", "kw10k_re0", "kw10_re0"] {
        let charter = &d.generated(name).charter;
        let samples = time_each(&d.messages, 3, |m| {
            charter.evaluate(&Message::text(m)).is_flagged()
        });
        means.push((name, report_latency(name, samples)));
    }
    let raw = report_latency(
        "raw AC kw10k",
        time_each(&d.messages, 3, |m| d.raw.count(m) > 0),
    );
    for (name, mean) in means {
        println!(
            "ratio {name} / raw AC kw10k (mean latency): {:.1}x",
            mean / raw
        );
    }
    println!("== criterion ==");
}

fn bench_evaluate(c: &mut Criterion) {
    let d = data();
    let mut group = c.benchmark_group("evaluate");
    group.throughput(Throughput::Elements(d.messages.len() as u64));
    group.sampling_mode(SamplingMode::Flat);
    let mut charters: Vec<(&str, &Charter)> = Vec::new();
    if let Some(c) = &d.default {
        charters.push(("default", c));
    }
    for name in [
        "kw10_re0",
        "kw1k_re100",
        "kw10k_re100",
        "kw10k_re500",
        "kw10k_re0",
    ] {
        charters.push((name, &d.generated(name).charter));
    }
    for (name, charter) in charters {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                let mut flagged = 0usize;
                for m in &d.messages {
                    flagged += usize::from(charter.evaluate(&Message::text(m)).is_flagged());
                }
                black_box(flagged)
            })
        });
    }
    group.finish();
}

fn bench_raw(c: &mut Criterion) {
    let d = data();
    let mut group = c.benchmark_group("raw_aho_corasick");
    group.throughput(Throughput::Elements(d.messages.len() as u64));
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function(BenchmarkId::from_parameter("kw10k"), |b| {
        b.iter(|| {
            let mut n = 0usize;
            for m in &d.messages {
                n += d.raw.count(m);
            }
            black_box(n)
        })
    });
    group.finish();
}

fn bench_compile(c: &mut Criterion) {
    let d = data();
    let mut group = c.benchmark_group("compile");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    for name in ["kw1k_re100", "kw10k_re500"] {
        let rules = d.generated(name).rules.as_str();
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| black_box(parse(rules)))
        });
    }
    // Many small rules in one file (a charter generated from a spreadsheet): checking must grow
    // linearly with their number, not with its square.
    for n in [10_000, 40_000] {
        let rules = one_keyword_rules(n);
        group.bench_function(BenchmarkId::new("rules_in_one_file", n), |b| {
            b.iter(|| black_box(parse(&rules)))
        });
    }
    group.finish();
}

/// `n` rules of one keyword each, one after the other in a single file.
fn one_keyword_rules(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "[[rule]]\nid = \"r{i}\"\nsection = 1\noutcome = \"flag\"\nkeywords = [\"zqxw{i}\"]\n\n"
            )
        })
        .collect()
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .without_plots()
        .sample_size(20)
        .measurement_time(Duration::from_secs(5))
        .warm_up_time(Duration::from_secs(1));
    targets = bench_evaluate, bench_raw, bench_compile
}

fn main() {
    let Some(data) = Data::load() else {
        return;
    };
    let _ = DATA.set(data);
    // `cargo bench` passes `--bench`; `cargo test --benches` does not (criterion then only
    // checks that each benchmark runs once). The latency pass only runs in benchmark mode, not
    // with `--test`, `--list` or `--profile-time`.
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| {
        args.iter()
            .any(|a| a == flag || a.starts_with(&format!("{flag}=")))
    };
    if has("--bench") && !has("--test") && !has("--list") && !has("--profile-time") {
        preliminary_report(self::data());
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
