//! A seeded generator of evasive spellings, one function per class, for the recall test.
//!
//! Each class rewrites a listed word (`fuck you`, `connard`) the way members disguise it. Look-alike
//! letters from other scripts come from Unicode's confusables data (`unicode-security`, UTS #39),
//! not from a hand list: every Cyrillic, Greek, Armenian and Cherokee letter whose skeleton is one
//! ASCII letter.

use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The test set's randomness: ChaCha8 from a seed, so the same seed gives the same test set on
/// every machine.
pub struct Rng(rand_chacha::ChaCha8Rng);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(rand::SeedableRng::seed_from_u64(seed))
    }

    pub fn below(&mut self, n: usize) -> usize {
        rand::Rng::random_range(&mut self.0, 0..n)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        rand::Rng::random_range(&mut self.0, 0..100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The evasion classes, in report order.
pub const CLASSES: &[&str] = &[
    "leetspeak",
    "separators",
    "masking",
    "repeated letters",
    "mixed case",
    "fullwidth",
    "circled/squared",
    "math alphanumerics",
    "combining marks",
    "zero-width/format",
    "confusables",
    "inflections",
    "punctuation/emoji",
];

/// Classes combined by [`two_at_once`]: a spelling change first, then a change of letters or
/// an addition around them.
const FIRST: &[&str] = &[
    "leetspeak",
    "separators",
    "masking",
    "repeated letters",
    "confusables",
    "inflections",
];
const THEN: &[&str] = &[
    "mixed case",
    "zero-width/format",
    "combining marks",
    "punctuation/emoji",
    "fullwidth",
    "circled/squared",
    "math alphanumerics",
];

/// Two classes at once (`c*nn4rd` in fullwidth, stretched letters with zero-width spaces):
/// reported apart, as it measures what the classes alone do not.
pub fn two_at_once(word: &Listed, rng: &mut Rng) -> Option<String> {
    let class = *rng.pick(FIRST);
    let first = variant(class, word, rng)?;
    let then = Listed {
        text: first,
        prefix: word.prefix,
        french: word.french,
    };
    let class = *rng.pick(THEN);
    variant(class, &then, rng)
}

/// A listed word: its text without `*`, whether it is a prefix (`word*`), and its language.
pub struct Listed {
    pub text: String,
    pub prefix: bool,
    pub french: bool,
}

/// One variant of `word` in `class`, or `None` when the class does not apply to the word.
pub fn variant(class: &str, word: &Listed, rng: &mut Rng) -> Option<String> {
    let w = word.text.as_str();
    Some(match class {
        "leetspeak" => leet(w, rng),
        "separators" => separate(w, rng),
        "masking" => mask(w, rng)?,
        "repeated letters" => stretch(w, rng),
        "mixed case" => w
            .chars()
            .map(|c| {
                if rng.chance(50) {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect(),
        "fullwidth" => map_letters(w, |c| char::from_u32(c as u32 - 'a' as u32 + 0xFF41)),
        "circled/squared" => {
            let base = *rng.pick(&[0x24D0u32, 0x24B6, 0x1F130, 0x1F150, 0x1F170]);
            map_letters(w, |c| char::from_u32(c as u32 - 'a' as u32 + base))
        }
        "math alphanumerics" => {
            // Lowercase styles without reserved holes: bold, bold italic, bold script, fraktur,
            // double-struck, bold fraktur, the sans-serif styles and monospace.
            let styles = [
                0x1D41A, 0x1D482, 0x1D4EA, 0x1D51E, 0x1D552, 0x1D586, 0x1D5BA, 0x1D5EE, 0x1D622,
                0x1D656, 0x1D68A,
            ];
            let base = *rng.pick(&styles);
            map_letters(w, |c| char::from_u32(c as u32 - 'a' as u32 + base))
        }
        "combining marks" => insert_after_letters(w, rng, 60, |rng| {
            let n = 1 + rng.below(2);
            (0..n)
                .map(|_| char::from_u32(0x0300 + rng.below(0x70) as u32).unwrap())
                .collect()
        }),
        "zero-width/format" => insert_between_letters(w, rng, 60, |rng| {
            rng.pick(&[
                '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}', '\u{200E}',
                '\u{2063}',
            ])
            .to_string()
        }),
        "confusables" => {
            let mut out = String::new();
            for c in w.chars() {
                match LOOKALIKES.get(&c) {
                    Some(options) if rng.chance(60) => out.push(*rng.pick(options)),
                    _ => out.push(c),
                }
            }
            out
        }
        "inflections" => inflect(word, rng)?,
        "punctuation/emoji" => {
            let tails = [
                "!!",
                "!!!",
                "?!",
                "...",
                "!!1",
                " 😂",
                "😡",
                " 🖕🖕",
                ".",
                "!!! 🤬",
            ];
            format!("{w}{}", rng.pick(&tails))
        }
        other => panic!("unknown class {other}"),
    })
}

/// Every non-Latin letter (Cyrillic, Greek, Armenian, Cherokee) whose UTS #39 skeleton is one
/// ASCII lowercase letter, by that letter.
static LOOKALIKES: LazyLock<BTreeMap<char, Vec<char>>> = LazyLock::new(|| {
    let mut map: BTreeMap<char, Vec<char>> = BTreeMap::new();
    let blocks = [
        0x0370..0x0400,
        0x0400..0x0530,
        0x0530..0x0590,
        0x13A0..0x1400,
    ];
    for c in blocks.into_iter().flatten().filter_map(char::from_u32) {
        if !c.is_alphabetic() {
            continue;
        }
        let skeleton: Vec<char> = unicode_security::skeleton(&c.to_string()).collect();
        if let [target] = skeleton[..]
            && target.is_ascii_lowercase()
        {
            map.entry(target).or_default().push(c);
        }
    }
    map
});

/// How many look-alike letters the confusables data gave, for the report.
pub fn lookalike_count() -> usize {
    LOOKALIKES.values().map(Vec::len).sum()
}

fn map_letters(w: &str, f: impl Fn(char) -> Option<char>) -> String {
    w.chars()
        .map(|c| {
            if c.is_ascii_lowercase() {
                f(c).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// Positions of `w` (by char) with whether each starts or ends its word.
fn letters(w: &str) -> Vec<(char, bool, bool)> {
    let chars: Vec<char> = w.chars().collect();
    (0..chars.len())
        .map(|i| {
            let first = i == 0 || chars[i - 1] == ' ';
            let last = i + 1 == chars.len() || chars[i + 1] == ' ';
            (chars[i], first, last)
        })
        .collect()
}

fn leet(w: &str, rng: &mut Rng) -> String {
    let mut out = String::new();
    let mut changed = false;
    for (c, first, last) in letters(w) {
        // Digits anywhere; symbols inside words only, as writers do (`@user` is a mention).
        let options: &[char] = match c {
            'a' if !first && !last => &['4', '@'],
            'a' => &['4'],
            'e' => &['3'],
            'i' if !first && !last => &['1', '!'],
            'i' => &['1'],
            'o' => &['0'],
            's' if !first => &['5', '$'],
            's' => &['5'],
            't' => &['7'],
            'b' => &['8'],
            'g' => &['9'],
            _ => &[],
        };
        if !options.is_empty() && (rng.chance(50) || !changed) {
            out.push(*rng.pick(options));
            changed = true;
        } else {
            out.push(c);
        }
    }
    out
}

fn separate(w: &str, rng: &mut Rng) -> String {
    let separators = [" ", ".", "-", "_", " . ", " - ", "/", "..", " , ", "·"];
    let sep = *rng.pick(&separators);
    let words: Vec<String> = w
        .split(' ')
        .map(|word| word.chars().map(String::from).collect::<Vec<_>>().join(sep))
        .collect();
    words.join(if sep.contains(' ') { "   " } else { " " })
}

fn mask(w: &str, rng: &mut Rng) -> Option<String> {
    let chars: Vec<char> = w.chars().collect();
    let first_word_len = chars.iter().take_while(|&&c| c != ' ').count();
    if first_word_len < 3 {
        return None;
    }
    let symbol = *rng.pick(&['*', '#', '%']);
    // A vowel (or any letter) inside the first word, never its first or last letter... or two.
    let inner: Vec<usize> = (1..first_word_len - 1).collect();
    let vowels: Vec<usize> = inner
        .iter()
        .copied()
        .filter(|&i| "aeiou".contains(chars[i]))
        .collect();
    let at = *rng.pick(if vowels.is_empty() { &inner } else { &vowels });
    let count = if at + 2 < first_word_len && rng.chance(30) {
        2
    } else {
        1
    };
    let mut out: String = chars[..at].iter().collect();
    out.extend(std::iter::repeat_n(symbol, count));
    out.extend(&chars[at + count..]);
    Some(out)
}

fn stretch(w: &str, rng: &mut Rng) -> String {
    let chars: Vec<char> = w.chars().collect();
    let letters: Vec<usize> = (0..chars.len()).filter(|&i| chars[i] != ' ').collect();
    let mut stretched = vec![1; chars.len()];
    for _ in 0..1 + rng.below(2) {
        stretched[*rng.pick(&letters)] = 3 + rng.below(4);
    }
    chars
        .iter()
        .zip(stretched)
        .map(|(&c, n)| std::iter::repeat_n(c, n).collect::<String>())
        .collect()
}

fn insert_after_letters(
    w: &str,
    rng: &mut Rng,
    percent: u64,
    mut what: impl FnMut(&mut Rng) -> String,
) -> String {
    let mut out = String::new();
    let mut any = false;
    for c in w.chars() {
        out.push(c);
        if c != ' ' && (rng.chance(percent) || !any) {
            out.push_str(&what(rng));
            any = true;
        }
    }
    out
}

fn insert_between_letters(
    w: &str,
    rng: &mut Rng,
    percent: u64,
    mut what: impl FnMut(&mut Rng) -> String,
) -> String {
    let chars: Vec<char> = w.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        let between = chars.get(i + 1).is_some_and(|&n| n != ' ') && c != ' ';
        if between && (rng.chance(percent) || i == 0) {
            out.push_str(&what(rng));
        }
    }
    out
}

/// A plural or common inflection: English `-s` for whole words, and for prefixes `-s`, `-ing`,
/// `-ed`; French `-s` for whole words, and for prefixes `-s`, `-e`, `-es`. Phrases and words
/// that already end in `s`, `x` or `z` have none.
fn inflect(word: &Listed, rng: &mut Rng) -> Option<String> {
    let w = &word.text;
    if w.contains(' ') || w.ends_with(['s', 'x', 'z']) {
        return None;
    }
    let endings: &[&str] = match (word.prefix, word.french) {
        (false, _) => &["s"],
        (true, false) => &["s", "ing", "ed"],
        (true, true) => &["s", "e", "es"],
    };
    Some(format!("{w}{}", rng.pick(endings)))
}
