//! What a charter change does: the same messages judged by a new and an old charter, and only
//! the messages whose verdict changes reported (newly flagged, no longer flagged, or flagged
//! differently: other rules, outcome or sanction), with counts per rule.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::{ReplayMessage, for_each_input, judge, timestamp_resolution};
use crate::charter::{Charter, Verdict};

/// How a message's verdict changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    NewlyFlagged,
    NoLongerFlagged,
    /// Flagged by both, with other rules, outcome or sanction.
    Different,
}

/// One side of a change.
#[derive(Serialize)]
struct Side {
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sanction: Option<String>,
    rules: Vec<String>,
    matched: Vec<String>,
}

impl Side {
    fn of(charter: &Charter, verdict: &Verdict) -> Side {
        Side {
            outcome: verdict.outcome.as_str(),
            sanction: verdict.sanction.map(|s| s.to_string()),
            rules: rule_ids(charter, verdict),
            matched: verdict.matches.iter().map(|m| m.text.clone()).collect(),
        }
    }

    fn same_judgement(&self, other: &Side) -> bool {
        self.outcome == other.outcome
            && self.sanction == other.sanction
            && self.rules == other.rules
    }
}

/// One line of diff output.
#[derive(Serialize)]
struct Record<'a> {
    id: Option<&'a str>,
    change: Change,
    content: &'a str,
    old: Side,
    new: Side,
}

/// What a charter diff saw.
#[derive(Debug, Default)]
pub struct DiffSummary {
    pub messages: usize,
    pub newly_flagged: usize,
    pub no_longer_flagged: usize,
    pub different: usize,
    /// Lines or files that could not be read.
    pub malformed: usize,
    /// Per rule id: messages it now matches and did not, messages it matched and no longer does.
    pub per_rule: BTreeMap<String, (usize, usize)>,
}

impl DiffSummary {
    /// Messages whose verdict changed.
    pub fn changed(&self) -> usize {
        self.newly_flagged + self.no_longer_flagged + self.different
    }

    /// A short table for people.
    pub fn write_table(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "messages {}   changed {}   newly flagged {}   no longer flagged {}   flagged differently {}   skipped {}",
            self.messages,
            self.changed(),
            self.newly_flagged,
            self.no_longer_flagged,
            self.different,
            self.malformed
        )?;
        if !self.per_rule.is_empty() {
            writeln!(out, "{:<32} {:>8} {:>8}", "rule", "gained", "lost")?;
            for (rule, (gained, lost)) in &self.per_rule {
                writeln!(out, "{rule:<32} {gained:>8} {lost:>8}")?;
            }
        }
        Ok(())
    }
}

fn rule_ids(charter: &Charter, verdict: &Verdict) -> Vec<String> {
    let mut ids: Vec<String> = verdict
        .rules()
        .into_iter()
        .map(|r| charter.rules[r].id.clone())
        .collect();
    ids.sort();
    ids
}

/// Judges every message of `files` with `new` and `old` (each with its own member windows) and
/// writes one JSON line to `out` per message whose verdict changed.
pub fn diff(
    new: &Charter,
    old: &Charter,
    files: &[&Path],
    out: &mut dyn Write,
    log: &mut dyn Write,
) -> io::Result<DiffSummary> {
    let mut summary = DiffSummary::default();
    let (mut new_tracker, mut old_tracker) = (new.tracker(), old.tracker());
    let malformed = for_each_input(files, log, |messages| {
        let resolution = timestamp_resolution(messages);
        new_tracker.set_resolution(resolution);
        old_tracker.set_resolution(resolution);
        for message in messages {
            let after = Side::of(new, &judge(new, message, &mut new_tracker));
            let before = Side::of(old, &judge(old, message, &mut old_tracker));
            summary.messages += 1;
            if let Some(change) = compare(&before, &after, &mut summary) {
                write_record(message, change, before, after, out)?;
            }
        }
        Ok(())
    })?;
    summary.malformed = malformed;
    out.flush()?;
    Ok(summary)
}

fn compare(before: &Side, after: &Side, summary: &mut DiffSummary) -> Option<Change> {
    if before.same_judgement(after) {
        return None;
    }
    let change = match (before.rules.is_empty(), after.rules.is_empty()) {
        (true, false) => Change::NewlyFlagged,
        (false, true) => Change::NoLongerFlagged,
        _ => Change::Different,
    };
    match change {
        Change::NewlyFlagged => summary.newly_flagged += 1,
        Change::NoLongerFlagged => summary.no_longer_flagged += 1,
        Change::Different => summary.different += 1,
    }
    for rule in after.rules.iter().filter(|r| !before.rules.contains(r)) {
        summary.per_rule.entry(rule.clone()).or_default().0 += 1;
    }
    for rule in before.rules.iter().filter(|r| !after.rules.contains(r)) {
        summary.per_rule.entry(rule.clone()).or_default().1 += 1;
    }
    Some(change)
}

fn write_record(
    message: &ReplayMessage,
    change: Change,
    old: Side,
    new: Side,
    out: &mut dyn Write,
) -> io::Result<()> {
    let record = Record {
        id: message.id.as_deref(),
        change,
        content: &message.content,
        old,
        new,
    };
    serde_json::to_writer(&mut *out, &record)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(outcome: &'static str, rules: &[&str]) -> Side {
        Side {
            outcome,
            sanction: None,
            rules: rules.iter().map(|r| r.to_string()).collect(),
            matched: Vec::new(),
        }
    }

    #[test]
    fn changes_are_classified_and_counted_per_rule() {
        let mut summary = DiffSummary::default();
        let cases = [
            (
                side("allow", &[]),
                side("delete", &["a"]),
                Some(Change::NewlyFlagged),
            ),
            (
                side("delete", &["a"]),
                side("allow", &[]),
                Some(Change::NoLongerFlagged),
            ),
            (
                side("delete", &["a"]),
                side("flag", &["a"]),
                Some(Change::Different),
            ),
            (
                side("delete", &["a"]),
                side("delete", &["a", "b"]),
                Some(Change::Different),
            ),
            (side("delete", &["a"]), side("delete", &["a"]), None),
        ];
        for (before, after, expected) in cases {
            assert_eq!(compare(&before, &after, &mut summary), expected);
        }
        assert_eq!(summary.changed(), 4);
        assert_eq!(summary.per_rule["a"], (1, 1));
        assert_eq!(summary.per_rule["b"], (1, 0));
    }
}
