//! Charter loading and evaluation from inline TOML: every error message, every trigger, scopes.

use super::*;

const CHARTER: &str = r#"
title = { fr = "Charte", en = "Charter" }
languages = ["fr", "en"]

[escalation]
window = "30d"
[[escalation.step]]
points = 3
action = "timeout 1h"
[[escalation.step]]
points = 6
action = "ban"

[[section]]
number = 1
title = { fr = "Respect", en = "Respect" }
text = { fr = "Soyez courtois.", en = "Be kind." }

[[section]]
number = 2
title = "Spam"
text = { fr = "Pas de spam.", en = "No spam." }
"#;

fn charter(rules: &str) -> Result<Charter, CharterErrors> {
    Charter::parse(&[("charter.toml", CHARTER), ("rules.toml", rules)])
}

fn errors(rules: &str) -> Vec<String> {
    match charter(rules) {
        Ok(_) => panic!("expected errors"),
        Err(e) => e.0.iter().map(ToString::to_string).collect(),
    }
}

fn matched(charter: &Charter, text: &str) -> Vec<String> {
    charter
        .evaluate(&Message::text(text))
        .rules()
        .into_iter()
        .map(|r| charter.rules[r].id.clone())
        .collect()
}

#[test]
fn a_valid_rule_compiles_and_matches() {
    let c = charter(
        r#"
[[rule]]
id = "insults"
section = 1
name = { fr = "Insultes", en = "Insults" }
outcome = "delete"
action = "warn"
points = 2
keywords = ["idiot", "connard*"]
dm = { fr = "Règle {rule} (article {section})", en = "Rule {rule} (section {section})" }
"#,
    )
    .unwrap();
    assert_eq!(c.rules.len(), 1);
    let v = c.evaluate(&Message::text("quel CONNARDS celui-là"));
    assert_eq!(v.outcome, Outcome::Delete);
    assert_eq!(v.sanction, Some(Sanction::Warn));
    assert_eq!(v.points, 2);
    assert_eq!(v.matches[0].text, "CONNARD");
    assert_eq!((v.matches[0].start, v.matches[0].end), (5, 12));
    let ctx = DmContext {
        language: "en",
        section_title: "Respect",
        matched: "x",
        channel: "#general",
    };
    assert_eq!(
        c.rules[0].render_dm(&ctx).unwrap(),
        "Rule Insults (section 1)"
    );
    assert_eq!(
        c.escalation.as_ref().unwrap().sanction_for(4),
        Some(Sanction::Timeout(std::time::Duration::from_secs(3600)))
    );
}

#[test]
fn every_error_is_reported_with_its_location() {
    let errs = errors(
        r#"
[[rule]]
id = "one"
section = 9
outcome = "remove"
keywords = ["ok"]

[[rule]]
id = "two"
section = 1
outcome = "delete"
action = "timeout 10 minutes"
regex = ["(unclosed"]
"#,
    );
    assert_eq!(errs.len(), 4, "{errs:#?}");
    assert!(errs[0].starts_with("rules.toml:4:11: rule \"one\": section 9 is not in charter.toml"));
    assert!(errs[1].starts_with("rules.toml:5:11: rule \"one\": unknown outcome \"remove\""));
    assert!(errs[2].starts_with("rules.toml:12:10: rule \"two\": unknown action"));
    assert!(errs[3].starts_with("rules.toml:13:10: rule \"two\": invalid regex"));
}

#[test]
fn unknown_fields_are_refused_per_rule() {
    let errs = errors(
        r#"
[[rule]]
id = "typo"
section = 1
outcome = "delete"
keyword = ["x"]

[[rule]]
id = "fine-but-no-trigger"
section = 1
outcome = "flag"
"#,
    );
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(
        errs[0].starts_with("rules.toml:6:1: rule \"typo\": unknown field `keyword`"),
        "{}",
        errs[0]
    );
    assert!(errs[1].contains("rule \"fine-but-no-trigger\": the rule has no trigger"));
}

#[test]
fn duplicate_ids_name_the_first_definition() {
    let errs = errors(
        r#"
[[rule]]
id = "same"
section = 1
outcome = "delete"
keywords = ["a1"]

[[rule]]
id = "same"
section = 1
outcome = "delete"
keywords = ["b1"]
"#,
    );
    assert_eq!(
        errs,
        ["rules.toml:9:6: rule \"same\": duplicate rule id (first defined at rules.toml:2:1)"]
    );
}

#[test]
fn bad_values_are_explained() {
    let errs = errors(
        r#"
[[rule]]
id = "Bad_Id"
section = 1
outcome = "delete"
keywords = ["fo*o", ""]
rate = { messages = 5, within = "5 seconds" }
only_new_members = "soon"
name = { fr = "Seulement en français" }
dm = "Hello {user}"
links = { deny = ["not a domain"] }
caps = { min_ratio = 1.5 }
"#,
    );
    let joined = errs.join("\n");
    for expected in [
        "ids are 1 to 64 lowercase letters",
        "`*` is only allowed at the start or the end",
        "empty keyword",
        "invalid duration \"5 seconds\"",
        "invalid duration \"soon\"",
        "missing translation: en",
        "unknown placeholder {user}",
        "\"not a domain\" is not a valid domain",
        "caps.min_ratio must be between",
    ] {
        assert!(
            joined.contains(expected),
            "missing {expected:?} in\n{joined}"
        );
    }
}

#[test]
fn nonsense_counts_and_windows_are_refused_not_adjusted() {
    let errs = errors(
        r#"
[[rule]]
id = "zero-rate"
section = 2
outcome = "flag"
rate = { messages = 0, within = "10s" }

[[rule]]
id = "one-duplicate"
section = 2
outcome = "flag"
duplicates = { count = 1, within = "1m" }

[[rule]]
id = "no-mentions"
section = 2
outcome = "flag"
mention_spam = { mentions = 0, within = "1m" }

[[rule]]
id = "empty-shout"
section = 2
outcome = "flag"
caps = { min_ratio = 0.8, min_letters = 0 }

[[rule]]
id = "endless"
section = 2
outcome = "flag"
rate = { messages = 5, within = "106751991168d" }

[[rule]]
id = "long-window"
section = 2
outcome = "flag"
duplicates = { count = 3, within = "30d" }
"#,
    );
    let joined = errs.join("\n");
    for expected in [
        "rule \"zero-rate\": rate.messages must be at least 2",
        "rule \"one-duplicate\": duplicates.count must be at least 2",
        "rule \"no-mentions\": mention_spam.mentions must be at least 1",
        "rule \"empty-shout\": caps.min_letters must be at least 1",
        "rule \"endless\": invalid duration \"106751991168d\": longer than the limit",
        "rule \"long-window\": a window of 30d is longer than the limit of 7d",
    ] {
        assert!(
            joined.contains(expected),
            "missing {expected:?} in\n{joined}"
        );
    }
    assert!(!joined.contains("no trigger"), "{joined}");
}

#[test]
fn an_escalation_that_gets_milder_is_refused() {
    let milder = CHARTER.replace("action = \"ban\"", "action = \"warn\"");
    let rule = "[[rule]]\nid = \"r\"\nsection = 1\noutcome = \"flag\"\nkeywords = [\"zut\"]\n";
    let errs = match Charter::parse(&[("charter.toml", &milder), ("rules.toml", rule)]) {
        Ok(_) => panic!("a milder escalation step was accepted"),
        Err(e) => e.0.iter().map(ToString::to_string).collect::<Vec<_>>(),
    };
    assert!(
        errs.iter()
            .any(|e| e.contains("escalation gets milder: warn at 6 points after timeout 1h at 3")),
        "{errs:?}"
    );
}

#[test]
fn word_lists_are_read_and_checked() {
    let rules = r#"
[[rule]]
id = "words"
section = 1
outcome = "delete"
keyword_files = ["words/list.txt", "words/empty.txt", "words/missing.txt", "../outside.txt"]
"#;
    let err = Charter::parse(&[
        ("charter.toml", CHARTER),
        ("rules.toml", rules),
        ("words/list.txt", "# insults\nidiot\n\n  fo*o\n"),
        ("words/empty.txt", "# nothing yet\n"),
    ])
    .unwrap_err();
    let errs: Vec<String> = err.0.iter().map(ToString::to_string).collect();
    assert_eq!(errs.len(), 4, "{errs:#?}");
    assert!(errs.contains(&"words/list.txt:4:3: rule \"words\": keyword \"fo*o\": `*` is only allowed at the start or the end".to_string()), "{errs:#?}");
    assert!(
        errs.iter()
            .any(|e| e.contains("word list \"words/empty.txt\" is empty"))
    );
    assert!(
        errs.iter()
            .any(|e| e.contains("cannot read word list \"words/missing.txt\""))
    );
    assert!(
        errs.iter()
            .any(|e| e.contains("must be a path inside the charter folder"))
    );
}

#[test]
fn syntax_errors_and_missing_charter() {
    let errs = errors("[[rule]\nid = 1");
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("rules.toml:1:"), "{}", errs[0]);
    let missing = Charter::parse(&[("rules.toml", "")]).unwrap_err();
    assert!(missing.0[0].to_string().contains("charter.toml"));
    let broken = Charter::parse(&[("charter.toml", "title = 1")]).unwrap_err();
    assert!(
        broken.0[0].to_string().starts_with("charter.toml:1:"),
        "{}",
        broken.0[0]
    );
}

#[test]
fn oversized_regex_is_refused() {
    let errs = errors(
        r#"
[[rule]]
id = "huge"
section = 1
outcome = "flag"
regex = ['\w{1000}\w{1000}\w{1000}']
"#,
    );
    assert!(errs[0].contains("too large"), "{}", errs[0]);
}

#[test]
fn regexes_run_case_insensitively_on_folded_text() {
    let c = charter(
        r#"
[[rule]]
id = "nitro"
section = 2
outcome = "delete"
regex = ['free\s+nitro']
"#,
    )
    .unwrap();
    assert_eq!(matched(&c, "FREE   Nitro!!"), ["nitro"]);
    // Cyrillic look-alikes inside a Latin word are cured before regexes run.
    let text = "frее nitro";
    let v = c.evaluate(&Message::text(text));
    assert_eq!(&text[v.matches[0].start..v.matches[0].end], text);
    assert!(matched(&c, "nitro is free").is_empty());
}

#[test]
fn scopes_limit_where_rules_apply() {
    let c = charter(
        r#"
[[rule]]
id = "scoped"
section = 1
outcome = "delete"
keywords = ["badword"]
channels = ["general", "42"]
exempt_roles = ["Moderator"]
skip_nsfw_channels = true

[[rule]]
id = "newcomers"
section = 2
outcome = "hold"
links = { allow = ["example.com"] }
only_new_members = "7d"
"#,
    )
    .unwrap();
    let general = Place {
        id: 1,
        name: "general",
    };
    let base = Message {
        content: "badword https://elsewhere.net",
        channel: general,
        member_for: Some(std::time::Duration::from_secs(3600)),
        ..Message::default()
    };
    let rules = |m: &Message<'_>| -> Vec<String> {
        c.evaluate(m)
            .rules()
            .into_iter()
            .map(|r| c.rules[r].id.clone())
            .collect()
    };
    assert_eq!(rules(&base), ["scoped", "newcomers"]);
    let by_id = Message {
        channel: Place {
            id: 42,
            name: "renamed",
        },
        ..base
    };
    assert_eq!(rules(&by_id), ["scoped", "newcomers"]);
    let other = Message {
        channel: Place {
            id: 2,
            name: "random",
        },
        ..base
    };
    assert_eq!(rules(&other), ["newcomers"]);
    let moderator = [Place {
        id: 9,
        name: "moderator",
    }];
    assert_eq!(
        rules(&Message {
            roles: &moderator,
            ..base
        }),
        ["newcomers"]
    );
    assert_eq!(
        rules(&Message {
            nsfw_channel: true,
            ..base
        }),
        ["newcomers"]
    );
    let veteran = Message {
        member_for: Some(std::time::Duration::from_secs(30 * 86400)),
        ..base
    };
    assert_eq!(rules(&veteran), ["scoped"]);
}

#[test]
fn message_triggers_fire() {
    let c = charter(
        r#"
[[rule]]
id = "invites"
section = 2
outcome = "delete"
invites = { allow = ["ours"] }

[[rule]]
id = "shouting"
section = 1
outcome = "flag"
caps = { min_ratio = 0.8, min_letters = 10 }

[[rule]]
id = "mass-mentions"
section = 2
outcome = "delete"
mentions = { max = 3 }

[[rule]]
id = "emoji"
section = 2
outcome = "flag"
emoji = { max = 3 }

[[rule]]
id = "wall"
section = 2
outcome = "flag"
length = { max_chars = 100, max_lines = 3 }

[[rule]]
id = "zalgo"
section = 2
outcome = "delete"
zalgo = { max_marks = 2 }
"#,
    )
    .unwrap();
    assert_eq!(matched(&c, "come to discord.gg/theirs"), ["invites"]);
    assert!(matched(&c, "come to discord.gg/ours").is_empty());
    assert_eq!(matched(&c, "THIS IS ABSOLUTELY UNACCEPTABLE"), ["shouting"]);
    assert_eq!(matched(&c, "<@1> <@2> <@3> <@4>"), ["mass-mentions"]);
    assert_eq!(matched(&c, "🎉🎉🎉🎉"), ["emoji"]);
    assert_eq!(matched(&c, "a\nb\nc\nd"), ["wall"]);
    assert_eq!(matched(&c, &"x".repeat(101)), ["wall"]);
    assert_eq!(matched(&c, "he\u{301}\u{302}\u{303}llo"), ["zalgo"]);
    assert!(matched(&c, "An ordinary message, nothing to see.").is_empty());
}

#[test]
fn attachments_by_extension() {
    let c = charter(
        r#"
[[rule]]
id = "executables"
section = 2
outcome = "delete"
attachments = { deny = ["exe", "scr"] }
"#,
    )
    .unwrap();
    let files = [Attachment {
        filename: "free-game.exe",
        url: "",
    }];
    let v = c.evaluate(&Message {
        attachments: &files,
        ..Message::text("try this")
    });
    assert_eq!(v.matches[0].text, "free-game.exe");
}

#[test]
fn stateful_triggers_use_message_times() {
    let c = charter(
        r#"
[[rule]]
id = "flood"
section = 2
outcome = "delete"
rate = { messages = 4, within = "5s" }

[[rule]]
id = "repeats"
section = 2
outcome = "delete"
duplicates = { count = 3, within = "1m" }
"#,
    )
    .unwrap();
    let mut tracker = c.tracker();
    let send = |tracker: &mut Tracker, text: &str, at: i64| -> Vec<String> {
        let msg = Message {
            content: text,
            author: 7,
            timestamp_ms: at,
            ..Message::default()
        };
        c.evaluate_with(&msg, tracker)
            .rules()
            .into_iter()
            .map(|r| c.rules[r].id.clone())
            .collect()
    };
    assert!(send(&mut tracker, "buy now", 0).is_empty());
    assert!(send(&mut tracker, "BUY NOW!", 20_000).is_empty());
    assert_eq!(send(&mut tracker, "buy   now", 40_000), ["repeats"]);
    for (i, at) in [100_000, 101_000, 102_000].into_iter().enumerate() {
        assert!(send(&mut tracker, &format!("message {i}"), at).is_empty());
    }
    assert_eq!(send(&mut tracker, "message 4", 103_000), ["flood"]);
    // Stateless evaluation never fires stateful triggers.
    assert!(matched(&c, "buy now").is_empty());
}

#[test]
fn examples_are_checked() {
    let c = charter(
        r#"
[[rule]]
id = "words"
section = 1
outcome = "delete"
keywords = ["idiot"]
must_match = ["you idiot", "you genius"]
must_not_match = ["idiotic? no: idiomatic", "what an idiot"]

[[rule]]
id = "flood"
section = 2
outcome = "delete"
rate = { messages = 5, within = "5s" }
must_match = ["hello"]
"#,
    )
    .unwrap();
    let failures: Vec<String> = c.check_examples().iter().map(ToString::to_string).collect();
    assert_eq!(
        failures,
        [
            "rules.toml:7:28: rule \"words\": must_match example does not match: \"you genius\"",
            "rules.toml:8:45: rule \"words\": must_not_match example matches: \"what an idiot\" (matched words)",
        ]
    );
}

#[test]
fn nothing_panics_on_hostile_text() {
    let c = charter(
        r#"
[[rule]]
id = "all"
section = 1
outcome = "delete"
keywords = ["*a*", "idiot"]
regex = ['\bx\b']
links = { deny = ["evil.example"] }
invites = {}
caps = { min_ratio = 0.5 }
zalgo = { max_marks = 1 }
"#,
    )
    .unwrap();
    for text in [
        "",
        " ",
        "\u{200B}",
        "\u{301}\u{301}",
        "ǅ",
        "ﷺ",
        "İ",
        "a\u{0}b",
        "🏳️‍🌈",
        "x\u{FEFF}",
        "𝔂𝔂",
        "ß",
        "ﬃ",
        "...---...",
        "@ @ @",
        "1 1 1 1 1",
    ] {
        let v = c.evaluate(&Message::text(text));
        for m in &v.matches {
            assert!(
                text.is_char_boundary(m.start) && text.is_char_boundary(m.end) && m.start <= m.end,
                "{text:?}"
            );
        }
    }
}

#[test]
fn a_charter_toml_that_is_not_utf8_is_located_not_called_missing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("charter.toml"),
        b"title = \"Charte\"\n# caf\xE9\n".as_slice(),
    )
    .unwrap();
    std::fs::write(dir.path().join("rules.toml"), "[[rule]]\n").unwrap();
    let errors = Charter::load(dir.path()).unwrap_err().to_string();
    assert!(
        errors.contains("charter.toml:2:6: cannot read: not UTF-8"),
        "{errors}"
    );
    assert!(!errors.contains("missing"), "{errors}");
}

#[test]
fn every_bad_field_of_a_rule_is_reported_at_once() {
    let errs = errors(
        r#"
[[rule]]
id = "many"
section = "one"
outcome = "flag"
keywords = "zut"
colour = "red"
points = -3
"#,
    );
    let joined = errs.join("\n");
    for (line, what) in [
        (4, "section"),
        (6, "keywords"),
        (7, "colour"),
        (8, "points"),
    ] {
        assert!(
            errs.iter()
                .any(|e| e.starts_with(&format!("rules.toml:{line}:"))),
            "no error for {what} at line {line} in\n{joined}"
        );
    }
}

#[test]
fn every_bad_field_of_charter_toml_is_reported_at_once() {
    let bad = "title = \"Charte\"\nlanguages = [\"fr\"]\ncolour = \"red\"\n\n[escalation]\nwindow = 30\n\n[[section]]\nnumber = \"one\"\ntitle = \"R\"\ntext = \"T\"\n";
    let rule = "[[rule]]\nid = \"r\"\nsection = 1\noutcome = \"flag\"\nkeywords = [\"zut\"]\n";
    let errs = match Charter::parse(&[("charter.toml", bad), ("rules.toml", rule)]) {
        Ok(_) => panic!("accepted"),
        Err(e) => e.0.iter().map(ToString::to_string).collect::<Vec<_>>(),
    };
    for line in [3, 6, 9] {
        assert!(
            errs.iter()
                .any(|e| e.starts_with(&format!("charter.toml:{line}:"))),
            "no error at line {line} in {errs:#?}"
        );
    }
}
