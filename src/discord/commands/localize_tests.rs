//! Command localisations against Discord's rules: every command, subcommand, option and choice
//! has a French name (and description, but a context menu), English names equal the code's,
//! and every name and description Steward registers is one Discord accepts.

use std::borrow::Cow;

use super::*;
use crate::discord::commands::all;

/// Discord's limits on application command names and descriptions.
const NAME_MAX: usize = 32;
const DESCRIPTION_MAX: usize = 100;

fn localized() -> Vec<Command> {
    let mut commands = all();
    localize(&mut commands);
    commands
}

/// A slash command's or option's name: lowercase, `^[-_\p{L}\p{N}]{1,32}$`.
fn check_slash_name(name: &str, problems: &mut Vec<String>) {
    let pattern = regex::Regex::new(r"^[-_\p{L}\p{N}]{1,32}$").unwrap();
    if !pattern.is_match(name) || name.to_lowercase() != name {
        problems.push(format!("bad name {name:?}"));
    }
}

fn check_description(what: &str, text: &str, problems: &mut Vec<String>) {
    let n = text.chars().count();
    if n == 0 || n > DESCRIPTION_MAX {
        problems.push(format!("{what}: description of {n} characters: {text:?}"));
    }
}

fn get<'a>(pairs: &'a [(Cow<'static, str>, Cow<'static, str>)], locale: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(l, _)| l == locale)
        .map(|(_, v)| v.as_ref())
}

fn walk(command: &Command, parent: Option<&str>, problems: &mut Vec<String>) {
    let key = key_of(command, parent);
    let menu = command.context_menu_action.is_some();
    let en = catalogue().lookup("en", &key, &[]);
    let shown = command
        .context_menu_name
        .as_deref()
        .unwrap_or(&command.name);
    if en.as_deref() != Some(shown) {
        problems.push(format!(
            "{key}: English name {en:?}, the code says {shown:?}"
        ));
    }
    match get(&command.name_localizations, "fr") {
        None => problems.push(format!("{key}: no French name")),
        Some(name) if menu => {
            if name.is_empty() || name.chars().count() > NAME_MAX {
                problems.push(format!("{key}: bad menu name {name:?}"));
            }
        }
        Some(name) => check_slash_name(name, problems),
    }
    if !menu {
        check_slash_name(&command.name, problems);
        check_description(&key, command.description.as_deref().unwrap_or(""), problems);
        match get(&command.description_localizations, "fr") {
            None => problems.push(format!("{key}: no French description")),
            Some(text) => check_description(&key, text, problems),
        }
    }
    // A context menu's target is not an option Discord shows.
    let options = if menu {
        &[][..]
    } else {
        &command.parameters[..]
    };
    for parameter in options {
        let option = format!("{key}.{}", parameter.name);
        check_slash_name(&parameter.name, problems);
        check_description(
            &option,
            parameter.description.as_deref().unwrap_or(""),
            problems,
        );
        let en = catalogue().lookup("en", &option, &[]);
        if en.as_deref() != Some(parameter.name.as_ref()) {
            problems.push(format!("{option}: English name {en:?}"));
        }
        match get(&parameter.name_localizations, "fr") {
            None => problems.push(format!("{option}: no French name")),
            Some(name) => check_slash_name(name, problems),
        }
        match get(&parameter.description_localizations, "fr") {
            None => problems.push(format!("{option}: no French description")),
            Some(text) => check_description(&option, text, problems),
        }
        for (n, choice) in parameter.choices.iter().enumerate() {
            match get(&choice.localizations, "fr") {
                None => problems.push(format!("{option}-choice-{n}: no French name")),
                Some(name) if name.is_empty() || name.chars().count() > 100 => {
                    problems.push(format!("{option}-choice-{n}: bad name {name:?}"))
                }
                Some(_) => {}
            }
        }
    }
    for subcommand in &command.subcommands {
        walk(subcommand, Some(&key), problems);
    }
}

#[test]
fn every_command_option_and_choice_is_localised_within_discord_rules() {
    let mut problems = Vec::new();
    let commands = localized();
    assert!(commands.len() >= 14);
    for command in &commands {
        walk(command, None, &mut problems);
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn french_reaches_discord_in_the_registered_commands() {
    let commands = localized();
    let sent = serde_json::to_value(application_commands(&commands)).unwrap();
    let sent = sent.as_array().unwrap();
    let setup = sent.iter().find(|c| c["name"] == "setup").unwrap();
    assert_eq!(setup["name_localizations"]["fr"], "configurer");
    let language = setup["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "language")
        .unwrap();
    assert_eq!(language["name_localizations"]["fr"], "langue");
    assert_eq!(
        language["autocomplete"], true,
        "languages come from the catalogue"
    );
    let menu = sent.iter().find(|c| c["type"] == 3).unwrap();
    assert_eq!(menu["name"], "Report to moderators");
    assert_eq!(menu["name_localizations"]["fr"], "Signaler aux modérateurs");
}

#[test]
fn a_language_is_sent_for_every_discord_locale_it_reads() {
    let readers: Vec<&str> = DISCORD_LOCALES
        .iter()
        .copied()
        .filter(|l| Lang::FR.is_read_by(l))
        .collect();
    assert_eq!(readers, ["fr"]);
    let english = DISCORD_LOCALES
        .iter()
        .filter(|l| Lang::EN.is_read_by(l))
        .count();
    // English is the base text, and every locale the catalogue lacks reads it.
    assert!(english > 2);
}
