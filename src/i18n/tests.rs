//! The catalogue's guarantees: every shipped language has every key with the same variables,
//! every key the code uses exists, and formatting follows the language asked for.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_syntax::ast;

use super::{COMPLETE, Lang, catalogue};

/// Every message and attribute of a language, with the variables it uses.
fn keys_of(code: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut keys = BTreeMap::new();
    for (path, text) in catalogue().files(code) {
        let resource = fluent_syntax::parser::parse(*text)
            .unwrap_or_else(|(_, errors)| panic!("{path}: {errors:?}"));
        for entry in resource.body {
            let ast::Entry::Message(message) = entry else {
                continue;
            };
            let id = message.id.name;
            if let Some(value) = &message.value {
                let previous = keys.insert(id.to_string(), variables(value));
                assert!(previous.is_none(), "{path}: {id} defined twice");
            }
            for attribute in &message.attributes {
                keys.insert(
                    format!("{id}.{}", attribute.id.name),
                    variables(&attribute.value),
                );
            }
        }
    }
    keys
}

fn variables(pattern: &ast::Pattern<&str>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    walk_pattern(pattern, &mut found);
    found
}

fn walk_pattern(pattern: &ast::Pattern<&str>, found: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            walk_expression(expression, found);
        }
    }
}

fn walk_expression(expression: &ast::Expression<&str>, found: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            walk_inline(selector, found);
            for variant in variants {
                walk_pattern(&variant.value, found);
            }
        }
        ast::Expression::Inline(inline) => walk_inline(inline, found),
    }
}

fn walk_inline(inline: &ast::InlineExpression<&str>, found: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            found.insert(id.name.to_string());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                walk_inline(argument, found);
            }
        }
        ast::InlineExpression::Placeable { expression } => walk_expression(expression, found),
        _ => {}
    }
}

#[test]
fn shipped_languages_have_every_key_with_the_same_variables() {
    let base = keys_of("en");
    assert!(!base.is_empty());
    for code in COMPLETE {
        let keys = keys_of(code);
        for (key, vars) in &base {
            match keys.get(key) {
                None => panic!("{code}: missing key {key}"),
                Some(v) => assert_eq!(v, vars, "{code}: {key} has other variables"),
            }
        }
        for key in keys.keys() {
            assert!(base.contains_key(key), "{code}: {key} is not in English");
        }
    }
}

#[test]
fn partial_languages_only_use_known_keys_and_variables() {
    let base = keys_of("en");
    for code in catalogue().languages() {
        for (key, vars) in keys_of(code) {
            let Some(expected) = base.get(&key) else {
                panic!("{code}: {key} is not in English");
            };
            assert!(
                vars.is_subset(expected),
                "{code}: {key} uses unknown variables"
            );
        }
    }
}

/// Every `tr!(lang, "key"` under `src/` (this module aside) names a key of the base language.
#[test]
fn every_key_the_code_uses_exists() {
    let base = keys_of("en");
    let call = regex::Regex::new(r#"tr!\(\s*[^,]+,\s*"([^"]+)""#).unwrap();
    let mut used = 0;
    let mut missing = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if !path.ends_with("src/i18n") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for found in call.captures_iter(&text) {
                    used += 1;
                    if !base.contains_key(&found[1]) {
                        missing.push(format!("{}: {}", path.display(), &found[1]));
                    }
                }
            }
        }
    }
    assert!(used > 0);
    assert!(
        missing.is_empty(),
        "keys missing from locales/en: {missing:#?}"
    );
}

#[test]
fn locales_pick_the_closest_language() {
    assert_eq!(Lang::from_locale("fr"), Lang::FR);
    assert_eq!(Lang::from_locale("en-US"), Lang::EN);
    assert_eq!(Lang::from_locale("en-GB"), Lang::EN);
    assert_eq!(Lang::from_locale("FR"), Lang::FR);
    // Not in the catalogue: the base language.
    assert_eq!(Lang::from_locale("ja"), Lang::EN);
    assert_eq!(Lang::of("fr").code(), "fr");
    assert_eq!(Lang::known("ja"), None);
    assert_eq!(Lang::known("fr-CA"), Some(Lang::FR));
}

#[test]
fn every_language_names_itself() {
    assert_eq!(Lang::FR.endonym(), "Français");
    assert_eq!(Lang::EN.endonym(), "English");
    assert!(Lang::all().count() >= COMPLETE.len());
}

#[test]
fn arguments_are_placed_without_isolation_marks() {
    let text = crate::tr!(Lang::EN, "test-greeting", name = "<@42>", count = 2);
    assert_eq!(text, "Hello <@42>, 2 new messages");
    let text = crate::tr!(Lang::FR, "test-greeting", name = "<@42>", count = 1);
    assert_eq!(text, "Bonjour <@42>, 1 nouveau message");
}

#[test]
fn a_missing_key_falls_back_to_english_then_to_the_key() {
    let cat = catalogue();
    assert_eq!(cat.lookup("fr", "no-such-key", &[]), None);
    assert_eq!(cat.format("fr", "no-such-key", &[]), "no-such-key");
    // A language the catalogue lacks reads English.
    assert_eq!(
        cat.format(
            "de",
            "test-greeting",
            &[("name", "x".into()), ("count", 3.into())]
        ),
        "Hello x, 3 new messages"
    );
}

/// Where sentences for people live: everything the bot says on Discord is in `locales/`. Under
/// these folders, no code picks a language by hand (`== "fr"`, `if fr`) and no string literal
/// holds French (its accented letters) outside tests, and no embed, button or message is given
/// a literal sentence. Command-line output, logs and the charter engine's own diagnostics
/// (which cite rule files) are English by design.
#[test]
fn no_sentences_outside_the_catalogue() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let branch = regex::Regex::new(r#"==\s*"fr"|"fr"\s*==|\blet fr\b|\bif fr\b"#).unwrap();
    let literal = regex::Regex::new(r#""(?:[^"\\\n]|\\.)*""#).unwrap();
    let french = regex::Regex::new(r"[àâçéèêëîïôûùüÿœÀÂÇÉÈÊËÎÏÔÛÙÜŸŒ]").unwrap();
    // A sentence handed straight to Discord: a builder given a literal that starts with words.
    let english = regex::Regex::new(
        r#"\.(content|title|label|field|description|placeholder|footer)\(\s*"[A-Za-z]+ [A-Za-z]"#,
    )
    .unwrap();
    let mut found = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let relative = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .to_string();
            if path.is_dir() {
                // The catalogue itself; the charter engine (rule files carry their own texts);
                // the command line's replay.
                if !["i18n", "charter", "replay"].contains(&relative.as_str()) {
                    stack.push(path);
                }
                continue;
            }
            // The command line (`cli.rs`, `main.rs`) speaks English to operators.
            let command_line = ["cli.rs", "main.rs"].contains(&relative.as_str());
            if path.extension().is_none_or(|e| e != "rs")
                || relative.ends_with("tests.rs")
                || command_line
            {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Test modules compare against catalogue output: they may hold French.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for (n, line) in code.lines().enumerate() {
                let trimmed = line.trim_start();
                // Comments; attributes (a language choice's base name is its own endonym).
                if trimmed.starts_with("//") || trimmed.starts_with("#[") {
                    continue;
                }
                if english.is_match(line) {
                    found.push(format!("src/{relative}:{}: a sentence: {trimmed}", n + 1));
                }
                if branch.is_match(line) {
                    found.push(format!(
                        "src/{relative}:{}: picks a language: {trimmed}",
                        n + 1
                    ));
                }
                for lit in literal.find_iter(line) {
                    if french.is_match(lit.as_str()) {
                        found.push(format!(
                            "src/{relative}:{}: French text: {}",
                            n + 1,
                            lit.as_str()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "text outside the catalogue:\n{}",
        found.join("\n")
    );
}
