//! The readings a keyword can have: rather than bending every message into one destructive
//! reading, each keyword is also searched in the spellings evaders give it.
//!
//! - **Phonetic spellings**, a small fixed set: `f` written `ph` (`phuck`), a `u` between two
//!   consonants written `v` (`fvck`, `cvnt`), `ck` written `k` (`fuk`), a final `s` written `z`
//!   (`titz`), in phrases the texting words `u` for "you" and `ur` for "your" (`fuck u`), and `l` written
//!   as what reads as `i` (`assho1e`, a capital `Ι` look-alike): leet `1` and capital-I
//!   look-alikes read as `i`, but writers use them for `l` too.
//! - **Phrases written together**: `fuck you` also reads `fuckyou` (a phrase spelt letter by
//!   letter, `f u c k y o u`, joins into it too).
//! - **Masked letters** ([`masked`]): one letter or two neighbouring letters replaced by a mask
//!   (`f*ck`, `f**k`, `c#nnard`), or a mask between every letter (`f*u*c*k`). The first letter is
//!   never masked. These readings only matter for messages that hold a mask, so they live in a
//!   separate automaton, built the first time such a message comes.
//!
//! Readings are generated from the keyword's folded text, then go through the same skeleton as
//! the keyword itself.

use super::keywords::Keyword;
use super::leet::MASK;

/// At most this many phonetic spellings of one keyword (the keyword itself included).
const MAX_PHONETIC: usize = 6;

fn is_consonant(c: char) -> bool {
    c.is_ascii_lowercase() && !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// One place where a phonetic spelling applies: `text[at..at + len]` may be written `with`.
struct Site {
    at: usize,
    len: usize,
    with: &'static str,
}

fn phonetic_sites(core: &str) -> Vec<Site> {
    let chars: Vec<(usize, char)> = core.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let mut sites = Vec::new();
    let mut word_start = 0;
    for (i, &(byte, c)) in chars.iter().enumerate() {
        if c == ' ' {
            word_start = i + 1;
            continue;
        }
        let word_end = at(i + 1).is_none_or(|n| n == ' ');
        let word: String = chars[word_start..]
            .iter()
            .map(|&(_, c)| c)
            .take_while(|&c| c != ' ')
            .collect();
        let phrase = core.contains(' ');
        if phrase && i == word_start && (word == "you" || word == "your") {
            let with = if word == "you" { "u" } else { "ur" };
            sites.push(Site {
                at: byte,
                len: word.len(),
                with,
            });
        }
        match c {
            'f' if at(i.wrapping_sub(1)) != Some('f') => {
                let run = chars[i..].iter().take_while(|&&(_, c)| c == 'f').count();
                sites.push(Site {
                    at: byte,
                    len: run,
                    with: "ph",
                });
            }
            'u' if at(i.wrapping_sub(1)).is_some_and(is_consonant)
                && at(i + 1).is_some_and(is_consonant) =>
            {
                sites.push(Site {
                    at: byte,
                    len: 1,
                    with: "v",
                });
            }
            'l' => sites.push(Site {
                at: byte,
                len: 1,
                with: "i",
            }),
            'c' if at(i + 1) == Some('k') => sites.push(Site {
                at: byte,
                len: 2,
                with: "k",
            }),
            's' if word_end
                && i > word_start
                && at(i - 1).is_some_and(|p| p.is_ascii_alphabetic() && p != 's') =>
            {
                sites.push(Site {
                    at: byte,
                    len: 1,
                    with: "z",
                });
            }
            _ => {}
        }
    }
    sites
}

/// The spellings of a keyword's folded text `core` to search for, itself first.
pub(crate) fn readings(core: &str) -> Vec<String> {
    let sites = phonetic_sites(core);
    let mut out = vec![core.to_string()];
    // Fewest substitutions first, so that the cap keeps the likeliest spellings.
    let n = sites.len().min(8);
    let mut subsets: Vec<u32> = (1..1u32 << n).collect();
    subsets.sort_by_key(|s| (s.count_ones(), *s));
    for subset in subsets {
        if out.len() >= MAX_PHONETIC {
            break;
        }
        let mut text = String::new();
        let mut from = 0;
        let mut overlapping = false;
        for (k, site) in sites.iter().take(n).enumerate() {
            if subset & (1 << k) == 0 {
                continue;
            }
            if site.at < from {
                overlapping = true;
                break;
            }
            text.push_str(&core[from..site.at]);
            text.push_str(site.with);
            from = site.at + site.len;
        }
        if overlapping {
            continue;
        }
        text.push_str(&core[from..]);
        if !out.contains(&text) {
            out.push(text);
        }
    }
    let joined: Vec<String> = out
        .iter()
        .filter(|r| r.contains(' '))
        .map(|r| r.replace(' ', ""))
        .collect();
    out.extend(joined);
    out
}

/// The masked readings of a compiled keyword (see the module documentation). Letters are
/// counted as written: `bellend` masked as `b##lend` hides `e` and one `l`.
pub(crate) fn masked(keyword: &Keyword) -> Vec<Keyword> {
    // The keyword as written, one entry per letter.
    let written: Vec<char> = keyword
        .pattern
        .chars()
        .zip(&keyword.runs)
        .flat_map(|(c, &run)| std::iter::repeat_n(c, run as usize))
        .collect();
    let letter = |i: usize| written.get(i).is_some_and(|c| c.is_alphanumeric());
    if written.iter().filter(|c| c.is_alphanumeric()).count() < 3 {
        return Vec::new();
    }
    let variant = |written: Vec<char>| {
        // Collapse runs again, as the skeleton does.
        let mut pattern = String::new();
        let mut runs: Vec<u16> = Vec::new();
        for c in written {
            if pattern.ends_with(c) {
                *runs.last_mut().expect("a run per character") += 1;
            } else {
                pattern.push(c);
                runs.push(1);
            }
        }
        Keyword {
            source: keyword.source.clone(),
            pattern,
            runs,
            word_start: keyword.word_start,
            word_end: keyword.word_end,
        }
    };
    let mut out = Vec::new();
    for i in 1..written.len() {
        if !letter(i) {
            continue;
        }
        let mut one = written.clone();
        one[i] = MASK;
        out.push(variant(one));
        if letter(i + 1) {
            let mut two = written.clone();
            two[i] = MASK;
            two[i + 1] = MASK;
            out.push(variant(two));
        }
    }
    // A mask between every two letters of each word.
    let mut interleaved = Vec::new();
    for (i, &c) in written.iter().enumerate() {
        if i > 0 && letter(i) && letter(i - 1) {
            interleaved.push(MASK);
        }
        interleaved.push(c);
    }
    out.push(variant(interleaved));
    out.dedup_by(|a, b| a.pattern == b.pattern && a.runs == b.runs);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phonetic_spellings_of_a_keyword() {
        let r = readings("fuck");
        for spelling in ["fuck", "phuck", "fvck", "fuk"] {
            assert!(r.iter().any(|s| s == spelling), "{spelling} in {r:?}");
        }
        assert!(readings("fuck you").iter().any(|s| s == "fuck u"));
        assert!(readings("fuck you").iter().any(|s| s == "fuckyou"));
        assert!(readings("tits").iter().any(|s| s == "titz"));
        assert!(readings("fuck off").iter().any(|s| s == "fuck oph"));
        assert_eq!(readings("you"), ["you"]);
        assert_eq!(readings("connard"), ["connard"]);
        assert!(readings("ffff fuck fuck fuck").len() <= 2 * MAX_PHONETIC);
    }

    #[test]
    fn masked_readings() {
        let keyword = Keyword::parse("connard*").unwrap();
        let patterns: Vec<String> = masked(&keyword).into_iter().map(|k| k.pattern).collect();
        assert!(patterns.contains(&format!("c{MASK}nard")));
        let m = MASK;
        assert!(patterns.contains(&format!("c{m}o{m}n{m}n{m}a{m}r{m}d")));
        assert!(patterns.contains(&format!("co{m}ard")));
        let bellend = masked(&Keyword::parse("bellend").unwrap());
        assert!(
            bellend
                .iter()
                .any(|k| k.pattern == format!("b{m}lend") && k.runs[1] == 2)
        );
        assert!(!patterns.iter().any(|p| p.starts_with(MASK)));
        assert!(masked(&Keyword::parse("fa").unwrap()).is_empty());
    }
}
