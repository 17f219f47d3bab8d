//! Every sentence Steward says, in every language it speaks: the catalogue. Texts are Fluent
//! messages in `locales/<language>/*.ftl`, embedded in the binary at build time, and read with
//! [`tr!`]: `tr!(lang, "key")` or `tr!(lang, "key", name = value, ...)`, where each `name` is a
//! Fluent variable (`{ $name }`) of the message.
//!
//! Which language: an ephemeral reply follows the member's interaction locale
//! ([`Lang::from_locale`]); public posts and DMs follow the server's language
//! ([`Lang::of`] on the guild's setting). A key missing from a language falls back to the base
//! language (English), key by key, so a new language can start partial.
//!
//! Adding a language is adding a folder `locales/<code>/` with `.ftl` files: its code (`de`,
//! `es`, `pt-BR`) is read from the folder name. The shipped languages ([`COMPLETE`]) must have
//! every key with the same variables; a test enforces it.

mod catalogue;
#[cfg(test)]
mod tests;

pub use catalogue::{Catalogue, CatalogueError, catalogue};
pub use fluent_bundle::FluentValue;

/// The languages that must have every key: the ones Steward ships.
pub const COMPLETE: &[&str] = &["en", "fr"];

/// A language of the catalogue, by its code (`en`, `fr`, the name of its `locales/` folder).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Lang(&'static str);

impl Lang {
    /// English, the base language every key falls back to.
    pub const EN: Lang = Lang("en");
    /// French.
    pub const FR: Lang = Lang("fr");

    /// The language of a code or a Discord locale (`fr`, `en-US`, `pt-BR`): the catalogue's
    /// exact match, else the language part alone, else English.
    pub fn from_locale(locale: &str) -> Lang {
        Lang::known(locale).unwrap_or(Lang::EN)
    }

    /// The catalogue's language for `code` (`fr`, `EN`, `pt-BR`, or a locale whose language part
    /// the catalogue has), or `None` when the catalogue has no such language.
    pub fn known(code: &str) -> Option<Lang> {
        let languages = catalogue().languages();
        let find = |code: &str| {
            languages
                .iter()
                .find(|l| l.eq_ignore_ascii_case(code))
                .map(|l| Lang(l))
        };
        find(code).or_else(|| code.split(['-', '_']).next().and_then(find))
    }

    /// Every language of the catalogue, in code order.
    pub fn all() -> impl Iterator<Item = Lang> {
        catalogue().languages().iter().map(|l| Lang(l))
    }

    /// The language's own name for itself (`Français`, `English`): its `language-name` key,
    /// else its code.
    pub fn endonym(self) -> String {
        catalogue()
            .lookup(self.0, "language-name", &[])
            .unwrap_or_else(|| self.0.to_string())
    }

    /// The language a guild's setting names (the same reading as [`Lang::from_locale`]).
    pub fn of(setting: &str) -> Lang {
        Lang::from_locale(setting)
    }

    /// Its code, as in `locales/` and in the charter's texts (`{ fr = "..", en = ".." }`).
    pub fn code(self) -> &'static str {
        self.0
    }

    /// Whether a Discord locale (`fr`, `en-GB`) reads this language.
    pub fn is_read_by(self, locale: &str) -> bool {
        Lang::from_locale(locale) == self
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// The text of `key` in `lang` with `args`, falling back to English per key; the key itself
/// when no language has it (a test keeps that from shipping).
pub fn text(lang: Lang, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    catalogue().format(lang.code(), key, args)
}

/// A catalogue sentence: `tr!(lang, "key")`, `tr!(lang, "key", var = value, ...)`. Values are
/// anything Fluent takes: strings, `&str`, numbers.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $key:expr $(,)?) => {
        $crate::i18n::text($lang, $key, &[])
    };
    ($lang:expr, $key:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::text(
            $lang,
            $key,
            &[$((stringify!($name), $crate::i18n::FluentValue::from($value))),+],
        )
    };
}
