//! A poll's results as a PNG bar chart (pure: bytes in memory, no files, no system fonts).
//! Drawn with `plotters` on its bitmap backend in the shipped font ([`crate::picture`]). The
//! caller passes finished strings (from the catalogue): the chart decides nothing about language.
//!
//! Crates: `plotters` with `default-features = false` and only `bitmap_backend` and `ab_glyph`
//! (no font-kit, no system font lookup, no freetype).

use plotters::prelude::*;

use crate::picture;
/// The chart's width in pixels.
pub const WIDTH: u32 = 960;
const MARGIN: i32 = 32;
const HEADER_LINE: i32 = 36;
const ROW: i32 = 76;
const BAR_HEIGHT: i32 = 28;
/// Characters per line of the title before it wraps.
const TITLE_LINE_CHARS: usize = 52;
/// Lines of the title at most.
const TITLE_LINES: usize = 3;
/// One colour per option, in order (10 options at most).
const COLOURS: [RGBColor; 10] = [
    RGBColor(88, 101, 242),
    RGBColor(87, 242, 135),
    RGBColor(254, 231, 92),
    RGBColor(235, 69, 158),
    RGBColor(237, 66, 69),
    RGBColor(52, 152, 219),
    RGBColor(230, 126, 34),
    RGBColor(155, 89, 182),
    RGBColor(26, 188, 156),
    RGBColor(149, 165, 166),
];

/// What the chart shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chart {
    /// The question.
    pub title: String,
    /// The line under it (how many voted).
    pub subtitle: String,
    /// What a full bar stands for: the number of voters (a bar is its option's share of them).
    pub full: u64,
    /// One bar per option.
    pub bars: Vec<Bar>,
}

/// One option's bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    /// The option.
    pub label: String,
    /// Its votes.
    pub votes: u64,
    /// The text beside the bar (`3 · 60 %`).
    pub caption: String,
}

/// Why no chart was drawn.
#[derive(Debug, thiserror::Error)]
#[error("the chart could not be drawn: {0}")]
pub struct ChartError(String);

/// The lines of `text`, wrapped at word boundaries to `width` characters, at most `lines`
/// (the last cut with `…`).
fn wrap(text: &str, width: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let len = line.chars().count() + word.chars().count() + usize::from(!line.is_empty());
        if !line.is_empty() && len > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push(line);
    }
    if out.len() > lines {
        out.truncate(lines);
        let last = &mut out[lines - 1];
        let kept: String = last.chars().take(width.saturating_sub(1)).collect();
        *last = format!("{kept}…");
    }
    out
}

/// The chart as PNG bytes.
pub fn render_png(chart: &Chart) -> Result<Vec<u8>, ChartError> {
    let title = wrap(&chart.title, TITLE_LINE_CHARS, TITLE_LINES);
    let header = HEADER_LINE * (title.len() as i32 + 1) + MARGIN;
    let rows = chart.bars.len().max(1) as i32;
    let height = (header + ROW * rows + MARGIN) as u32;
    let mut pixels = vec![255_u8; (WIDTH * height * 3) as usize];
    draw(chart, &title, header, (WIDTH, height), &mut pixels)
        .map_err(|e| ChartError(e.to_string()))?;
    picture::encode_png(WIDTH, height, pixels).map_err(ChartError)
}

fn draw(
    chart: &Chart,
    title: &[String],
    header: i32,
    size: (u32, u32),
    pixels: &mut [u8],
) -> Result<(), Box<dyn std::error::Error>> {
    let family = picture::family();
    let root = BitMapBackend::with_buffer(pixels, size).into_drawing_area();
    root.fill(&RGBColor(248, 249, 250))?;
    let ink = RGBColor(33, 37, 41);
    let title_style = (family, 30).into_font().color(&ink);
    for (i, line) in title.iter().enumerate() {
        root.draw_text(
            line,
            &title_style,
            (MARGIN, MARGIN + HEADER_LINE * i as i32),
        )?;
    }
    let muted = RGBColor(108, 117, 125);
    let sub_style = (family, 22).into_font().color(&muted);
    let sub_y = MARGIN + HEADER_LINE * title.len() as i32;
    root.draw_text(&chart.subtitle, &sub_style, (MARGIN, sub_y))?;
    let scale = chart.full.max(1);
    let label_style = (family, 22).into_font().color(&ink);
    let caption_style = (family, 20).into_font().color(&ink);
    let track = WIDTH as i32 - 2 * MARGIN - 150;
    for (i, bar) in chart.bars.iter().enumerate() {
        let y = header + ROW * i as i32;
        root.draw_text(&bar.label, &label_style, (MARGIN, y))?;
        let bar_y = y + 30;
        let full = (MARGIN, bar_y);
        root.draw(&Rectangle::new(
            [full, (MARGIN + track, bar_y + BAR_HEIGHT)],
            RGBColor(222, 226, 230).filled(),
        ))?;
        let length = (i64::from(track) * bar.votes.min(scale) as i64 / scale as i64) as i32;
        if length > 0 {
            root.draw(&Rectangle::new(
                [full, (MARGIN + length, bar_y + BAR_HEIGHT)],
                COLOURS[i % COLOURS.len()].filled(),
            ))?;
        }
        root.draw_text(
            &bar.caption,
            &caption_style,
            (MARGIN + track + 12, bar_y + 3),
        )?;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(labels: &[&str], votes: &[u64]) -> Chart {
        Chart {
            title: "Quelle fête préférez-vous pour la rentrée de septembre, et pourquoi pas une deuxième ligne ?".into(),
            subtitle: "5 votants".into(),
            full: 5,
            bars: labels
                .iter()
                .zip(votes)
                .map(|(l, v)| Bar {
                    label: (*l).into(),
                    votes: *v,
                    caption: format!("{v}"),
                })
                .collect(),
        }
    }

    #[test]
    fn the_chart_is_a_png_whose_height_grows_with_the_options() {
        let two = render_png(&chart(&["Été", "Hiver"], &[3, 2])).unwrap();
        assert_eq!(&two[..8], b"\x89PNG\r\n\x1a\n");
        let decoded = image::load_from_memory(&two).unwrap();
        assert_eq!(decoded.width(), WIDTH);
        let four = render_png(&chart(&["a", "b", "c", "d"], &[0, 0, 0, 0])).unwrap();
        let taller = image::load_from_memory(&four).unwrap();
        assert_eq!(taller.height() - decoded.height(), 2 * ROW as u32);
    }

    #[test]
    fn the_same_results_draw_the_same_bytes() {
        let a = render_png(&chart(&["Noël", "Pâques"], &[1, 4])).unwrap();
        let b = render_png(&chart(&["Noël", "Pâques"], &[1, 4])).unwrap();
        assert_eq!(a, b);
        let c = render_png(&chart(&["Noël", "Pâques"], &[4, 1])).unwrap();
        assert_ne!(a, c);
    }

    #[test]
    fn long_titles_wrap_and_are_cut() {
        assert_eq!(wrap("un deux trois", 7, 3), ["un deux", "trois"]);
        let cut = wrap("aaa bbb ccc ddd", 3, 2);
        assert_eq!(cut, ["aaa", "bb…"]);
        assert!(wrap("", 10, 2).is_empty());
    }
}
