//! Every keyword of a charter, with all its readings, in one Aho-Corasick automaton; the masked
//! readings (`f*ck`) in a second one, built the first time a message holds a mask.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::keywords::{Keyword, KeywordOwner};
use super::normalize::Skeleton;
use super::prefilter::{AsciiFacts, Prefilter, scan_ascii};
use super::readings;

/// One accepted keyword occurrence, in skeleton bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct KeywordHit {
    pub rule: usize,
    pub allow: bool,
    pub start: usize,
    pub end: usize,
}

/// The most patterns for which the automaton is a DFA.
const DFA_MAX_PATTERNS: usize = 50_000;

/// Distinct patterns in one automaton, each with the keywords that read as it.
#[derive(Debug)]
struct Patterns {
    automaton: AhoCorasick,
    owners: Vec<Vec<KeywordOwner>>,
}

impl Patterns {
    /// Keywords with the same pattern share it; `None` for no keyword.
    fn build(keywords: impl Iterator<Item = KeywordOwner>) -> Result<Option<Patterns>, String> {
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
            if !owners[id].contains(&owner) {
                owners[id].push(owner);
            }
        }
        if patterns.is_empty() {
            return Ok(None);
        }
        // A DFA is the fastest to scan with, but its memory grows with the patterns' states times
        // the alphabet: past DFA_MAX_PATTERNS the contiguous NFA (close in speed) is built alone.
        let kind = if patterns.len() <= DFA_MAX_PATTERNS {
            AhoCorasickKind::DFA
        } else {
            AhoCorasickKind::ContiguousNFA
        };
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(kind))
            .build(&patterns)
            .or_else(|_| {
                // Very large keyword sets may exceed the DFA's limits; the contiguous NFA is close.
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .build(&patterns)
            })
            .map_err(|e| format!("cannot build the keyword automaton: {e}"))?;
        Ok(Some(Patterns { automaton, owners }))
    }

    fn scan(&self, skeleton: &Skeleton, hits: &mut Vec<KeywordHit>) {
        for m in self.automaton.find_overlapping_iter(skeleton.text.as_str()) {
            for owner in &self.owners[m.pattern().as_usize()] {
                if let Some(end) = owner.keyword.accepts(skeleton, m.start(), m.end()) {
                    let hit = KeywordHit {
                        rule: owner.rule,
                        allow: owner.allow,
                        start: m.start(),
                        end,
                    };
                    if !hits.contains(&hit) {
                        hits.push(hit);
                    }
                }
            }
        }
    }
}

/// Every keyword of a charter.
#[derive(Debug, Default)]
pub(crate) struct KeywordIndex {
    /// The keywords as written, to build the masked readings from.
    keywords: Vec<KeywordOwner>,
    /// Every keyword and its phonetic and joined-phrase readings.
    main: Option<Patterns>,
    /// The masked readings, built on first need.
    masked: OnceLock<Option<Patterns>>,
    /// Tells ASCII messages that cannot contain any keyword (see [`Prefilter`]).
    prefilter: Option<Prefilter>,
}

impl KeywordIndex {
    /// Builds the automaton of `keywords` and their readings.
    pub fn build(keywords: Vec<KeywordOwner>) -> Result<KeywordIndex, String> {
        let all = keywords.iter().flat_map(|owner| {
            owner
                .keyword
                .readings()
                .into_iter()
                .map(|keyword| KeywordOwner {
                    keyword,
                    ..owner.clone()
                })
        });
        let Some(main) = Patterns::build(all)? else {
            return Ok(KeywordIndex::default());
        };
        // Only keywords that flag matter: allow-list entries merely cancel.
        let prefilter = Prefilter::build(
            main.owners
                .iter()
                .filter(|owners| owners.iter().any(|o| !o.allow))
                .map(|owners| owners[0].keyword.pattern.as_str()),
        );
        Ok(KeywordIndex {
            keywords,
            main: Some(main),
            masked: OnceLock::new(),
            prefilter,
        })
    }

    /// Reads an ASCII message once: its facts, and whether it may contain a keyword (`false`
    /// means certainly not). A masking symbol inside a word always may: the masked readings are
    /// not in the prefilter.
    pub fn read_ascii(&self, text: &[u8]) -> (AsciiFacts, bool) {
        match &self.prefilter {
            Some(prefilter) => {
                let (facts, found) = prefilter.scan(text);
                (facts, found || facts.inner_mask)
            }
            None => (scan_ascii(text), self.main.is_some()),
        }
    }

    /// Number of distinct patterns (readings included).
    pub fn len(&self) -> usize {
        self.main.as_ref().map_or(0, |m| m.owners.len())
    }

    /// Appends every accepted keyword occurrence in `skeleton` to `hits`.
    pub fn scan(&self, skeleton: &Skeleton, hits: &mut Vec<KeywordHit>) {
        let Some(main) = &self.main else {
            return;
        };
        main.scan(skeleton, hits);
        if skeleton.has_mask()
            && let Some(masked) = self.masked.get_or_init(|| self.build_masked())
        {
            masked.scan(skeleton, hits);
        }
    }

    fn build_masked(&self) -> Option<Patterns> {
        let all = self.keywords.iter().flat_map(|owner| {
            readings::masked(&owner.keyword)
                .into_iter()
                .map(|keyword: Keyword| KeywordOwner {
                    keyword,
                    ..owner.clone()
                })
        });
        // The patterns are short strings of letters: the automaton always builds.
        Patterns::build(all).ok().flatten()
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
    use crate::charter::normalize::{SkeletonBuilder, fold};

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
            "fuck you",
            "*uck",
        ];
        let index = index(&words);
        let alphabet: Vec<char> = "idiotasfrenmchlb18 4  .-_'!@$|01357*#%aaooiix\n\t\0 . fukvph"
            .chars()
            .collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let (mut units, mut skeleton, mut hits) = (Vec::new(), Skeleton::default(), Vec::new());
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
                assert!(index.read_ascii(text.as_bytes()).1, "{text:?} hidden");
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
