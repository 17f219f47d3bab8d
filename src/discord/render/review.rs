//! How a review item looks in Discord: its embed (author, place, rules, text, attachments,
//! reports without reporters, decision) and the buttons under it while it is open, in the
//! server's language.

use serenity::all::{
    ButtonStyle, Colour, CreateActionRow, CreateButton, CreateEmbed, CreateEmbedFooter, Timestamp,
};

use super::{BUTTON_LABEL_MAX, EMBED_DESCRIPTION_MAX, EMBED_FIELD_MAX, EMBED_TITLE_MAX, fit};
use crate::discord::review::{REVIEW_PREFIX, TIMEOUT_CHOICES};
use crate::i18n::Lang;
use crate::review::{Decision, ReviewItem, ReviewSource};
use crate::tr;

/// The name of a decision in `lang` (the embed, "already decided").
pub fn decision_name(decision: Decision, lang: Lang) -> String {
    let key = match decision {
        Decision::Approve => "review-decision-approve",
        Decision::Remove => "review-decision-remove",
        Decision::Warn => "review-decision-warn",
        Decision::Timeout => "review-decision-timeout",
        Decision::Ban => "review-decision-ban",
        Decision::Dismiss => "review-decision-dismiss",
    };
    tr!(lang, key)
}

/// Why an item is in the queue, in `lang` (the embed's title).
pub fn source_name(source: ReviewSource, lang: Lang) -> String {
    let key = match source {
        ReviewSource::Hold => "review-source-hold",
        ReviewSource::Flag => "review-source-flag",
        ReviewSource::Report => "review-source-report",
    };
    tr!(lang, key)
}

/// The buttons under an open item.
pub fn buttons(id: i64, lang: Lang) -> Vec<CreateActionRow> {
    let button = |action: &str, label: String, style| {
        CreateButton::new(format!("{REVIEW_PREFIX}{id}:{action}"))
            .label(fit(&label, BUTTON_LABEL_MAX))
            .style(style)
    };
    let mut second = vec![button(
        "warn",
        tr!(lang, "review-button-warn"),
        ButtonStyle::Primary,
    )];
    for (secs, length) in TIMEOUT_CHOICES {
        second.push(button(
            &format!("timeout:{secs}"),
            tr!(lang, "review-button-timeout", length = length),
            ButtonStyle::Primary,
        ));
    }
    second.push(button(
        "ban",
        tr!(lang, "review-button-ban"),
        ButtonStyle::Danger,
    ));
    vec![
        CreateActionRow::Buttons(vec![
            button(
                "approve",
                tr!(lang, "review-button-approve"),
                ButtonStyle::Success,
            ),
            button(
                "remove",
                tr!(lang, "review-button-remove"),
                ButtonStyle::Danger,
            ),
            button(
                "dismiss",
                tr!(lang, "review-button-dismiss"),
                ButtonStyle::Secondary,
            ),
        ]),
        CreateActionRow::Buttons(second),
    ]
}

/// The embed of an item: author, place, rules, text, attachments, reports, status. Reporters
/// are never named.
pub fn item_embed(item: &ReviewItem, reasons: &[String], lang: Lang) -> CreateEmbed {
    let title = tr!(
        lang,
        "review-title",
        id = item.id,
        source = source_name(item.source, lang)
    );
    let mut embed = CreateEmbed::new()
        .title(fit(&title, EMBED_TITLE_MAX))
        .colour(if item.is_open() {
            Colour::GOLD
        } else {
            Colour::LIGHT_GREY
        })
        .field(
            tr!(lang, "review-field-member"),
            format!("<@{}> ({})", item.author, fit(&item.author_name, 100)),
            true,
        )
        .field(
            tr!(lang, "review-field-channel"),
            format!(
                "<#{}> · [{}](https://discord.com/channels/{}/{}/{})",
                item.channel,
                tr!(lang, "review-message-link"),
                item.guild,
                item.channel,
                item.message
            ),
            true,
        );
    if !item.rules.is_empty() {
        embed = embed.field(
            tr!(lang, "review-field-rules"),
            fit(
                &format!("`{}` — « {} »", item.rules.join("`, `"), item.matched),
                EMBED_FIELD_MAX,
            ),
            false,
        );
    }
    if !item.content.is_empty() {
        embed = embed.description(fit(
            &format!("```\n{}\n```", item.content.replace("```", "`\u{200B}``")),
            EMBED_DESCRIPTION_MAX,
        ));
    }
    if !item.attachments.is_empty() {
        let files: Vec<String> = item
            .attachments
            .iter()
            .map(|(name, url)| format!("[{name}]({url})"))
            .collect();
        embed = embed.field(
            tr!(lang, "review-field-attachments"),
            fit(&files.join("\n"), EMBED_FIELD_MAX),
            false,
        );
    }
    if item.report_count > 0 {
        let lines: Vec<String> = reasons
            .iter()
            .map(|r| format!("• {}", fit(r, 200)))
            .collect();
        let body = if lines.is_empty() {
            "—".to_string()
        } else {
            lines.join("\n")
        };
        embed = embed.field(
            tr!(lang, "review-field-reports", count = item.report_count),
            fit(&body, EMBED_FIELD_MAX),
            false,
        );
    }
    if let (Some(by), Some(at), Some(decision)) =
        (item.decided_by, item.decided_at_ms, item.decision)
    {
        embed = embed.field(
            tr!(lang, "review-field-decision"),
            format!(
                "**{}** — <@{by}> <t:{}:f>",
                decision_name(decision, lang),
                at / 1000
            ),
            false,
        );
    }
    if let Ok(at) = Timestamp::from_millis(item.created_at_ms) {
        embed = embed.timestamp(at);
    }
    embed.footer(CreateEmbedFooter::new(format!("#{}", item.id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_and_sources_have_a_name_in_every_language() {
        for lang in [Lang::EN, Lang::FR] {
            for decision in Decision::ALL {
                assert!(!decision_name(decision, lang).starts_with("review-"));
            }
            for source in [ReviewSource::Hold, ReviewSource::Flag, ReviewSource::Report] {
                assert!(!source_name(source, lang).starts_with("review-"));
            }
        }
        assert_eq!(decision_name(Decision::Approve, Lang::EN), "approve");
        assert_eq!(source_name(ReviewSource::Hold, Lang::FR), "retenu");
    }
}
