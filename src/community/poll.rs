//! Polls, pure: a `/poll create` request validated completely into a [`PollSpec`] or a typed
//! [`PollRefusal`]; a member's vote checked into a [`Ballot`] or a [`VoteRefusal`]; the
//! [`Tally`] of the ballots and its text bars. No clock, no storage: `now` is a parameter.
//!
//! Options are given as one text, separated by `;` ([`split_options`]): one field in Discord's
//! form instead of ten optional ones, pasted at once, and its order is the poll's.

use std::time::Duration;

use crate::charter::format_duration;
use crate::i18n::Lang;
use crate::ids::RoleId;
use crate::tr;

/// The fewest options a poll may have.
pub const MIN_OPTIONS: usize = 2;
/// The most options a poll may have (Discord's native polls allow as many).
pub const MAX_OPTIONS: usize = 10;
/// The longest question, in characters (Discord's native poll question limit).
pub const QUESTION_MAX: usize = 300;
/// The longest option, in characters (Discord's native poll answer limit; buttons take 80).
pub const OPTION_MAX: usize = 55;
/// The longest a poll may stay open (Discord's native polls: 32 days).
pub const MAX_DURATION: Duration = Duration::from_secs(32 * 86_400);
/// The shortest a poll may stay open, unless the runtime says otherwise (tests do).
pub const MIN_DURATION: Duration = Duration::from_secs(60);
/// Up to this many options a single-choice poll is voted with buttons; past it, a select menu.
pub const BUTTONS_MAX: usize = 5;
/// How many cells a text bar has.
pub const BAR_WIDTH: usize = 12;

/// A `/poll create` request as the moderator typed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollRequest {
    /// The question.
    pub question: String,
    /// The options, one text separated by `;`.
    pub options: String,
    /// How long the poll stays open.
    pub duration: Duration,
    /// Whether a member may choose several options.
    pub multiple: bool,
    /// Whether who voted for what is never stored.
    pub anonymous: bool,
    /// Whether the bars show while the poll is open.
    pub live: bool,
    /// The role a voter must have, if any.
    pub role: Option<RoleId>,
    /// Whether to post a Discord native poll instead of Steward's.
    pub native: bool,
}

/// A validated poll, ready to be stored and posted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollSpec {
    /// The question, trimmed.
    pub question: String,
    /// The options, trimmed, in order.
    pub options: Vec<String>,
    /// How long it stays open.
    pub duration: Duration,
    /// Whether a member may choose several options.
    pub multiple: bool,
    /// Whether who voted for what is never stored.
    pub anonymous: bool,
    /// Whether the bars show while it is open.
    pub live: bool,
    /// The role a voter must have, if any.
    pub role: Option<RoleId>,
    /// Whether it is a Discord native poll (Discord counts; Steward records the final results).
    pub native: bool,
}

/// Why a poll is not created; nothing was stored or posted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PollRefusal {
    /// The question is empty.
    EmptyQuestion,
    /// The question is longer than [`QUESTION_MAX`].
    QuestionTooLong,
    /// Fewer than [`MIN_OPTIONS`] options.
    TooFewOptions,
    /// More than [`MAX_OPTIONS`] options.
    TooManyOptions { count: usize },
    /// An option longer than [`OPTION_MAX`].
    OptionTooLong { option: String },
    /// The same option twice (compared without case).
    DuplicateOption { option: String },
    /// Open for less than the shortest duration.
    TooShort { min: Duration },
    /// Open for more than [`MAX_DURATION`].
    TooLong,
    /// A native poll with one of Steward's extras (anonymous, hidden results, a role, several
    /// choices: Discord's polls do not tell how many members voted when several are allowed).
    NativeExtras,
    /// A native poll whose duration is not a whole number of hours (Discord counts in hours).
    NativeHours,
}

impl PollRefusal {
    /// The refusal in `lang`, from the catalogue.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            PollRefusal::EmptyQuestion => tr!(lang, "poll-refusal-empty-question"),
            PollRefusal::QuestionTooLong => {
                tr!(lang, "poll-refusal-question-too-long", max = QUESTION_MAX)
            }
            PollRefusal::TooFewOptions => {
                tr!(lang, "poll-refusal-too-few-options", min = MIN_OPTIONS)
            }
            PollRefusal::TooManyOptions { count } => tr!(
                lang,
                "poll-refusal-too-many-options",
                count = *count,
                max = MAX_OPTIONS
            ),
            PollRefusal::OptionTooLong { option } => tr!(
                lang,
                "poll-refusal-option-too-long",
                option = option.as_str(),
                max = OPTION_MAX
            ),
            PollRefusal::DuplicateOption { option } => {
                tr!(
                    lang,
                    "poll-refusal-duplicate-option",
                    option = option.as_str()
                )
            }
            PollRefusal::TooShort { min } => {
                tr!(lang, "poll-refusal-too-short", min = format_duration(*min))
            }
            PollRefusal::NativeExtras => tr!(lang, "poll-refusal-native-extras"),
            PollRefusal::NativeHours => tr!(lang, "poll-refusal-native-hours"),
            PollRefusal::TooLong => tr!(
                lang,
                "poll-refusal-too-long",
                max = format_duration(MAX_DURATION)
            ),
        }
    }
}

/// The options of `text`: split on `;`, trimmed, empty ones dropped.
pub fn split_options(text: &str) -> Vec<String> {
    text.split(';')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Checks a whole request (question, options, duration against `min_duration` and
/// [`MAX_DURATION`]); the first problem found is the refusal.
pub fn validate(request: &PollRequest, min_duration: Duration) -> Result<PollSpec, PollRefusal> {
    let question = request.question.trim();
    if question.is_empty() {
        return Err(PollRefusal::EmptyQuestion);
    }
    if question.chars().count() > QUESTION_MAX {
        return Err(PollRefusal::QuestionTooLong);
    }
    let options = split_options(&request.options);
    if options.len() < MIN_OPTIONS {
        return Err(PollRefusal::TooFewOptions);
    }
    if options.len() > MAX_OPTIONS {
        return Err(PollRefusal::TooManyOptions {
            count: options.len(),
        });
    }
    for (i, option) in options.iter().enumerate() {
        if option.chars().count() > OPTION_MAX {
            return Err(PollRefusal::OptionTooLong {
                option: option.clone(),
            });
        }
        let folded = option.to_lowercase();
        if options[..i].iter().any(|o| o.to_lowercase() == folded) {
            return Err(PollRefusal::DuplicateOption {
                option: option.clone(),
            });
        }
    }
    if request.duration < min_duration {
        return Err(PollRefusal::TooShort { min: min_duration });
    }
    if request.duration > MAX_DURATION {
        return Err(PollRefusal::TooLong);
    }
    if request.native {
        if request.anonymous || !request.live || request.role.is_some() || request.multiple {
            return Err(PollRefusal::NativeExtras);
        }
        if !request.duration.as_secs().is_multiple_of(3600) {
            return Err(PollRefusal::NativeHours);
        }
    }
    Ok(PollSpec {
        question: question.to_owned(),
        options,
        duration: request.duration,
        multiple: request.multiple,
        anonymous: request.anonymous,
        live: request.live,
        role: request.role,
        native: request.native,
    })
}

/// Whether a poll of `options` options is voted with a select menu rather than buttons.
pub fn uses_select(options: usize, multiple: bool) -> bool {
    multiple || options > BUTTONS_MAX
}

/// What a vote is checked against: the poll as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollFacts {
    /// How many options it has.
    pub options: usize,
    /// Whether several options may be chosen.
    pub multiple: bool,
    /// Whether it is still open in storage.
    pub open: bool,
    /// When it closes, in ms since the epoch.
    pub closes_at_ms: i64,
    /// The role a voter must have, if any.
    pub role: Option<RoleId>,
}

/// A vote accepted by [`check_vote`]: the chosen options, sorted, without repeats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ballot {
    /// Positions of the chosen options, from 0.
    pub choices: Vec<usize>,
}

impl Ballot {
    /// As stored: positions separated by commas (`0,2`).
    pub fn encode(&self) -> String {
        let parts: Vec<String> = self.choices.iter().map(usize::to_string).collect();
        parts.join(",")
    }

    /// A ballot read back from [`Ballot::encode`]; unreadable parts are skipped.
    pub fn decode(text: &str) -> Ballot {
        Ballot {
            choices: text.split(',').filter_map(|p| p.parse().ok()).collect(),
        }
    }
}

/// Why a vote is not counted; nothing was recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VoteRefusal {
    /// The poll is closed (or past its end, about to be).
    Closed,
    /// The voter lacks the poll's role.
    RoleRequired { role: RoleId },
    /// No option chosen, an option that does not exist, or several in a single-choice poll.
    InvalidChoice,
    /// The member already voted in an anonymous poll, where a vote is final.
    AlreadyVoted,
}

impl VoteRefusal {
    /// The refusal in `lang`, from the catalogue.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            VoteRefusal::Closed => tr!(lang, "poll-vote-closed"),
            VoteRefusal::RoleRequired { role } => {
                tr!(
                    lang,
                    "poll-vote-role-required",
                    role = format!("<@&{role}>")
                )
            }
            VoteRefusal::InvalidChoice => tr!(lang, "poll-vote-invalid"),
            VoteRefusal::AlreadyVoted => tr!(lang, "poll-vote-anonymous-final"),
        }
    }
}

/// Checks a vote for `choices` by a member with `roles` at `now_ms`.
pub fn check_vote(
    poll: &PollFacts,
    roles: &[RoleId],
    choices: &[usize],
    now_ms: i64,
) -> Result<Ballot, VoteRefusal> {
    if !poll.open || now_ms >= poll.closes_at_ms {
        return Err(VoteRefusal::Closed);
    }
    if let Some(role) = poll.role
        && !roles.contains(&role)
    {
        return Err(VoteRefusal::RoleRequired { role });
    }
    let mut choices = choices.to_vec();
    choices.sort_unstable();
    choices.dedup();
    let invalid = choices.is_empty()
        || choices.iter().any(|&c| c >= poll.options)
        || (!poll.multiple && choices.len() > 1);
    if invalid {
        return Err(VoteRefusal::InvalidChoice);
    }
    Ok(Ballot { choices })
}

/// How a poll stands: votes per option and how many members voted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    /// Votes per option, in the options' order.
    pub counts: Vec<u64>,
    /// How many members voted (in a multiple-choice poll, fewer than the votes).
    pub voters: u64,
}

impl Tally {
    /// The tally of `ballots` over `options` options; out-of-range choices are ignored.
    pub fn of<'a>(options: usize, ballots: impl IntoIterator<Item = &'a Ballot>) -> Tally {
        let mut counts = vec![0; options];
        let mut voters = 0;
        for ballot in ballots {
            voters += 1;
            for &c in &ballot.choices {
                if let Some(n) = counts.get_mut(c) {
                    *n += 1;
                }
            }
        }
        Tally { counts, voters }
    }

    /// The share of voters who chose option `i`, in whole percent.
    pub fn percent(&self, i: usize) -> u64 {
        let votes = self.counts.get(i).copied().unwrap_or(0);
        (votes * 100 + self.voters / 2)
            .checked_div(self.voters)
            .unwrap_or(0)
    }

    /// The positions of the options with the most votes (none when nobody voted).
    pub fn leaders(&self) -> Vec<usize> {
        let top = self.counts.iter().copied().max().unwrap_or(0);
        if top == 0 {
            return Vec::new();
        }
        (0..self.counts.len())
            .filter(|&i| self.counts[i] == top)
            .collect()
    }
}

/// Option `i`'s bar: [`BAR_WIDTH`] cells, filled in proportion to its share of voters.
pub fn bar(tally: &Tally, i: usize) -> String {
    let votes = tally.counts.get(i).copied().unwrap_or(0) as usize;
    let voters = tally.voters as usize;
    let filled = (votes * BAR_WIDTH + voters / 2)
        .checked_div(voters)
        .unwrap_or(0)
        .min(BAR_WIDTH);
    format!("{}{}", "█".repeat(filled), "░".repeat(BAR_WIDTH - filled))
}

#[cfg(test)]
#[path = "poll_tests.rs"]
mod tests;
