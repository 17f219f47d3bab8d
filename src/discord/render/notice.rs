//! Mod-log notices: a [`Notice`] of the core ([`notice`]), or something Steward could not do
//! ([`notice_message`] with a title and a body the caller wrote).

use serenity::all::{Colour, CreateEmbed, CreateMessage};

use super::{EMBED_DESCRIPTION_MAX, EMBED_TITLE_MAX, fit};
use crate::discord::scheduler::texts;
use crate::i18n::Lang;
use crate::moderation::Notice;
use crate::tr;

/// A notice for moderators, titled `title`.
pub fn notice_message(title: &str, body: &str) -> CreateMessage {
    CreateMessage::new().embed(
        CreateEmbed::new()
            .title(fit(title, EMBED_TITLE_MAX))
            .description(fit(body, EMBED_DESCRIPTION_MAX))
            .colour(Colour::LIGHT_GREY),
    )
}

/// A core notice as posted to the mod log, in `lang`.
pub fn notice(notice: &Notice, lang: Lang) -> CreateMessage {
    match notice {
        Notice::BotJoined { bot, name } => notice_message(
            &tr!(lang, "notice-bot-joined-title"),
            &tr!(
                lang,
                "notice-bot-joined",
                bot = bot.to_string(),
                name = name.clone()
            ),
        ),
        Notice::ReportNotPosted { channel, period } => notice_message(
            &tr!(lang, "notice-report-not-posted-title"),
            &tr!(
                lang,
                "notice-report-not-posted",
                channel = format!("<#{channel}>"),
                period = period.clone()
            ),
        ),
        Notice::MassBan {
            moderator,
            banned,
            reason,
        } => notice_message(
            &tr!(lang, "notice-massban-title"),
            &tr!(
                lang,
                "notice-massban",
                moderator = format!("<@{moderator}>"),
                count = *banned,
                reason = reason.clone()
            ),
        ),
        Notice::InvitesHidden => notice_message(
            &tr!(lang, "notice-invites-hidden-title"),
            &tr!(lang, "notice-invites-hidden"),
        ),
        Notice::CharterRefused { errors } => {
            let (title, body) = charter_refused(lang, errors);
            notice_message(&title, &body)
        }
        Notice::JobGivenUp {
            job,
            attempts,
            error,
        } => notice_message(
            &tr!(lang, "notice-title"),
            &texts::given_up(lang, job.as_ref(), *attempts, error),
        ),
    }
}

/// The title and text of the notice of a refused charter, in `lang`: the located error lines
/// stay as the engine writes them.
pub fn charter_refused(lang: Lang, errors: &str) -> (String, String) {
    let intro = tr!(lang, "reload-refused-intro");
    (
        tr!(lang, "reload-refused-title"),
        format!("{intro}\n```\n{errors}\n```"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_notice_speaks_the_server_language_and_quotes_errors_as_written() {
        let errors = "rules/a.toml:3:11: rule \"x\": section 7 is not in the charter";
        let (title, body) = charter_refused(Lang::FR, errors);
        assert_eq!(title, "Charte non rechargée");
        assert!(body.starts_with("La charte précédente reste active. Erreurs :"));
        assert!(body.contains(errors), "{body}");
        let (title, _) = charter_refused(Lang::EN, errors);
        assert_eq!(title, "Charter not reloaded");
    }
}
