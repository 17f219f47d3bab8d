//! Keywords with Discord AutoMod semantics, compiled into one Aho-Corasick automaton per charter.
//!
//! `word` matches a whole word, `word*` a word starting with it, `*word` a word ending with it and
//! `*word*` anywhere; case-insensitive. Keywords go through the same skeleton as messages (see
//! [`normalize`](super::normalize)), so `1d10t`, `i.d.i.o.t` and `idiooot` all meet `idiot`. A
//! stretched letter only counts when it is clearly stretched (three or more): `good` does not
//! match `god`, `as` does not match `ass`.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::normalize::{Skeleton, SkeletonBuilder, Unit, fold};
use super::prefilter::Prefilter;

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
        let mut units: Vec<Unit> = Vec::new();
        fold(core, &mut units);
        let mut skeleton = Skeleton::default();
        SkeletonBuilder::default().build(&units, &mut skeleton);
        let pattern = skeleton.text.trim().to_string();
        if !pattern.chars().any(char::is_alphanumeric) {
            return Err(format!("keyword {trimmed:?} has no letter or digit"));
        }
        let runs = skeleton.runs(0, skeleton.text.len()).collect();
        Ok(Keyword {
            source: trimmed.to_string(),
            pattern,
            runs,
            word_start,
            word_end,
        })
    }

    /// Whether an occurrence of `pattern` at `skeleton[start..end]` really is this keyword.
    fn accepts(&self, skeleton: &Skeleton, start: usize, end: usize) -> bool {
        if self.word_start && !skeleton.word_starts_at(start) {
            return false;
        }
        if self.word_end && !skeleton.word_ends_at(end) {
            return false;
        }
        let last = self.runs.len().saturating_sub(1);
        skeleton
            .runs(start, end)
            .zip(&self.runs)
            .enumerate()
            .all(|(i, (seen, &wanted))| {
                let open_edge = (i == 0 && !self.word_start) || (i == last && !self.word_end);
                seen == wanted || (seen >= 3 && seen > wanted) || (open_edge && seen > wanted)
            })
    }
}

/// What a keyword belongs to.
#[derive(Clone, Debug)]
pub(crate) struct KeywordOwner {
    pub rule: usize,
    /// An allow-list entry: it cancels the rule's matches it covers.
    pub allow: bool,
    pub keyword: Keyword,
}

/// One accepted keyword occurrence, in skeleton bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct KeywordHit {
    pub rule: usize,
    pub allow: bool,
    pub start: usize,
    pub end: usize,
}

/// Every keyword of a charter in one automaton.
#[derive(Debug, Default)]
pub(crate) struct KeywordIndex {
    automaton: Option<AhoCorasick>,
    /// Owners of each distinct pattern, by pattern id.
    owners: Vec<Vec<KeywordOwner>>,
    /// Tells ASCII messages that cannot contain any keyword (see [`Prefilter`]).
    prefilter: Option<Prefilter>,
}

impl KeywordIndex {
    /// Builds the automaton; keywords with the same skeleton share one pattern.
    pub fn build(keywords: Vec<KeywordOwner>) -> Result<KeywordIndex, String> {
        let mut by_pattern: std::collections::HashMap<String, usize> = Default::default();
        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<KeywordOwner>> = Vec::new();
        for owner in keywords {
            let id = *by_pattern
                .entry(owner.keyword.pattern.clone())
                .or_insert_with(|| {
                    patterns.push(owner.keyword.pattern.clone());
                    owners.push(Vec::new());
                    patterns.len() - 1
                });
            owners[id].push(owner);
        }
        if patterns.is_empty() {
            return Ok(KeywordIndex::default());
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .or_else(|_| {
                // Very large keyword sets may exceed the DFA's limits; the contiguous NFA is close.
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .build(&patterns)
            })
            .map_err(|e| format!("cannot build the keyword automaton: {e}"))?;
        // Only keywords that flag matter: allow-list entries merely cancel.
        let prefilter = Prefilter::build(
            patterns
                .iter()
                .zip(&owners)
                .filter(|(_, owners)| owners.iter().any(|o| !o.allow))
                .map(|(pattern, _)| pattern.as_str()),
        );
        Ok(KeywordIndex {
            automaton: Some(automaton),
            owners,
            prefilter,
        })
    }

    /// Whether an ASCII message may contain a keyword; `false` means certainly not.
    pub fn may_match_ascii(&self, text: &str, scratch: &mut Vec<u8>) -> bool {
        match &self.prefilter {
            Some(prefilter) => prefilter.may_match(text, scratch),
            None => self.automaton.is_some(),
        }
    }

    /// Number of distinct patterns.
    pub fn len(&self) -> usize {
        self.owners.len()
    }

    /// Appends every accepted keyword occurrence in `skeleton` to `hits`.
    pub fn scan(&self, skeleton: &Skeleton, hits: &mut Vec<KeywordHit>) {
        let Some(automaton) = &self.automaton else {
            return;
        };
        for m in automaton.find_overlapping_iter(skeleton.text.as_str()) {
            let pattern = m.pattern().as_usize();
            for owner in &self.owners[pattern] {
                if owner.keyword.accepts(skeleton, m.start(), m.end()) {
                    hits.push(KeywordHit {
                        rule: owner.rule,
                        allow: owner.allow,
                        start: m.start(),
                        end: m.end(),
                    });
                }
            }
        }
    }
}

/// Removes deny hits covered by an allow hit of the same rule, then the allow hits themselves.
pub(crate) fn apply_allow_lists(hits: &mut Vec<KeywordHit>) {
    if !hits.iter().any(|h| h.allow) {
        return;
    }
    let allowed: Vec<KeywordHit> = hits.iter().filter(|h| h.allow).copied().collect();
    hits.retain(|h| {
        !h.allow
            && !allowed
                .iter()
                .any(|a| a.rule == h.rule && a.start <= h.start && h.end <= a.end)
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charter::normalize::fold;

    fn index(words: &[&str]) -> KeywordIndex {
        let owners = words
            .iter()
            .map(|w| {
                let (allow, w) = match w.strip_prefix('!') {
                    Some(rest) => (true, rest),
                    None => (false, *w),
                };
                KeywordOwner {
                    rule: 0,
                    allow,
                    keyword: Keyword::parse(w).unwrap(),
                }
            })
            .collect();
        KeywordIndex::build(owners).unwrap()
    }

    fn matches(words: &[&str], text: &str) -> Vec<String> {
        let index = index(words);
        let mut units = Vec::new();
        fold(text, &mut units);
        let mut skeleton = Skeleton::default();
        SkeletonBuilder::default().build(&units, &mut skeleton);
        let mut hits = Vec::new();
        index.scan(&skeleton, &mut hits);
        apply_allow_lists(&mut hits);
        hits.iter()
            .map(|h| {
                let (s, e) = skeleton.original_span(h.start, h.end);
                text[s..e].to_string()
            })
            .collect()
    }

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
    fn whole_word_by_default() {
        assert_eq!(matches(&["ass"], "you ass"), ["ass"]);
        assert!(matches(&["ass"], "assassin classic bass").is_empty());
        assert!(matches(&["cunt"], "Scunthorpe United").is_empty());
    }

    #[test]
    fn wildcards_follow_automod() {
        assert_eq!(matches(&["idiot*"], "idiots"), ["idiot"]);
        assert!(matches(&["idiot*"], "myidiot").is_empty());
        assert_eq!(matches(&["*idiot"], "myidiot"), ["idiot"]);
        assert!(matches(&["*idiot"], "idiots").is_empty());
        assert_eq!(matches(&["*idiot*"], "myidiots"), ["idiot"]);
    }

    #[test]
    fn evasions_are_caught() {
        for text in [
            "IDIOT",
            "1d10t",
            "i.d.i.o.t",
            "i d i o t",
            "i-d-i-o-t",
            "idiooooot",
            "іdіоt",
            "id\u{200B}iot",
            "ｉｄｉｏｔ",
            "ÍDÎÕT",
        ] {
            assert_eq!(matches(&["idiot"], text).len(), 1, "{text:?} evaded");
        }
    }

    #[test]
    fn doubled_letters_are_not_stretching() {
        assert!(matches(&["god"], "good morning").is_empty());
        assert_eq!(matches(&["god"], "goooood"), ["goooood"]);
        assert!(matches(&["ass"], "as you wish").is_empty());
        assert_eq!(matches(&["ass"], "asssss"), ["asssss"]);
    }

    #[test]
    fn allow_list_cancels_covered_matches() {
        assert!(matches(&["*cock*", "!cocktail*"], "a cocktail party").is_empty());
        assert_eq!(matches(&["*cock*", "!cocktail*"], "cock"), ["cock"]);
    }

    #[test]
    fn phrases_match_across_spacing() {
        assert_eq!(
            matches(&["free nitro"], "get FREE   nitro now"),
            ["FREE   nitro"]
        );
    }

    #[test]
    fn the_prefilter_never_hides_a_match() {
        // Random ASCII text over an alphabet rich in evasions: whenever the full scan finds a
        // keyword, the prefilter must have said it may.
        let words = [
            "idiot",
            "ass",
            "free nitro",
            "scam*",
            "*hole",
            "*tard*",
            "88",
            "1488",
            "noob",
            "tue toi",
            "a b c",
        ];
        let index = index(&words);
        let alphabet: Vec<char> = "idiotasfrenmchlb18 4  .-_'!@$|01357*aaooiix\n\t"
            .chars()
            .collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let (mut units, mut skeleton, mut hits, mut scratch) =
            (Vec::new(), Skeleton::default(), Vec::new(), Vec::new());
        let mut builder = SkeletonBuilder::default();
        let mut found = 0;
        for _ in 0..200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = 1 + (seed % 24) as usize;
            let text: String = (0..len)
                .map(|i| alphabet[((seed >> (i % 50)) as usize + i * 7) % alphabet.len()])
                .collect();
            fold(&text, &mut units);
            builder.build(&units, &mut skeleton);
            hits.clear();
            index.scan(&skeleton, &mut hits);
            if hits.iter().any(|h| !h.allow) {
                found += 1;
                assert!(
                    index.may_match_ascii(&text, &mut scratch),
                    "{text:?} hidden"
                );
            }
        }
        assert!(found > 100, "the generator should hit keywords ({found})");
    }

    #[test]
    fn same_skeleton_different_runs() {
        assert_eq!(matches(&["as", "ass"], "ass").len(), 1);
        assert_eq!(matches(&["as", "ass"], "as").len(), 1);
    }
}
