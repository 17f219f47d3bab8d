//! The default charter in `rules/`: it loads, its examples pass, it resists evasions without
//! Scunthorpe false positives, and it stays quiet on ordinary chat.

use std::sync::LazyLock;

use steward::charter::{Charter, Message, Outcome};

use crate::support::{root, shared_data};

static CHARTER: LazyLock<Charter> = LazyLock::new(|| match Charter::load(&root().join("rules")) {
    Ok(charter) => charter,
    Err(errors) => panic!("the shipped charter does not load:\n{errors}"),
});

fn rules_matched(text: &str) -> Vec<String> {
    CHARTER
        .evaluate(&Message::text(text))
        .rules()
        .into_iter()
        .map(|r| CHARTER.rules[r].id.clone())
        .collect()
}

#[test]
fn loads_in_both_languages_with_every_section_cited() {
    assert_eq!(CHARTER.languages, ["fr", "en"]);
    assert!(CHARTER.sections.len() >= 7);
    for rule in &CHARTER.rules {
        assert!(
            CHARTER.section(rule.section).is_some(),
            "rule {} cites a missing section",
            rule.id
        );
    }
}

#[test]
fn every_example_passes() {
    let failures = CHARTER.check_examples();
    assert!(
        failures.is_empty(),
        "{}",
        failures
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn evasions_of_a_listed_word_are_caught() {
    for text in [
        "espèce de connard",
        "espèce de CONNARD",
        "espèce de c0nn4rd",
        "espèce de c.o.n.n.a.r.d",
        "espèce de c o n n a r d",
        "espèce de connnnnaaaard",
        "espèce de со\u{200B}nnаrd",
        "espèce de ｃｏｎｎａｒｄ",
        "espèce de c-o-n-n-a-r-d",
    ] {
        let matched = rules_matched(text);
        assert!(!matched.is_empty(), "{text:?} evaded the charter");
        let verdict = CHARTER.evaluate(&Message::text(text));
        assert!(verdict.outcome >= Outcome::Flag);
    }
}

#[test]
fn ordinary_words_containing_listed_words_are_clean() {
    for text in [
        "The assassin in that classic game",
        "I live near Scunthorpe",
        "a cocktail at the pub",
        "please pass the document",
        "Cette consultation est constructive",
        "le concombre est un légume",
        "the analysis of the shitake mushrooms",
        "Sussex and Essex",
        "I need to kill the process and execute the script",
    ] {
        assert!(
            rules_matched(text).is_empty(),
            "{text:?} flagged: {:?}",
            rules_matched(text)
        );
    }
}

#[test]
fn quiet_on_ordinary_chat() {
    let Some(path) = shared_data("chat/ubuntu-irc.jsonl") else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    let input =
        steward::replay::input::parse(&text.lines().take(10_000).collect::<Vec<_>>().join("\n"));
    let mut tracker = CHARTER.tracker();
    tracker.set_resolution(steward::replay::timestamp_resolution(&input.messages));
    let flagged = input
        .messages
        .iter()
        .filter(|m| steward::replay::judge(&CHARTER, m, &mut tracker).is_flagged())
        .count();
    // Measured and reviewed in BENCHMARKS.md; this guards against a charter change that makes
    // the default charter noisy.
    assert!(
        flagged <= 25,
        "{flagged} of 10,000 ordinary messages flagged"
    );
}
