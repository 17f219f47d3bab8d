//! Tests of the skeleton (`normalize.rs`): leetspeak, separators, masks, runs, word edges and
//! spans back into the original text.

use super::leet::MASK;
use super::normalize::*;

fn skeleton(text: &str) -> Skeleton {
    let mut units = Vec::new();
    fold(text, &mut units);
    let mut out = Skeleton::default();
    SkeletonBuilder::default().build(&units, &mut out);
    out
}

#[test]
fn leetspeak_is_undone_inside_words_only() {
    assert_eq!(skeleton("1d10t").text, "idiot");
    assert_eq!(skeleton("sh!t").text, "shit");
    assert_eq!(skeleton("a$$").text, "as");
    assert_eq!(skeleton("version 1000").text, "version 10");
    assert_eq!(skeleton("son 0f 4 bitch").text, "son of a bitch");
    assert_eq!(skeleton("3@7 shit, 1 2 3").text, "eat shit, i23");
    assert_eq!(skeleton("hello! @user").text, "helo! @user");
}

#[test]
fn separators_between_letters_are_joined() {
    let s = skeleton("i.d.i.o.t");
    assert_eq!(s.text, "idiot");
    assert!(s.info[1].joined);
    assert_eq!(skeleton("i d i o t").text, "idiot");
    assert_eq!(skeleton("i - d").text, "i - d");
    assert_eq!(skeleton("a b").text, "a b");
    assert_eq!(skeleton("l'idiot").text, "lidiot");
}

#[test]
fn runs_are_collapsed_and_counted() {
    let s = skeleton("idiooooot");
    assert_eq!(s.text, "idiot");
    assert_eq!(s.runs(0, 5).collect::<Vec<_>>(), [1, 1, 1, 5, 1]);
    assert_eq!(s.original_span(0, 5), (0, 9));
}

#[test]
fn spans_point_into_the_original() {
    let text = "you are an іdіоt!";
    let s = skeleton(text);
    let at = s.text.find("idiot").unwrap();
    let (start, end) = s.original_span(at, at + 5);
    assert_eq!(&text[start..end], "іdіоt");
}

#[test]
fn word_boundaries() {
    let s = skeleton("classic ass");
    assert!(!s.word_starts_at(2));
    assert!(s.word_starts_at(7));
    assert!(s.word_ends_at(s.text.len()));
}

#[test]
fn exclamation_marks_after_a_word_were_read_as_i() {
    let s = skeleton("shut up bitch!!");
    assert_eq!(s.text, "shut up bitch!");
    assert!(s.word_ends_at(13));
    assert_eq!(skeleton("sh!!t").text, "shit");
}

#[test]
fn spaced_punctuation_between_letters_was_not_joined() {
    assert_eq!(skeleton("c . o . n . n . a . r . d").text, "conard");
    assert_eq!(skeleton("c - o - n").text, "con");
    assert_eq!(skeleton("f * u * c * k you").text, "fuck you");
    assert_eq!(skeleton("a . b").text, "a . b");
    assert_eq!(skeleton("a - s - s - h - a - t!!! ok").text, "ashat! ok");
    assert_eq!(skeleton("see . . . it").text, "se . . . it");
}

#[test]
fn masked_letters_become_one_mask() {
    assert_eq!(skeleton("f*ck").text, format!("f{MASK}ck"));
    let s = skeleton("f**k you");
    assert_eq!(s.text, format!("f{MASK}k you"));
    assert_eq!(s.info[1].run, 2);
    assert_eq!(skeleton("*bold* c#").text, "*bold* c#");
}

#[test]
fn digits_at_the_edge_of_a_word_are_soft() {
    let s = skeleton("t1t5 0fuck");
    assert_eq!(s.text, "tits ofuck");
    assert!(s.word_ends_at(3));
    assert!(s.word_starts_at(6));
    assert!(!s.word_ends_at(2));
}

#[test]
fn reversed_text_maps_back_to_its_span() {
    let text = "\u{202E}uoy kcuf";
    let s = skeleton(text);
    assert_eq!(s.text, "fuck you");
    let (start, end) = s.original_span(0, 4);
    assert_eq!(&text[start..end], "kcuf");
}

#[test]
fn the_ascii_skeleton_is_the_folded_one() {
    // Random ASCII over an alphabet rich in evasions (case, leet, masks, joiners, spacing,
    // control characters): reading the bytes directly must give exactly the skeleton built
    // from the folded units, text and every position.
    use rand::{Rng, SeedableRng};
    let alphabet: Vec<u8> =
        b"idiotASFREnmchlb18 4  .-_'!@$|01357*#%aaOOiix\n\t\r\x0b\x0c\0\x07\x7f . fukvph,~^`\":;/\\+=&()?<>[]{}  ?? a, (b) c:"
            .to_vec();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x5eed_a5c1);
    let mut units = Vec::new();
    let mut builder = SkeletonBuilder::default();
    let (mut folded, mut direct) = (Skeleton::default(), Skeleton::default());
    for _ in 0..100_000 {
        let len = rng.random_range(0..40);
        let text: Vec<u8> = (0..len)
            .map(|_| alphabet[rng.random_range(0..alphabet.len())])
            .collect();
        let text = String::from_utf8(text).unwrap();
        fold(&text, &mut units);
        builder.build(&units, &mut folded);
        builder.build_ascii(text.as_bytes(), &mut direct);
        assert_eq!(direct.text, folded.text, "{text:?}");
        assert_eq!(direct.info, folded.info, "{text:?}");
    }
    // Chat-shaped text: words, single letters and punctuation around and between them.
    let pieces = [
        "a", "I", "bc", "Idiot", "(", ")", ",", "?", ":", "...", "'", "-", "1", "$", "!", "*", " ",
        " ", "  ", " . ", "\"", "s",
    ];
    for _ in 0..100_000 {
        let text: String = (0..rng.random_range(0..14))
            .map(|_| pieces[rng.random_range(0..pieces.len())])
            .collect();
        fold(&text, &mut units);
        builder.build(&units, &mut folded);
        builder.build_ascii(text.as_bytes(), &mut direct);
        assert_eq!(direct.text, folded.text, "{text:?}");
        assert_eq!(direct.info, folded.info, "{text:?}");
    }
}
