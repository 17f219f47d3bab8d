//! Building the [`Skeleton`] of a message: its tokens are read (leetspeak, masks, joiners), single
//! letters in a row are joined, and the result is written out with runs collapsed. Folded units
//! are the general input; ASCII text is read from its bytes with the same result (`ascii`).

use super::fold::Unit;
use super::leet::{MASK, after_run, is_joiner, leet, read_token};
use super::normalize::{Skeleton, SkeletonInfo, is_word_char};

mod ascii;
use ascii::Shape;

/// A character after leetspeak and separator handling, before runs are collapsed.
#[derive(Clone, Copy)]
struct Piece {
    ch: char,
    start: u32,
    end: u32,
    joined: bool,
    soft_head: bool,
    soft_tail: bool,
}

/// A whitespace-free run of the text. Tokens that read as written (plain words of ASCII letters,
/// the common case, and for ASCII text words with inert punctuation around them) are copied
/// straight from the source; other tokens from the processed pieces.
#[derive(Clone, Copy)]
struct Token {
    from: usize,
    to: usize,
    copied: bool,
    /// One letter or digit alone, which may be joined with its neighbours (`i d i o t`), or
    /// followed by punctuation (`i d i o t!!`).
    single: bool,
    /// Punctuation alone (`.`, `-`, `*`), which may stand between joined letters (`c . o . n`).
    separator: bool,
}

/// How a token is written out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Emit {
    /// After a space.
    Spaced,
    /// Glued to the previous single letter (`i d i o t`).
    Joined,
    /// Left out: punctuation between joined letters.
    Skipped,
}

/// A whitespace-free range of the folded text, before it is read.
#[derive(Clone, Copy)]
struct Range {
    from: usize,
    to: usize,
    /// Read as it is written, and how (see [`Shape`]); `None` when it must be read character by
    /// character.
    copied: Option<Shape>,
    /// Holds a letter.
    letter: bool,
}

/// Where the characters of copied tokens come from: folded units, or ASCII bytes, whose folding
/// is lowercasing (unit `i` of an ASCII text is byte `i`).
#[derive(Clone, Copy)]
enum Source<'a> {
    Units(&'a [Unit]),
    Ascii(&'a [u8]),
}

/// Reusable buffers so that building a skeleton does not allocate once warm.
#[derive(Default)]
pub(crate) struct SkeletonBuilder {
    ranges: Vec<Range>,
    reads: Vec<char>,
    pieces: Vec<Piece>,
    tokens: Vec<Token>,
    emits: Vec<Emit>,
    /// The folded units of one ASCII token that does not read as written.
    token_units: Vec<Unit>,
}

impl SkeletonBuilder {
    /// Builds the skeleton of folded `units` into `out`.
    pub fn build(&mut self, units: &[Unit], out: &mut Skeleton) {
        self.ranges.clear();
        let mut start = None;
        let push = |ranges: &mut Vec<Range>, from: usize, to: usize| {
            let token = &units[from..to];
            let plain = token.iter().all(|u| u.ch.is_ascii_alphabetic());
            ranges.push(Range {
                from,
                to,
                copied: plain.then_some(Shape {
                    single: token.len() == 1,
                    separator: false,
                }),
                letter: token.iter().any(|u| u.ch.is_alphabetic()),
            });
        };
        for (i, u) in units.iter().enumerate() {
            match (u.ch.is_whitespace(), start) {
                (true, Some(from)) => {
                    push(&mut self.ranges, from, i);
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(from) = start {
            push(&mut self.ranges, from, units.len());
        }
        self.pieces.clear();
        self.tokens.clear();
        for t in 0..self.ranges.len() {
            let range = self.ranges[t];
            if let Some(shape) = range.copied {
                self.push_copied(range, shape);
            } else {
                let beside_word = self.beside_word(t);
                self.push_token(&units[range.from..range.to], beside_word);
            }
        }
        self.plan();
        self.emit(Source::Units(units), out);
    }

    /// Whether the range before or after range `t` holds a letter.
    fn beside_word(&self, t: usize) -> bool {
        (t > 0 && self.ranges[t - 1].letter) || self.ranges.get(t + 1).is_some_and(|r| r.letter)
    }

    /// Records a token that reads as written, copied from the source when written out.
    fn push_copied(&mut self, range: Range, shape: Shape) {
        self.tokens.push(Token {
            from: range.from,
            to: range.to,
            copied: true,
            single: shape.single,
            separator: shape.separator,
        });
    }

    /// Records a `token` that does not read as written, applying leetspeak and removing joiners.
    /// A short token of leet characters with a digit, beside a word, is read as a word too
    /// (`son 0f 4 bitch`, `3@7 shit`).
    fn push_token(&mut self, token: &[Unit], beside_word: bool) {
        let first = self.pieces.len();
        let leet_word = beside_word
            && token.len() <= 3
            && token.iter().any(|u| u.ch.is_ascii_digit())
            && token.iter().all(|u| leet(u.ch).is_some());
        let has_letter = leet_word || token.iter().any(|u| u.ch.is_alphabetic());
        let first_letter = token.iter().position(|u| u.ch.is_alphabetic());
        let last_letter = token.iter().rposition(|u| u.ch.is_alphabetic());
        let mut pending_join = false;
        self.reads.clear();
        read_token(token, has_letter, |_, read| self.reads.push(read));
        let mut join_cache = (0, false);
        for (k, u) in token.iter().enumerate() {
            let ch = self.reads[k];
            if is_joiner(ch) {
                let after_word = self
                    .pieces
                    .last()
                    .is_some_and(|p| self.pieces.len() > first && is_word_char(p.ch));
                // The next character that is not a joiner starts a word.
                let before_word = after_run(token, k, is_joiner, &mut join_cache)
                    || (has_letter
                        && token
                            .get(join_cache.0)
                            .is_some_and(|n| leet(n.ch).is_some()));
                if after_word && before_word {
                    pending_join = true;
                    continue;
                }
            }
            let read_as_letter = ch != u.ch && ch != MASK;
            self.pieces.push(Piece {
                ch,
                start: u.start,
                end: u.end,
                joined: std::mem::take(&mut pending_join),
                soft_head: read_as_letter && first_letter.is_some_and(|f| k < f),
                soft_tail: read_as_letter && last_letter.is_some_and(|l| k > l),
            });
        }
        let pieces = &self.pieces[first..];
        self.tokens.push(Token {
            from: first,
            to: self.pieces.len(),
            copied: false,
            // One letter, possibly with punctuation or emoji after it (`t!!!`, `o😡`).
            single: pieces.first().is_some_and(|p| p.ch.is_alphanumeric())
                && pieces[1..].iter().all(|p| !is_word_char(p.ch)),
            separator: !pieces.is_empty()
                && pieces
                    .iter()
                    .all(|p| p.ch.is_ascii_punctuation() || is_joiner(p.ch)),
        });
    }

    /// Decides how each token is written: single letters in a run of three or more (possibly
    /// with one separator token between each two) are joined, and those separators left out.
    fn plan(&mut self) {
        let tokens = &self.tokens;
        self.emits.clear();
        self.emits.resize(tokens.len(), Emit::Spaced);
        let mut t = 0;
        while t < tokens.len() {
            if !tokens[t].single {
                t += 1;
                continue;
            }
            let (mut singles, mut last, mut next) = (1, t, t + 1);
            loop {
                if next < tokens.len() && tokens[next].single {
                    (singles, last, next) = (singles + 1, next, next + 1);
                } else if next + 1 < tokens.len()
                    && tokens[next].separator
                    && tokens[next + 1].single
                {
                    (singles, last, next) = (singles + 1, next + 1, next + 2);
                } else {
                    break;
                }
            }
            if singles >= 3 {
                for (emit, token) in self.emits[t + 1..=last]
                    .iter_mut()
                    .zip(&tokens[t + 1..=last])
                {
                    *emit = if token.single {
                        Emit::Joined
                    } else {
                        Emit::Skipped
                    };
                }
            }
            t = last + 1;
        }
    }

    /// Writes tokens separated by single spaces, as planned, collapsing repeated characters.
    fn emit(&self, source: Source<'_>, out: &mut Skeleton) {
        out.text.clear();
        out.info.clear();
        let mut writer = RunWriter { out, last: None };
        let mut previous_end = 0;
        for (t, token) in self.tokens.iter().enumerate() {
            let joins_previous = match self.emits[t] {
                Emit::Skipped => continue,
                Emit::Joined => true,
                Emit::Spaced => false,
            };
            if t > 0 && !joins_previous {
                // The space stands where whitespace was between the tokens.
                writer.push(' ', previous_end, previous_end + 1, false);
            }
            if token.copied {
                previous_end = match source {
                    Source::Units(units) => {
                        for (k, u) in units[token.from..token.to].iter().enumerate() {
                            writer.push(u.ch, u.start, u.end, k == 0 && joins_previous);
                        }
                        units[token.to - 1].end
                    }
                    Source::Ascii(bytes) => {
                        writer.push_ascii(bytes, token.from, token.to, joins_previous);
                        token.to as u32
                    }
                };
            } else {
                for (k, p) in self.pieces[token.from..token.to].iter().enumerate() {
                    let piece = Piece {
                        joined: p.joined || (k == 0 && joins_previous),
                        ..*p
                    };
                    writer.push_piece(piece);
                }
                if let Some(p) = self.pieces[token.from..token.to].last() {
                    previous_end = p.end;
                }
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
        self.push_piece(Piece {
            ch,
            start,
            end,
            joined,
            soft_head: false,
            soft_tail: false,
        });
    }

    #[inline(always)]
    fn push_piece(&mut self, p: Piece) {
        if self.last == Some(p.ch) {
            let len = p.ch.len_utf8();
            let at = self.out.info.len() - len;
            for info in &mut self.out.info[at..] {
                info.run = info.run.saturating_add(1);
                info.end = info.end.max(p.end);
                info.start = info.start.min(p.start);
            }
            return;
        }
        self.last = Some(p.ch);
        self.out.text.push(p.ch);
        let info = SkeletonInfo {
            start: p.start,
            end: p.end,
            run: 1,
            joined: p.joined,
            soft_head: p.soft_head,
            soft_tail: p.soft_tail,
        };
        for _ in 0..p.ch.len_utf8() {
            self.out.info.push(info);
        }
    }
}
