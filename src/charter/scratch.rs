//! The buffers one message is judged in, reused by each thread, and the readings of the message
//! built in them only when a trigger needs them: folded units, skeleton, folded text, leet
//! reading. An ASCII message is read straight from its bytes and folded only when its folded
//! text or its leet reading is needed.

use super::keyword_index::{KeywordHit, KeywordIndex};
use super::leet::{leet_reading, leet_reading_ascii};
use super::normalize::{Skeleton, SkeletonBuilder, Unit, fold, folded_string};
use super::prefilter::{AsciiFacts, scan_ascii};

/// Buffers reused from one message to the next.
#[derive(Default)]
pub(crate) struct Scratch {
    units: Vec<Unit>,
    /// Whether `units` holds the folding of the current message.
    folded_units: bool,
    builder: SkeletonBuilder,
    /// The folding of one token of an ASCII message.
    token_units: Vec<Unit>,
    pub skeleton: Skeleton,
    pub hits: Vec<KeywordHit>,
    pub folded: String,
    pub spans: Vec<(u32, u32)>,
    pub leet: String,
    pub leet_spans: Vec<(u32, u32)>,
}

/// What is known of the current message before any reading is built.
#[derive(Clone, Copy)]
pub(crate) struct Start {
    pub ascii: bool,
    /// For ASCII messages: what one pass over the bytes found.
    pub facts: AsciiFacts,
    /// Whether the message may contain a keyword.
    pub keywords: bool,
}

impl Scratch {
    /// Starts on `content`: an ASCII message is read once (by the keyword prefilter when the
    /// charter has keywords); any other is folded now.
    pub fn start(&mut self, content: &str, keywords: &KeywordIndex) -> Start {
        let ascii = content.is_ascii();
        self.folded_units = false;
        let has_keywords = keywords.len() > 0;
        if !ascii {
            self.fold(content);
            return Start {
                ascii,
                facts: AsciiFacts::default(),
                keywords: has_keywords,
            };
        }
        let (facts, may_match) = if has_keywords {
            keywords.read_ascii(content.as_bytes())
        } else {
            (scan_ascii(content.as_bytes()), false)
        };
        Start {
            ascii,
            facts,
            keywords: may_match,
        }
    }

    fn fold(&mut self, content: &str) {
        if !self.folded_units {
            fold(content, &mut self.units);
            self.folded_units = true;
        }
    }

    /// Builds the skeleton of `content` into `self.skeleton`.
    pub fn build_skeleton(&mut self, content: &str, start: Start) {
        if start.ascii {
            self.builder
                .build_ascii(content.as_bytes(), &mut self.skeleton);
        } else {
            self.builder.build(&self.units, &mut self.skeleton);
        }
    }

    /// Writes the folded text of `content` into `self.folded` and `self.spans`.
    pub fn build_folded(&mut self, content: &str) {
        self.fold(content);
        folded_string(&self.units, &mut self.folded, &mut self.spans);
    }

    /// Writes the leet reading of `content` into `self.leet` and `self.leet_spans`; `false`
    /// when it would be the folded text.
    pub fn build_leet(&mut self, content: &str, start: Start) -> bool {
        if start.ascii {
            return start.facts.leet
                && leet_reading_ascii(
                    content.as_bytes(),
                    &mut self.leet,
                    &mut self.leet_spans,
                    &mut self.token_units,
                );
        }
        leet_reading(&self.units, &mut self.leet, &mut self.leet_spans)
    }
}
