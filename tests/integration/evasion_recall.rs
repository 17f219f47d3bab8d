//! Measured recall of the shipped charter's keyword lists against evasive spellings, and the
//! false positives it costs on innocent words that contain listed ones.
//!
//! For every listed word of `rules/words/*.txt`, [`evasion_gen`](crate::evasion_gen) writes
//! `VARIANTS` seeded variants per evasion class, alone or inside a short message; a variant is
//! caught when the rule that lists the word matches it. The report (per class and overall) is
//! printed with `--nocapture`; the test fails below 98 % overall or 90 % in a class, or on any
//! innocent-word hit. Reproduce the figures in BENCHMARKS.md with
//! `cargo test --release --test integration evasion_recall -- --nocapture`.

use std::sync::LazyLock;

use steward::charter::{Charter, Message};

use crate::evasion_gen::{CLASSES, Listed, Rng, lookalike_count, two_at_once, variant};
use crate::support::root;

const SEED: u64 = 0x5EED_1234_ABCD_0012;
const VARIANTS: usize = 4;

static CHARTER: LazyLock<Charter> =
    LazyLock::new(|| Charter::load(&root().join("rules")).expect("the shipped charter loads"));

/// The word lists and the rule that lists them.
const LISTS: &[(&str, &str)] = &[
    ("insults-en.txt", "insults"),
    ("insults-fr.txt", "insults"),
    ("hate-en.txt", "hate-speech"),
    ("hate-fr.txt", "hate-speech"),
    ("sexual-en.txt", "nsfw-words"),
    ("sexual-fr.txt", "nsfw-words"),
];

/// Innocent words and phrases that contain listed words (Scunthorpe problem): none may match.
const INNOCENT: &[&str] = &[
    "assassin",
    "classic",
    "Scunthorpe",
    "salopette",
    "chink in the armour",
    "cocktail",
    "Dickens",
    "Essex",
    "Sussex",
    "analysis",
    "shitake",
    "spices",
    "Pakistan",
    "therapist",
    "compute",
    "dispute",
    "reputation",
    "computer",
    "député",
    "amputé",
    "pedestrian",
    "pédestre",
    "Hancock",
    "cockpit",
    "peacock",
    "scrapbook",
    "niggardly",
    "titanic",
    "title",
    "bitter",
    "cumulus",
    "documentation",
    "circumstance",
    "sextant",
    "analogue",
    "canal",
    "banal",
    "Mongolia",
    "fagot de bois",
    "la connexion",
    "une consultation",
    "le concombre",
    "constructif",
    "une solution bâtarde",
    "la putréfaction",
    "le député",
    "pénis",
    "Penistone",
    "bassist",
    "embassy",
    "grape",
    "shuttlecock",
    "Matsushita",
    "hello world",
    "snigger",
    "dickensian",
    "cockatoo",
    "sextuple",
    "tittle",
    "buttress",
    "arsenal",
    "passion",
    "massage",
    "à plus tard",
    "une douche",
    "le retard",
    "c'est con",
    "coquelicot",
    "bougie",
    "négocier",
    "pédagogie",
    "pédestre",
    "zobel",
    "tocante",
    "branle-bas",
    "le sextant",
];

fn listed() -> Vec<(Listed, &'static str)> {
    let mut words = Vec::new();
    for (file, rule) in LISTS {
        let text = std::fs::read_to_string(root().join("rules/words").join(file)).unwrap();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            words.push((
                Listed {
                    text: line.trim_matches('*').to_string(),
                    prefix: line.ends_with('*'),
                    french: file.ends_with("-fr.txt"),
                },
                *rule,
            ));
        }
    }
    words
}

fn caught_by(text: &str, rule: &str) -> bool {
    CHARTER
        .evaluate(&Message::text(text))
        .rules()
        .into_iter()
        .any(|r| CHARTER.rules[r].id == rule)
}

#[test]
fn evasion_recall_per_class() {
    let words = listed();
    assert!(words.len() > 150, "{} listed words", words.len());
    assert!(
        lookalike_count() > 50,
        "the confusables data gave too few look-alikes"
    );
    let mut rng = Rng::new(SEED);
    let carriers = ["{}", "omg {} lol", "t'es qu'un {} ok"];
    let (mut total, mut total_caught) = (0, 0);
    let mut report = format!(
        "{} listed words, {VARIANTS} variants per word and class, seed {SEED:#x}\n",
        words.len()
    );
    let mut weak = Vec::new();
    for class in CLASSES {
        let (mut n, mut caught) = (0, 0);
        let mut missed = Vec::new();
        for (word, rule) in &words {
            for _ in 0..VARIANTS {
                let Some(v) = variant(class, word, &mut rng) else {
                    continue;
                };
                let message = rng.pick(&carriers).replace("{}", &v);
                n += 1;
                if caught_by(&message, rule) {
                    caught += 1;
                } else if missed.len() < 6 {
                    missed.push(message);
                }
            }
        }
        let recall = 100.0 * caught as f64 / n as f64;
        report.push_str(&format!(
            "{class:<20} {caught:>5}/{n:<5} {recall:6.2} %  missed e.g. {missed:?}\n"
        ));
        if recall < 90.0 {
            weak.push(format!("{class}: {recall:.2} %"));
        }
        total += n;
        total_caught += caught;
    }
    let overall = 100.0 * total_caught as f64 / total as f64;
    // Two classes at once, reported apart (not in the overall figure or the thresholds).
    let (mut n, mut caught, mut missed) = (0, 0, Vec::new());
    for (word, rule) in &words {
        for _ in 0..VARIANTS {
            let Some(v) = two_at_once(word, &mut rng) else {
                continue;
            };
            n += 1;
            if caught_by(&v, rule) {
                caught += 1;
            } else if missed.len() < 6 {
                missed.push(v);
            }
        }
    }
    let combined = 100.0 * caught as f64 / n as f64;
    report.push_str(&format!(
        "{:<20} {total_caught:>5}/{total:<5} {overall:6.2} %\n",
        "overall"
    ));
    report.push_str(&format!(
        "{:<20} {caught:>5}/{n:<5} {combined:6.2} %  missed e.g. {missed:?}\n",
        "two at once"
    ));
    println!("{report}");
    assert!(weak.is_empty(), "classes under 90 %: {weak:?}\n{report}");
    assert!(overall >= 98.0, "overall recall {overall:.2} %\n{report}");
}

#[test]
fn innocent_words_containing_listed_ones_are_clean() {
    let hits: Vec<String> = INNOCENT
        .iter()
        .filter_map(|text| {
            let verdict = CHARTER.evaluate(&Message::text(text));
            verdict.is_flagged().then(|| {
                let rules: Vec<&str> = verdict
                    .rules()
                    .into_iter()
                    .map(|r| CHARTER.rules[r].id.as_str())
                    .collect();
                format!("{text:?} -> {rules:?}")
            })
        })
        .collect();
    println!("{} innocent words, {} flagged", INNOCENT.len(), hits.len());
    assert!(hits.is_empty(), "{hits:#?}");
}
