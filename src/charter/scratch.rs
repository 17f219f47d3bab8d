//! The buffers one message is judged in, reused by each thread, and the readings of the message
//! built in them only when a trigger needs them: folded units, skeleton, folded text, leet
//! reading. An ASCII message is read straight from its bytes and folded only when its folded
//! text or its leet reading is needed.

use super::keyword_index::KeywordHit;
use super::leet::leet_reading;
use super::normalize::{Skeleton, SkeletonBuilder, Unit, fold, folded_string};
use super::prefilter::{AsciiFacts, scan_ascii};

/// Buffers reused from one message to the next.
#[derive(Default)]
pub(crate) struct Scratch {
    units: Vec<Unit>,
    /// Whether `units` holds the folding of the current message.
    folded_units: bool,
    builder: SkeletonBuilder,
    pub skeleton: Skeleton,
    pub hits: Vec<KeywordHit>,
    pub folded: String,
    pub spans: Vec<(u32, u32)>,
    pub leet: String,
    pub leet_spans: Vec<(u32, u32)>,
    pub squashed: Vec<u8>,
}

/// What is known of the current message before any reading is built.
#[derive(Clone, Copy)]
pub(crate) struct Start {
    pub ascii: bool,
    /// For ASCII messages: what one pass over the bytes found.
    pub facts: AsciiFacts,
}

impl Scratch {
    /// Starts on `content`: non-ASCII text is folded now; ASCII text is read once, and squashed
    /// into `squashed` when `squash` is set.
    pub fn start(&mut self, content: &str, squash: bool) -> Start {
        let ascii = content.is_ascii();
        self.folded_units = false;
        let facts = if ascii {
            scan_ascii(content.as_bytes(), squash.then_some(&mut self.squashed))
        } else {
            self.fold(content);
            AsciiFacts::default()
        };
        Start { ascii, facts }
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
        if start.ascii && !start.facts.leet {
            return false;
        }
        self.fold(content);
        leet_reading(&self.units, &mut self.leet, &mut self.leet_spans)
    }
}
