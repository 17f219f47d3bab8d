//! Periods, due times, charts and exports on small known inputs.

use std::collections::HashSet;

use jiff::civil::{Weekday, date};
use jiff::tz::TimeZone;

use super::charts::{ChartText, render_all};
use super::export;
use super::facts::PeriodFacts;
use super::period::Period;
use super::report::build;
use super::wording;
use crate::charter::report::{ReportSettings, WeeklyTime};
use crate::i18n::Lang;
use crate::ids::{ChannelId, UserId};
use crate::store::activity::HOUR_MS;

fn paris() -> TimeZone {
    TimeZone::get("Europe/Paris").unwrap()
}

fn ms(y: i16, m: i8, d: i8, h: i8, min: i8, tz: &TimeZone) -> i64 {
    date(y, m, d)
        .at(h, min, 0, 0)
        .to_zoned_datetime(tz.clone())
        .unwrap()
        .timestamp()
        .as_millisecond()
}

#[test]
fn periods_read_and_write_as_iso_weeks_and_months() {
    assert_eq!(
        Period::parse("2026-W47").unwrap(),
        Period::Week {
            year: 2026,
            week: 47
        }
    );
    assert_eq!(Period::parse("2026-w07").unwrap().to_string(), "2026-W07");
    assert_eq!(Period::parse("2026-11").unwrap().to_string(), "2026-11");
    for bad in [
        "2026-W54", "2026-13", "2026-00", "W47", "2026/11", "", "2025-W53",
    ] {
        assert!(Period::parse(bad).is_err(), "{bad}");
    }
    // 2026 has 53 ISO weeks.
    assert!(Period::parse("2026-W53").is_ok());
}

#[test]
fn weeks_and_months_step_across_years() {
    let w1 = Period::parse("2027-W01").unwrap();
    assert_eq!(w1.previous().to_string(), "2026-W53");
    assert_eq!(w1.previous().next(), w1);
    assert_eq!(
        Period::parse("2026-01").unwrap().previous().to_string(),
        "2025-12"
    );
    assert_eq!(
        Period::parse("2026-12").unwrap().next().to_string(),
        "2027-01"
    );
    assert_eq!(
        Period::parse("2026-11").unwrap().shifted(-13).to_string(),
        "2025-10"
    );
}

#[test]
fn a_week_across_a_daylight_saving_change_has_seven_days_and_167_or_169_hours() {
    let tz = paris();
    let spring = Period::parse("2026-W13").unwrap();
    let span = spring.span(&tz);
    assert_eq!(span.end_ms - span.start_ms, 167 * HOUR_MS);
    let days = spring.days(&tz);
    assert_eq!(days.len(), 7);
    assert_eq!(days[6].span.end_ms - days[6].span.start_ms, 23 * HOUR_MS);
    let autumn = Period::parse("2026-W43").unwrap().span(&tz);
    assert_eq!(autumn.end_ms - autumn.start_ms, 169 * HOUR_MS);
    let plain = Period::parse("2026-W47").unwrap().span(&TimeZone::UTC);
    assert_eq!(plain.end_ms - plain.start_ms, 168 * HOUR_MS);
    let march = Period::parse("2026-03").unwrap();
    assert_eq!(march.days(&tz).len(), 31);
    assert_eq!(march.span(&tz).start_ms, ms(2026, 3, 1, 0, 0, &tz));
}

fn settings(weekday: Weekday, hour: i8) -> ReportSettings {
    ReportSettings {
        timezone: "Europe/Paris".into(),
        weekly: Some(WeeklyTime {
            weekday,
            hour,
            minute: 30,
        }),
        ..ReportSettings::default()
    }
}

#[test]
fn a_report_falls_due_after_its_period_at_the_local_time_chosen() {
    let tz = paris();
    let monday = settings(Weekday::Monday, 9);
    let w47 = Period::parse("2026-W47").unwrap();
    // Week 47 ends on Sunday 22 November; its report is posted Monday 23 at 09:30 in Paris.
    assert_eq!(w47.due_ms(&monday), ms(2026, 11, 23, 9, 30, &tz));
    let wednesday = settings(Weekday::Wednesday, 18);
    assert_eq!(w47.due_ms(&wednesday), ms(2026, 11, 25, 18, 30, &tz));
    let november = Period::parse("2026-11").unwrap();
    assert_eq!(november.due_ms(&monday), ms(2026, 12, 1, 9, 30, &tz));
    // The next report due: on Monday 08:00 it is last week's; at 10:00, this week's.
    let before = ms(2026, 11, 23, 8, 0, &tz);
    assert_eq!(w47.next_due_after(before, &monday), w47);
    let after = ms(2026, 11, 23, 10, 0, &tz);
    assert_eq!(w47.next_due_after(after, &monday), w47.next());
    // With a Wednesday report, on Monday last week's is still to come.
    assert_eq!(w47.next().next_due_after(before, &wednesday), w47);
    assert_eq!(november.next_due_after(after, &monday), november);
}

fn facts() -> PeriodFacts {
    let start = Period::parse("2026-W47")
        .unwrap()
        .span(&TimeZone::UTC)
        .start_ms
        / HOUR_MS;
    PeriodFacts {
        hourly_messages: (0..168).map(|h| (start + h, (h % 24) as u64)).collect(),
        hourly_members: vec![(start + 30, 4, 1), (start + 100, 2, 3)],
        daily_active: vec![3, 4, 5, 6, 7, 8, 9],
        active_members: 20,
        channels: vec![(ChannelId(1), 900), (ChannelId(2), 300)],
        contributors: vec![(UserId(7), 50), (UserId(8), 40), (UserId(9), 30)],
        ..PeriodFacts::default()
    }
}

#[test]
fn a_report_counts_opted_out_members_in_totals_and_names_them_nowhere() {
    let week = Period::parse("2026-W47").unwrap();
    let opted_out = HashSet::from([UserId(8)]);
    let report = build(
        week,
        &TimeZone::UTC,
        "UTC",
        &facts(),
        &PeriodFacts::default(),
        &opted_out,
    );
    assert_eq!(report.top_contributors, [(UserId(7), 50), (UserId(9), 30)]);
    assert_eq!(report.figure("active_members").unwrap().value, Some(20.0));
    assert_eq!(report.figure("messages").unwrap().value, Some(7.0 * 276.0));
    assert_eq!(report.figure("messages").unwrap().change_percent(), None);
    assert_eq!(report.figure("retention").unwrap().value, None);
    assert_eq!(report.heat[3][23], 23);
    let csv = export::csv(&report).unwrap();
    assert!(csv.contains("contributor,7,messages,50,"), "{csv}");
    assert!(!csv.contains("contributor,8,"), "{csv}");
}

#[test]
fn charts_are_pngs_drawn_the_same_way_every_time() {
    let week = Period::parse("2026-W47").unwrap();
    let report = build(
        week,
        &TimeZone::UTC,
        "UTC",
        &facts(),
        &facts(),
        &HashSet::new(),
    );
    let text = wording::chart_text(Lang::of("fr"), &report);
    assert_eq!(text.days[0], "lun 16");
    let charts = render_all(&report, &text).unwrap();
    let names: Vec<&str> = charts.iter().map(|c| c.name).collect();
    assert_eq!(
        names,
        ["activity.png", "members.png", "heatmap.png", "cases.png"]
    );
    for chart in &charts {
        let picture = image::load_from_memory(&chart.png).unwrap();
        assert_eq!((picture.width(), picture.height()), (1000, 480));
    }
    let again = render_all(&report, &text).unwrap();
    assert_eq!(charts, again);
    let english = render_all(&report, &wording::chart_text(Lang::of("en"), &report)).unwrap();
    assert_ne!(charts[0].png, english[0].png);
}

#[test]
fn the_page_is_self_contained_and_escapes_what_it_shows() {
    let week = Period::parse("2026-W47").unwrap();
    let mut current = facts();
    current.moderation.cases_by_kind = vec![("<script>".into(), 1)];
    let report = build(
        week,
        &TimeZone::UTC,
        "UTC",
        &current,
        &facts(),
        &HashSet::new(),
    );
    let charts = render_all(&report, &ChartText::default()).unwrap();
    let page = export::html(&report, &charts, Lang::of("fr"));
    assert!(
        page.contains("Rapport de la communauté : Semaine 47 de 2026"),
        "{page}"
    );
    assert_eq!(page.matches("data:image/png;base64,").count(), 4);
    assert!(page.contains("&lt;script&gt;"));
    assert!(!page.contains("<script"));
    assert!(!page.contains("http"), "the page loads nothing");
}
