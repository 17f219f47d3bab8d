//! The skeleton: the reading of a message that keywords are matched on, with every position
//! mapped back to the original message.
//!
//! The skeleton is the folded text (see [`fold`](super::fold)) with leetspeak read inside words
//! (`1d10t`, see [`leet`](super::leet)), masking symbols inside words written as one mask
//! (`f*ck`), punctuation between letters dropped (`i.d.i.o.t`), single letters separated by
//! spaces or by spaced punctuation joined (`i d i o t`, `c . o . n`) and runs of one letter
//! collapsed (`idiooot`), each remaining character remembering its run length. Keywords are
//! compiled through the same skeleton, so both sides agree.
//!
//! A leet reading must not take away a word boundary the plain reading has: digits read as letters
//! at the edge of a word (`t1t5`, `0fuck`) are *soft*: a whole-word keyword may end before a soft
//! tail or start after a soft head, so both readings are matched.

pub(crate) use super::fold::{Unit, fold, folded_string};
use super::leet::MASK;
pub(crate) use super::skeleton_builder::SkeletonBuilder;

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
    /// A leet character before the first letter of its word: a word may start after it.
    pub soft_head: bool,
    /// A leet character after the last letter of its word: a word may end before it.
    pub soft_tail: bool,
}

/// Whether `c` continues a word in the skeleton.
pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == MASK
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
            || self.info[at - 1].soft_head
            || !self.text[..at]
                .chars()
                .next_back()
                .is_some_and(is_word_char)
    }

    /// Whether a whole-word match may end at byte `at`.
    pub fn word_ends_at(&self, at: usize) -> bool {
        at >= self.text.len()
            || self.info[at].joined
            || self.info[at].soft_tail
            || !self.text[at..].chars().next().is_some_and(is_word_char)
    }

    /// Whether the skeleton holds a masked letter.
    pub fn has_mask(&self) -> bool {
        self.text.contains(MASK)
    }

    /// Run lengths of the characters in `text[start..end]`, in order.
    pub fn runs(&self, start: usize, end: usize) -> impl Iterator<Item = u16> + '_ {
        self.text[start..end]
            .char_indices()
            .map(move |(i, _)| self.info[start + i].run)
    }

    /// The original byte range covered by `text[start..end]` (text under a right-to-left
    /// override is read reversed, so the range is the smallest one covering every character).
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        let covered = &self.info[start..end.max(start + 1).min(self.info.len())];
        let from = covered.iter().map(|i| i.start).min().unwrap_or(0);
        let to = covered.iter().map(|i| i.end).max().unwrap_or(from);
        (from as usize, to as usize)
    }
}
