//! Case history commands: `/case show`, `/case reason` and `/cases` for moderators, `/mycases`
//! for members (their own cases, without moderators' names or notes). Cases are never deleted;
//! a changed reason is recorded as a correction. Every answer is private, in the invoker's
//! language.

use std::collections::BTreeMap;

use serenity::all::{Colour, CreateEmbed, Timestamp, User};

use super::{Context, UserError, guards, invoker_lang, private, private_embed};
use crate::cases::{Case, CaseKind};
use crate::charter::format_duration;
use crate::discord::Error;
use crate::discord::manual::now_ms;
use crate::discord::render::case::kind_name;
use crate::discord::render::{
    self as embeds, EMBED_DESCRIPTION_MAX, EMBED_FIELD_MAX, EMBED_TITLE_MAX, fit,
};
use crate::i18n::Lang;
use crate::ids::UserId;
use crate::tr;

/// How many cases `/cases` and `/mycases` read at most.
const HISTORY_LIMIT: u32 = 500;
/// How many cases they list one by one.
const LISTED: usize = 15;
/// Shown for an empty count.
const NONE: &str = "—";

fn date(ms: i64) -> String {
    Timestamp::from_millis(ms)
        .map_or_else(|_| "?".into(), |t| format!("<t:{}:d>", t.unix_timestamp()))
}

/// One line of a history; `with_moderator` for moderators' eyes only.
fn line(case: &Case, with_moderator: bool, lang: Lang) -> String {
    let mut text = format!(
        "**#{}** {} · {} — {}",
        case.number,
        date(case.created_at_ms),
        kind_name(case.kind, lang),
        fit(&case.reason, 150)
    );
    if let Some(secs) = case.duration_secs {
        text.push_str(&format!(
            " ({})",
            format_duration(std::time::Duration::from_secs(secs.max(0) as u64))
        ));
    }
    if with_moderator {
        text.push_str(&match case.moderator {
            Some(m) => format!(" · <@{m}>"),
            None => " · Steward".into(),
        });
    }
    text
}

/// Look up or correct a case.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("case_show", "case_reason"),
    subcommand_required,
    default_member_permissions = "MANAGE_MESSAGES"
)]
pub async fn case(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Show a case, with its reason's corrections.
#[poise::command(slash_command, rename = "show")]
async fn case_show(
    ctx: Context<'_>,
    #[description = "The case number"] number: i64,
) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    let store = &ctx.data().store;
    let case = store
        .case(guild, number)
        .await?
        .ok_or(UserError::NoSuchCase(number))?;
    let corrections = store.case_corrections(guild, number).await?;
    let mut embed = embeds::case::case_embed(&case, lang);
    if let Some(rule) = &case.rule {
        embed = embed.field(tr!(lang, "cases-cmd-rule"), fit(rule, 200), true);
    }
    if let Some(section) = case.section {
        embed = embed.field(tr!(lang, "cases-cmd-section"), section.to_string(), true);
    }
    if !corrections.is_empty() {
        let lines: Vec<String> = corrections
            .iter()
            .map(|c| {
                tr!(
                    lang,
                    "cases-cmd-correction",
                    date = date(c.at_ms),
                    by = c.by.to_string(),
                    old = fit(&c.old_reason, 100),
                    new = fit(&c.new_reason, 100),
                )
            })
            .collect();
        embed = embed.field(
            tr!(lang, "cases-cmd-corrections"),
            fit(&lines.join("\n"), EMBED_FIELD_MAX),
            false,
        );
    }
    private_embed(ctx, embed).await
}

/// Correct a case's reason (the old one is kept in its corrections).
#[poise::command(slash_command, rename = "reason")]
async fn case_reason(
    ctx: Context<'_>,
    #[description = "The case number"] number: i64,
    #[description = "The new reason"] text: String,
) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    let by = UserId(ctx.author().id.get());
    ctx.data()
        .store
        .set_case_reason(guild, number, &text, by, now_ms())
        .await?
        .ok_or(UserError::NoSuchCase(number))?;
    let lang = invoker_lang(ctx);
    private(
        ctx,
        tr!(lang, "cases-cmd-reason-corrected", number = number),
    )
    .await
}

/// A member's history: counts by type, active escalation points, the latest cases.
#[poise::command(
    slash_command,
    guild_only,
    default_member_permissions = "MANAGE_MESSAGES"
)]
pub async fn cases(
    ctx: Context<'_>,
    #[description = "The member"] member: User,
) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    let user = UserId(member.id.get());
    let store = &ctx.data().store;
    let history = store.cases_for(guild, user, HISTORY_LIMIT).await?;
    let charter = ctx.data().charter();
    let points = match &charter.escalation {
        Some(e) => Some((
            store
                .points_since(guild, user, now_ms() - e.window.as_millis() as i64)
                .await?,
            e.window,
        )),
        None => None,
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for case in &history {
        *counts.entry(kind_name(case.kind, lang)).or_default() += 1;
    }
    let counts_line = if counts.is_empty() {
        NONE.to_string()
    } else {
        counts
            .iter()
            .map(|(kind, n)| {
                tr!(
                    lang,
                    "cases-cmd-kind-count",
                    kind = kind.as_str(),
                    count = *n
                )
            })
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let mut description = format!(
        "{}\n{counts_line}\n",
        tr!(lang, "cases-cmd-count", count = history.len())
    );
    if let Some((points, window)) = points {
        description.push_str(&tr!(
            lang,
            "cases-cmd-points",
            window = format_duration(window),
            points = points,
        ));
        description.push('\n');
    }
    description.push('\n');
    let lines: Vec<String> = history
        .iter()
        .take(LISTED)
        .map(|c| line(c, true, lang))
        .collect();
    description.push_str(&lines.join("\n"));
    let title = tr!(lang, "cases-cmd-record-of", name = member.name.as_str());
    let embed = CreateEmbed::new()
        .title(fit(&title, EMBED_TITLE_MAX))
        .description(fit(&description, EMBED_DESCRIPTION_MAX))
        .colour(Colour::BLUE);
    private_embed(ctx, embed).await
}

/// Cases a member sees about themselves: not moderators' notes, not messages merely flagged.
fn shown_to_member(case: &Case) -> bool {
    !matches!(case.kind, CaseKind::Note | CaseKind::Flag)
}

/// Your own moderation history (only you see it).
#[poise::command(slash_command, guild_only)]
pub async fn mycases(ctx: Context<'_>) -> Result<(), Error> {
    let guild = guards::guild(ctx)?;
    let lang = invoker_lang(ctx);
    let user = UserId(ctx.author().id.get());
    let history = ctx
        .data()
        .store
        .cases_for(guild, user, HISTORY_LIMIT)
        .await?;
    let mine: Vec<&Case> = history.iter().filter(|c| shown_to_member(c)).collect();
    if mine.is_empty() {
        return private(ctx, tr!(lang, "cases-cmd-mine-none")).await;
    }
    let lines: Vec<String> = mine
        .iter()
        .take(LISTED)
        .map(|c| line(c, false, lang))
        .collect();
    let embed = CreateEmbed::new()
        .title(tr!(lang, "cases-cmd-mine-title"))
        .description(fit(
            &format!(
                "{}\n\n{}",
                tr!(lang, "cases-cmd-mine-total", count = mine.len()),
                lines.join("\n")
            ),
            EMBED_DESCRIPTION_MAX,
        ))
        .colour(Colour::BLUE);
    private_embed(ctx, embed).await
}
