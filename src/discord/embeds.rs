//! Mod-log embeds, within Discord's limits.

use serenity::all::{Colour, CreateEmbed, CreateEmbedFooter, CreateMessage, Timestamp};

use crate::store::{Case, CaseKind};

/// Discord's limit on an embed title.
pub const EMBED_TITLE_MAX: usize = 256;
/// Discord's limit on an embed field value.
pub const EMBED_FIELD_MAX: usize = 1024;
/// Discord's limit on an embed description.
pub const EMBED_DESCRIPTION_MAX: usize = 4096;

/// `text` cut to at most `max` characters, with an ellipsis when cut.
pub fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{kept}…")
}

fn colour(kind: CaseKind) -> Colour {
    match kind {
        CaseKind::Flag | CaseKind::Note => Colour::GOLD,
        CaseKind::Hold | CaseKind::Warn => Colour::ORANGE,
        CaseKind::Delete | CaseKind::Timeout => Colour::RED,
        CaseKind::Kick | CaseKind::Ban => Colour::DARK_RED,
        CaseKind::Untimeout | CaseKind::Unban => Colour::DARK_GREEN,
    }
}

/// The mod-log entry of a case.
pub fn case_message(case: &Case, language: &str) -> CreateMessage {
    CreateMessage::new().embed(case_embed(case, language))
}

/// A case as an embed: who, what, by whom, where (with a link), why, the text, its number.
pub fn case_embed(case: &Case, language: &str) -> CreateEmbed {
    let fr = language == "fr";
    let mut embed = CreateEmbed::new()
        .title(fit(
            &format!(
                "{} #{} — {}",
                if fr { "Cas" } else { "Case" },
                case.number,
                case.kind.as_str()
            ),
            EMBED_TITLE_MAX,
        ))
        .colour(colour(case.kind))
        .field(
            if fr { "Membre" } else { "Member" },
            format!("<@{}>", case.user),
            true,
        )
        .field(
            if fr { "Par" } else { "By" },
            case.moderator
                .map_or_else(|| "Steward (auto)".to_string(), |m| format!("<@{m}>")),
            true,
        );
    if let Some(channel) = case.channel {
        let place = match case.message {
            Some(message) => format!(
                "<#{channel}> · [message](https://discord.com/channels/{}/{channel}/{message})",
                case.guild
            ),
            None => format!("<#{channel}>"),
        };
        embed = embed.field(if fr { "Salon" } else { "Channel" }, place, true);
    }
    embed = embed.field(
        if fr { "Motif" } else { "Reason" },
        fit(&case.reason, EMBED_FIELD_MAX),
        false,
    );
    if let Some(content) = &case.content {
        embed = embed.field(
            if fr { "Texte" } else { "Text" },
            fit(
                &format!("```\n{}\n```", content.replace("```", "`\u{200B}``")),
                EMBED_FIELD_MAX,
            ),
            false,
        );
    }
    if let Some(secs) = case.duration_secs {
        embed = embed.field(
            if fr { "Durée" } else { "Duration" },
            crate::charter::format_duration(std::time::Duration::from_secs(secs.max(0) as u64)),
            true,
        );
    }
    if case.points > 0 {
        embed = embed.footer(CreateEmbedFooter::new(format!(
            "{} point{}",
            case.points,
            if case.points > 1 { "s" } else { "" }
        )));
    }
    if let Ok(at) = Timestamp::from_millis(case.created_at_ms) {
        embed = embed.timestamp(at);
    }
    embed
}

/// A notice for moderators: something Steward could not do, or a charter problem.
pub fn notice_message(title: &str, body: &str) -> CreateMessage {
    CreateMessage::new().embed(
        CreateEmbed::new()
            .title(fit(title, EMBED_TITLE_MAX))
            .description(fit(body, EMBED_DESCRIPTION_MAX))
            .colour(Colour::LIGHT_GREY),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_respects_the_limit_at_the_boundary() {
        let exact = "a".repeat(EMBED_FIELD_MAX);
        assert_eq!(fit(&exact, EMBED_FIELD_MAX), exact);
        let over = "é".repeat(EMBED_FIELD_MAX + 1);
        let cut = fit(&over, EMBED_FIELD_MAX);
        assert_eq!(cut.chars().count(), EMBED_FIELD_MAX);
        assert!(cut.ends_with('…'));
    }
}
