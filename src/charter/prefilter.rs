//! A cheap test that an ASCII message cannot contain any keyword, so that most messages skip
//! building the skeleton.
//!
//! The *squash* of a text lowercases it, reads every leetspeak character as its letter, drops
//! everything that is not a letter or a digit (spaces and punctuation included), and collapses
//! repeated characters. Every transformation the skeleton makes is a restricted form of one of
//! these, and squashing is applied alike to keyword patterns and to messages, so whenever a
//! pattern occurs in a message's skeleton, its squash occurs in the message's squash. When one
//! automaton of squashed patterns finds nothing in the squashed message, the full keyword scan
//! would find nothing either.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// What each ASCII byte becomes in a squash; 0 drops it.
const SQUASH: [u8; 128] = squash_table();

const fn squash_table() -> [u8; 128] {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphabetic() {
            c.to_ascii_lowercase()
        } else {
            // Leetspeak, as in the skeleton; other digits stay digits.
            match c {
                b'0' => b'o',
                b'1' => b'i',
                b'3' => b'e',
                b'4' => b'a',
                b'5' => b's',
                b'7' => b't',
                b'8' => b'b',
                b'9' => b'g',
                b'@' => b'a',
                b'$' => b's',
                b'!' => b'i',
                b'|' => b'l',
                b'2' | b'6' => c,
                _ => 0,
            }
        };
        b += 1;
    }
    table
}

/// Squashes ASCII `text` into `out` (cleared first). Non-ASCII characters (in patterns) are kept.
pub(crate) fn squash(text: &str, out: &mut Vec<u8>) {
    out.clear();
    let mut last = 0u8;
    for &b in text.as_bytes() {
        let c = if b < 128 { SQUASH[b as usize] } else { b };
        if c != 0 && c != last {
            out.push(c);
            last = c;
        }
    }
}

/// The squashed keyword patterns of a charter.
#[derive(Debug)]
pub(crate) struct Prefilter {
    automaton: AhoCorasick,
}

impl Prefilter {
    /// `None` when a pattern squashes to nothing (it could then match anywhere).
    pub fn build<'a>(patterns: impl Iterator<Item = &'a str>) -> Option<Prefilter> {
        let mut squashed: Vec<Vec<u8>> = Vec::new();
        let mut buffer = Vec::new();
        for pattern in patterns {
            squash(pattern, &mut buffer);
            if buffer.is_empty() {
                return None;
            }
            squashed.push(buffer.clone());
        }
        squashed.sort();
        squashed.dedup();
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&squashed)
            .or_else(|_| {
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(&squashed)
            })
            .ok()?;
        Some(Prefilter { automaton })
    }

    /// Whether an ASCII message may contain a keyword (`scratch` is reused).
    pub fn may_match(&self, ascii_text: &str, scratch: &mut Vec<u8>) -> bool {
        squash(ascii_text, scratch);
        self.automaton.is_match(scratch.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn squashed(text: &str) -> String {
        let mut out = Vec::new();
        squash(text, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn squash_reads_leet_and_drops_separators() {
        assert_eq!(squashed("I.D.I.O.T"), "idiot");
        assert_eq!(squashed("1d10t"), "idiot");
        // Unconditional, unlike the skeleton: squashing may only find more, never less.
        assert_eq!(squashed("hello!"), "heloi");
        assert_eq!(squashed("f r e e   n1tr0"), "frenitro");
        assert_eq!(squashed("aaa   bbb"), "ab");
    }
}
