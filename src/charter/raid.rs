//! The `[raid]` section of `charter.toml`: what counts as a raid (a wave of joins, the same message
//! from many new members, a storm of mentions) and what raid mode does about it. Raw TOML in,
//! validated [`RaidSettings`] out, every problem located; the detector that reads these settings
//! is [`crate::moderation::raid`].

use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::diagnostics::{Diagnostic, SourceFile};
use super::values::{MAX_TIMEOUT, parse_duration};

/// The longest window a raid signal may look back over; windows are kept in memory.
pub const MAX_RAID_WINDOW: Duration = Duration::from_secs(3600);

/// The most events any one raid window may need (joins, members, mentions).
pub const MAX_RAID_COUNT: u32 = 1000;

/// How long Discord lets a server pause its invites or DMs (incident actions).
pub const MAX_INCIDENT_PAUSE: Duration = Duration::from_secs(24 * 3600);

/// The longest slow mode Discord accepts on a channel (6 hours).
pub const MAX_SLOW_MODE: Duration = Duration::from_secs(6 * 3600);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRaid {
    pub joins: Option<RawJoins>,
    pub repeated: Option<RawRepeated>,
    pub mentions: Option<RawMentions>,
    #[serde(default)]
    pub steps: Vec<Spanned<String>>,
    pub quiet: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawJoins {
    pub count: Spanned<u32>,
    pub window: Spanned<String>,
    pub young_accounts: Option<Spanned<String>>,
    pub young_share: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRepeated {
    pub members: Spanned<u32>,
    pub window: Spanned<String>,
    pub newer_than: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMentions {
    pub count: Spanned<u32>,
    pub members: Spanned<u32>,
    pub window: Spanned<String>,
}

/// What the charter says about raids.
#[derive(Clone, Debug, PartialEq)]
pub struct RaidSettings {
    pub joins: Option<JoinWave>,
    pub repeated: Option<RepeatedContent>,
    pub mentions: Option<MentionStorm>,
    /// What raid mode does, in order.
    pub steps: Vec<RaidStep>,
    /// Raid mode ends by itself after this long without a new signal.
    pub quiet: Duration,
}

impl RaidSettings {
    /// No signal and no step: raid mode started by hand on a charter without a `[raid]`
    /// section only alerts moderators, and ends after the default quiet period.
    pub fn none() -> RaidSettings {
        RaidSettings {
            joins: None,
            repeated: None,
            mentions: None,
            steps: Vec::new(),
            quiet: DEFAULT_QUIET,
        }
    }
}

/// `count` joins within `window`; with `young_accounts`, only when at least `young_share` of them
/// come from accounts younger than that.
#[derive(Clone, Debug, PartialEq)]
pub struct JoinWave {
    pub count: u32,
    pub window: Duration,
    pub young: Option<(Duration, f64)>,
}

/// `members` different members newer than `newer_than` post the same text or the same link
/// within `window`.
#[derive(Clone, Debug, PartialEq)]
pub struct RepeatedContent {
    pub members: u32,
    pub window: Duration,
    pub newer_than: Duration,
}

/// `count` mentions from at least `members` different members within `window`.
#[derive(Clone, Debug, PartialEq)]
pub struct MentionStorm {
    pub count: u32,
    pub members: u32,
    pub window: Duration,
}

/// One thing raid mode does; each is undone when it ends.
#[derive(Clone, Debug, PartialEq)]
pub enum RaidStep {
    /// Slow mode on every public text channel.
    SlowMode(Duration),
    /// The server's verification level raised to at least this (1 low .. 4 highest).
    Verification(u8),
    /// New invites refused, through Discord's incident actions.
    PauseInvites(Duration),
    /// DMs between members who are not friends refused, through Discord's incident actions.
    PauseDms(Duration),
    /// Every message from members newer than this is held for review.
    HoldNewerThan(Duration),
    /// Members who joined during the raid and match its signature are timed out.
    TimeoutMatching(Duration),
    /// Members who joined during the raid and match its signature are kicked.
    KickMatching,
}

impl RaidStep {
    /// Parses `slowmode 30s`, `verification high`, `pause_invites 2h`, `pause_dms 2h`,
    /// `hold_newer_than 10m`, `timeout_matching 1h`, `kick_matching`.
    pub fn parse(text: &str) -> Result<RaidStep, String> {
        let mut words = text.split_whitespace();
        let (Some(kind), arg, None) = (words.next(), words.next(), words.next()) else {
            return Err(format!("\"{text}\" is not a raid step ({STEPS})"));
        };
        let duration = |max: Duration| -> Result<Duration, String> {
            let d = parse_duration(arg.ok_or_else(|| format!("\"{kind}\" needs a duration"))?)?;
            if d.is_zero() || d > max {
                return Err(format!(
                    "\"{text}\": the duration must be between 1s and {}s",
                    max.as_secs()
                ));
            }
            Ok(d)
        };
        let none = |step: RaidStep| match arg {
            Some(_) => Err(format!("\"{kind}\" takes no value")),
            None => Ok(step),
        };
        match kind {
            "slowmode" => duration(MAX_SLOW_MODE).map(RaidStep::SlowMode),
            "verification" => match arg {
                Some("low") => Ok(RaidStep::Verification(1)),
                Some("medium") => Ok(RaidStep::Verification(2)),
                Some("high") => Ok(RaidStep::Verification(3)),
                Some("highest") => Ok(RaidStep::Verification(4)),
                _ => Err(format!(
                    "\"{text}\": the verification level is low, medium, high or highest"
                )),
            },
            "pause_invites" => duration(MAX_INCIDENT_PAUSE).map(RaidStep::PauseInvites),
            "pause_dms" => duration(MAX_INCIDENT_PAUSE).map(RaidStep::PauseDms),
            "hold_newer_than" => duration(MAX_TIMEOUT).map(RaidStep::HoldNewerThan),
            "timeout_matching" => duration(MAX_TIMEOUT).map(RaidStep::TimeoutMatching),
            "kick_matching" => none(RaidStep::KickMatching),
            _ => Err(format!("\"{text}\" is not a raid step ({STEPS})")),
        }
    }
}

const STEPS: &str = "slowmode DURATION, verification LEVEL, pause_invites DURATION, \
                     pause_dms DURATION, hold_newer_than DURATION, timeout_matching DURATION, \
                     kick_matching";

/// The quiet period when the charter names none.
pub const DEFAULT_QUIET: Duration = Duration::from_secs(15 * 60);

/// Validates a `[raid]` section, pushing every problem found; `None` when there was one.
pub(crate) fn compile_raid(
    raw: &RawRaid,
    file: &SourceFile<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Option<RaidSettings> {
    let before = errors.len();
    let mut check = Check { file, errors };
    let joins = raw.joins.as_ref().map(|j| {
        let young = j.young_accounts.as_ref().map(|age| {
            let share = j.young_share.as_ref().map_or(0.5, |s| *s.get_ref());
            if !(0.0..=1.0).contains(&share) {
                let span = j.young_share.as_ref().map_or(age.span(), |s| s.span());
                check.error(span, "young_share is a fraction between 0 and 1");
            }
            (
                check.duration(age, Duration::from_secs(1), MAX_TIMEOUT),
                share,
            )
        });
        if young.is_none()
            && let Some(share) = &j.young_share
        {
            check.error(share.span(), "young_share needs young_accounts");
        }
        JoinWave {
            count: check.count(&j.count, 2),
            window: check.window(&j.window),
            young,
        }
    });
    let repeated = raw.repeated.as_ref().map(|r| RepeatedContent {
        members: check.count(&r.members, 2),
        window: check.window(&r.window),
        newer_than: r.newer_than.as_ref().map_or(DEFAULT_NEWER_THAN, |n| {
            check.duration(n, Duration::from_secs(60), MAX_TIMEOUT)
        }),
    });
    let mentions = raw.mentions.as_ref().map(|m| MentionStorm {
        count: check.count(&m.count, 2),
        members: check.count(&m.members, 1),
        window: check.window(&m.window),
    });
    let mut steps: Vec<RaidStep> = Vec::new();
    for raw_step in &raw.steps {
        match RaidStep::parse(raw_step.get_ref()) {
            Ok(step) if steps.iter().any(|s| same_kind(s, &step)) => {
                check.error(raw_step.span(), "this step is listed twice");
            }
            Ok(step) => steps.push(step),
            Err(m) => check.error(raw_step.span(), m),
        }
    }
    let quiet = raw.quiet.as_ref().map_or(DEFAULT_QUIET, |q| {
        check.duration(q, Duration::from_secs(60), MAX_INCIDENT_PAUSE)
    });
    (errors.len() == before).then_some(RaidSettings {
        joins,
        repeated,
        mentions,
        steps,
        quiet,
    })
}

/// How new a member must be for their messages to count towards repeated content, when the
/// charter does not say.
pub const DEFAULT_NEWER_THAN: Duration = Duration::from_secs(24 * 3600);

/// Located checks of the section's values.
struct Check<'f, 'e> {
    file: &'f SourceFile<'f>,
    errors: &'e mut Vec<Diagnostic>,
}

impl Check<'_, '_> {
    fn error(&mut self, span: std::ops::Range<usize>, message: impl std::fmt::Display) {
        self.errors.push(
            self.file
                .error(Some(span), None, format!("[raid]: {message}")),
        );
    }

    fn duration(&mut self, raw: &Spanned<String>, least: Duration, most: Duration) -> Duration {
        match parse_duration(raw.get_ref()) {
            Ok(d) if d < least || d > most => {
                let message = format!(
                    "\"{}\" must be between {}s and {}s",
                    raw.get_ref(),
                    least.as_secs(),
                    most.as_secs()
                );
                self.error(raw.span(), message);
                d
            }
            Ok(d) => d,
            Err(m) => {
                self.error(raw.span(), m);
                Duration::ZERO
            }
        }
    }

    fn window(&mut self, raw: &Spanned<String>) -> Duration {
        self.duration(raw, Duration::from_secs(1), MAX_RAID_WINDOW)
    }

    fn count(&mut self, raw: &Spanned<u32>, least: u32) -> u32 {
        let n = *raw.get_ref();
        if !(least..=MAX_RAID_COUNT).contains(&n) {
            self.error(
                raw.span(),
                format!("{n} must be between {least} and {MAX_RAID_COUNT}"),
            );
        }
        n
    }
}

fn same_kind(a: &RaidStep, b: &RaidStep) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}
