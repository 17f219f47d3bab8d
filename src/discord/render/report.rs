//! A report on Discord: one embed with the headline figures and their change, the busiest
//! channels, the top contributors, the members who answer others most and the top referrers (mentions, so Discord shows each reader the
//! names), the activity chart as its image and the other charts attached. Every sentence from
//! the catalogue (`locales/*/stats.ftl`) through [`crate::stats::wording`].

use serenity::all::{Colour, CreateAttachment, CreateEmbed, CreateEmbedFooter, CreateMessage};

use super::{EMBED_FIELD_MAX, EMBED_TITLE_MAX, fit};
use crate::i18n::Lang;
use crate::stats::Report;
use crate::stats::charts::Picture;
use crate::stats::wording;
use crate::tr;

/// How many entries each ranking of the embed lists.
const LISTED: usize = 5;

fn ranking(lines: Vec<String>, lang: Lang) -> String {
    if lines.is_empty() {
        tr!(lang, "stats-nothing")
    } else {
        fit(&lines.join("\n"), EMBED_FIELD_MAX)
    }
}

/// The report's embed.
pub fn report_embed(report: &Report, lang: Lang, image: Option<&str>) -> CreateEmbed {
    let title = tr!(
        lang,
        "stats-report-heading",
        title = wording::title(lang, report)
    );
    let mut embed = CreateEmbed::new()
        .title(fit(&title, EMBED_TITLE_MAX))
        .colour(Colour::BLURPLE)
        .footer(CreateEmbedFooter::new(tr!(
            lang,
            "stats-report-footer",
            timezone = report.timezone.clone()
        )));
    for figure in &report.figures {
        let value = format!(
            "**{}** ({})",
            wording::value(lang, figure.unit, figure.value),
            wording::change(lang, figure)
        );
        embed = embed.field(wording::figure_name(lang, figure), value, true);
    }
    let messages = |n: u64| tr!(lang, "stats-messages-count", count = n);
    let channels = report
        .top_channels
        .iter()
        .take(LISTED)
        .map(|(c, n)| format!("<#{c}> — {}", messages(*n)))
        .collect();
    let members = report
        .top_contributors
        .iter()
        .take(LISTED)
        .map(|(u, n)| format!("<@{u}> — {}", messages(*n)))
        .collect();
    let answerers: Vec<String> = report
        .top_answerers
        .iter()
        .take(LISTED)
        .map(|(u, n)| format!("<@{u}> — {}", tr!(lang, "stats-answers-count", count = *n)))
        .collect();
    let referrers = report
        .referrals
        .referrers
        .iter()
        .take(LISTED)
        .map(|(u, n)| {
            format!(
                "<@{u}> — {}",
                tr!(lang, "stats-referrals-count", count = *n)
            )
        })
        .collect();
    embed = embed
        .field(
            tr!(lang, "stats-top-channels"),
            ranking(channels, lang),
            false,
        )
        .field(
            tr!(lang, "stats-top-contributors"),
            ranking(members, lang),
            false,
        )
        .field(
            tr!(lang, "stats-answerers"),
            ranking(answerers, lang),
            false,
        )
        .field(
            tr!(lang, "stats-top-referrers"),
            ranking(referrers, lang),
            false,
        );
    match image {
        Some(name) => embed.image(format!("attachment://{name}")),
        None => embed,
    }
}

/// The message that posts `report` with its charts; mentions in it ping nobody.
pub fn report_message(report: &Report, charts: &[Picture], lang: Lang) -> CreateMessage {
    let embed = report_embed(report, lang, charts.first().map(|c| c.name));
    charts.iter().fold(
        CreateMessage::new()
            .embed(embed)
            .allowed_mentions(serenity::all::CreateAllowedMentions::new()),
        |message, chart| message.add_file(CreateAttachment::bytes(chart.png.clone(), chart.name)),
    )
}
