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

/// Classes of ASCII bytes, as bits.
const BREAK: u8 = 1;
const MASK_SYMBOL: u8 = 2;
const HIDDEN_CONTROL: u8 = 4;
const LEET: u8 = 8;

const CLASSES: [u8; 128] = class_table();

const fn class_table() -> [u8; 128] {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        let mut class = 0;
        // Whitespace and control characters end a token (controls fold to spaces).
        if c <= b' ' || c == 0x7f {
            class |= BREAK;
        }
        if c.is_ascii_control() && !c.is_ascii_whitespace() {
            class |= HIDDEN_CONTROL;
        }
        if matches!(c, b'*' | b'#' | b'%') {
            class |= MASK_SYMBOL;
        }
        if matches!(c, b'0' | b'1' | b'3'..=b'5' | b'7'..=b'9' | b'@' | b'$' | b'!' | b'|') {
            class |= LEET;
        }
        table[b] = class;
        b += 1;
    }
    table
}

/// What one pass over an ASCII message finds, besides its squash.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct AsciiFacts {
    /// A masking symbol right after a character that is neither a space nor another mask.
    pub inner_mask: bool,
    /// A control character other than whitespace (folding reads it as a space).
    pub hidden_control: bool,
    /// A leetspeak character (a digit or `@ $ ! |`): without one, the leet reading is the text.
    pub leet: bool,
}

/// Reads ASCII `text` once: its facts and, when `squashed` is given, its squash.
pub(crate) fn scan_ascii(text: &[u8], squashed: Option<&mut Vec<u8>>) -> AsciiFacts {
    debug_assert!(text.is_ascii());
    let mut seen = 0u8;
    let mut inner_mask = false;
    // The first character cannot be inside a word.
    let mut after_break = true;
    let mut classify = |b: u8| {
        let class = CLASSES[usize::from(b & 0x7f)];
        inner_mask |= class & MASK_SYMBOL != 0 && !after_break;
        after_break = class & (BREAK | MASK_SYMBOL) != 0;
        seen |= class;
    };
    match squashed {
        Some(out) => {
            out.clear();
            out.resize(text.len(), 0);
            let (mut len, mut last) = (0, 0u8);
            for &b in text {
                classify(b);
                let c = SQUASH[usize::from(b & 0x7f)];
                out[len] = c;
                len += usize::from(c != 0 && c != last);
                if c != 0 {
                    last = c;
                }
            }
            out.truncate(len);
        }
        None => text.iter().for_each(|&b| classify(b)),
    }
    AsciiFacts {
        inner_mask,
        hidden_control: seen & HIDDEN_CONTROL != 0,
        leet: seen & LEET != 0,
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

    /// Whether an ASCII message whose squash is `squashed` may contain a keyword.
    pub fn may_match(&self, squashed: &[u8]) -> bool {
        self.automaton.is_match(squashed)
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
    fn one_pass_squashes_as_squash_does_and_finds_the_facts() {
        let mut out = Vec::new();
        for text in [
            "I.D.I.O.T",
            "1d10t",
            "hello!",
            "f r e e   n1tr0",
            "aaa   bbb",
            "",
            "a",
        ] {
            scan_ascii(text.as_bytes(), Some(&mut out));
            assert_eq!(String::from_utf8(out.clone()).unwrap(), squashed(text));
        }
        let facts = |text: &str| scan_ascii(text.as_bytes(), None);
        assert!(facts("f*ck").inner_mask);
        assert!(facts("f**k").inner_mask);
        assert!(!facts("** *bold").inner_mask);
        assert!(!facts("a *b").inner_mask);
        assert!(facts("a\0b").hidden_control);
        assert!(!facts("a\tb\r\n").hidden_control);
        assert!(facts("sh!t").leet);
        assert!(!facts("hello, world 2 6").leet);
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
