//! Report periods: ISO weeks (`2026-W47`) and months (`2026-11`) in the server's time zone, and
//! when each one's report falls due. A local week is 168 hours except across a daylight-saving
//! change (167 or 169), which is why every bound is computed from local dates through the time
//! zone database (`jiff`, with the database bundled in the binary so that the answer is the same
//! on every machine) and never by adding hours.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::{Date, ISOWeekDate, Weekday};
use jiff::tz::TimeZone;

use crate::charter::report::ReportSettings;
use crate::store::activity::HOUR_MS;

/// A week or a month of the community's calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    /// An ISO week: `year` is the ISO week-numbering year.
    Week { year: i16, week: i8 },
    /// A calendar month, 1 to 12.
    Month { year: i16, month: i8 },
}

/// Why a period was not understood.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("\"{0}\" is not a week such as 2026-W47 or a month such as 2026-11")]
pub struct PeriodError(pub String);

/// Milliseconds since the epoch, `start..end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start_ms: i64,
    pub end_ms: i64,
}

impl Span {
    /// The counters' hour buckets `from..to` that the span covers (a partial hour counts).
    pub fn hours(self) -> (i64, i64) {
        (
            self.start_ms.div_euclid(HOUR_MS),
            (self.end_ms + HOUR_MS - 1).div_euclid(HOUR_MS),
        )
    }
}

/// One local day of a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Day {
    pub date: Date,
    pub span: Span,
}

fn midnight_ms(date: Date, tz: &TimeZone) -> i64 {
    // Midnight may not exist (a zone that skips it); jiff's default resolution moves forward.
    date.to_zoned_datetime(tz.clone())
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or(0)
}

impl Period {
    /// Reads `2026-W47` or `2026-11`.
    pub fn parse(text: &str) -> Result<Period, PeriodError> {
        let bad = || PeriodError(text.to_string());
        let (year, rest) = text.trim().split_once('-').ok_or_else(bad)?;
        let year: i16 = year.parse().map_err(|_| bad())?;
        let period = match rest.strip_prefix(['W', 'w']) {
            Some(week) => Period::Week {
                year,
                week: week.parse().map_err(|_| bad())?,
            },
            None => Period::Month {
                year,
                month: rest.parse().map_err(|_| bad())?,
            },
        };
        period.first_day().map_err(|_| bad())?;
        Ok(period)
    }

    /// The week that holds `date`.
    pub fn week_of(date: Date) -> Period {
        let iso = date.iso_week_date();
        Period::Week {
            year: iso.year(),
            week: iso.week(),
        }
    }

    /// The month that holds `date`.
    pub fn month_of(date: Date) -> Period {
        Period::Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The period of the same kind that holds the local date of `at_ms`.
    pub fn same_kind_at(self, at_ms: i64, tz: &TimeZone) -> Period {
        let date = local_date(at_ms, tz);
        match self {
            Period::Week { .. } => Period::week_of(date),
            Period::Month { .. } => Period::month_of(date),
        }
    }

    fn first_day(self) -> Result<Date, jiff::Error> {
        match self {
            Period::Week { year, week } => {
                ISOWeekDate::new(year, week, Weekday::Monday).map(ISOWeekDate::date)
            }
            Period::Month { year, month } => Date::new(year, month, 1),
        }
    }

    fn start(self) -> Date {
        self.first_day().unwrap_or(Date::MIN)
    }

    /// The period after this one.
    pub fn next(self) -> Period {
        self.shifted(1)
    }

    /// The period before this one.
    pub fn previous(self) -> Period {
        self.shifted(-1)
    }

    /// The period `by` periods later (earlier when negative).
    pub fn shifted(self, by: i32) -> Period {
        match self {
            Period::Week { .. } => {
                let date = self
                    .start()
                    .checked_add(jiff::Span::new().weeks(by))
                    .unwrap_or(self.start());
                Period::week_of(date)
            }
            Period::Month { year, month } => {
                let index = i32::from(year) * 12 + i32::from(month) - 1 + by;
                Period::Month {
                    year: index.div_euclid(12) as i16,
                    month: (index.rem_euclid(12) + 1) as i8,
                }
            }
        }
    }

    /// Its local days, in order.
    pub fn days(self, tz: &TimeZone) -> Vec<Day> {
        let end = self.next().start();
        let mut days = Vec::new();
        let mut date = self.start();
        while date < end {
            let tomorrow = date.tomorrow().unwrap_or(end);
            days.push(Day {
                date,
                span: Span {
                    start_ms: midnight_ms(date, tz),
                    end_ms: midnight_ms(tomorrow, tz),
                },
            });
            date = tomorrow;
        }
        days
    }

    /// Its bounds in time.
    pub fn span(self, tz: &TimeZone) -> Span {
        Span {
            start_ms: midnight_ms(self.start(), tz),
            end_ms: midnight_ms(self.next().start(), tz),
        }
    }

    /// When its report falls due: the weekly report on the configured day and time of the
    /// week after, the monthly report on the 1st of the month after at that time.
    pub fn due_ms(self, settings: &ReportSettings) -> i64 {
        let tz = settings.time_zone();
        let (hour, minute) = settings.time_of_day();
        let date = match (self, settings.weekly) {
            (Period::Week { .. }, Some(w)) => {
                let monday = self.next().start();
                monday
                    .checked_add(
                        jiff::Span::new().days(i64::from(w.weekday.to_monday_zero_offset())),
                    )
                    .unwrap_or(monday)
            }
            _ => self.next().start(),
        };
        date.at(hour, minute, 0, 0)
            .to_zoned_datetime(tz)
            .map(|z| z.timestamp().as_millisecond())
            .unwrap_or(0)
    }

    /// The first period of this kind whose report falls due after `now_ms`.
    pub fn next_due_after(self, now_ms: i64, settings: &ReportSettings) -> Period {
        let tz = settings.time_zone();
        let mut period = self.same_kind_at(now_ms, &tz).shifted(-2);
        while period.due_ms(settings) <= now_ms {
            period = period.next();
        }
        period
    }
}

/// The local date of a time.
pub fn local_date(at_ms: i64, tz: &TimeZone) -> Date {
    Timestamp::from_millisecond(at_ms)
        .map(|t| t.to_zoned_datetime(tz.clone()).date())
        .unwrap_or(Date::MIN)
}

/// The local (weekday from Monday = 0, hour) of a time.
pub fn local_slot(at_ms: i64, tz: &TimeZone) -> (usize, usize) {
    Timestamp::from_millisecond(at_ms)
        .map(|t| {
            let z = t.to_zoned_datetime(tz.clone());
            (
                z.weekday().to_monday_zero_offset() as usize,
                z.hour() as usize,
            )
        })
        .unwrap_or((0, 0))
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Week { year, week } => write!(f, "{year}-W{week:02}"),
            Period::Month { year, month } => write!(f, "{year}-{month:02}"),
        }
    }
}
