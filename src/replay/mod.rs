//! Backtesting a charter on past messages: every message is judged in order (stateful triggers
//! use the messages' own timestamps), one JSON object is written per message, and a summary
//! tells how often each rule fired. [`diff`] judges the same messages with two charters and
//! reports what a change does.

mod dce;
pub mod diff;
pub mod input;

use std::io::{self, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::charter::{Charter, Tracker, Verdict};
use crate::moderation;
pub use input::{InputError, ReplayInput, ReplayMessage};

/// One line of replay output.
#[derive(Serialize)]
struct Record<'a> {
    id: Option<&'a str>,
    flagged: bool,
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sanction: Option<String>,
    points: u32,
    rules: Vec<&'a str>,
    matches: Vec<MatchRecord<'a>>,
}

#[derive(Serialize)]
struct MatchRecord<'a> {
    rule: &'a str,
    trigger: &'static str,
    /// The matched text, at most [`MATCH_TEXT_MAX`] characters (`start..end` locate all of it).
    text: String,
    start: usize,
    end: usize,
}

/// The longest matched text a record quotes.
pub const MATCH_TEXT_MAX: usize = 200;

/// What a replay saw.
#[derive(Debug, Default)]
pub struct ReplaySummary {
    pub messages: usize,
    pub flagged: usize,
    /// Lines or files that could not be read (reported, then skipped).
    pub malformed: usize,
    /// Messages matched per rule, in charter order.
    pub per_rule: Vec<(String, usize)>,
    /// Time spent judging messages only.
    pub evaluation: Duration,
    pub total: Duration,
}

/// Replays `files` through `charter`, writing JSON lines to `out` and problems to `log`.
pub fn replay(
    charter: &Charter,
    files: &[&Path],
    only_flagged: bool,
    out: &mut dyn Write,
    log: &mut dyn Write,
) -> io::Result<ReplaySummary> {
    let started = Instant::now();
    let mut summary = ReplaySummary {
        per_rule: charter.rules.iter().map(|r| (r.id.clone(), 0)).collect(),
        ..ReplaySummary::default()
    };
    let mut tracker = charter.tracker();
    let malformed = for_each_input(files, log, |messages| {
        tracker.set_resolution(timestamp_resolution(messages));
        for message in messages {
            let judged = Instant::now();
            let verdict = judge(charter, message, &mut tracker);
            summary.evaluation += judged.elapsed();
            summary.messages += 1;
            if verdict.is_flagged() {
                summary.flagged += 1;
                for rule in verdict.rules() {
                    summary.per_rule[rule].1 += 1;
                }
            }
            if verdict.is_flagged() || !only_flagged {
                write_record(charter, message, &verdict, out)?;
            }
        }
        Ok(())
    })?;
    summary.malformed = malformed;
    out.flush()?;
    summary.total = started.elapsed();
    Ok(summary)
}

/// Reads each file in turn and hands its messages to `f`; unreadable files and lines are
/// reported to `log` and skipped. Returns how many were skipped.
pub(crate) fn for_each_input(
    files: &[&Path],
    log: &mut dyn Write,
    mut f: impl FnMut(&[ReplayMessage]) -> io::Result<()>,
) -> io::Result<usize> {
    let mut malformed = 0;
    for path in files {
        let bytes = match crate::charter::files::read_regular(path, u64::MAX) {
            Ok(bytes) => bytes,
            Err(e) => {
                writeln!(log, "{}: cannot read: {e}", path.display())?;
                malformed += 1;
                continue;
            }
        };
        let input = input::parse_bytes(&bytes);
        for e in &input.errors {
            match e.line {
                Some(line) => writeln!(log, "{}:{line}: skipped: {}", path.display(), e.message)?,
                None => writeln!(log, "{}: skipped: {}", path.display(), e.message)?,
            }
        }
        malformed += input.errors.len();
        f(&input.messages)?;
    }
    Ok(malformed)
}

/// Judges one replayed message, as the bot would judge it live: through the same
/// [`moderation::judge`], on the facts the bot would have built.
pub fn judge(charter: &Charter, message: &ReplayMessage, tracker: &mut Tracker) -> Verdict {
    moderation::judge(charter, &message.facts(), tracker)
}

fn write_record(
    charter: &Charter,
    message: &ReplayMessage,
    verdict: &Verdict,
    out: &mut dyn Write,
) -> io::Result<()> {
    let record = Record {
        id: message.id.as_deref(),
        flagged: verdict.is_flagged(),
        outcome: verdict.outcome.as_str(),
        sanction: verdict.sanction.map(|s| s.to_string()),
        points: verdict.points,
        rules: verdict
            .rules()
            .into_iter()
            .map(|r| charter.rules[r].id.as_str())
            .collect(),
        matches: verdict
            .matches
            .iter()
            .map(|m| MatchRecord {
                rule: &charter.rules[m.rule].id,
                trigger: m.trigger.as_str(),
                text: crate::moderation::fit(&m.text, MATCH_TEXT_MAX),
                start: m.start,
                end: m.end,
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &record)?;
    out.write_all(b"\n")
}

impl ReplaySummary {
    /// A short table for people: counts, rules that fired, throughput.
    pub fn write_table(&self, out: &mut dyn Write) -> io::Result<()> {
        let rate = if self.evaluation.is_zero() {
            0.0
        } else {
            self.messages as f64 / self.evaluation.as_secs_f64()
        };
        writeln!(
            out,
            "messages {}   flagged {} ({:.2}%)   skipped {}",
            self.messages,
            self.flagged,
            percent(self.flagged, self.messages),
            self.malformed
        )?;
        let mut fired: Vec<&(String, usize)> =
            self.per_rule.iter().filter(|(_, n)| *n > 0).collect();
        fired.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        if !fired.is_empty() {
            writeln!(out, "{:<32} {:>8}", "rule", "messages")?;
            for (rule, n) in fired {
                writeln!(out, "{rule:<32} {n:>8}")?;
            }
        }
        writeln!(
            out,
            "judged in {:.3}s ({:.0} messages/s), total {:.3}s",
            self.evaluation.as_secs_f64(),
            rate,
            self.total.as_secs_f64()
        )
    }
}

/// How precise a file's timestamps are: whole minutes, whole seconds, or milliseconds.
pub fn timestamp_resolution(messages: &[ReplayMessage]) -> Duration {
    let all_multiples = |ms: i64| messages.iter().all(|m| m.timestamp_ms % ms == 0);
    if messages.is_empty() {
        Duration::ZERO
    } else if all_multiples(60_000) {
        Duration::from_secs(60)
    } else if all_multiples(1000) {
        Duration::from_secs(1)
    } else {
        Duration::ZERO
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}
