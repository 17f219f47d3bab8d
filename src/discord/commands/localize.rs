//! Command localisations from the catalogue (`locales/*/commands.ftl`), filled in at
//! registration. The key of a command is `cmd-` and its path of names joined by `-`
//! (`cmd-charter-show`; the context menu's, by its function, `cmd-report_message`); its value is the command's
//! name, its `.description` attribute the description; an option has `.<option>` and
//! `.<option>-description`; a choice `.<option>-choice-<n>` (from 0). English is the base text:
//! its descriptions replace the code's, its names must equal the code's. Every other language of
//! the catalogue is sent for each Discord locale it reads ([`Lang::is_read_by`]), key by key.
//!
//! poise registers a context menu without its localisations, so [`register`] adds them.

use std::borrow::Cow;

use serenity::all::{CreateCommand, Http};

use super::Command;
use crate::i18n::{Lang, catalogue};

/// Discord's locales (<https://discord.com/developers/docs/reference#locales>).
pub const DISCORD_LOCALES: &[&str] = &[
    "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl",
    "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th",
    "zh-CN", "ja", "zh-TW", "ko",
];

/// poise's list of (locale, text) pairs.
type Pairs = Cow<'static, [(Cow<'static, str>, Cow<'static, str>)]>;

/// The catalogue key of a command whose parent has the key `parent` (`None` at the top):
/// poise fills qualified names only when the framework starts, so the path is walked here.
pub fn key_of(command: &Command, parent: Option<&str>) -> String {
    match parent {
        Some(parent) => format!("{parent}-{}", command.name),
        None => format!("cmd-{}", command.name),
    }
}

/// Fills every command's, subcommand's, option's and choice's localisations from the
/// catalogue, and its English description.
pub fn localize(commands: &mut [Command]) {
    for command in commands {
        localize_command(command, None);
    }
}

fn localize_command(command: &mut Command, parent: Option<&str>) {
    let key = key_of(command, parent);
    let lookup = |code: &str, key: &str| catalogue().lookup(code, key, &[]);
    let base = Lang::EN.code();
    // A context menu has a name only; its target is not an option Discord shows.
    let menu = command.context_menu_action.is_some();
    if !menu && let Some(description) = lookup(base, &format!("{key}.description")) {
        command.description = Some(description.into());
    }
    if !menu {
        for parameter in command.parameters.iter_mut() {
            let option = format!("{key}.{}-description", parameter.name);
            if let Some(description) = lookup(base, &option) {
                parameter.description = Some(description.into());
            }
        }
    }
    for &code in catalogue().languages() {
        if code == base {
            continue;
        }
        let lang = Lang::from_locale(code);
        for locale in DISCORD_LOCALES.iter().filter(|l| lang.is_read_by(l)) {
            let add = |list: &mut Pairs, key: &str| {
                if let Some(text) = lookup(code, key) {
                    list.to_mut().push((locale.to_string().into(), text.into()));
                }
            };
            add(&mut command.name_localizations, &key);
            if menu {
                continue;
            }
            add(
                &mut command.description_localizations,
                &format!("{key}.description"),
            );
            for parameter in command.parameters.iter_mut() {
                let option = format!("{key}.{}", parameter.name);
                add(&mut parameter.name_localizations, &option);
                add(
                    &mut parameter.description_localizations,
                    &format!("{option}-description"),
                );
                for (n, choice) in parameter.choices.to_mut().iter_mut().enumerate() {
                    add(&mut choice.localizations, &format!("{option}-choice-{n}"));
                }
            }
        }
    }
    for subcommand in &mut command.subcommands {
        localize_command(subcommand, Some(&key));
    }
}

/// What Discord is sent for `commands`: poise's slash and context-menu commands, the context
/// menus with their name localisations.
pub fn application_commands(commands: &[Command]) -> Vec<CreateCommand> {
    fn menus(command: &Command, out: &mut Vec<CreateCommand>) {
        if let Some(mut menu) = command.create_as_context_menu_command() {
            for (locale, name) in command.name_localizations.iter() {
                menu = menu.name_localized(locale.as_ref(), name.as_ref());
            }
            out.push(menu);
        }
        for subcommand in &command.subcommands {
            menus(subcommand, out);
        }
    }
    let mut out = Vec::new();
    for command in commands {
        if let Some(slash) = command.create_as_slash_command() {
            out.push(slash);
        }
        menus(command, &mut out);
    }
    out
}

/// Registers `commands` globally, localised.
pub async fn register(http: &Http, commands: &[Command]) -> Result<(), serenity::Error> {
    serenity::all::Command::set_global_commands(http, application_commands(commands)).await?;
    Ok(())
}

#[cfg(test)]
#[path = "localize_tests.rs"]
mod tests;
