//! The charter: rule files compiled once, then applied to every message.
//!
//! [`Charter::load`] reads a folder (`charter.toml` plus rule files, see `docs/charter.md`) and
//! either returns a compiled charter or every problem found, each located by file, line and
//! column. [`Charter::evaluate`] judges one message in memory and returns a [`Verdict`] naming
//! every rule that matched, what matched and where. This module is pure: no I/O besides loading,
//! no clock, no Discord types.

pub mod acceptance;
mod compile;
mod diagnostics;
mod evaluate;
mod examples;
pub(crate) mod files;
mod fold;
mod header;
mod keyword_index;
mod keywords;
mod leet;
mod model;
mod normalize;
#[cfg(test)]
mod normalize_tests;
mod prefilter;
pub mod raid;
mod raw;
mod readings;
pub mod referrals;
pub mod report;
mod rule;
mod rule_file;
mod scratch;
mod skeleton_builder;
#[cfg(test)]
mod tests;
mod triggers;
mod values;
pub mod welcome;
mod window;

pub use diagnostics::{CharterErrors, Diagnostic};
pub use evaluate::{RuleMatch, Trigger, Verdict};
pub use examples::ExampleFailure;
pub use keywords::MAX_KEYWORD_CHARS;
pub(crate) use model::fill_placeholders;
pub use model::{DM_PLACEHOLDERS, DmContext, Escalation, Outcome, Rule, Section};
pub use triggers::count_mentions;
pub use values::{MAX_TIMEOUT, Sanction, Text, format_duration, parse_duration};
pub use window::{MAX_EVENTS_PER_MEMBER, Tracker};

use std::path::{Path, PathBuf};
use std::time::Duration;

/// A channel or role, by id and name (either may be unknown: id 0, empty name).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Place<'a> {
    pub id: u64,
    pub name: &'a str,
}

/// A file attached to a message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Attachment<'a> {
    pub filename: &'a str,
    pub url: &'a str,
}

/// What the charter needs to know about a message.
#[derive(Clone, Copy, Debug, Default)]
pub struct Message<'a> {
    pub content: &'a str,
    pub author: u64,
    pub channel: Place<'a>,
    pub nsfw_channel: bool,
    pub roles: &'a [Place<'a>],
    /// How long the author has been a member, when known.
    pub member_for: Option<Duration>,
    pub attachments: &'a [Attachment<'a>],
    /// When it was sent, in milliseconds since the Unix epoch (used by stateful triggers).
    pub timestamp_ms: i64,
}

impl<'a> Message<'a> {
    /// A message with only text, as in examples and tests.
    pub fn text(content: &'a str) -> Message<'a> {
        Message {
            content,
            ..Message::default()
        }
    }
}

/// Sizes and timing of a compiled charter.
#[derive(Clone, Debug, Default)]
pub struct CharterStats {
    pub rules: usize,
    pub sections: usize,
    /// Keywords across all rules and word lists (allow-list entries included).
    pub keywords: usize,
    /// Distinct keyword patterns in the automaton.
    pub keyword_patterns: usize,
    pub regexes: usize,
    pub compile_time: Duration,
}

/// A validated, compiled charter.
#[derive(Debug)]
pub struct Charter {
    /// The folder it was loaded from.
    pub dir: PathBuf,
    pub title: Text,
    pub intro: Option<Text>,
    /// Languages in which every text is available; the first is the default.
    pub languages: Vec<String>,
    pub sections: Vec<Section>,
    pub rules: Vec<Rule>,
    pub escalation: Option<Escalation>,
    /// What counts as a raid and what raid mode does (`[raid]`); `None` when not configured.
    pub raid: Option<raid::RaidSettings>,
    /// How newcomers are welcomed (`[welcome]`); `None` when not configured.
    pub welcome: Option<welcome::WelcomeSettings>,
    /// When a join through a member's invite counts, and what it earns (`[referrals]`).
    pub referrals: Option<referrals::ReferralSettings>,
    /// How newcomers accept the charter (`[acceptance]`); `None` when they are not asked to.
    pub acceptance: Option<acceptance::AcceptanceSettings>,
    /// When reports are made, in which time zone (`[report]`); `None`: the defaults.
    pub report: Option<report::ReportSettings>,
    /// A hash of the charter's text: what a member accepted (see [`acceptance::charter_version`]).
    pub version: String,
    pub stats: CharterStats,
    matcher: evaluate::Matcher,
}

impl Charter {
    /// Loads and compiles the charter in `dir`.
    pub fn load(dir: &Path) -> Result<Charter, CharterErrors> {
        compile::load_dir(dir)
    }

    /// Compiles a charter from files in memory: `(path relative to the folder, contents)`.
    /// `charter.toml` holds the charter text, other `.toml` files hold rules, and any other file
    /// may be a word list referenced by a rule.
    pub fn parse(files: &[(&str, &str)]) -> Result<Charter, CharterErrors> {
        compile::parse_files(Path::new(""), files)
    }

    /// The section with this number.
    pub fn section(&self, number: u32) -> Option<&Section> {
        self.sections.iter().find(|s| s.number == number)
    }

    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// A tracker sized for this charter's stateful triggers.
    pub fn tracker(&self) -> Tracker {
        Tracker::new(self.matcher.horizon)
    }

    /// Judges a message on its own (stateful triggers are skipped).
    pub fn evaluate(&self, message: &Message<'_>) -> Verdict {
        self.matcher.evaluate(&self.rules, message, None, false)
    }

    /// Judges a message and records it in `tracker` for the stateful triggers.
    pub fn evaluate_with(&self, message: &Message<'_>, tracker: &mut Tracker) -> Verdict {
        self.matcher
            .evaluate(&self.rules, message, Some(tracker), false)
    }

    /// Runs every rule's `must_match` and `must_not_match` examples.
    pub fn check_examples(&self) -> Vec<ExampleFailure> {
        examples::check_examples(self)
    }

    /// Loads the folder and runs every example, as `steward check` does: a charter goes live only
    /// when both pass. The error lists every problem, one located line each.
    pub fn load_verified(dir: &Path) -> Result<Charter, String> {
        let charter = Charter::load(dir).map_err(|errors| errors.to_string())?;
        let failures = charter.check_examples();
        if failures.is_empty() {
            return Ok(charter);
        }
        Err(failures
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"))
    }
}
