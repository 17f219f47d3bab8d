//! How a review item looks in Discord: its embed (author, place, rules, text, attachments,
//! reports without reporters, decision) and the buttons under it while it is open.

use serenity::all::{
    ButtonStyle, Colour, CreateActionRow, CreateButton, CreateEmbed, CreateEmbedFooter, Timestamp,
};

use super::embeds::{EMBED_DESCRIPTION_MAX, EMBED_FIELD_MAX, EMBED_TITLE_MAX, fit};
use super::review::{REVIEW_PREFIX, TIMEOUT_CHOICES};
use crate::store::{ReviewItem, ReviewSource};

/// The buttons under an open item.
pub(super) fn buttons(id: i64, language: &str) -> Vec<CreateActionRow> {
    let fr = language == "fr";
    let button = |action: &str, label: &str, style| {
        CreateButton::new(format!("{REVIEW_PREFIX}{id}:{action}"))
            .label(label)
            .style(style)
    };
    let mut second = vec![button(
        "warn",
        if fr { "Avertir" } else { "Warn" },
        ButtonStyle::Primary,
    )];
    for (secs, label) in TIMEOUT_CHOICES {
        second.push(button(
            &format!("timeout:{secs}"),
            &format!("{} {label}", if fr { "Exclure" } else { "Timeout" }),
            ButtonStyle::Primary,
        ));
    }
    second.push(button(
        "ban",
        if fr { "Bannir" } else { "Ban" },
        ButtonStyle::Danger,
    ));
    vec![
        CreateActionRow::Buttons(vec![
            button(
                "approve",
                if fr { "Approuver" } else { "Approve" },
                ButtonStyle::Success,
            ),
            button(
                "remove",
                if fr { "Retirer" } else { "Remove" },
                ButtonStyle::Danger,
            ),
            button(
                "dismiss",
                if fr { "Classer" } else { "Dismiss" },
                ButtonStyle::Secondary,
            ),
        ]),
        CreateActionRow::Buttons(second),
    ]
}

/// The embed of an item: author, place, rules, text, attachments, reports, status. Reporters
/// are never named.
pub(super) fn item_embed(item: &ReviewItem, reasons: &[String], language: &str) -> CreateEmbed {
    let fr = language == "fr";
    let source = match (item.source, fr) {
        (ReviewSource::Hold, true) => "retenu",
        (ReviewSource::Hold, false) => "held",
        (ReviewSource::Flag, true) => "signalé par la charte",
        (ReviewSource::Flag, false) => "flagged",
        (ReviewSource::Report, true) => "signalé par des membres",
        (ReviewSource::Report, false) => "reported",
    };
    let mut embed = CreateEmbed::new()
        .title(fit(
            &format!(
                "{} #{} — {source}",
                if fr { "À examiner" } else { "Review" },
                item.id
            ),
            EMBED_TITLE_MAX,
        ))
        .colour(if item.is_open() {
            Colour::GOLD
        } else {
            Colour::LIGHT_GREY
        })
        .field(
            if fr { "Membre" } else { "Member" },
            format!("<@{}> ({})", item.author, fit(&item.author_name, 100)),
            true,
        )
        .field(
            if fr { "Salon" } else { "Channel" },
            format!(
                "<#{}> · [message](https://discord.com/channels/{}/{}/{})",
                item.channel, item.guild, item.channel, item.message
            ),
            true,
        );
    if !item.rules.is_empty() {
        embed = embed.field(
            if fr { "Règles" } else { "Rules" },
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
            if fr { "Fichiers" } else { "Attachments" },
            fit(&files.join("\n"), EMBED_FIELD_MAX),
            false,
        );
    }
    if item.report_count > 0 {
        let lines: Vec<String> = reasons
            .iter()
            .map(|r| format!("• {}", fit(r, 200)))
            .collect();
        embed = embed.field(
            if fr {
                format!("Signalements : {}", item.report_count)
            } else {
                format!("Reports: {}", item.report_count)
            },
            fit(
                &if lines.is_empty() {
                    "—".to_string()
                } else {
                    lines.join("\n")
                },
                EMBED_FIELD_MAX,
            ),
            false,
        );
    }
    if let (Some(by), Some(at), Some(decision)) =
        (item.decided_by, item.decided_at_ms, &item.decision)
    {
        embed = embed.field(
            if fr { "Décision" } else { "Decision" },
            format!("**{decision}** — <@{by}> <t:{}:f>", at / 1000),
            false,
        );
    }
    if let Ok(at) = Timestamp::from_millis(item.created_at_ms) {
        embed = embed.timestamp(at);
    }
    embed.footer(CreateEmbedFooter::new(format!("#{}", item.id)))
}
