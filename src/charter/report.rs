//! The `[report]` section of `charter.toml`: the server's time zone (weeks, days and the heat
//! map's hours are the community's own, not UTC), when the weekly report is posted, whether a
//! monthly one is, and how long per-member activity is kept before it is folded into totals.
//! Raw TOML in, validated [`ReportSettings`] out, every problem located; the report itself is
//! [`crate::stats`].
//!
//! ```toml
//! [report]
//! timezone = "Europe/Paris"   # IANA name; default UTC
//! weekly = "monday 09:00"     # or "off"; the report of the week just ended
//! monthly = true              # the report of the month just ended, on the 1st at the same time
//! retention = "90d"           # per-member counts older than this are folded into totals
//! ```

use std::time::Duration;

use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use serde::Deserialize;
use toml::Spanned;

use super::diagnostics::{Diagnostic, SourceFile};
use super::values::parse_duration;

/// The shortest retention: a week's report must still see who posted during it.
pub const MIN_RETENTION: Duration = Duration::from_secs(35 * 86_400);
/// The longest retention.
pub const MAX_RETENTION: Duration = Duration::from_secs(730 * 86_400);
/// The retention when the charter says nothing.
pub const DEFAULT_RETENTION: Duration = Duration::from_secs(90 * 86_400);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReport {
    pub timezone: Option<Spanned<String>>,
    pub weekly: Option<Spanned<String>>,
    pub monthly: Option<Spanned<bool>>,
    pub retention: Option<Spanned<String>>,
}

/// When and how the community's reports are made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportSettings {
    /// The IANA name of the server's time zone (validated: [`ReportSettings::time_zone`] finds it).
    pub timezone: String,
    /// The weekly report's day and time (hour, minute) in that zone; `None`: not posted.
    pub weekly: Option<WeeklyTime>,
    /// Whether the monthly report is posted (on the 1st, at the weekly report's time).
    pub monthly: bool,
    /// How long per-member activity rows are kept.
    pub retention: Duration,
}

/// A day of the week and a time of day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WeeklyTime {
    pub weekday: Weekday,
    pub hour: i8,
    pub minute: i8,
}

impl Default for ReportSettings {
    fn default() -> ReportSettings {
        ReportSettings {
            timezone: "UTC".into(),
            weekly: Some(WeeklyTime {
                weekday: Weekday::Monday,
                hour: 9,
                minute: 0,
            }),
            monthly: true,
            retention: DEFAULT_RETENTION,
        }
    }
}

impl ReportSettings {
    /// The server's time zone (UTC if the name is unknown, which validation rules out).
    pub fn time_zone(&self) -> TimeZone {
        TimeZone::get(&self.timezone).unwrap_or(TimeZone::UTC)
    }

    /// The time of day reports are posted at: the weekly report's, else 09:00.
    pub fn time_of_day(&self) -> (i8, i8) {
        self.weekly.map_or((9, 0), |w| (w.hour, w.minute))
    }
}

const WEEKDAYS: [(&str, &str, Weekday); 7] = [
    ("monday", "lundi", Weekday::Monday),
    ("tuesday", "mardi", Weekday::Tuesday),
    ("wednesday", "mercredi", Weekday::Wednesday),
    ("thursday", "jeudi", Weekday::Thursday),
    ("friday", "vendredi", Weekday::Friday),
    ("saturday", "samedi", Weekday::Saturday),
    ("sunday", "dimanche", Weekday::Sunday),
];

/// Reads `"monday 09:00"` (English or French day names); `Ok(None)` for `"off"`.
pub fn parse_weekly(text: &str) -> Result<Option<WeeklyTime>, String> {
    let text = text.trim().to_lowercase();
    if text == "off" {
        return Ok(None);
    }
    let bad = || format!("\"{text}\" is not a day and time such as \"monday 09:00\" or \"off\"");
    let (day, time) = text.split_once(' ').ok_or_else(bad)?;
    let weekday = WEEKDAYS
        .iter()
        .find(|(en, fr, _)| *en == day || *fr == day)
        .map(|(_, _, w)| *w)
        .ok_or_else(bad)?;
    let (hour, minute) = time.trim().split_once(':').ok_or_else(bad)?;
    let hour: i8 = hour.parse().map_err(|_| bad())?;
    let minute: i8 = minute.parse().map_err(|_| bad())?;
    if !(0..24).contains(&hour) || !(0..60).contains(&minute) {
        return Err(bad());
    }
    Ok(Some(WeeklyTime {
        weekday,
        hour,
        minute,
    }))
}

/// Validates a `[report]` section, pushing every problem found; `None` when there was one.
pub(crate) fn compile_report(
    raw: &RawReport,
    file: &SourceFile<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Option<ReportSettings> {
    let before = errors.len();
    let mut error = |span: std::ops::Range<usize>, message: String| {
        errors.push(file.error(Some(span), None, format!("[report]: {message}")));
    };
    let mut settings = ReportSettings::default();
    if let Some(tz) = &raw.timezone {
        match TimeZone::get(tz.get_ref()) {
            Ok(_) => settings.timezone = tz.get_ref().clone(),
            Err(_) => error(
                tz.span(),
                format!(
                    "\"{}\" is not a time zone; use an IANA name such as \"Europe/Paris\"",
                    tz.get_ref()
                ),
            ),
        }
    }
    if let Some(weekly) = &raw.weekly {
        match parse_weekly(weekly.get_ref()) {
            Ok(w) => settings.weekly = w,
            Err(m) => error(weekly.span(), m),
        }
    }
    if let Some(monthly) = &raw.monthly {
        settings.monthly = *monthly.get_ref();
    }
    if let Some(retention) = &raw.retention {
        match parse_duration(retention.get_ref()) {
            Ok(d) if d < MIN_RETENTION => {
                error(retention.span(), "retention is at least 35d".into())
            }
            Ok(d) if d > MAX_RETENTION => {
                error(retention.span(), "retention is at most 730d".into())
            }
            Ok(d) => settings.retention = d,
            Err(m) => error(retention.span(), m),
        }
    }
    (errors.len() == before).then_some(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_times_read_in_english_and_french() {
        let w = parse_weekly("Lundi 08:30").unwrap().unwrap();
        assert_eq!((w.weekday, w.hour, w.minute), (Weekday::Monday, 8, 30));
        let w = parse_weekly("sunday 23:59").unwrap().unwrap();
        assert_eq!(w.weekday, Weekday::Sunday);
        assert_eq!(parse_weekly("off").unwrap(), None);
        for bad in [
            "monday",
            "funday 09:00",
            "monday 24:00",
            "monday 9h",
            "monday 09:60",
        ] {
            assert!(parse_weekly(bad).is_err(), "{bad}");
        }
    }
}
