//! Folding: the first reading of a message, one [`Unit`] per character with its original bytes.
//!
//! Folding lowercases, cures confusables and accents (Unicode's confusables data, UTS #39, through
//! `unicode-security`, then `decancer` for the rest), reads enclosed and squared
//! letters (`🅵🆄🅲🅺`, `ⓕ`, regional indicators) as their letter, removes zero-width and format
//! characters, reads control characters (NUL, ...) as spaces, and puts text under a right-to-left
//! override back in the order it is displayed in (`U+202E uoy kcuf` shows as "fuck you").
//!
//! Most chat is ASCII: it takes a fast path that never calls into the confusables tables.
//! Tokens written in one non-Latin script (Russian, Greek, ...) keep their script; tokens that mix
//! Latin letters with look-alikes from other scripts, or hold nothing but look-alikes of Latin
//! letters (`օքք`), are cured to Latin.

use decancer::{Options, Translation};
use unicode_properties::{EmojiStatus, GeneralCategory, UnicodeEmoji, UnicodeGeneralCategory};

/// One character of folded text and the byte range of the original message it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Unit {
    pub ch: char,
    pub start: u32,
    pub end: u32,
}

/// Options for tokens without Latin letters: keep real scripts, still cure fancy letters and accents.
fn keep_scripts() -> Options {
    Options::default()
        .retain_greek()
        .retain_cyrillic()
        .retain_hebrew()
        .retain_arabic()
        .retain_devanagari()
        .retain_bengali()
        .retain_armenian()
        .retain_gujarati()
        .retain_tamil()
        .retain_thai()
        .retain_lao()
        .retain_burmese()
        .retain_khmer()
        .retain_mongolian()
        .retain_chinese()
        .retain_japanese()
        .retain_korean()
        .retain_braille()
        .retain_emojis()
}

/// Control characters other than tab, line feed and carriage return.
fn is_hidden_control(c: char) -> bool {
    c.is_control() && !c.is_whitespace()
}

/// The Latin letter an enclosed, squared or regional-indicator letter stands for. The blocks are
/// laid out in alphabetical order, so this is arithmetic on code points.
pub(crate) fn enclosed_letter(c: char) -> Option<char> {
    let base = match c as u32 {
        0x24B6..=0x24CF => 0x24B6,    // Ⓐ circled capitals
        0x24D0..=0x24E9 => 0x24D0,    // ⓐ circled small letters
        0x1F110..=0x1F129 => 0x1F110, // 🄐 parenthesized
        0x1F130..=0x1F149 => 0x1F130, // 🄰 squared
        0x1F150..=0x1F169 => 0x1F150, // 🅐 negative circled
        0x1F170..=0x1F189 => 0x1F170, // 🅰 negative squared
        0x1F1E6..=0x1F1FF => 0x1F1E6, // 🇦 regional indicators
        _ => return None,
    };
    char::from_u32('a' as u32 + (c as u32 - base))
}

/// Pictographic emoji (`😡`) stay what they are: no letter hides in them.
fn is_pictograph(c: char) -> bool {
    matches!(
        c.emoji_status(),
        EmojiStatus::EmojiPresentation
            | EmojiStatus::EmojiModifierBase
            | EmojiStatus::EmojiPresentationAndModifierBase
    )
}

/// The ASCII letter a character from another script looks like, by Unicode's confusables data
/// (its UTS #39 skeleton is that one letter).
fn lookalike(c: char) -> Option<char> {
    let mut buffer = [0u8; 4];
    let mut skeleton = unicode_security::skeleton(c.encode_utf8(&mut buffer));
    match (skeleton.next(), skeleton.next()) {
        // Capital I and small l look alike; a capital look-alike stands for I.
        (Some('l'), None) if c.is_uppercase() => Some('i'),
        (Some(letter), None) if letter.is_ascii_alphabetic() => Some(letter.to_ascii_lowercase()),
        _ => None,
    }
}

/// Explicit direction controls.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bidi {
    /// Right-to-left override: the characters up to its end are displayed reversed.
    Rtl,
    /// Left-to-right override: displayed in order.
    Ltr,
    /// Embeddings and isolates: they do not reorder Latin letters.
    Other,
}

fn bidi_open(c: char) -> Option<Bidi> {
    match c {
        '\u{202E}' => Some(Bidi::Rtl),
        '\u{202D}' => Some(Bidi::Ltr),
        '\u{202A}' | '\u{202B}' | '\u{2066}' | '\u{2067}' | '\u{2068}' => Some(Bidi::Other),
        _ => None,
    }
}

fn bidi_close(c: char) -> bool {
    matches!(c, '\u{202C}' | '\u{2069}')
}

/// Open direction controls, with the unit index where each began.
#[derive(Default)]
struct BidiStack {
    open: Vec<(Bidi, usize)>,
}

impl BidiStack {
    /// Closes the innermost control: a right-to-left override reverses what it covered; a
    /// left-to-right override inside one is reversed now, so that the outer reversal restores it.
    fn close(&mut self, out: &mut [Unit]) {
        let Some((kind, from)) = self.open.pop() else {
            return;
        };
        let inside_rtl = self.open.iter().any(|(k, _)| *k == Bidi::Rtl);
        if kind == Bidi::Rtl || (kind == Bidi::Ltr && inside_rtl) {
            out[from..].reverse();
        }
    }

    fn close_all(&mut self, out: &mut [Unit]) {
        while !self.open.is_empty() {
            self.close(out);
        }
    }
}

/// Whether an ASCII byte is a control character other than the whitespace that ASCII folding
/// keeps (tab, line feed, form feed, carriage return): folding reads it as a space.
pub(crate) const fn is_hidden_control_byte(b: u8) -> bool {
    b.is_ascii_control() && !b.is_ascii_whitespace()
}

/// The folding of one ASCII byte: lowercased, a control character read as a space.
pub(crate) fn fold_ascii(b: u8) -> char {
    if is_hidden_control_byte(b) {
        ' '
    } else {
        b.to_ascii_lowercase() as char
    }
}

/// Whether an ASCII byte folds to whitespace, which ends a token: spaces, tabs, line breaks and
/// control characters.
pub(crate) const fn folds_to_space(b: u8) -> bool {
    b <= b' ' || b == 0x7f
}

/// Folds `text` into `out` (cleared first).
pub(crate) fn fold(text: &str, out: &mut Vec<Unit>) {
    out.clear();
    if text.is_ascii() {
        out.extend(text.bytes().enumerate().map(|(i, b)| Unit {
            ch: fold_ascii(b),
            start: i as u32,
            end: i as u32 + 1,
        }));
        return;
    }
    let keep = keep_scripts();
    let mut bidi = BidiStack::default();
    let mut token_start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    while token_start < chars.len() {
        let is_space = chars[token_start].1.is_whitespace();
        let token_end = chars[token_start..]
            .iter()
            .position(|&(_, c)| c.is_whitespace() != is_space)
            .map_or(chars.len(), |n| token_start + n);
        let token = &chars[token_start..token_end];
        let latin = |c: char| {
            c.is_ascii_alphabetic()
                || enclosed_letter(c).is_some()
                // Fullwidth and mathematical Latin letters.
                || matches!(c as u32, 0xFF21..=0xFF3A | 0xFF41..=0xFF5A | 0x1D400..=0x1D6A3)
        };
        // Latin letters among others, or nothing but look-alikes of Latin letters (`օքք`).
        let mixed = token.iter().any(|&(_, c)| latin(c)) || {
            let mut letters = token.iter().filter(|&&(_, c)| c.is_alphabetic()).peekable();
            letters.peek().is_some() && letters.all(|&(_, c)| lookalike(c).is_some())
        };
        let options = if mixed {
            // Tokens that mix Latin letters with other characters: cure everything.
            Options::default()
        } else {
            keep
        };
        for &(at, c) in token {
            let (start, end) = (at as u32, (at + c.len_utf8()) as u32);
            if let Some(kind) = bidi_open(c) {
                bidi.open.push((kind, out.len()));
                continue;
            }
            if bidi_close(c) {
                bidi.close(out);
                continue;
            }
            if c == '\n' || c == '\u{2029}' {
                // A paragraph ends every direction control.
                bidi.close_all(out);
            }
            if is_hidden_control(c) {
                out.push(Unit {
                    ch: ' ',
                    start,
                    end,
                });
                continue;
            }
            if c.general_category() == GeneralCategory::Format {
                // Zero-width spaces and joiners, soft hyphens, direction marks: invisible.
                continue;
            }
            if c.is_ascii() {
                out.push(Unit {
                    ch: c.to_ascii_lowercase(),
                    start,
                    end,
                });
                continue;
            }
            let letter = enclosed_letter(c).or_else(|| mixed.then(|| lookalike(c)).flatten());
            if let Some(ch) = letter {
                out.push(Unit { ch, start, end });
                continue;
            }
            if is_pictograph(c) {
                out.push(Unit { ch: c, start, end });
                continue;
            }
            match decancer::cure_char(c, options) {
                Translation::Character(ch) => out.extend(lowercase(ch, start, end)),
                Translation::String(s) => {
                    for ch in s.chars() {
                        out.extend(lowercase(ch, start, end));
                    }
                }
                Translation::None => {}
            }
        }
        token_start = token_end;
    }
    bidi.close_all(out);
}

fn lowercase(ch: char, start: u32, end: u32) -> impl Iterator<Item = Unit> {
    ch.to_lowercase().map(move |ch| Unit { ch, start, end })
}

/// The folded text as a string with, for each byte, the original range of its character.
pub(crate) fn folded_string(units: &[Unit], text: &mut String, spans: &mut Vec<(u32, u32)>) {
    text.clear();
    spans.clear();
    for u in units {
        text.push(u.ch);
        for _ in 0..u.ch.len_utf8() {
            spans.push((u.start, u.end));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> String {
        let mut units = Vec::new();
        fold(text, &mut units);
        units.iter().map(|u| u.ch).collect()
    }

    #[test]
    fn ascii_is_lowercased() {
        assert_eq!(folded("HeLLo World"), "hello world");
    }

    #[test]
    fn confusables_and_accents_are_cured_in_latin_tokens() {
        // Cyrillic 'і' and 'о' inside a Latin word, fullwidth letters, accents.
        assert_eq!(folded("іdіоt"), "idiot");
        assert_eq!(folded("ｉｄｉｏｔ"), "idiot");
        assert_eq!(folded("Enculé"), "encule");
        assert_eq!(folded("𝓲𝓭𝓲𝓸𝓽"), "idiot");
    }

    #[test]
    fn lookalikes_from_unicode_confusables_data() {
        assert_eq!(folded("arѕehoӏe"), "arsehole");
        assert_eq!(folded("aгѕeհoӏe"), "arsehole");
        // A capital I look-alike reads as i (keywords also read l as i, see readings).
        assert_eq!(folded("Ιdiot arѕehoΙe"), "idiot arsehoie");
        assert_eq!(folded("cunts😡"), "cunts😡");
        assert_eq!(folded("օքք αѕѕһοӏе"), "off asshole");
        assert_eq!(folded("ϲսｍѕһｏｔ 𝗺𝗮ѕ𝘁սгЬ"), "cumshot masturb");
    }

    #[test]
    fn other_scripts_are_kept() {
        assert_eq!(folded("Привет мир"), "привет мир");
        assert_eq!(folded("Ελληνικά"), "ελληνικά");
    }

    #[test]
    fn zero_width_and_combining_marks_are_removed() {
        assert_eq!(folded("id\u{200B}i\u{200D}ot"), "idiot");
        assert_eq!(folded("i\u{0301}\u{0302}\u{0303}diot"), "idiot");
        assert_eq!(folded("id\u{00AD}iot"), "idiot");
    }

    #[test]
    fn enclosed_and_squared_letters_were_not_read() {
        assert_eq!(folded("🅵🆄🅲🅺 🆈🅾🆄"), "fuck you");
        assert_eq!(folded("ⓕⓤⓒⓚ ⒻⓊⒸⓀ"), "fuck fuck");
        assert_eq!(folded("🄵🅄🄲🄺 🅕🅤🅒🅚"), "fuck fuck");
        assert_eq!(folded("🇫🇺🇨🇰"), "fuck");
    }

    #[test]
    fn a_right_to_left_override_showed_reversed_text() {
        assert_eq!(folded("\u{202E}uoy kcuf"), "fuck you");
        assert_eq!(folded("hi \u{202E}uoy kcuf\u{202C} ok"), "hi fuck you ok");
        assert_eq!(folded("\u{202E}ab\ncd"), "ba\ncd");
        // A left-to-right override inside keeps its order.
        assert_eq!(folded("\u{202E}x\u{202D}ab\u{202C}y"), "yabx");
        // Spans still point at the original characters.
        let mut units = Vec::new();
        fold("\u{202E}ab", &mut units);
        assert_eq!((units[0].ch, units[0].start), ('b', 4));
    }

    #[test]
    fn control_characters_between_words_were_glue() {
        assert_eq!(folded("fuck\0you"), "fuck you");
        assert_eq!(folded("fuck\u{7}you é"), "fuck you e");
        assert_eq!(folded("a\tb"), "a\tb");
    }
}
