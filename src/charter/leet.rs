//! Leetspeak and the symbols evaders put inside words, shared by the skeleton (keywords) and the
//! leet reading (regexes).
//!
//! A digit reads as its letter in any token that has a letter (`1d10t`). A symbol (`@ $ ! |`)
//! reads as a letter only inside a word, never at its start (`@user`, `$5` keep their meaning);
//! `! @ |` also need a real letter or digit later in the word, so `hello!!` and `bitch!!` keep
//! their `!`: a leet reading never glues punctuation onto a word. A *mask* (`* # %`) inside a word
//! stands for a hidden letter (`f*ck`, `c#nnard`) and is written as [`MASK`] in the skeleton.

use super::fold::{Unit, fold_ascii, folds_to_space};

/// What a masking symbol inside a word becomes in the skeleton (a private-use character, so it
/// never meets a literal `*`). Keyword readings with masked letters use it too.
pub(crate) const MASK: char = '\u{E000}';

/// What leetspeak character stands for, if it is one.
pub(crate) const fn leet(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '8' => 'b',
        '9' => 'g',
        '@' => 'a',
        '$' => 's',
        '!' => 'i',
        '|' => 'l',
        '€' => 'e',
        _ => return None,
    })
}

/// Symbols that also need a real letter or digit later in the word.
fn needs_letter_after(c: char) -> bool {
    matches!(c, '@' | '!' | '|')
}

/// Punctuation that evaders put between letters (`i.d.i.o.t`, `id-iot`, `l'idiot`).
pub(crate) fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '.' | '-'
            | '_'
            | '\''
            | '’'
            | ','
            | '~'
            | '^'
            | '`'
            | '"'
            | ':'
            | ';'
            | '/'
            | '\\'
            | '·'
            | '•'
            | '+'
            | '='
    )
}

/// Symbols that hide a letter when written inside a word.
pub(crate) const fn is_mask(c: char) -> bool {
    matches!(c, '*' | '#' | '%')
}

/// Whether `c` may sit between the letters of one word without ending it.
fn is_filler(c: char) -> bool {
    (leet(c).is_some() && !c.is_ascii_digit()) || is_joiner(c) || is_mask(c)
}

/// The first index after `k` whose character is not `skip`ped, and whether that character is a
/// letter or digit; `cache` keeps the answer for the whole run, so that a token is read in
/// linear time.
pub(crate) fn after_run(
    token: &[Unit],
    k: usize,
    skip: fn(char) -> bool,
    cache: &mut (usize, bool),
) -> bool {
    if k >= cache.0 {
        let end = token[k + 1..]
            .iter()
            .position(|n| !skip(n.ch))
            .map_or(token.len(), |n| k + 1 + n);
        *cache = (end, token.get(end).is_some_and(|n| n.ch.is_alphanumeric()));
    }
    cache.1
}

/// Reads a whitespace-free `token`: calls `f` with each index and what its character reads as
/// (a letter for leetspeak, [`MASK`] for a masking symbol inside a word, otherwise itself).
pub(crate) fn read_token(token: &[Unit], has_letter: bool, mut f: impl FnMut(usize, char)) {
    let mut letter_cache = (0, false);
    // The last character before `k` that is not a mask.
    let mut before_masks: Option<char> = None;
    for (k, u) in token.iter().enumerate() {
        let ch = u.ch;
        let inside = k > 0;
        let read = if !has_letter {
            ch
        } else if ch.is_ascii_digit() {
            leet(ch).unwrap_or(ch)
        } else if let Some(letter) = leet(ch) {
            let ok = inside
                && (!needs_letter_after(ch) || after_run(token, k, is_filler, &mut letter_cache));
            if ok { letter } else { ch }
        } else if is_mask(ch) && inside {
            // A mask, or a run of them (`f**k`), after a letter and before one.
            let after_letter =
                before_masks.is_some_and(|b| b.is_alphanumeric() || leet(b).is_some());
            if after_letter && after_run(token, k, is_filler, &mut letter_cache) {
                MASK
            } else {
                ch
            }
        } else {
            ch
        };
        if !is_mask(ch) {
            before_masks = Some(ch);
        }
        f(k, read);
    }
}

/// The *leet reading* regexes see: the folded text with leetspeak read inside words (as in the
/// skeleton: `fr33 n1tr0` reads `free nitro`) and nothing else changed, with the original range
/// of each byte. Returns `false`, leaving `text` alone, when it would equal the folded text.
pub(crate) fn leet_reading(units: &[Unit], text: &mut String, spans: &mut Vec<(u32, u32)>) -> bool {
    if !units.iter().any(|u| leet(u.ch).is_some()) {
        return false;
    }
    let mut changed = false;
    for_each_read(units, |u, ch| changed |= ch != u.ch);
    if !changed {
        return false;
    }
    text.clear();
    spans.clear();
    for_each_read(units, |u, ch| {
        text.push(ch);
        for _ in 0..ch.len_utf8() {
            spans.push((u.start, u.end));
        }
    });
    true
}

/// The leet reading of ASCII `text`, as [`leet_reading`] gives it from the folded units, read
/// from the bytes: only tokens with a letter and a leet character are read character by
/// character (`token_units` holds the folding of one such token), and the reading is written out
/// only when one of them reads differently. Returns `false` when the reading would equal the
/// folded text (`text` and `spans` then hold nothing useful).
pub(crate) fn leet_reading_ascii(
    bytes: &[u8],
    text: &mut String,
    spans: &mut Vec<(u32, u32)>,
    token_units: &mut Vec<Unit>,
) -> bool {
    debug_assert!(bytes.is_ascii());
    let changed = read_tokens(bytes).any(|(from, to)| {
        fold_token(bytes, from, to, token_units);
        let mut changed = false;
        read_token(token_units, true, |k, read| {
            changed |= read != MASK && read != token_units[k].ch;
        });
        changed
    });
    if !changed {
        return false;
    }
    text.clear();
    spans.clear();
    let mut written = 0;
    let copy = |text: &mut String, spans: &mut Vec<(u32, u32)>, from: usize, to: usize| {
        for (at, &b) in bytes.iter().enumerate().take(to).skip(from) {
            text.push(fold_ascii(b));
            spans.push((at as u32, at as u32 + 1));
        }
    };
    for (from, to) in read_tokens(bytes) {
        copy(text, spans, written, from);
        fold_token(bytes, from, to, token_units);
        read_token(token_units, true, |k, read| {
            let u = &token_units[k];
            text.push(if read == MASK { u.ch } else { read });
            spans.push((u.start, u.end));
        });
        written = to;
    }
    copy(text, spans, written, bytes.len());
    true
}

/// The tokens of ASCII `bytes` that hold a letter and a leetspeak character, as byte ranges in
/// order: the only ones a leet reading can change. Found from the leetspeak characters, so that
/// text without any costs one look at each byte.
fn read_tokens(bytes: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            let leet_at = at
                + bytes[at..]
                    .iter()
                    .position(|&b| leet(b as char).is_some())?;
            let from = bytes[..leet_at]
                .iter()
                .rposition(|&b| folds_to_space(b))
                .map_or(0, |i| i + 1)
                .max(at);
            let to = bytes[leet_at..]
                .iter()
                .position(|&b| folds_to_space(b))
                .map_or(bytes.len(), |n| leet_at + n);
            at = to;
            if bytes[from..to].iter().any(u8::is_ascii_alphabetic) {
                return Some((from, to));
            }
        }
        None
    })
}

/// Folds `bytes[from..to]` into `units` (cleared first).
pub(crate) fn fold_token(bytes: &[u8], from: usize, to: usize, units: &mut Vec<Unit>) {
    units.clear();
    units.extend((from..to).map(|at| Unit {
        ch: fold_ascii(bytes[at]),
        start: at as u32,
        end: at as u32 + 1,
    }));
}

/// Calls `f` with each unit and what it reads as (masks stay what they are).
fn for_each_read(units: &[Unit], mut f: impl FnMut(&Unit, char)) {
    let mut from = 0;
    while from < units.len() {
        let is_space = units[from].ch.is_whitespace();
        let to = units[from..]
            .iter()
            .position(|u| u.ch.is_whitespace() != is_space)
            .map_or(units.len(), |n| from + n);
        let token = &units[from..to];
        let has_letter = !is_space && token.iter().any(|u| u.ch.is_alphabetic());
        read_token(token, has_letter, |k, read| {
            let u = &token[k];
            match read {
                MASK => f(u, u.ch),
                ch => f(u, ch),
            }
        });
        from = to;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charter::fold::fold;

    fn reading(text: &str) -> Option<String> {
        let mut units = Vec::new();
        fold(text, &mut units);
        let (mut out, mut spans) = (String::new(), Vec::new());
        leet_reading(&units, &mut out, &mut spans).then_some(out)
    }

    #[test]
    fn the_leet_reading_keeps_spaces_and_punctuation() {
        assert_eq!(
            reading("FR33 N1TR0: https://x.y").as_deref(),
            Some("free nitro: https://x.y")
        );
        assert_eq!(reading("sh!t happens!!").as_deref(), Some("shit happens!!"));
        assert_eq!(reading("version 1000 is out"), None);
        assert_eq!(reading("hello! @user $5"), None);
    }

    #[test]
    fn the_ascii_leet_reading_is_the_folded_one() {
        use rand::{Rng, SeedableRng};
        let samples = [
            "FR33 N1TR0: https://x.y",
            "sh!t happens!!",
            "version 1000 is out",
            "hello! @user $5",
            "a\0b 1d10t\tx",
            "f*ck 3@7 5h1t |ol",
            "",
        ]
        .map(String::from);
        let alphabet = b"aB1!@$|0 .,5*#\t\0x  3e";
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x1ee7);
        let random = (0..50_000).map(|_| {
            (0..rng.random_range(0..20))
                .map(|_| alphabet[rng.random_range(0..alphabet.len())] as char)
                .collect::<String>()
        });
        let mut units = Vec::new();
        let (mut text, mut spans) = (String::new(), Vec::new());
        let (mut ascii, mut ascii_spans) = (String::new(), Vec::new());
        for sample in samples.into_iter().chain(random) {
            fold(&sample, &mut units);
            let folded = leet_reading(&units, &mut text, &mut spans);
            let direct =
                leet_reading_ascii(sample.as_bytes(), &mut ascii, &mut ascii_spans, &mut units);
            assert_eq!(direct, folded, "{sample:?}");
            if folded {
                assert_eq!((&ascii, &ascii_spans), (&text, &spans), "{sample:?}");
            }
        }
    }

    #[test]
    fn masks_inside_words_only() {
        let mut units = Vec::new();
        fold("f*ck *bold* f**k c#", &mut units);
        let mut read = String::new();
        for token in units.split(|u| u.ch == ' ') {
            if !read.is_empty() {
                read.push(' ');
            }
            read_token(token, true, |_, c| {
                read.push(if c == MASK { '?' } else { c })
            });
        }
        assert_eq!(read, "f?ck *bold* f??k c#");
    }

    #[test]
    fn long_runs_of_symbols_are_read_in_linear_time() {
        let text = format!("a{}b {}", "!".repeat(200_000), "*".repeat(200_000));
        let mut units = Vec::new();
        fold(&text, &mut units);
        let started = std::time::Instant::now();
        let (mut out, mut spans) = (String::new(), Vec::new());
        assert!(leet_reading(&units, &mut out, &mut spans));
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
}
