//! A report in words: figure names, values and changes, chart labels, written from the
//! catalogue in one language. Shared by the Discord embed, the charts and the offline export, so
//! a figure reads the same everywhere.

use super::charts::ChartText;
use super::report::{Figure, Report, Unit};
use crate::i18n::Lang;
use crate::tr;

/// The name of a figure (`stats-figure-<name>`).
pub fn figure_name(lang: Lang, figure: &Figure) -> String {
    crate::i18n::text(
        lang,
        &format!("stats-figure-{}", figure.name.replace('_', "-")),
        &[],
    )
}

fn decimal(lang: Lang, value: f64) -> String {
    let text = if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    };
    text.replace('.', &tr!(lang, "stats-decimal-separator"))
}

/// A figure's value, or "not measured" when there was nothing to measure.
pub fn value(lang: Lang, unit: Unit, value: Option<f64>) -> String {
    match value {
        None => tr!(lang, "stats-not-measured"),
        Some(v) => match unit {
            Unit::Count => decimal(lang, v),
            Unit::Percent => tr!(lang, "stats-percent", value = decimal(lang, v)),
            Unit::Minutes => tr!(lang, "stats-minutes", value = decimal(lang, v)),
        },
    }
}

/// A figure's change from the period before (`+12 %`, `−5 %`, or a dash).
pub fn change(lang: Lang, figure: &Figure) -> String {
    match figure.change_percent() {
        None => "—".into(),
        Some(c) if c >= 0.0 => format!(
            "+{}",
            tr!(lang, "stats-percent", value = decimal(lang, c.round()))
        ),
        Some(c) => format!(
            "−{}",
            tr!(lang, "stats-percent", value = decimal(lang, -c.round()))
        ),
    }
}

/// The report's title: "Week 47 of 2026" / "November 2026".
pub fn title(lang: Lang, report: &Report) -> String {
    match report.period {
        super::Period::Week { year, week } => {
            tr!(lang, "stats-title-week", week = week, year = year)
        }
        super::Period::Month { year, month } => tr!(
            lang,
            "stats-title-month",
            month = month_name(lang, month),
            year = year
        ),
    }
}

fn month_name(lang: Lang, month: i8) -> String {
    crate::i18n::text(lang, &format!("stats-month-{month}"), &[])
}

const WEEKDAY_KEYS: [&str; 7] = [
    "stats-weekday-monday",
    "stats-weekday-tuesday",
    "stats-weekday-wednesday",
    "stats-weekday-thursday",
    "stats-weekday-friday",
    "stats-weekday-saturday",
    "stats-weekday-sunday",
];

/// The words on a report's charts.
pub fn chart_text(lang: Lang, report: &Report) -> ChartText {
    let weekdays = WEEKDAY_KEYS.map(|key| crate::i18n::text(lang, key, &[]));
    let days = report
        .days
        .iter()
        .map(|d| {
            let weekday = &weekdays[d.date.weekday().to_monday_zero_offset() as usize];
            let short: String = weekday.chars().take(3).collect();
            format!("{short} {}", d.date.day())
        })
        .collect();
    ChartText {
        activity_title: tr!(lang, "stats-chart-activity"),
        messages: tr!(lang, "stats-figure-messages"),
        active_members: tr!(lang, "stats-figure-active-members"),
        members_title: tr!(lang, "stats-chart-members"),
        joins: tr!(lang, "stats-figure-joins"),
        departures: tr!(lang, "stats-figure-departures"),
        heat_title: tr!(
            lang,
            "stats-chart-heatmap",
            timezone = report.timezone.clone()
        ),
        cases_title: tr!(lang, "stats-chart-cases"),
        no_cases: tr!(lang, "stats-chart-no-cases"),
        days,
        weekdays,
    }
}
