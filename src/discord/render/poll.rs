//! A poll on Discord: its message (an embed with the question, the voter count and, when
//! results are live or the poll is closed, a text bar per option), its buttons or select menu,
//! the results text and chart, and the CSV of a public poll's votes. Every sentence from the
//! catalogue (`locales/*/poll.ftl`), in the language given. The CSV of votes is written with
//! the `csv` crate (RFC 4180 quoting), as the statistics' CSV is.

use std::time::Duration;

use serenity::all::{
    ButtonStyle, Colour, CreateActionRow, CreateButton, CreateEmbed, CreateEmbedFooter, CreatePoll,
    CreatePollAnswer, CreateSelectMenu, CreateSelectMenuKind, CreateSelectMenuOption,
};

use super::{BUTTON_LABEL_MAX, EMBED_DESCRIPTION_MAX, EMBED_TITLE_MAX, fit};
use crate::community::poll::{Tally, bar, uses_select};
use crate::community::poll_chart::{Bar, Chart};
use crate::i18n::Lang;
use crate::store::{PollRow, VoteRow};
use crate::tr;

/// Prefix of every poll component's custom id: `poll:<id>:<option>` (a button) or
/// `poll:<id>` (the select menu).
pub const POLL_PREFIX: &str = "poll:";
/// Discord's limit on a select option's label.
pub const SELECT_LABEL_MAX: usize = 100;

/// A Discord relative timestamp.
fn relative(ms: i64) -> String {
    format!("<t:{}:R>", ms.div_euclid(1000))
}

/// One line per option: bars and counts when `shown`, else the option alone.
fn option_lines(poll: &PollRow, tally: &Tally, shown: bool, lang: Lang) -> Vec<String> {
    poll.options
        .iter()
        .enumerate()
        .map(|(i, option)| {
            if shown {
                tr!(
                    lang,
                    "poll-results-line",
                    bar = format!("`{}`", bar(tally, i)),
                    option = option.as_str(),
                    votes = tally.counts.get(i).copied().unwrap_or(0),
                    percent = tally.percent(i)
                )
            } else {
                format!("• **{option}**")
            }
        })
        .collect()
}

/// The poll's embed: open (bars if live) or closed (bars always).
pub fn poll_embed(poll: &PollRow, tally: &Tally, lang: Lang) -> CreateEmbed {
    let shown = poll.live || !poll.open;
    let mut lines = option_lines(poll, tally, shown, lang);
    lines.push(String::new());
    lines.push(format!(
        "**{}**",
        tr!(lang, "poll-voters", count = tally.voters)
    ));
    let when = match poll.closed_at_ms {
        Some(at) if !poll.open => tr!(lang, "poll-closed-at", when = relative(at)),
        _ => tr!(lang, "poll-closes", when = relative(poll.closes_at_ms)),
    };
    let choice = if poll.multiple {
        tr!(lang, "poll-mode-multiple")
    } else {
        tr!(lang, "poll-mode-single")
    };
    let privacy = if poll.anonymous {
        tr!(lang, "poll-mode-anonymous")
    } else {
        tr!(lang, "poll-mode-public")
    };
    lines.push(format!("{when} · {choice} · {privacy}"));
    if !shown {
        lines.push(tr!(lang, "poll-mode-hidden"));
    }
    if let Some(role) = poll.role {
        lines.push(tr!(lang, "poll-mode-role", role = format!("<@&{role}>")));
    }
    CreateEmbed::new()
        .title(fit(&poll.question, EMBED_TITLE_MAX))
        .description(fit(&lines.join("\n"), EMBED_DESCRIPTION_MAX))
        .colour(if poll.open {
            Colour::BLURPLE
        } else {
            Colour::DARK_GREY
        })
        .footer(CreateEmbedFooter::new(tr!(
            lang,
            "poll-footer",
            id = poll.id
        )))
}

/// How members vote: a button per option, or one select menu ([`uses_select`]); nothing once
/// the poll is closed.
pub fn components(poll: &PollRow, lang: Lang) -> Vec<CreateActionRow> {
    if !poll.open {
        return Vec::new();
    }
    let id = poll.id;
    if uses_select(poll.options.len(), poll.multiple) {
        let options = poll
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| CreateSelectMenuOption::new(fit(o, SELECT_LABEL_MAX), i.to_string()))
            .collect();
        let most = if poll.multiple { poll.options.len() } else { 1 };
        let menu = CreateSelectMenu::new(
            format!("{POLL_PREFIX}{id}"),
            CreateSelectMenuKind::String { options },
        )
        .placeholder(tr!(lang, "poll-select-placeholder"))
        .min_values(1)
        .max_values(most as u8);
        return vec![CreateActionRow::SelectMenu(menu)];
    }
    let buttons = poll
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            CreateButton::new(format!("{POLL_PREFIX}{id}:{i}"))
                .label(fit(o, BUTTON_LABEL_MAX))
                .style(ButtonStyle::Primary)
        })
        .collect();
    vec![CreateActionRow::Buttons(buttons)]
}

/// A Discord native poll of `question` and `options`, open for `duration` (whole hours).
pub fn native_poll(
    question: &str,
    options: &[String],
    duration: Duration,
) -> CreatePoll<serenity::builder::create_poll::Ready> {
    let answers = options
        .iter()
        .map(|o| CreatePollAnswer::new().text(o.as_str()))
        .collect();
    CreatePoll::new()
        .question(question)
        .answers(answers)
        .duration(duration)
}

/// The results, as text: title, a bar per option, the voter count.
pub fn results_text(poll: &PollRow, tally: &Tally, lang: Lang) -> String {
    let mut lines = vec![format!(
        "**{}**",
        tr!(
            lang,
            "poll-results-title",
            id = poll.id,
            question = poll.question.as_str()
        )
    )];
    if tally.voters == 0 {
        lines.push(tr!(lang, "poll-results-nobody"));
    } else {
        lines.extend(option_lines(poll, tally, true, lang));
    }
    lines.push(tr!(lang, "poll-voters", count = tally.voters));
    lines.join("\n")
}

/// What the results chart shows.
pub fn chart(poll: &PollRow, tally: &Tally, lang: Lang) -> Chart {
    Chart {
        title: poll.question.clone(),
        subtitle: tr!(lang, "poll-voters", count = tally.voters),
        full: tally.voters,
        bars: poll
            .options
            .iter()
            .enumerate()
            .map(|(i, option)| {
                let votes = tally.counts.get(i).copied().unwrap_or(0);
                Bar {
                    label: option.clone(),
                    votes,
                    caption: tr!(
                        lang,
                        "poll-chart-caption",
                        votes = votes,
                        percent = tally.percent(i)
                    ),
                }
            })
            .collect(),
    }
}

/// The file name of a poll's chart.
pub fn chart_file(poll: i64) -> String {
    format!("poll-{poll}.png")
}

/// A public poll's votes as CSV: `user_id,choices,voted_at_ms`, the choices by their text,
/// separated by ` | `. Column names are identifiers for spreadsheets, not sentences.
pub fn votes_csv(poll: &PollRow, votes: &[VoteRow]) -> String {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut write = |record: [String; 3]| {
        // Writing into memory cannot fail.
        let _ = out.write_record(&record);
    };
    write(["user_id".into(), "choices".into(), "voted_at_ms".into()]);
    for vote in votes {
        let choices: Vec<&str> = vote
            .ballot
            .choices
            .iter()
            .filter_map(|&c| poll.options.get(c).map(String::as_str))
            .collect();
        write([
            vote.user.to_string(),
            choices.join(" | "),
            vote.voted_at_ms.to_string(),
        ]);
    }
    let bytes = out.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
#[path = "poll_tests.rs"]
mod tests;
