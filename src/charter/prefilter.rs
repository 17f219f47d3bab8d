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

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Anchored, MatchKind, StartKind};

use super::fold::{folds_to_space, is_hidden_control_byte};
use super::leet::{is_mask, leet};

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
const BREAK: u16 = 1;
const MASK_SYMBOL: u16 = 2;
const HIDDEN_CONTROL: u16 = 4;
const LEET: u16 = 8;
const DOT: u16 = 16;
const SLASH: u16 = 32;
const AT: u16 = 64;
const ANGLE: u16 = 128;
const CAPITAL: u16 = 256;

const CLASSES: [u16; 128] = class_table();

const fn class_table() -> [u16; 128] {
    let mut table = [0u16; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        let mut class = 0;
        // Whitespace and control characters end a token (controls fold to spaces).
        if folds_to_space(c) {
            class |= BREAK;
        }
        if is_hidden_control_byte(c) {
            class |= HIDDEN_CONTROL;
        }
        if is_mask(c as char) {
            class |= MASK_SYMBOL;
        }
        if leet(c as char).is_some() {
            class |= LEET;
        }
        class |= match c {
            b'.' => DOT,
            b'/' => SLASH,
            b'@' => AT,
            b'<' => ANGLE,
            b'A'..=b'Z' => CAPITAL,
            _ => 0,
        };
        table[b] = class;
        b += 1;
    }
    table
}

/// What one pass over an ASCII message finds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct AsciiFacts {
    /// A masking symbol right after a character that is neither a space nor another mask.
    pub inner_mask: bool,
    /// A control character other than whitespace (folding reads it as a space).
    pub hidden_control: bool,
    /// A leetspeak character (a digit or `@ $ ! |`): without one, the leet reading is the text.
    pub leet: bool,
    /// A `.` (every domain has one), a `/` (every invite), a `@` (every mention), a `<` (every
    /// custom emoji), and the number of capital letters: what message triggers need to know to
    /// rule themselves out.
    pub dot: bool,
    pub slash: bool,
    pub at: bool,
    pub angle: bool,
    pub capitals: u32,
}

/// Gathers [`AsciiFacts`] one byte at a time.
struct Facts {
    seen: u16,
    capitals: u32,
    inner_mask: bool,
    /// The previous byte cannot be inside a word (the first byte counts as after a break).
    after_break: bool,
}

impl Facts {
    fn new() -> Facts {
        Facts {
            seen: 0,
            capitals: 0,
            inner_mask: false,
            after_break: true,
        }
    }

    #[inline(always)]
    fn add(&mut self, b: u8) {
        let class = CLASSES[usize::from(b & 0x7f)];
        self.inner_mask |= class & MASK_SYMBOL != 0 && !self.after_break;
        self.after_break = class & (BREAK | MASK_SYMBOL) != 0;
        self.capitals += u32::from(class & CAPITAL != 0);
        self.seen |= class;
    }

    fn done(self) -> AsciiFacts {
        let seen = |bit: u16| self.seen & bit != 0;
        AsciiFacts {
            inner_mask: self.inner_mask,
            hidden_control: seen(HIDDEN_CONTROL),
            leet: seen(LEET),
            dot: seen(DOT),
            slash: seen(SLASH),
            at: seen(AT),
            angle: seen(ANGLE),
            capitals: self.capitals,
        }
    }
}

/// Reads the facts of ASCII `text` in one pass.
pub(crate) fn scan_ascii(text: &[u8]) -> AsciiFacts {
    debug_assert!(text.is_ascii());
    let mut facts = Facts::new();
    text.iter().for_each(|&b| facts.add(b));
    facts.done()
}

/// The squashed keyword patterns of a charter.
#[derive(Debug)]
pub(crate) enum Prefilter {
    Dfa(DFA),
    /// For pattern sets too large for a DFA.
    Nfa(NFA),
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
        // Standard semantics: a state is a match state as soon as any pattern ends there.
        let dfa = aho_corasick::dfa::Builder::new()
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Unanchored)
            .build(&squashed);
        match dfa {
            Ok(dfa) => Some(Prefilter::Dfa(dfa)),
            Err(_) => aho_corasick::nfa::contiguous::Builder::new()
                .match_kind(MatchKind::Standard)
                .build(&squashed)
                .ok()
                .map(Prefilter::Nfa),
        }
    }

    /// Reads ASCII `text` once: its facts, and whether its squash holds a squashed pattern
    /// (`false` means the text certainly holds no keyword, masked readings aside). The squash is
    /// fed to the automaton as it is made, never written out.
    pub fn scan(&self, text: &[u8]) -> (AsciiFacts, bool) {
        match self {
            Prefilter::Dfa(dfa) => walk(dfa, text),
            Prefilter::Nfa(nfa) => walk(nfa, text),
        }
    }
}

fn walk(automaton: &impl Automaton, text: &[u8]) -> (AsciiFacts, bool) {
    debug_assert!(text.is_ascii());
    let mut facts = Facts::new();
    let Ok(mut state) = automaton.start_state(Anchored::No) else {
        return (scan_ascii(text), true);
    };
    let mut last = 0u8;
    let mut chunks = text.chunks(16);
    for chunk in chunks.by_ref() {
        // Branch-free inside a chunk: a byte the squash drops or repeats leaves the state as it
        // was (the transition is computed and not taken), so that spaces and punctuation, which
        // come at random, cost no mispredicted branch.
        let mut found = false;
        for &b in chunk {
            facts.add(b);
            let c = SQUASH[usize::from(b & 0x7f)];
            let next = automaton.next_state(Anchored::No, state, c);
            let take = c != 0 && c != last;
            state = if take { next } else { state };
            last = if c != 0 { c } else { last };
            found |= automaton.is_match(state);
        }
        if found {
            chunks.for_each(|rest| rest.iter().for_each(|&b| facts.add(b)));
            return (facts.done(), true);
        }
    }
    (facts.done(), false)
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
    fn one_pass_finds_the_facts() {
        let facts = scan_ascii;
        assert!(facts(b"f*ck").inner_mask);
        assert!(facts(b"f**k").inner_mask);
        assert!(!facts(b"** *bold").inner_mask);
        assert!(!facts(b"a *b").inner_mask);
        assert!(facts(b"a\0b").hidden_control);
        assert!(!facts(b"a\tb\r\n").hidden_control);
        assert!(facts(b"sh!t").leet);
        assert!(!facts(b"hello, world 2 6").leet);
        let f = facts(b"Hi @Bob, see <:x:1> at a.b/c");
        assert!(f.at && f.angle && f.dot && f.slash);
        assert_eq!(f.capitals, 2);
        let f = facts(b"hello");
        assert!(!(f.at || f.angle || f.dot || f.slash));
    }

    #[test]
    fn the_automaton_reads_the_squash() {
        let prefilter = Prefilter::build(["idiot", "free nitro", "ab"].into_iter()).unwrap();
        let may = |text: &str| prefilter.scan(text.as_bytes());
        assert!(may("you 1.d.1.o.t").1);
        assert!(may("FR33    N1TR0!").1);
        assert!(may("aaa bbb").1);
        assert!(!may("hello world").1);
        assert_eq!(may("x\0y 1d10t").0, scan_ascii(b"x\0y 1d10t"));
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
