//! The report of one period (pure): the facts of the period and of the one before in, figures
//! with their change, per-day series, the day x hour heat map and the rankings out. Times are
//! bucketed into the server's local days and hours here, so a week across a daylight-saving
//! change still has seven days and every message lands in its local hour. Members who opted out
//! of rankings are counted in every total and named nowhere.

use std::collections::HashSet;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::facts::{EngagementFacts, PeriodFacts, ReferralFacts};
use super::period::{Period, local_slot};
use crate::ids::{ChannelId, UserId};
use crate::store::activity::HOUR_MS;

/// How many entries a ranking shows.
pub const RANKED: usize = 10;

/// What a figure measures, which says how it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Count,
    /// A share, 0 to 100.
    Percent,
    /// A duration in minutes.
    Minutes,
}

/// One headline figure and its value in the period before.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// Its name: the CSV column and the catalogue key `stats-figure-<name>`.
    pub name: &'static str,
    pub unit: Unit,
    /// `None`: nothing to measure (no newcomers to retain, no decision to time).
    pub value: Option<f64>,
    pub previous: Option<f64>,
}

impl Figure {
    /// The change from the period before, in percent; `None` when either side is missing or
    /// the period before was zero.
    pub fn change_percent(&self) -> Option<f64> {
        match (self.value, self.previous) {
            (Some(now), Some(before)) if before != 0.0 => Some((now - before) / before * 100.0),
            _ => None,
        }
    }
}

/// One local day's series values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayFigures {
    pub date: Date,
    pub messages: u64,
    pub active: u64,
    pub joins: u64,
    pub leaves: u64,
}

/// How a rule's review decisions went.
#[derive(Clone, Debug, PartialEq)]
pub struct RulePrecision {
    pub rule: String,
    /// Items of the rule decided.
    pub decided: u64,
    /// Of which moderators approved (the message was fine): false positives.
    pub approved: u64,
}

impl RulePrecision {
    /// The share of decisions that found the rule wrong, in percent.
    pub fn false_positive_percent(&self) -> f64 {
        if self.decided == 0 {
            0.0
        } else {
            self.approved as f64 / self.decided as f64 * 100.0
        }
    }
}

/// A period's report.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub period: Period,
    /// The IANA name of the time zone its days are in.
    pub timezone: String,
    pub figures: Vec<Figure>,
    pub days: Vec<DayFigures>,
    /// Messages per local (weekday from Monday, hour).
    pub heat: [[u64; 24]; 7],
    pub top_channels: Vec<(ChannelId, u64)>,
    pub top_contributors: Vec<(UserId, u64)>,
    /// The members who answer others most: ambassador candidates.
    pub top_answerers: Vec<(UserId, u64)>,
    pub cases_by_kind: Vec<(String, u64)>,
    pub cases_by_rule: Vec<(String, u64)>,
    pub rule_precision: Vec<RulePrecision>,
    pub engagement: EngagementFacts,
    pub referrals: ReferralFacts,
}

impl Report {
    /// The figure called `name`.
    pub fn figure(&self, name: &str) -> Option<&Figure> {
        self.figures.iter().find(|f| f.name == name)
    }
}

fn median(values: &[i64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[n / 2] as f64),
        n => Some((sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0),
    }
}

fn headline(facts: &PeriodFacts) -> Vec<(&'static str, Unit, Option<f64>)> {
    let messages: u64 = facts.hourly_messages.iter().map(|(_, m)| m).sum();
    let joins: u64 = facts.hourly_members.iter().map(|(_, j, _)| j).sum();
    let leaves: u64 = facts.hourly_members.iter().map(|(_, _, l)| l).sum();
    let (newcomers, stayed) = facts.retention;
    let retention = (newcomers > 0).then(|| stayed as f64 / newcomers as f64 * 100.0);
    let cases: u64 = facts.moderation.cases_by_kind.iter().map(|(_, n)| n).sum();
    let decided: u64 = facts.moderation.rule_decisions.iter().map(|r| r.1).sum();
    let approved: u64 = facts.moderation.rule_decisions.iter().map(|r| r.2).sum();
    let false_positives = (decided > 0).then(|| approved as f64 / decided as f64 * 100.0);
    let (first_messages, answered) = facts.first_messages;
    let welcomed = (first_messages > 0).then(|| answered as f64 / first_messages as f64 * 100.0);
    let median_minutes = median(&facts.moderation.decision_times_ms).map(|ms| ms / 60_000.0);
    let count = |n: u64| Some(n as f64);
    vec![
        ("messages", Unit::Count, count(messages)),
        ("active_members", Unit::Count, count(facts.active_members)),
        ("joins", Unit::Count, count(joins)),
        ("departures", Unit::Count, count(leaves)),
        (
            "net_growth",
            Unit::Count,
            Some(joins as f64 - leaves as f64),
        ),
        ("retention", Unit::Percent, retention),
        ("first_messages", Unit::Count, count(first_messages)),
        ("first_messages_answered", Unit::Percent, welcomed),
        ("cases", Unit::Count, count(cases)),
        (
            "review_items",
            Unit::Count,
            count(facts.moderation.review_items),
        ),
        ("reports", Unit::Count, count(facts.moderation.reports)),
        ("median_decision", Unit::Minutes, median_minutes),
        ("false_positives", Unit::Percent, false_positives),
        (
            "poll_votes",
            Unit::Count,
            count(facts.engagement.poll_votes),
        ),
        (
            "giveaway_entries",
            Unit::Count,
            count(facts.engagement.giveaway_entries),
        ),
        (
            "qualified_referrals",
            Unit::Count,
            count(facts.referrals.qualified),
        ),
    ]
}

/// The report of `period` from its facts and those of the period before.
pub fn build(
    period: Period,
    tz: &TimeZone,
    timezone: &str,
    current: &PeriodFacts,
    previous: &PeriodFacts,
    opted_out: &HashSet<UserId>,
) -> Report {
    let before = headline(previous);
    let figures = headline(current)
        .into_iter()
        .zip(before)
        .map(|((name, unit, value), (_, _, previous))| Figure {
            name,
            unit,
            value,
            previous,
        })
        .collect();
    let local_days = period.days(tz);
    let mut days: Vec<DayFigures> = local_days
        .iter()
        .enumerate()
        .map(|(i, day)| DayFigures {
            date: day.date,
            messages: 0,
            active: current.daily_active.get(i).copied().unwrap_or(0),
            joins: 0,
            leaves: 0,
        })
        .collect();
    let day_of = |hour: i64| {
        let at = hour * HOUR_MS;
        local_days
            .iter()
            .position(|d| d.span.start_ms <= at && at < d.span.end_ms)
    };
    let mut heat = [[0_u64; 24]; 7];
    for &(hour, messages) in &current.hourly_messages {
        if let Some(i) = day_of(hour) {
            days[i].messages += messages;
        }
        let (weekday, local_hour) = local_slot(hour * HOUR_MS, tz);
        heat[weekday][local_hour] += messages;
    }
    for &(hour, joins, leaves) in &current.hourly_members {
        if let Some(i) = day_of(hour) {
            days[i].joins += joins;
            days[i].leaves += leaves;
        }
    }
    let named = |ranking: &[(UserId, u64)]| -> Vec<(UserId, u64)> {
        ranking
            .iter()
            .filter(|(user, _)| !opted_out.contains(user))
            .take(RANKED)
            .copied()
            .collect()
    };
    let mut referrals = current.referrals.clone();
    referrals.referrers = named(&current.referrals.referrers);
    let moderation = &current.moderation;
    Report {
        period,
        timezone: timezone.to_string(),
        figures,
        days,
        heat,
        top_channels: current.channels.iter().take(RANKED).copied().collect(),
        top_contributors: named(&current.contributors),
        top_answerers: named(&current.answerers),
        cases_by_kind: moderation.cases_by_kind.clone(),
        cases_by_rule: moderation.cases_by_rule.clone(),
        rule_precision: moderation
            .rule_decisions
            .iter()
            .map(|(rule, decided, approved)| RulePrecision {
                rule: rule.clone(),
                decided: *decided,
                approved: *approved,
            })
            .collect(),
        engagement: current.engagement.clone(),
        referrals,
    }
}
