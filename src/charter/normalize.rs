//! Text normalisation for matching, with every position mapped back to the original message.
//!
//! Two forms are built from a message:
//! - the **folded** text: lowercase, confusables and accents cured (via `decancer`), zero-width and
//!   format characters removed. Regex triggers run on it.
//! - the **skeleton**: the folded text with leetspeak undone (`1d10t`), punctuation between letters
//!   dropped (`i.d.i.o.t`), single letters separated by spaces joined (`i d i o t`) and runs of one
//!   letter collapsed (`idiooot`), each remaining character remembering its run length. Keywords
//!   are compiled through the same skeleton, so both sides agree.
//!
//! Most chat is ASCII: it takes a fast path that never calls into the confusables tables.
//! Tokens written in one non-Latin script (Russian, Greek, ...) keep their script; tokens that mix
//! Latin letters with look-alikes from other scripts are cured to Latin.

use decancer::{Options, Translation};
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// One character of folded text and the byte range of the original message it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Unit {
    pub ch: char,
    pub start: u32,
    pub end: u32,
}

/// Where a skeleton character came from and how it was reached.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct SkeletonInfo {
    /// Byte range in the original message (covering the whole collapsed run).
    pub start: u32,
    pub end: u32,
    /// How many times the character was repeated before collapsing.
    pub run: u16,
    /// A separator (punctuation or a space between single letters) was removed just before it.
    pub joined: bool,
}

/// The skeleton of a text: see the module documentation.
#[derive(Debug, Default)]
pub(crate) struct Skeleton {
    pub text: String,
    /// One entry per byte of `text` (every byte of a multi-byte character holds the same entry).
    pub info: Vec<SkeletonInfo>,
}

impl Skeleton {
    /// Whether a whole-word match may start at byte `at`.
    pub fn word_starts_at(&self, at: usize) -> bool {
        at == 0
            || self.info[at].joined
            || !self.text[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
    }

    /// Whether a whole-word match may end at byte `at`.
    pub fn word_ends_at(&self, at: usize) -> bool {
        at >= self.text.len()
            || self.info[at].joined
            || !self.text[at..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
    }

    /// Run lengths of the characters in `text[start..end]`, in order.
    pub fn runs(&self, start: usize, end: usize) -> impl Iterator<Item = u16> + '_ {
        self.text[start..end]
            .char_indices()
            .map(move |(i, _)| self.info[start + i].run)
    }

    /// The original byte range covered by `text[start..end]`.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        let last = self.text[..end]
            .char_indices()
            .next_back()
            .map_or(start, |(i, _)| i);
        (
            self.info[start].start as usize,
            self.info[last].end as usize,
        )
    }
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

/// Folds `text` into `out` (cleared first).
pub(crate) fn fold(text: &str, out: &mut Vec<Unit>) {
    out.clear();
    if text.is_ascii() {
        out.extend(text.bytes().enumerate().map(|(i, b)| Unit {
            ch: b.to_ascii_lowercase() as char,
            start: i as u32,
            end: i as u32 + 1,
        }));
        return;
    }
    let keep = keep_scripts();
    let mut token_start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    while token_start < chars.len() {
        let is_space = chars[token_start].1.is_whitespace();
        let token_end = chars[token_start..]
            .iter()
            .position(|&(_, c)| c.is_whitespace() != is_space)
            .map_or(chars.len(), |n| token_start + n);
        let token = &chars[token_start..token_end];
        let options = if token.iter().any(|(_, c)| c.is_ascii_alphabetic()) {
            // Tokens that mix Latin letters with other characters: cure everything.
            Options::default()
        } else {
            keep
        };
        for &(at, c) in token {
            let (start, end) = (at as u32, (at + c.len_utf8()) as u32);
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

/// What leetspeak character stands for, if it is one.
fn leet(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '8' => 'b',
        '9' => 'g',
        '@' => 'a',
        '$' => 's',
        '!' => 'i',
        '|' => 'l',
        '€' => 'e',
        _ => return None,
    })
}

/// Symbols stand for a letter only inside a word, never at its start: `@user`, `$5` keep their
/// meaning.
fn leet_is_symbol(c: char) -> bool {
    !c.is_ascii_digit()
}

/// Symbols that also need a letter after them: `hello!` and `a|b` keep their meaning.
fn leet_needs_letter_after(c: char) -> bool {
    matches!(c, '@' | '!' | '|')
}

/// Punctuation that evaders put between letters (`i.d.i.o.t`, `id-iot`, `l'idiot`).
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '.' | '-'
            | '_'
            | '*'
            | '\''
            | '’'
            | ','
            | '~'
            | '^'
            | '`'
            | '"'
            | ':'
            | ';'
            | '/'
            | '\\'
            | '·'
            | '•'
            | '+'
            | '='
    )
}

/// A character after leetspeak and separator handling, before runs are collapsed.
#[derive(Clone, Copy)]
struct Piece {
    ch: char,
    start: u32,
    end: u32,
    joined: bool,
}

/// A whitespace-free run of the text. Plain words (ASCII letters only, the common case) are read
/// straight from the folded units; other tokens from the processed pieces.
#[derive(Clone, Copy)]
struct Token {
    from: usize,
    to: usize,
    plain: bool,
    /// One letter or digit alone, which may be joined with its neighbours (`i d i o t`).
    single: bool,
}

/// Reusable buffers so that building a skeleton does not allocate once warm.
#[derive(Default)]
pub(crate) struct SkeletonBuilder {
    pieces: Vec<Piece>,
    tokens: Vec<Token>,
}

impl SkeletonBuilder {
    /// Builds the skeleton of folded `units` into `out`.
    pub fn build(&mut self, units: &[Unit], out: &mut Skeleton) {
        self.pieces.clear();
        self.tokens.clear();
        let mut start = None;
        for (i, u) in units.iter().enumerate() {
            match (u.ch.is_whitespace(), start) {
                (true, Some(from)) => {
                    self.push_token(units, from, i);
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(from) = start {
            self.push_token(units, from, units.len());
        }
        self.emit(units, out);
    }

    /// Records `units[from..to]`, applying leetspeak and removing joiners unless it is plain.
    fn push_token(&mut self, units: &[Unit], from: usize, to: usize) {
        let token = &units[from..to];
        if token.iter().all(|u| u.ch.is_ascii_alphabetic()) {
            self.tokens.push(Token {
                from,
                to,
                plain: true,
                single: token.len() == 1,
            });
            return;
        }
        let first = self.pieces.len();
        let has_letter = token.iter().any(|u| u.ch.is_alphabetic());
        let mut pending_join = false;
        for (k, u) in token.iter().enumerate() {
            let next = token.get(k + 1).map(|n| n.ch);
            let mut ch = u.ch;
            if has_letter && let Some(letter) = leet(ch) {
                let inside = self.pieces.len() > first;
                let letter_after = next.is_some_and(|n| n.is_alphanumeric() || leet(n).is_some());
                let ok = !leet_is_symbol(ch)
                    || (inside && (letter_after || !leet_needs_letter_after(ch)));
                if ok {
                    ch = letter;
                }
            }
            if is_joiner(ch) {
                let after_word = self
                    .pieces
                    .last()
                    .is_some_and(|p| self.pieces.len() > first && p.ch.is_alphanumeric());
                let before_word = token[k + 1..]
                    .iter()
                    .find(|n| !is_joiner(n.ch))
                    .is_some_and(|n| {
                        n.ch.is_alphanumeric() || (has_letter && leet(n.ch).is_some())
                    });
                if after_word && before_word {
                    pending_join = true;
                    continue;
                }
            }
            self.pieces.push(Piece {
                ch,
                start: u.start,
                end: u.end,
                joined: std::mem::take(&mut pending_join),
            });
        }
        let len = self.pieces.len() - first;
        self.tokens.push(Token {
            from: first,
            to: self.pieces.len(),
            plain: false,
            single: len == 1 && self.pieces[first].ch.is_alphanumeric(),
        });
    }

    /// Writes tokens separated by single spaces, joining runs of three or more single letters and
    /// collapsing repeated characters.
    fn emit(&self, units: &[Unit], out: &mut Skeleton) {
        out.text.clear();
        out.info.clear();
        let mut writer = RunWriter { out, last: None };
        let mut previous_end = 0;
        // Single-letter tokens join their predecessor inside a run of three or more.
        let (mut run_start, mut run_len) = (0, 0);
        for (t, token) in self.tokens.iter().enumerate() {
            if !token.single || t == 0 || !self.tokens[t - 1].single {
                run_start = t;
                run_len = self.tokens[t..].iter().take_while(|k| k.single).count();
            }
            let joins_previous = token.single && t > run_start && run_len >= 3;
            if t > 0 && !joins_previous {
                // The space stands where whitespace was between the tokens.
                writer.push(' ', previous_end, previous_end + 1, false);
            }
            if token.plain {
                for (k, u) in units[token.from..token.to].iter().enumerate() {
                    writer.push(u.ch, u.start, u.end, k == 0 && joins_previous);
                }
                previous_end = units[token.to - 1].end;
            } else {
                for (k, p) in self.pieces[token.from..token.to].iter().enumerate() {
                    writer.push(p.ch, p.start, p.end, p.joined || (k == 0 && joins_previous));
                }
                previous_end = self.pieces[token.to - 1].end;
            }
        }
    }
}

/// Appends characters to a skeleton, collapsing runs of the same character.
struct RunWriter<'a> {
    out: &'a mut Skeleton,
    last: Option<char>,
}

impl RunWriter<'_> {
    #[inline(always)]
    fn push(&mut self, ch: char, start: u32, end: u32, joined: bool) {
        if self.last == Some(ch) {
            let len = ch.len_utf8();
            let at = self.out.info.len() - len;
            for info in &mut self.out.info[at..] {
                info.run = info.run.saturating_add(1);
                info.end = end;
            }
            return;
        }
        self.last = Some(ch);
        self.out.text.push(ch);
        let info = SkeletonInfo {
            start,
            end,
            run: 1,
            joined,
        };
        for _ in 0..ch.len_utf8() {
            self.out.info.push(info);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skeleton(text: &str) -> Skeleton {
        let mut units = Vec::new();
        fold(text, &mut units);
        let mut out = Skeleton::default();
        SkeletonBuilder::default().build(&units, &mut out);
        out
    }

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
    fn leetspeak_is_undone_inside_words_only() {
        assert_eq!(skeleton("1d10t").text, "idiot");
        assert_eq!(skeleton("sh!t").text, "shit");
        assert_eq!(skeleton("a$$").text, "as");
        assert_eq!(skeleton("version 1000").text, "version 10");
        assert_eq!(skeleton("hello! @user").text, "helo! @user");
    }

    #[test]
    fn separators_between_letters_are_joined() {
        let s = skeleton("i.d.i.o.t");
        assert_eq!(s.text, "idiot");
        assert!(s.info[1].joined);
        assert_eq!(skeleton("i d i o t").text, "idiot");
        assert_eq!(skeleton("i - d").text, "i - d");
        assert_eq!(skeleton("a b").text, "a b");
        assert_eq!(skeleton("l'idiot").text, "lidiot");
    }

    #[test]
    fn runs_are_collapsed_and_counted() {
        let s = skeleton("idiooooot");
        assert_eq!(s.text, "idiot");
        assert_eq!(s.runs(0, 5).collect::<Vec<_>>(), [1, 1, 1, 5, 1]);
        assert_eq!(s.original_span(0, 5), (0, 9));
    }

    #[test]
    fn spans_point_into_the_original() {
        let text = "you are an іdіоt!";
        let s = skeleton(text);
        let at = s.text.find("idiot").unwrap();
        let (start, end) = s.original_span(at, at + 5);
        assert_eq!(&text[start..end], "іdіоt");
    }

    #[test]
    fn word_boundaries() {
        let s = skeleton("classic ass");
        assert!(!s.word_starts_at(2));
        assert!(s.word_starts_at(7));
        assert!(s.word_ends_at(s.text.len()));
    }
}
