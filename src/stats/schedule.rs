//! When reports are posted (pure): the first weekly and monthly report a guild is waiting for,
//! and the one after a report is posted. A report whose time passed while Steward was off is
//! still posted when it comes back (its job is due in the past); after several missed periods,
//! only the oldest and the latest are posted, not a burst of stale ones.

use super::period::Period;
use crate::charter::report::ReportSettings;

/// Which of a guild's reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cadence {
    Weekly,
    Monthly,
}

impl Cadence {
    /// The cadence of `period`'s report.
    pub fn of(period: Period) -> Cadence {
        match period {
            Period::Week { .. } => Cadence::Weekly,
            Period::Month { .. } => Cadence::Monthly,
        }
    }

    /// Its name in job keys.
    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Weekly => "weekly",
            Cadence::Monthly => "monthly",
        }
    }

    /// Whether the charter asks for this report.
    pub fn enabled(self, settings: &ReportSettings) -> bool {
        match self {
            Cadence::Weekly => settings.weekly.is_some(),
            Cadence::Monthly => settings.monthly,
        }
    }

    fn any_period(self) -> Period {
        match self {
            Cadence::Weekly => Period::Week {
                year: 2026,
                week: 1,
            },
            Cadence::Monthly => Period::Month {
                year: 2026,
                month: 1,
            },
        }
    }
}

/// The report of this cadence a guild waits for at `now_ms`: the first one due after now.
pub fn upcoming(cadence: Cadence, settings: &ReportSettings, now_ms: i64) -> Option<Period> {
    cadence
        .enabled(settings)
        .then(|| cadence.any_period().next_due_after(now_ms, settings))
}

/// The report to wait for once `posted`'s is out: the next period's, or, when that one is
/// overdue too (Steward was off for a while), the latest overdue one.
pub fn after(posted: Period, settings: &ReportSettings, now_ms: i64) -> Option<Period> {
    let cadence = Cadence::of(posted);
    let upcoming = upcoming(cadence, settings, now_ms)?;
    let next = posted.next();
    Some(if next.due_ms(settings) > now_ms {
        next
    } else {
        upcoming.previous().max(next)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> ReportSettings {
        ReportSettings {
            timezone: "Europe/Paris".into(),
            ..ReportSettings::default()
        }
    }

    #[test]
    fn the_next_report_follows_the_posted_one_and_skips_stale_ones() {
        let s = settings();
        let w47 = Period::parse("2026-W47").unwrap();
        let due = w47.due_ms(&s);
        assert_eq!(upcoming(Cadence::Weekly, &s, due - 1), Some(w47));
        assert_eq!(after(w47, &s, due + 60_000), Some(w47.next()));
        // Back after three weeks off: the latest overdue week, not the two in between.
        let three_weeks = 21 * 86_400_000;
        assert_eq!(after(w47, &s, due + three_weeks), Some(w47.shifted(3)));
        let off = ReportSettings {
            weekly: None,
            monthly: false,
            ..s
        };
        assert_eq!(upcoming(Cadence::Weekly, &off, due), None);
        assert_eq!(after(w47, &off, due), None);
        assert_eq!(
            upcoming(Cadence::Monthly, &settings(), due),
            Some(Period::parse("2026-11").unwrap())
        );
    }
}
