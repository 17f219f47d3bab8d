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

/// Asserts that `text` is caught by `rule`, with the match at `matched` in the original text.
fn caught(text: &str, rule: &str, matched: &str) {
    let verdict = CHARTER.evaluate(&Message::text(text));
    let hit = verdict
        .matches
        .iter()
        .find(|m| CHARTER.rules[m.rule].id == rule)
        .unwrap_or_else(|| panic!("{text:?} evaded {rule}: {:?}", rules_matched(text)));
    assert_eq!(&text[hit.start..hit.end], matched, "{text:?}");
    assert_eq!(hit.text, matched);
}

#[test]
fn a_whole_word_followed_by_exclamation_marks_was_allowed() {
    caught("shut up bitch!!", "insults", "shut up bitch");
    caught("sale pute!!", "insults", "pute");
    caught("fuck you!!", "insults", "fuck you");
    caught("shut up, dumb bitch!!", "insults", "dumb bitch");
    caught("fuck you!!!!!!", "insults", "fuck you");
}

#[test]
fn letters_separated_by_spaced_dots_were_allowed() {
    caught(
        "c . o . n . n . a . r . d",
        "insults",
        "c . o . n . n . a . r . d",
    );
    caught(
        "t'es un c - o - n - n - a - r - d",
        "insults",
        "c - o - n - n - a - r - d",
    );
    caught(
        "f . u . c . k   y . o . u",
        "insults",
        "f . u . c . k   y . o . u",
    );
}

#[test]
fn a_letter_masked_by_a_symbol_was_allowed() {
    caught("f*ck you", "insults", "f*ck you");
    caught("espèce de c*nnard", "insults", "c*nnard");
    caught("f**k you", "insults", "f**k you");
    caught("quel c#nnard", "insults", "c#nnard");
    caught("sale p%te", "insults", "p%te");
}

#[test]
fn phonetic_spellings_were_allowed() {
    caught("fvck you", "insults", "fvck you");
    caught("phuck you", "insults", "phuck you");
    caught("fuk you", "insults", "fuk you");
    caught("fuck u", "insults", "fuck u");
}

#[test]
fn enclosed_and_squared_letters_were_allowed() {
    caught("🅵🆄🅲🅺 🆈🅾🆄", "insults", "🅵🆄🅲🅺 🆈🅾🆄");
    caught("ⓕⓤⓒⓚ ⓨⓞⓤ", "insults", "ⓕⓤⓒⓚ ⓨⓞⓤ");
}

#[test]
fn a_right_to_left_override_hid_the_words_shown() {
    caught("\u{202E}uoy kcuf", "insults", "uoy kcuf");
    caught("lol \u{202E}uoy kcuf\u{202C} ok", "insults", "uoy kcuf");
}

#[test]
fn control_characters_between_words_were_allowed() {
    caught("fuck\0you", "insults", "fuck\0you");
    caught("fuck\u{1}you", "insults", "fuck\u{1}you");
    caught("fils\0de\0pute", "insults", "fils\0de\0pute");
}

#[test]
fn leetspeak_escaped_every_regex_rule() {
    caught(
        "fr33 n1tr0 for everyone: https://dlscord-gift.com/x",
        "scams",
        "fr33 n1tr0 for everyone: https://",
    );
    // Leet in a non-ASCII message, span mapped back through the folding.
    let text = "FRÉÉ N1TR0 → https://example.xyz";
    assert!(
        rules_matched(text).contains(&"scams".to_string()),
        "{text:?}"
    );
}

#[test]
fn plain_messages_stay_clean_after_the_evasion_fixes() {
    for text in [
        "hello!! how are you?",
        "it works!!! thanks",
        "*bold* and **strong** text",
        "f * x = y",
        "a . b",
        "C# and F# are languages",
        "100% sure, version 2.0!!",
        "I'll be there in 5 min",
        "salopette, chink in the armour, assassin, classic",
        "the spices from Pakistan",
        "it was f*****g amazing",
        "what the fuck you doing with sudo?",
    ] {
        assert!(
            rules_matched(text).is_empty(),
            "{text:?} flagged: {:?}",
            rules_matched(text)
        );
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
        "j'ai mis ma salopette de peintre",
        "that is the chink in the armour",
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
