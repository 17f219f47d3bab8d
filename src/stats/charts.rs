//! A report's charts as PNG bytes (pure): messages and active members per day, joins against
//! departures per day, the day x hour heat map of messages, and cases per charter rule. Drawn with
//! `plotters` on its bitmap backend in the shipped font ([`crate::picture`]), so the same report
//! draws the same bytes on any machine. Every word on them comes from the caller ([`ChartText`],
//! from the catalogue): the charts decide nothing about language.

use plotters::chart::SeriesLabelStyle;
use plotters::coord::CoordTranslate;
use plotters::prelude::*;

use super::report::Report;
use crate::picture;

/// Every chart's width in pixels.
pub const WIDTH: u32 = 1000;
/// Every chart's height in pixels.
pub const HEIGHT: u32 = 480;
/// How many rules the cases chart shows at most.
const RULES_SHOWN: usize = 10;

const INK: RGBColor = RGBColor(33, 37, 41);
const PAPER: RGBColor = RGBColor(248, 249, 250);
const BLURPLE: RGBColor = RGBColor(88, 101, 242);
const GREEN: RGBColor = RGBColor(59, 165, 93);
const RED: RGBColor = RGBColor(237, 66, 69);
const ORANGE: RGBColor = RGBColor(230, 126, 34);

/// The words on the charts, in the reader's language.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChartText {
    pub activity_title: String,
    pub messages: String,
    pub active_members: String,
    pub members_title: String,
    pub joins: String,
    pub departures: String,
    pub heat_title: String,
    pub cases_title: String,
    /// Shown on the cases chart when there were none.
    pub no_cases: String,
    /// One label per day of the report, in order.
    pub days: Vec<String>,
    /// Monday first.
    pub weekdays: [String; 7],
}

/// One drawn chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picture {
    /// Its file name (`activity.png`).
    pub name: &'static str,
    pub png: Vec<u8>,
}

/// Why a chart was not drawn.
#[derive(Debug, thiserror::Error)]
#[error("the chart could not be drawn: {0}")]
pub struct ChartError(String);

type DrawResult = Result<(), Box<dyn std::error::Error>>;

fn render(draw: impl FnOnce(&mut [u8]) -> DrawResult) -> Result<Vec<u8>, ChartError> {
    let mut pixels = vec![255_u8; (WIDTH * HEIGHT * 3) as usize];
    draw(&mut pixels).map_err(|e| ChartError(e.to_string()))?;
    picture::encode_png(WIDTH, HEIGHT, pixels).map_err(ChartError)
}

/// Every chart of `report`, in the order a reader meets them.
pub fn render_all(report: &Report, text: &ChartText) -> Result<Vec<Picture>, ChartError> {
    Ok(vec![
        Picture {
            name: "activity.png",
            png: render(|p| activity(report, text, p))?,
        },
        Picture {
            name: "members.png",
            png: render(|p| members(report, text, p))?,
        },
        Picture {
            name: "heatmap.png",
            png: render(|p| heatmap(report, text, p))?,
        },
        Picture {
            name: "cases.png",
            png: render(|p| cases(report, text, p))?,
        },
    ])
}

/// The label of a segment on a day axis: every day on a week, one in a few on a month.
fn day_label(text: &ChartText, value: &SegmentValue<usize>) -> String {
    let every = text.days.len().div_ceil(10).max(1);
    match value {
        SegmentValue::CenterOf(i) if i % every == 0 => {
            text.days.get(*i).cloned().unwrap_or_default()
        }
        _ => String::new(),
    }
}

/// The last value of a segmented axis of `n` segments (plotters' discrete ranges include their
/// end).
fn last(n: usize) -> usize {
    n.saturating_sub(1)
}

fn segment(i: usize) -> SegmentValue<usize> {
    SegmentValue::Exact(i)
}

/// Where segment `i` of `n` ends: the next one's start, or the axis's end for the last.
fn segment_end(i: usize, n: usize) -> SegmentValue<usize> {
    if i + 1 >= n {
        SegmentValue::Last
    } else {
        SegmentValue::Exact(i + 1)
    }
}

fn activity(report: &Report, text: &ChartText, pixels: &mut [u8]) -> DrawResult {
    let family = picture::family();
    let root = BitMapBackend::with_buffer(pixels, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&PAPER)?;
    let days = report.days.len();
    let top_messages = report
        .days
        .iter()
        .map(|d| d.messages)
        .max()
        .unwrap_or(0)
        .max(1);
    let top_active = report
        .days
        .iter()
        .map(|d| d.active)
        .max()
        .unwrap_or(0)
        .max(1);
    let mut chart = ChartBuilder::on(&root)
        .caption(&text.activity_title, (family, 28).into_font().color(&INK))
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .right_y_label_area_size(70)
        .build_cartesian_2d(
            (0..last(days)).into_segmented(),
            0..top_messages + top_messages / 10 + 1,
        )?
        .set_secondary_coord(
            (0..last(days)).into_segmented(),
            0..top_active + top_active / 10 + 1,
        );
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(days + 1)
        .x_label_formatter(&|v| day_label(text, v))
        .y_desc(&text.messages)
        .label_style((family, 16).into_font().color(&INK))
        .axis_desc_style((family, 18).into_font().color(&BLURPLE))
        .draw()?;
    chart
        .configure_secondary_axes()
        .y_desc(&text.active_members)
        .label_style((family, 16).into_font().color(&INK))
        .axis_desc_style((family, 18).into_font().color(&ORANGE))
        .draw()?;
    chart
        .draw_series(report.days.iter().enumerate().map(|(i, d)| {
            let mut bar = Rectangle::new(
                [(segment(i), 0), (segment_end(i, days), d.messages)],
                BLURPLE.mix(0.8).filled(),
            );
            bar.set_margin(0, 0, 6, 6);
            bar
        }))?
        .label(&text.messages)
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], BLURPLE.filled()));
    chart
        .draw_secondary_series(LineSeries::new(
            report
                .days
                .iter()
                .enumerate()
                .map(|(i, d)| (SegmentValue::CenterOf(i), d.active)),
            ORANGE.stroke_width(3),
        ))?
        .label(&text.active_members)
        .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], ORANGE.stroke_width(3)));
    legend(chart.configure_series_labels(), family)?;
    root.present()?;
    Ok(())
}

fn legend<'a, 'b, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    mut labels: SeriesLabelStyle<'a, 'b, DB, CT>,
    family: &'static str,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    labels
        .position(SeriesLabelPosition::UpperLeft)
        .label_font((family, 16).into_font().color(&INK))
        .background_style(PAPER.mix(0.9))
        .border_style(INK.mix(0.3))
        .draw()?;
    Ok(())
}

/// Joins rise above the axis, departures fall below it: the gap is the day's net growth.
fn members(report: &Report, text: &ChartText, pixels: &mut [u8]) -> DrawResult {
    let family = picture::family();
    let root = BitMapBackend::with_buffer(pixels, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&PAPER)?;
    let days = report.days.len();
    let top = report
        .days
        .iter()
        .map(|d| d.joins.max(d.leaves))
        .max()
        .unwrap_or(0)
        .max(1) as i64;
    let top = top + top / 10 + 1;
    let mut chart = ChartBuilder::on(&root)
        .caption(&text.members_title, (family, 28).into_font().color(&INK))
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((0..last(days)).into_segmented(), -top..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(days + 1)
        .x_label_formatter(&|v| day_label(text, v))
        .y_label_formatter(&|n| n.abs().to_string())
        .label_style((family, 16).into_font().color(&INK))
        .draw()?;
    let bars = |colour: RGBColor, sign: i64, value: fn(&super::report::DayFigures) -> u64| {
        report.days.iter().enumerate().map(move |(i, d)| {
            let mut bar = Rectangle::new(
                [
                    (segment(i), 0),
                    (segment_end(i, days), sign * value(d) as i64),
                ],
                colour.filled(),
            );
            bar.set_margin(0, 0, 8, 8);
            bar
        })
    };
    chart
        .draw_series(bars(GREEN, 1, |d| d.joins))?
        .label(&text.joins)
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], GREEN.filled()));
    chart
        .draw_series(bars(RED, -1, |d| d.leaves))?
        .label(&text.departures)
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], RED.filled()));
    chart.draw_series(std::iter::once(PathElement::new(
        [(segment(0), 0), (SegmentValue::Last, 0)],
        INK.stroke_width(1),
    )))?;
    legend(chart.configure_series_labels(), family)?;
    root.present()?;
    Ok(())
}

/// The heat map's colour for `value` out of `top`: from the paper to blurple.
fn heat_colour(value: u64, top: u64) -> RGBColor {
    let share = if top == 0 {
        0.0
    } else {
        value as f64 / top as f64
    };
    let blend =
        |from: u8, to: u8| (f64::from(from) + (f64::from(to) - f64::from(from)) * share) as u8;
    RGBColor(blend(235, 40), blend(237, 50), blend(250, 180))
}

fn heatmap(report: &Report, text: &ChartText, pixels: &mut [u8]) -> DrawResult {
    let family = picture::family();
    let root = BitMapBackend::with_buffer(pixels, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&PAPER)?;
    let top = report.heat.iter().flatten().copied().max().unwrap_or(0);
    let mut chart = ChartBuilder::on(&root)
        .caption(&text.heat_title, (family, 28).into_font().color(&INK))
        .margin(20)
        .x_label_area_size(36)
        .y_label_area_size(110)
        .build_cartesian_2d(0..24_usize, (0..last(7)).into_segmented())?;
    // Monday on top: row 6 is Monday.
    let weekday_of_row = |row: usize| {
        text.weekdays
            .get(6 - row.min(6))
            .cloned()
            .unwrap_or_default()
    };
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(25)
        .x_label_formatter(&|h| {
            if h % 3 == 0 {
                format!("{h}h")
            } else {
                String::new()
            }
        })
        .y_labels(8)
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(row) => weekday_of_row(*row),
            _ => String::new(),
        })
        .label_style((family, 16).into_font().color(&INK))
        .draw()?;
    chart.draw_series(report.heat.iter().enumerate().flat_map(|(weekday, hours)| {
        hours.iter().enumerate().map(move |(hour, &value)| {
            let row = 6 - weekday;
            let mut cell = Rectangle::new(
                [(hour, segment(row)), (hour + 1, segment_end(row, 7))],
                heat_colour(value, top).filled(),
            );
            cell.set_margin(1, 1, 1, 1);
            cell
        })
    }))?;
    root.present()?;
    Ok(())
}

fn cases(report: &Report, text: &ChartText, pixels: &mut [u8]) -> DrawResult {
    let family = picture::family();
    let root = BitMapBackend::with_buffer(pixels, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&PAPER)?;
    let rules: Vec<&(String, u64)> = report.cases_by_rule.iter().take(RULES_SHOWN).collect();
    if rules.is_empty() {
        root.draw_text(
            &text.cases_title,
            &(family, 28).into_font().color(&INK),
            (20, 20),
        )?;
        root.draw_text(
            &text.no_cases,
            &(family, 22).into_font().color(&INK.mix(0.7)),
            (20, 80),
        )?;
        root.present()?;
        return Ok(());
    }
    let top = rules.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    // Ten rows whatever the number of rules, so a bar is as thick on every report.
    let rows = RULES_SHOWN;
    let mut chart = ChartBuilder::on(&root)
        .caption(&text.cases_title, (family, 28).into_font().color(&INK))
        .margin(20)
        .x_label_area_size(36)
        .y_label_area_size(240)
        .build_cartesian_2d(0..top + top / 10 + 1, (0..last(rows)).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(rows + 1)
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(row) => rows
                .checked_sub(row + 1)
                .and_then(|i| rules.get(i))
                .map(|(rule, n)| format!("{} ({n})", rule.chars().take(24).collect::<String>()))
                .unwrap_or_default(),
            _ => String::new(),
        })
        .label_style((family, 16).into_font().color(&INK))
        .draw()?;
    chart.draw_series(rules.iter().enumerate().map(|(i, (_, n))| {
        let row = rows - 1 - i;
        let mut bar = Rectangle::new(
            [(0, segment(row)), (*n, segment_end(row, rows))],
            RED.mix(0.85).filled(),
        );
        bar.set_margin(5, 5, 0, 0);
        bar
    }))?;
    root.present()?;
    Ok(())
}
