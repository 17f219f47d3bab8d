//! [`UserError`]: why a command refused, in words safe to show the member who asked. Commands
//! return it like any error (`Err(UserError::ModeratorsOnly.into())`); [`super::on_error`]
//! renders it privately in the invoker's language. Anything else a command returns is internal:
//! logged, and answered with a generic sentence.

use crate::i18n::Lang;
use crate::tr;

/// A refusal a member may read, as a catalogue key and its arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserError {
    /// The command needs a server.
    GuildOnly,
    /// The invoker is not a moderator ([`crate::moderation::is_moderator`]).
    ModeratorsOnly,
    /// The invoker may not manage the server.
    AdminsOnly,
    /// No case has this number in the server.
    NoSuchCase(i64),
    /// No review item has this number in the server.
    NoSuchItem(i64),
    /// The charter has no section with this number.
    NoSuchSection(u32),
    /// A duration option that does not read as one (`10m`, `1h30m`, `7d`).
    InvalidDuration(String),
    /// A language the catalogue does not have.
    UnknownLanguage(String),
}

impl UserError {
    /// The sentence in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            UserError::GuildOnly => tr!(lang, "error-guild-only"),
            UserError::ModeratorsOnly => tr!(lang, "error-moderators-only"),
            UserError::AdminsOnly => tr!(lang, "error-admins-only"),
            UserError::NoSuchCase(number) => tr!(lang, "error-no-case", number = *number),
            UserError::NoSuchItem(id) => tr!(lang, "error-no-item", id = *id),
            UserError::NoSuchSection(number) => {
                tr!(lang, "error-no-section", number = *number)
            }
            UserError::InvalidDuration(text) => {
                tr!(lang, "error-invalid-duration", text = text.as_str())
            }
            UserError::UnknownLanguage(code) => {
                let known: Vec<String> = Lang::all()
                    .map(|l| format!("{} ({})", l.endonym(), l.code()))
                    .collect();
                tr!(
                    lang,
                    "error-unknown-language",
                    code = code.as_str(),
                    known = known.join(", ")
                )
            }
        }
    }
}

/// The English sentence, for logs.
impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::EN))
    }
}

impl std::error::Error for UserError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_read_in_the_language_asked_for() {
        assert_eq!(UserError::NoSuchCase(99).text(Lang::FR), "Aucun cas #99.");
        assert_eq!(UserError::NoSuchCase(99).text(Lang::EN), "No case #99.");
        assert_eq!(
            UserError::ModeratorsOnly.text(Lang::FR),
            "Réservé aux modérateurs."
        );
        let duration = UserError::InvalidDuration("3x".into()).text(Lang::FR);
        assert!(
            duration.starts_with("Durée invalide « 3x » :"),
            "{duration}"
        );
    }

    #[test]
    fn a_user_error_survives_the_error_box() {
        let boxed: crate::discord::Error = UserError::NoSuchItem(4).into();
        assert_eq!(
            boxed.downcast_ref::<UserError>(),
            Some(&UserError::NoSuchItem(4))
        );
        assert_eq!(boxed.to_string(), "No item #4.");
    }
}
