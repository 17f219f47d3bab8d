//! What every chart shares: the font it is set in and the PNG encoding. The font is DejaVu Sans,
//! shipped inside the binary (`assets/fonts/`, with its licence) and registered with plotters'
//! `ab_glyph` support, so a chart is the same picture on every machine; `image` (PNG only)
//! encodes the RGB buffer in memory, since plotters' own encoder writes files.

use std::sync::Once;

use image::{ImageBuffer, ImageOutputFormat, Rgb};
use plotters::style::{FontStyle, register_font};

/// The font every chart is set in.
const FONT: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");

/// The family name the shipped font is registered under; registers it on first use.
pub fn family() -> &'static str {
    const FAMILY: &str = "sans-serif";
    static FONT_ONCE: Once = Once::new();
    FONT_ONCE.call_once(|| {
        let registered = register_font(FAMILY, FontStyle::Normal, FONT);
        assert!(registered.is_ok(), "the shipped font is valid");
    });
    FAMILY
}

/// An RGB buffer of `width` x `height` as PNG bytes.
pub fn encode_png(width: u32, height: u32, pixels: Vec<u8>) -> Result<Vec<u8>, String> {
    let picture: ImageBuffer<Rgb<u8>, _> =
        ImageBuffer::from_raw(width, height, pixels).ok_or("buffer size")?;
    let mut png = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut png, ImageOutputFormat::Png)
        .map_err(|e| e.to_string())?;
    Ok(png.into_inner())
}
