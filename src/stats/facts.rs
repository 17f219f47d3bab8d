//! What the store reads for one period, before any figure is computed: counts only, grouped by
//! the database (no message content exists anywhere in them). [`crate::stats::report::build`]
//! turns the facts of a period and of the one before into a [`crate::stats::Report`].

use std::collections::HashSet;

use crate::charter::report::ReportSettings;
use crate::ids::{ChannelId, UserId};

/// What a report is made of: the facts of its period, of the period before, and the members
/// who opted out of rankings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportFacts {
    pub current: PeriodFacts,
    pub previous: PeriodFacts,
    pub opted_out: HashSet<UserId>,
}

impl ReportFacts {
    /// The report of `period` in the charter's time zone.
    pub fn report(&self, period: super::Period, settings: &ReportSettings) -> super::Report {
        super::report::build(
            period,
            &settings.time_zone(),
            &settings.timezone,
            &self.current,
            &self.previous,
            &self.opted_out,
        )
    }
}

/// Everything recorded about one period of one guild.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeriodFacts {
    /// Messages per UTC hour bucket (`ms / 3_600_000`), hours without messages left out.
    pub hourly_messages: Vec<(i64, u64)>,
    /// Joins and departures per UTC hour bucket.
    pub hourly_members: Vec<(i64, u64, u64)>,
    /// Distinct members who posted, per local day of the period (in order).
    pub daily_active: Vec<u64>,
    /// Distinct members who posted during the period.
    pub active_members: u64,
    /// Messages per channel, most first.
    pub channels: Vec<(ChannelId, u64)>,
    /// Messages per member who posted, most first (every one: a ranking skips those who opted
    /// out).
    pub contributors: Vec<(UserId, u64)>,
    /// Members by answers to other members (replies to someone else's message), most first.
    pub answerers: Vec<(UserId, u64)>,
    /// Newcomers whose first message fell in the period, and how many of them another member
    /// answered within the hour.
    pub first_messages: (u64, u64),
    /// Of the members who joined during the period before, how many, and how many of them
    /// posted during this one.
    pub retention: (u64, u64),
    /// Moderation during the period.
    pub moderation: ModerationFacts,
    /// Polls and giveaways during the period.
    pub engagement: EngagementFacts,
    /// Joins by how they were attributed, and referrals.
    pub referrals: ReferralFacts,
}

/// Cases and review work.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModerationFacts {
    /// Cases by kind (`delete`, `warn`, ...), most first.
    pub cases_by_kind: Vec<(String, u64)>,
    /// Cases by charter rule (automatic or citing a rule), most first.
    pub cases_by_rule: Vec<(String, u64)>,
    /// Review items opened (held, flagged or reported).
    pub review_items: u64,
    /// Member reports filed.
    pub reports: u64,
    /// Times from an item's opening to its decision, in ms, for items decided in the period.
    pub decision_times_ms: Vec<i64>,
    /// Per rule: decided items, and how many of them moderators approved (the rule was wrong).
    pub rule_decisions: Vec<(String, u64, u64)>,
}

/// Polls and giveaways.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EngagementFacts {
    /// Polls opened during the period.
    pub polls: u64,
    /// Votes cast in them.
    pub poll_votes: u64,
    /// Giveaways opened during the period.
    pub giveaways: u64,
    /// Entries in them.
    pub giveaway_entries: u64,
}

/// Where newcomers came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReferralFacts {
    /// Joins by attribution (`exact`, `ambiguous`, `vanity`, `unknown`).
    pub joins_by_source: Vec<(String, u64)>,
    /// Referrals that qualified during the period.
    pub qualified: u64,
    /// Members by referrals qualified during the period, most first.
    pub referrers: Vec<(UserId, u64)>,
}
