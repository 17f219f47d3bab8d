//! Case history commands: `/case show`, `/case reason` and `/cases` for moderators, `/mycases`
//! for members (their own cases, without moderators' names or notes). Cases are never deleted;
//! a changed reason is recorded as a correction.

use std::collections::BTreeMap;
use std::sync::Arc;

use poise::CreateReply;
use serenity::all::{Colour, CreateEmbed, Timestamp, User};

use super::manual::{guild_of, language, now_ms};
use super::render::{self as embeds, EMBED_DESCRIPTION_MAX, EMBED_FIELD_MAX, EMBED_TITLE_MAX, fit};
use super::{Data, Error};
use crate::cases::{Case, CaseKind};
use crate::charter::format_duration;
use crate::ids::UserId;

type Context<'a> = poise::Context<'a, Arc<Data>, Error>;

/// How many cases `/cases` and `/mycases` read at most.
const HISTORY_LIMIT: u32 = 500;
/// How many cases they list one by one.
const LISTED: usize = 15;

/// Whether the invoker moderates (Manage Messages, Moderate Members or Administrator, or a role
/// given to `/setup moderator_role`); if not, they are told so (only they see it).
async fn moderator_only(ctx: Context<'_>) -> Result<bool, Error> {
    let member = ctx.author_member().await;
    let settings = ctx.data().settings(guild_of(&ctx)?).await?;
    if super::review::is_moderator(member.as_deref(), &settings) {
        return Ok(true);
    }
    let fr = language(&ctx).await == "fr";
    reply(
        ctx,
        if fr {
            "Réservé aux modérateurs (Gérer les messages ou Exclure temporairement des membres)."
        } else {
            "For moderators only (Manage Messages or Moderate Members)."
        }
        .into(),
    )
    .await?;
    Ok(false)
}

async fn reply(ctx: Context<'_>, text: String) -> Result<(), Error> {
    ctx.send(
        CreateReply::default()
            .content(fit(&text, 2000))
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

fn date(ms: i64) -> String {
    Timestamp::from_millis(ms)
        .map_or_else(|_| "?".into(), |t| format!("<t:{}:d>", t.unix_timestamp()))
}

/// One line of a history; `with_moderator` for moderators' eyes only.
fn line(case: &Case, with_moderator: bool) -> String {
    let mut text = format!(
        "**#{}** {} · {} — {}",
        case.number,
        date(case.created_at_ms),
        case.kind,
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
    if !moderator_only(ctx).await? {
        return Ok(());
    }
    let guild = guild_of(&ctx)?;
    let fr = language(&ctx).await == "fr";
    let store = &ctx.data().store;
    let Some(case) = store.case(guild, number).await? else {
        return reply(
            ctx,
            if fr {
                format!("Aucun cas #{number}.")
            } else {
                format!("No case #{number}.")
            },
        )
        .await;
    };
    let corrections = store.case_corrections(guild, number).await?;
    let language = if fr { "fr" } else { "en" };
    let mut embed = embeds::case::case_embed(&case, crate::i18n::Lang::of(language));
    if let Some(rule) = &case.rule {
        embed = embed.field(if fr { "Règle" } else { "Rule" }, fit(rule, 200), true);
    }
    if let Some(section) = case.section {
        embed = embed.field(
            if fr { "Article" } else { "Section" },
            section.to_string(),
            true,
        );
    }
    if !corrections.is_empty() {
        let lines: Vec<String> = corrections
            .iter()
            .map(|c| {
                format!(
                    "{} <@{}> : « {} » → « {} »",
                    date(c.at_ms),
                    c.by,
                    fit(&c.old_reason, 100),
                    fit(&c.new_reason, 100)
                )
            })
            .collect();
        embed = embed.field(
            "Corrections",
            fit(&lines.join("\n"), EMBED_FIELD_MAX),
            false,
        );
    }
    ctx.send(CreateReply::default().embed(embed).ephemeral(true))
        .await?;
    Ok(())
}

/// Correct a case's reason (the old one is kept in its corrections).
#[poise::command(slash_command, rename = "reason")]
async fn case_reason(
    ctx: Context<'_>,
    #[description = "The case number"] number: i64,
    #[description = "The new reason"] text: String,
) -> Result<(), Error> {
    if !moderator_only(ctx).await? {
        return Ok(());
    }
    let guild = guild_of(&ctx)?;
    let fr = language(&ctx).await == "fr";
    let by = UserId(ctx.author().id.get());
    let updated = ctx
        .data()
        .store
        .set_case_reason(guild, number, &text, by, now_ms())
        .await?;
    let answer = match (updated, fr) {
        (Some(_), true) => format!("Motif du cas #{number} corrigé."),
        (Some(_), false) => format!("Case #{number}'s reason corrected."),
        (None, true) => format!("Aucun cas #{number}."),
        (None, false) => format!("No case #{number}."),
    };
    reply(ctx, answer).await
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
    if !moderator_only(ctx).await? {
        return Ok(());
    }
    let guild = guild_of(&ctx)?;
    let fr = language(&ctx).await == "fr";
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
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for case in &history {
        *counts.entry(case.kind.as_str()).or_default() += 1;
    }
    let counts_line = if counts.is_empty() {
        "—".to_string()
    } else {
        counts
            .iter()
            .map(|(kind, n)| format!("{kind}: {n}"))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let mut description = format!(
        "{} **{}**\n{counts_line}\n",
        if fr { "Cas :" } else { "Cases:" },
        history.len()
    );
    if let Some((points, window)) = points {
        description.push_str(&if fr {
            format!(
                "Points d'escalade actifs ({}) : **{points}**\n",
                format_duration(window)
            )
        } else {
            format!(
                "Active escalation points ({}): **{points}**\n",
                format_duration(window)
            )
        });
    }
    description.push('\n');
    let lines: Vec<String> = history.iter().take(LISTED).map(|c| line(c, true)).collect();
    description.push_str(&lines.join("\n"));
    let embed = CreateEmbed::new()
        .title(fit(
            &format!(
                "{} {}",
                if fr { "Dossier de" } else { "Record of" },
                member.name
            ),
            EMBED_TITLE_MAX,
        ))
        .description(fit(&description, EMBED_DESCRIPTION_MAX))
        .colour(Colour::BLUE);
    ctx.send(CreateReply::default().embed(embed).ephemeral(true))
        .await?;
    Ok(())
}

/// Cases a member sees about themselves: not moderators' notes, not messages merely flagged.
fn shown_to_member(case: &Case) -> bool {
    !matches!(case.kind, CaseKind::Note | CaseKind::Flag)
}

/// Your own moderation history (only you see it).
#[poise::command(slash_command, guild_only)]
pub async fn mycases(ctx: Context<'_>) -> Result<(), Error> {
    let guild = guild_of(&ctx)?;
    let fr = language(&ctx).await == "fr";
    let user = UserId(ctx.author().id.get());
    let history = ctx
        .data()
        .store
        .cases_for(guild, user, HISTORY_LIMIT)
        .await?;
    let mine: Vec<&Case> = history.iter().filter(|c| shown_to_member(c)).collect();
    if mine.is_empty() {
        return reply(
            ctx,
            if fr {
                "Vous n'avez aucun cas sur ce serveur.".into()
            } else {
                "You have no cases on this server.".into()
            },
        )
        .await;
    }
    let lines: Vec<String> = mine.iter().take(LISTED).map(|c| line(c, false)).collect();
    let embed = CreateEmbed::new()
        .title(if fr { "Vos cas" } else { "Your cases" })
        .description(fit(
            &format!(
                "{} **{}**\n\n{}",
                if fr { "Total :" } else { "Total:" },
                mine.len(),
                lines.join("\n")
            ),
            EMBED_DESCRIPTION_MAX,
        ))
        .colour(Colour::BLUE);
    ctx.send(CreateReply::default().embed(embed).ephemeral(true))
        .await?;
    Ok(())
}
