//! The jobs the scheduler runs (pure: no I/O, no clock). Anything that must happen later is a
//! [`Job`], stored as one row of the `jobs` table ([`crate::store::jobs`]) and run by
//! `discord::scheduler` when it falls due. This module says what a job is, how it is written in
//! that row, and what happens after a failed run: [`after_failure`] retries with exponential
//! backoff ([`retry_delay`]) and gives up after [`MAX_ATTEMPTS`] failed runs.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::ids::{GuildId, UserId};
use crate::stats::schedule::Cadence;

/// How many failed runs a job gets before the scheduler gives up on it (and says so in the mod
/// log).
pub const MAX_ATTEMPTS: u32 = 5;

/// The wait after a job's first failure; it doubles after each further failure.
pub const RETRY_BASE: Duration = Duration::from_secs(60);

/// The longest wait between two runs of a failing job.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(60 * 60);

/// Something Steward must do later.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// The end of a temporary ban: lift `user`'s ban in `guild`, recorded as an Unban case by
    /// Steward that cites `case`, the ban's case.
    LiftBan {
        /// The guild of the ban.
        guild: GuildId,
        /// The banned member.
        user: UserId,
        /// The number of the ban's case.
        case: i64,
    },
    /// Recall review item `item` in the review channel if it is still open and not recalled yet
    /// (with every other item of the guild waiting as long).
    RemindReview {
        /// The guild of the item.
        guild: GuildId,
        /// The item's id.
        item: i64,
    },
    /// Close poll `poll` and post its results, unless it was closed already.
    ClosePoll {
        /// The guild of the poll.
        guild: GuildId,
        /// The poll's id.
        poll: i64,
    },
    /// The end of giveaway `giveaway`: close entries, draw, announce (once, even if the
    /// giveaway was ended by hand meanwhile).
    EndGiveaway {
        /// The guild of the giveaway.
        guild: GuildId,
        /// The giveaway's id.
        giveaway: i64,
    },
    /// The claim deadline of round `round` of giveaway `giveaway`: the winners of that round
    /// who have not claimed forfeit, and their places are rerolled (once).
    ClaimDeadline {
        /// The guild of the giveaway.
        guild: GuildId,
        /// The giveaway's id.
        giveaway: i64,
        /// The round whose winners must have claimed.
        round: u32,
    },
    /// Look at a pending referral: the newcomer who joined `guild` at `joined_at_ms` through a
    /// member's invite has stayed the charter's `[referrals] stay`; count it if they took part.
    QualifyReferral {
        /// The guild they joined.
        guild: GuildId,
        /// The newcomer.
        user: UserId,
        /// When they joined (which join, for a member who came back).
        joined_at_ms: i64,
    },
    /// Remind a newcomer who has not accepted the charter yet (`[acceptance] remind_after`).
    AcceptanceReminder {
        /// The guild they joined.
        guild: GuildId,
        /// The newcomer.
        user: UserId,
    },
    /// Remove a newcomer who never accepted the charter (`[acceptance] kick_after`).
    AcceptanceDeadline {
        /// The guild they joined.
        guild: GuildId,
        /// The newcomer.
        user: UserId,
    },
    /// Post the report of `period` (`2026-W47` or `2026-11`) to the guild's stats channel
    /// (once, even after a restart), then wait for the next one.
    PostReport {
        /// The guild reported on.
        guild: GuildId,
        /// The period, as [`crate::stats::Period`] writes it.
        period: String,
    },
    /// Fold the guild's per-member activity older than the charter's `[report] retention` into
    /// per-channel totals, then do it again a day later.
    FoldActivity {
        /// The guild.
        guild: GuildId,
    },
    /// The end of raid mode in `guild` once it has been quiet for the charter's `[raid] quiet`
    /// (put off while signals keep coming).
    EndRaid {
        /// The guild in raid mode.
        guild: GuildId,
    },
    /// Give a newcomer their welcome roles (`[welcome] roles_after`), if they are still here.
    GiveRoles {
        /// The guild they joined.
        guild: GuildId,
        /// The newcomer.
        user: UserId,
        /// The roles, by name or id as the charter writes them.
        roles: Vec<String>,
    },
}

impl Job {
    /// The kind of [`Job::LiftBan`], as stored.
    pub const LIFT_BAN: &'static str = "lift_ban";
    /// The kind of [`Job::RemindReview`], as stored.
    pub const REMIND_REVIEW: &'static str = "remind_review";
    /// The kind of [`Job::ClosePoll`], as stored.
    pub const CLOSE_POLL: &'static str = "close_poll";
    /// The kind of [`Job::EndGiveaway`], as stored.
    pub const END_GIVEAWAY: &'static str = "end_giveaway";
    /// The kind of [`Job::ClaimDeadline`], as stored.
    pub const CLAIM_DEADLINE: &'static str = "claim_deadline";
    /// The kind of [`Job::QualifyReferral`], as stored.
    pub const QUALIFY_REFERRAL: &'static str = "qualify_referral";
    /// The kind of [`Job::AcceptanceReminder`], as stored.
    pub const ACCEPTANCE_REMINDER: &'static str = "acceptance_reminder";
    /// The kind of [`Job::AcceptanceDeadline`], as stored.
    pub const ACCEPTANCE_DEADLINE: &'static str = "acceptance_deadline";
    /// The kind of [`Job::PostReport`], as stored.
    pub const POST_REPORT: &'static str = "post_report";
    /// The kind of [`Job::FoldActivity`], as stored.
    pub const FOLD_ACTIVITY: &'static str = "fold_activity";
    /// The kind of [`Job::GiveRoles`], as stored.
    pub const GIVE_ROLES: &'static str = "give_roles";
    /// The kind of [`Job::EndRaid`], as stored.
    pub const END_RAID: &'static str = "end_raid";

    /// The job's kind, as stored in the `kind` column (and the payload's `kind` field).
    pub fn kind(&self) -> &'static str {
        match self {
            Job::LiftBan { .. } => Job::LIFT_BAN,
            Job::RemindReview { .. } => Job::REMIND_REVIEW,
            Job::ClosePoll { .. } => Job::CLOSE_POLL,
            Job::EndGiveaway { .. } => Job::END_GIVEAWAY,
            Job::ClaimDeadline { .. } => Job::CLAIM_DEADLINE,
            Job::GiveRoles { .. } => Job::GIVE_ROLES,
            Job::EndRaid { .. } => Job::END_RAID,
            Job::PostReport { .. } => Job::POST_REPORT,
            Job::FoldActivity { .. } => Job::FOLD_ACTIVITY,
            Job::QualifyReferral { .. } => Job::QUALIFY_REFERRAL,
            Job::AcceptanceReminder { .. } => Job::ACCEPTANCE_REMINDER,
            Job::AcceptanceDeadline { .. } => Job::ACCEPTANCE_DEADLINE,
        }
    }

    /// The guild the job acts in.
    pub fn guild(&self) -> GuildId {
        match self {
            Job::LiftBan { guild, .. }
            | Job::RemindReview { guild, .. }
            | Job::ClosePoll { guild, .. }
            | Job::EndGiveaway { guild, .. }
            | Job::ClaimDeadline { guild, .. }
            | Job::GiveRoles { guild, .. }
            | Job::QualifyReferral { guild, .. }
            | Job::AcceptanceReminder { guild, .. }
            | Job::AcceptanceDeadline { guild, .. }
            | Job::PostReport { guild, .. }
            | Job::FoldActivity { guild }
            | Job::EndRaid { guild } => *guild,
        }
    }

    /// The key that makes a job unique within its kind: scheduling another job of the same kind
    /// and key replaces it (a member banned again gets the new ban's end).
    pub fn dedupe_key(&self) -> String {
        match self {
            Job::LiftBan { guild, user, .. } => lift_ban_key(*guild, *user),
            Job::RemindReview { item, .. } => item.to_string(),
            Job::ClosePoll { poll, .. } => poll.to_string(),
            Job::EndGiveaway { giveaway, .. } => giveaway.to_string(),
            Job::ClaimDeadline {
                giveaway, round, ..
            } => format!("{giveaway}:{round}"),
            Job::GiveRoles { guild, user, .. }
            | Job::AcceptanceReminder { guild, user }
            | Job::AcceptanceDeadline { guild, user } => format!("{guild}:{user}"),
            Job::QualifyReferral {
                guild,
                user,
                joined_at_ms,
            } => format!("{guild}:{user}:{joined_at_ms}"),
            Job::PostReport { guild, period } => report_key(*guild, period),
            Job::FoldActivity { guild } | Job::EndRaid { guild } => guild.to_string(),
        }
    }

    /// The job as stored in the `payload` column (JSON).
    pub fn to_payload(&self) -> String {
        serde_json::to_string(self).expect("a job always serializes")
    }

    /// A job read back from its payload.
    pub fn from_payload(payload: &str) -> Result<Job, serde_json::Error> {
        serde_json::from_str(payload)
    }
}

/// The dedupe key of `user`'s temporary ban in `guild` (`GUILD:USER`), also written by the
/// migration that moved the old `scheduled_unbans` rows into jobs.
pub fn lift_ban_key(guild: GuildId, user: UserId) -> String {
    format!("{guild}:{user}")
}

/// The dedupe key of a guild's weekly or monthly report job (`GUILD:weekly`): one job per
/// cadence, whichever period it is for.
pub fn report_key(guild: GuildId, period: &str) -> String {
    let cadence = crate::stats::Period::parse(period)
        .map_or(Cadence::Weekly, Cadence::of)
        .as_str();
    format!("{guild}:{cadence}")
}

/// What a job's run asks of the scheduler when it did not fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done (or nothing left to do): the job is removed.
    Done,
    /// Not yet: run again at `at_ms` (not a failure; attempts are unchanged).
    Later {
        /// When to run it again, in ms since the epoch.
        at_ms: i64,
    },
}

/// What to do with a job whose run just failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterFailure {
    /// Run it again at `at_ms`.
    Retry {
        /// When, in ms since the epoch.
        at_ms: i64,
    },
    /// It failed [`MAX_ATTEMPTS`] times: give up, loudly.
    GiveUp,
}

/// The wait before the next run of a job that failed `failures` times (at least 1): `base`,
/// doubled for each failure after the first, at most [`MAX_RETRY_DELAY`] (or `base`, when
/// `base` is longer).
pub fn retry_delay(failures: u32, base: Duration) -> Duration {
    let doublings = failures.saturating_sub(1).min(30);
    base.saturating_mul(1 << doublings)
        .min(MAX_RETRY_DELAY.max(base))
}

/// What follows a failed run at `now_ms` of a job that had failed `attempts` times before.
pub fn after_failure(attempts: u32, now_ms: i64, base: Duration) -> AfterFailure {
    let failures = attempts.saturating_add(1);
    if failures >= MAX_ATTEMPTS {
        return AfterFailure::GiveUp;
    }
    let delay = retry_delay(failures, base).as_millis();
    AfterFailure::Retry {
        at_ms: now_ms.saturating_add(i64::try_from(delay).unwrap_or(i64::MAX)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_round_trip_through_their_payload_with_their_kind_inside() {
        let ban = Job::LiftBan {
            guild: GuildId(1_111_111_111_111_111_111),
            user: UserId(42),
            case: 7,
        };
        let payload = ban.to_payload();
        assert_eq!(
            payload,
            r#"{"kind":"lift_ban","guild":1111111111111111111,"user":42,"case":7}"#
        );
        assert_eq!(Job::from_payload(&payload).unwrap(), ban);
        let remind = Job::RemindReview {
            guild: GuildId(3),
            item: 9,
        };
        assert_eq!(Job::from_payload(&remind.to_payload()).unwrap(), remind);
        assert_eq!(remind.kind(), Job::REMIND_REVIEW);
        assert_eq!(remind.dedupe_key(), "9");
        let end = Job::EndGiveaway {
            guild: GuildId(3),
            giveaway: 4,
        };
        assert_eq!(
            end.to_payload(),
            r#"{"kind":"end_giveaway","guild":3,"giveaway":4}"#
        );
        assert_eq!(Job::from_payload(&end.to_payload()).unwrap(), end);
        assert_eq!(
            (end.kind(), end.dedupe_key()),
            (Job::END_GIVEAWAY, "4".into())
        );
        assert_eq!(ban.kind(), Job::LIFT_BAN);
        assert_eq!(ban.dedupe_key(), "1111111111111111111:42");
        assert_eq!(ban.guild(), GuildId(1_111_111_111_111_111_111));
        let close = Job::ClosePoll {
            guild: GuildId(4),
            poll: 12,
        };
        assert_eq!(
            close.to_payload(),
            r#"{"kind":"close_poll","guild":4,"poll":12}"#
        );
        assert_eq!(Job::from_payload(&close.to_payload()).unwrap(), close);
        let claim = Job::ClaimDeadline {
            guild: GuildId(4),
            giveaway: 2,
            round: 1,
        };
        assert_eq!(
            claim.to_payload(),
            r#"{"kind":"claim_deadline","guild":4,"giveaway":2,"round":1}"#
        );
        assert_eq!(Job::from_payload(&claim.to_payload()).unwrap(), claim);
        assert_eq!(
            (claim.kind(), claim.dedupe_key()),
            (Job::CLAIM_DEADLINE, "2:1".into())
        );
        assert_eq!(
            (close.kind(), close.dedupe_key()),
            (Job::CLOSE_POLL, "12".into())
        );
    }

    #[test]
    fn payloads_written_by_the_databases_json_functions_are_read() {
        // PostgreSQL's json_build_object puts spaces around the colons.
        let job =
            Job::from_payload(r#"{"kind" : "lift_ban", "guild" : 5, "user" : 6, "case" : 2}"#);
        assert_eq!(
            job.unwrap(),
            Job::LiftBan {
                guild: GuildId(5),
                user: UserId(6),
                case: 2
            }
        );
        assert!(Job::from_payload(r#"{"kind":"draw_giveaway","guild":5}"#).is_err());
        assert!(Job::from_payload("not json").is_err());
    }

    #[test]
    fn the_wait_doubles_after_each_failure_up_to_a_ceiling() {
        let base = Duration::from_secs(60);
        let waits: Vec<u64> = (1..=5).map(|n| retry_delay(n, base).as_secs()).collect();
        assert_eq!(waits, [60, 120, 240, 480, 960]);
        assert_eq!(retry_delay(0, base), base);
        assert_eq!(retry_delay(7, base), MAX_RETRY_DELAY);
        assert_eq!(retry_delay(u32::MAX, base), MAX_RETRY_DELAY);
        // A base longer than the ceiling is not cut below itself.
        let long = Duration::from_secs(2 * 3600);
        assert_eq!(retry_delay(3, long), long);
        assert_eq!(
            retry_delay(3, Duration::from_millis(100)),
            Duration::from_millis(400)
        );
    }

    #[test]
    fn a_job_is_retried_until_its_last_attempt_then_given_up() {
        let base = Duration::from_millis(100);
        assert_eq!(
            after_failure(0, 1_000, base),
            AfterFailure::Retry { at_ms: 1_100 }
        );
        assert_eq!(
            after_failure(1, 1_000, base),
            AfterFailure::Retry { at_ms: 1_200 }
        );
        assert_eq!(
            after_failure(MAX_ATTEMPTS - 2, 0, base),
            AfterFailure::Retry { at_ms: 800 }
        );
        assert_eq!(
            after_failure(MAX_ATTEMPTS - 1, 0, base),
            AfterFailure::GiveUp
        );
        assert_eq!(
            after_failure(MAX_ATTEMPTS + 3, 0, base),
            AfterFailure::GiveUp
        );
        assert_eq!(
            after_failure(0, i64::MAX - 5, base),
            AfterFailure::Retry { at_ms: i64::MAX }
        );
    }
}
