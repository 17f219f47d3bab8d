//! The skeleton builder's ASCII path: tokens found and classed straight from the bytes, tokens
//! that read as written copied run by run, the result equal to the skeleton of the folded text.

use super::{Range, RunWriter, SkeletonBuilder, Source};
use crate::charter::fold::folds_to_space;
use crate::charter::leet::{fold_token, is_mask, leet};
use crate::charter::normalize::{Skeleton, SkeletonInfo};

/// How a token that reads as written takes part in joining single letters.
#[derive(Clone, Copy)]
pub(super) struct Shape {
    pub single: bool,
    pub separator: bool,
}

/// ASCII punctuation that reads as itself wherever it stands in a token: not a leetspeak symbol
/// (`@ $ ! |`) and not a mask (`* # %`).
fn is_inert_punctuation(b: u8) -> bool {
    b.is_ascii_punctuation() && leet(b as char).is_none() && !is_mask(b as char)
}

/// How an ASCII token reads when it reads as written: one run of letters with inert punctuation
/// only before or after it (`hello,`, `(it)`, `bob:`), or inert punctuation alone (`?`, `:)`,
/// `...`). Every character of such a token reads as itself (no leetspeak, mask or joiner between
/// letters applies), so its pieces are its characters.
fn ascii_shape(token: &[u8]) -> Option<Shape> {
    let (mut letters, mut first, mut last) = (0, usize::MAX, 0);
    for (k, &b) in token.iter().enumerate() {
        if b.is_ascii_alphabetic() {
            letters += 1;
            first = first.min(k);
            last = k;
        } else if !is_inert_punctuation(b) {
            return None;
        }
    }
    if letters == 0 {
        // Punctuation alone: a separator between joined letters.
        return Some(Shape {
            single: false,
            separator: true,
        });
    }
    // The letters in one run: punctuation between letters may be a joiner to remove, which
    // only the character-by-character reading decides.
    (last + 1 - first == letters).then_some(Shape {
        single: letters == 1 && first == 0,
        separator: false,
    })
}

impl SkeletonBuilder {
    /// Builds the skeleton of ASCII `text` into `out`, exactly as [`build`](Self::build) does
    /// from its folded units, without folding it: one pass over the bytes finds the tokens, and
    /// only tokens that do not read as written are read character by character.
    pub fn build_ascii(&mut self, text: &[u8], out: &mut Skeleton) {
        debug_assert!(text.is_ascii());
        self.ranges.clear();
        let mut i = 0;
        while i < text.len() {
            if folds_to_space(text[i]) {
                i += 1;
                continue;
            }
            let from = i;
            let (mut plain, mut letter) = (true, false);
            while i < text.len() && !folds_to_space(text[i]) {
                let alphabetic = text[i].is_ascii_alphabetic();
                plain &= alphabetic;
                letter |= alphabetic;
                i += 1;
            }
            let copied = if plain {
                Some(Shape {
                    single: i - from == 1,
                    separator: false,
                })
            } else {
                ascii_shape(&text[from..i])
            };
            self.ranges.push(Range {
                from,
                to: i,
                copied,
                letter,
            });
        }
        self.pieces.clear();
        self.tokens.clear();
        let mut units = std::mem::take(&mut self.token_units);
        for t in 0..self.ranges.len() {
            let range = self.ranges[t];
            if let Some(shape) = range.copied {
                self.push_copied(range, shape);
                continue;
            }
            fold_token(text, range.from, range.to, &mut units);
            let beside_word = self.beside_word(t);
            self.push_token(&units, beside_word);
        }
        self.token_units = units;
        self.plan();
        self.emit(Source::Ascii(text), out);
    }
}

impl RunWriter<'_> {
    /// Appends the ASCII token `bytes[from..to]`, lowercased; `joined` marks its first letter.
    pub(super) fn push_ascii(&mut self, bytes: &[u8], from: usize, to: usize, joined: bool) {
        let token = &bytes[from..to];
        let mut k = 0;
        while k < token.len() {
            let b = token[k].to_ascii_lowercase();
            let run = 1 + token[k + 1..]
                .iter()
                .take_while(|n| n.to_ascii_lowercase() == b)
                .count();
            let (start, end) = ((from + k) as u32, (from + k + run) as u32);
            if self.last == Some(b as char) {
                // The run goes on from the previous token (joined letters: `a a a`).
                let info = self
                    .out
                    .info
                    .last_mut()
                    .expect("a run has a first character");
                info.run = info
                    .run
                    .saturating_add(u16::try_from(run).unwrap_or(u16::MAX));
                info.end = end;
            } else {
                self.last = Some(b as char);
                self.out.text.push(b as char);
                self.out.info.push(SkeletonInfo {
                    start,
                    end,
                    run: u16::try_from(run).unwrap_or(u16::MAX),
                    joined: joined && k == 0,
                    soft_head: false,
                    soft_tail: false,
                });
            }
            k += run;
        }
    }
}
