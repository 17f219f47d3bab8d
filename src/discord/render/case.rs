//! A case as the mod log shows it: an embed with who, what, by whom, where (with a link), why,
//! the text, the duration, the points, in the server's language.

use serenity::all::{Colour, CreateEmbed, CreateEmbedFooter, CreateMessage, Timestamp};

use super::{EMBED_FIELD_MAX, EMBED_TITLE_MAX, fit};
use crate::cases::{Case, CaseKind};
use crate::i18n::Lang;
use crate::tr;

fn colour(kind: CaseKind) -> Colour {
    match kind {
        CaseKind::Flag | CaseKind::Note => Colour::GOLD,
        CaseKind::Hold | CaseKind::Warn => Colour::ORANGE,
        CaseKind::Delete | CaseKind::Timeout => Colour::RED,
        CaseKind::Kick | CaseKind::Ban => Colour::DARK_RED,
        CaseKind::Untimeout | CaseKind::Unban => Colour::DARK_GREEN,
    }
}

/// The name of a case kind in `lang`.
pub fn kind_name(kind: CaseKind, lang: Lang) -> String {
    let key = match kind {
        CaseKind::Delete => "case-kind-delete",
        CaseKind::Hold => "case-kind-hold",
        CaseKind::Flag => "case-kind-flag",
        CaseKind::Warn => "case-kind-warn",
        CaseKind::Timeout => "case-kind-timeout",
        CaseKind::Untimeout => "case-kind-untimeout",
        CaseKind::Kick => "case-kind-kick",
        CaseKind::Ban => "case-kind-ban",
        CaseKind::Unban => "case-kind-unban",
        CaseKind::Note => "case-kind-note",
    };
    tr!(lang, key)
}

/// The mod-log entry of a case.
pub fn case_message(case: &Case, lang: Lang) -> CreateMessage {
    CreateMessage::new().embed(case_embed(case, lang))
}

/// A case as an embed.
pub fn case_embed(case: &Case, lang: Lang) -> CreateEmbed {
    let title = tr!(
        lang,
        "case-title",
        number = case.number,
        kind = kind_name(case.kind, lang)
    );
    let by = match case.moderator {
        Some(m) => format!("<@{m}>"),
        None => tr!(lang, "case-by-steward"),
    };
    let mut embed = CreateEmbed::new()
        .title(fit(&title, EMBED_TITLE_MAX))
        .colour(colour(case.kind))
        .field(
            tr!(lang, "case-field-member"),
            format!("<@{}>", case.user),
            true,
        )
        .field(tr!(lang, "case-field-by"), by, true);
    if let Some(channel) = case.channel {
        let place = match case.message {
            Some(message) => format!(
                "<#{channel}> · [{}](https://discord.com/channels/{}/{channel}/{message})",
                tr!(lang, "case-message-link"),
                case.guild
            ),
            None => format!("<#{channel}>"),
        };
        embed = embed.field(tr!(lang, "case-field-channel"), place, true);
    }
    embed = embed.field(
        tr!(lang, "case-field-reason"),
        fit(&case.reason, EMBED_FIELD_MAX),
        false,
    );
    if let Some(content) = &case.content {
        embed = embed.field(
            tr!(lang, "case-field-text"),
            fit(
                &format!("```\n{}\n```", content.replace("```", "`\u{200B}``")),
                EMBED_FIELD_MAX,
            ),
            false,
        );
    }
    if let Some(secs) = case.duration_secs {
        embed = embed.field(
            tr!(lang, "case-field-duration"),
            crate::charter::format_duration(std::time::Duration::from_secs(secs.max(0) as u64)),
            true,
        );
    }
    if case.points > 0 {
        embed = embed.footer(CreateEmbedFooter::new(tr!(
            lang,
            "case-points",
            points = case.points
        )));
    }
    if let Ok(at) = Timestamp::from_millis(case.created_at_ms) {
        embed = embed.timestamp(at);
    }
    embed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_name_in_every_language() {
        for kind in CaseKind::ALL {
            for lang in [Lang::EN, Lang::FR] {
                assert!(!kind_name(kind, lang).starts_with("case-kind-"), "{kind}");
            }
        }
        assert_eq!(kind_name(CaseKind::Warn, Lang::EN), "warn");
    }
}
