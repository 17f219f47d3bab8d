//! Keywords with Discord AutoMod semantics, compiled to skeleton patterns (the automaton that
//! finds them is [`keyword_index`](super::keyword_index)).
//!
//! `word` matches a whole word (and its plural in `s`: `cunt` meets `cunts`), `word*` a word
//! starting with it, `*word` a word ending with it and `*word*` anywhere; case-insensitive. Keywords go through the same skeleton as messages (see
//! [`normalize`](super::normalize)), so `1d10t`, `i.d.i.o.t` and `idiooot` all meet `idiot`. A
//! stretched letter only counts when it is clearly stretched (three or more): `good` does not
//! match `god`, `as` does not match `ass`.

use super::leet::MASK;
use super::normalize::{Skeleton, SkeletonBuilder, Unit, fold};
use super::readings;

/// Discord's limit on the length of one AutoMod keyword.
pub const MAX_KEYWORD_CHARS: usize = 60;

/// A keyword compiled to its skeleton.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Keyword {
    /// The keyword as written, for reports.
    pub source: String,
    /// The skeleton text searched for.
    pub pattern: String,
    /// Run length of each character of `pattern`.
    pub runs: Vec<u16>,
    /// The match must start at a word boundary (no leading `*`).
    pub word_start: bool,
    /// The match must end at a word boundary (no trailing `*`).
    pub word_end: bool,
}

impl Keyword {
    /// Parses one keyword in AutoMod syntax.
    pub fn parse(source: &str) -> Result<Keyword, String> {
        let trimmed = source.trim();
        if trimmed.is_empty() {
            return Err("empty keyword".into());
        }
        if trimmed.chars().count() > MAX_KEYWORD_CHARS {
            return Err(format!(
                "keyword {trimmed:?} is longer than {MAX_KEYWORD_CHARS} characters"
            ));
        }
        let word_start = !trimmed.starts_with('*');
        let word_end = !trimmed.ends_with('*') || trimmed == "*";
        let core = trimmed.trim_start_matches('*').trim_end_matches('*');
        if core.contains('*') {
            return Err(format!(
                "keyword {trimmed:?}: `*` is only allowed at the start or the end"
            ));
        }
        let keyword = Keyword::from_core(trimmed, core, word_start, word_end);
        if !keyword.pattern.chars().any(char::is_alphanumeric) {
            return Err(format!("keyword {trimmed:?} has no letter or digit"));
        }
        Ok(keyword)
    }

    /// The keyword whose text, without its `*`, is `core`.
    fn from_core(source: &str, core: &str, word_start: bool, word_end: bool) -> Keyword {
        let mut units: Vec<Unit> = Vec::new();
        fold(core, &mut units);
        let mut skeleton = Skeleton::default();
        SkeletonBuilder::default().build(&units, &mut skeleton);
        let text = skeleton.text.trim_end();
        let skip = text.len() - text.trim_start().len();
        Keyword {
            source: source.to_string(),
            pattern: text[skip..].to_string(),
            runs: skeleton.runs(skip, text.len()).collect(),
            word_start,
            word_end,
        }
    }

    /// Its phonetic and joined-phrase readings (see [`readings`](super::readings)), itself first.
    pub fn readings(&self) -> Vec<Keyword> {
        let core = self.source.trim_start_matches('*').trim_end_matches('*');
        let mut units: Vec<Unit> = Vec::new();
        fold(core, &mut units);
        let folded: String = units.iter().map(|u| u.ch).collect();
        let mut out = vec![self.clone()];
        for reading in readings::readings(&folded).into_iter().skip(1) {
            let k = Keyword::from_core(&self.source, &reading, self.word_start, self.word_end);
            if !out
                .iter()
                .any(|o| o.pattern == k.pattern && o.runs == k.runs)
            {
                out.push(k);
            }
        }
        out
    }

    /// Whether an occurrence of `pattern` at `skeleton[start..end]` really is this keyword, and
    /// where the match ends: a whole word also matches its plural in `s` (`cunts`).
    pub(crate) fn accepts(&self, skeleton: &Skeleton, start: usize, end: usize) -> Option<usize> {
        if self.word_start && !skeleton.word_starts_at(start) {
            return None;
        }
        let last = self.runs.len().saturating_sub(1);
        // A stretched letter counts from three; a mask hides exactly as many letters as it has
        // symbols (`f*****g` is not `fag`).
        let runs_ok = skeleton
            .runs(start, end)
            .zip(self.runs.iter().zip(self.pattern.chars()))
            .enumerate()
            .all(|(i, (seen, (&wanted, c)))| {
                let open_edge = (i == 0 && !self.word_start) || (i == last && !self.word_end);
                let stretched = seen > wanted && (seen >= 3 || open_edge);
                seen == wanted || (c != MASK && stretched)
            });
        if !runs_ok {
            return None;
        }
        if !self.word_end || skeleton.word_ends_at(end) {
            return Some(end);
        }
        let plural = self.word_start
            && self
                .pattern
                .ends_with(|c: char| c.is_alphabetic() && c != 's')
            && skeleton.text[end..].starts_with('s')
            && skeleton.word_ends_at(end + 1);
        plural.then_some(end + 1)
    }
}

/// What a keyword belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct KeywordOwner {
    pub rule: usize,
    /// An allow-list entry: it cancels the rule's matches it covers.
    pub allow: bool,
    pub keyword: Keyword,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_rejects_bad_keywords() {
        assert!(Keyword::parse("").is_err());
        assert!(Keyword::parse("  ").is_err());
        assert!(Keyword::parse("fo*o").is_err());
        assert!(Keyword::parse("***").is_err());
        assert!(Keyword::parse(&"a".repeat(61)).is_err());
        assert!(Keyword::parse("!!!").is_err());
    }

    #[test]
    fn readings_of_a_keyword_at_the_length_limit_are_kept() {
        let long = format!("{}f", "a".repeat(59));
        let keyword = Keyword::parse(&long).unwrap();
        assert!(keyword.readings().iter().any(|k| k.pattern.ends_with("ph")));
    }
}
