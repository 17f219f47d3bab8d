//! `/review queue [page]`, `/review show id` and `/review stats`, for moderators; all answers are
//! ephemeral.

use std::sync::Arc;

use poise::CreateReply;
use serenity::all::CreateEmbed;

use super::render::{EMBED_DESCRIPTION_MAX, fit};
use super::review::{is_moderator, item_embed, now_ms};
use super::{Data, Error};
use crate::ids;
use crate::review::{QueueHealth, RuleFeedback};

type Context<'a> = poise::Context<'a, Arc<Data>, Error>;

/// Items per page of `/review queue`.
pub const QUEUE_PAGE: i64 = 10;

/// The moderators' review queue.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("queue", "show", "stats"),
    subcommand_required,
    default_member_permissions = "MANAGE_MESSAGES"
)]
pub async fn review(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// The guild and whether the author is French-speaking, or `None` after refusing a non-moderator.
async fn moderator_guild(ctx: &Context<'_>) -> Result<Option<(ids::GuildId, bool)>, Error> {
    let guild = ctx
        .guild_id()
        .map(|g| ids::GuildId(g.get()))
        .ok_or("this command only works in a server")?;
    let settings = ctx.data().settings(guild).await?;
    let fr = settings.language == "fr";
    let member = ctx.author_member().await;
    if !is_moderator(member.as_deref(), &settings) {
        let text = if fr {
            "Réservé aux modérateurs."
        } else {
            "For moderators only."
        };
        ctx.send(CreateReply::default().content(text).ephemeral(true))
            .await?;
        return Ok(None);
    }
    Ok(Some((guild, fr)))
}

/// Open items, oldest first.
#[poise::command(slash_command)]
async fn queue(
    ctx: Context<'_>,
    #[description = "Page (10 items each)"]
    #[min = 1]
    page: Option<u32>,
) -> Result<(), Error> {
    let Some((guild, fr)) = moderator_guild(&ctx).await? else {
        return Ok(());
    };
    let page = i64::from(page.unwrap_or(1).max(1));
    let (items, total) = ctx
        .data()
        .store
        .open_review_items(guild, (page - 1) * QUEUE_PAGE, QUEUE_PAGE)
        .await?;
    let pages = ((total + QUEUE_PAGE - 1) / QUEUE_PAGE).max(1);
    let now = now_ms();
    let lines: Vec<String> = items
        .iter()
        .map(|i| {
            format!(
                "**#{}** {} · <@{}> · <#{}> · {} · {}{}",
                i.id,
                i.source.as_str(),
                i.author,
                i.channel,
                if i.rules.is_empty() {
                    "—".to_string()
                } else {
                    format!("`{}`", i.rules.join("`, `"))
                },
                age(now - i.created_at_ms),
                if i.report_count > 0 {
                    format!(" · {} report(s)", i.report_count)
                } else {
                    String::new()
                }
            )
        })
        .collect();
    let body = if lines.is_empty() {
        if fr {
            "File vide."
        } else {
            "The queue is empty."
        }
        .to_string()
    } else {
        lines.join("\n")
    };
    let embed = CreateEmbed::new()
        .title(format!(
            "{} — {total} · page {page}/{pages}",
            if fr { "File d'examen" } else { "Review queue" }
        ))
        .description(fit(&body, EMBED_DESCRIPTION_MAX));
    ctx.send(CreateReply::default().embed(embed).ephemeral(true))
        .await?;
    Ok(())
}

/// One item, open or decided.
#[poise::command(slash_command)]
async fn show(ctx: Context<'_>, #[description = "The item number"] id: i64) -> Result<(), Error> {
    let Some((guild, fr)) = moderator_guild(&ctx).await? else {
        return Ok(());
    };
    let Some(item) = ctx.data().store.review_item(guild, id).await? else {
        let text = if fr {
            format!("Pas d'élément #{id}.")
        } else {
            format!("No item #{id}.")
        };
        ctx.send(CreateReply::default().content(text).ephemeral(true))
            .await?;
        return Ok(());
    };
    let reasons = ctx.data().store.report_reasons(item.id).await?;
    let language = if fr { "fr" } else { "en" };
    ctx.send(
        CreateReply::default()
            .embed(item_embed(&item, &reasons, crate::i18n::Lang::of(language)))
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

/// Per rule, approved (false positives) vs removed; queue health.
#[poise::command(slash_command)]
async fn stats(ctx: Context<'_>) -> Result<(), Error> {
    let Some((guild, fr)) = moderator_guild(&ctx).await? else {
        return Ok(());
    };
    let feedback = ctx.data().store.rule_feedback(guild).await?;
    let health = ctx.data().store.queue_health(guild).await?;
    let text = render_stats(&feedback, &health, now_ms(), fr);
    ctx.send(
        CreateReply::default()
            .embed(
                CreateEmbed::new()
                    .title(if fr {
                        "Examen : statistiques"
                    } else {
                        "Review statistics"
                    })
                    .description(fit(&text, EMBED_DESCRIPTION_MAX)),
            )
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

/// The text of `/review stats`: one line per rule, then queue health.
pub fn render_stats(feedback: &[RuleFeedback], health: &QueueHealth, now: i64, fr: bool) -> String {
    let mut lines: Vec<String> = feedback
        .iter()
        .map(|f| {
            let rate = f
                .approval_rate()
                .map_or_else(|| "—".to_string(), |r| format!("{:.0}%", r * 100.0));
            if fr {
                format!(
                    "`{}` : {} retenus, {} signalés, {} par des membres — {} approuvés, {} retirés, {} classés, {} en attente (approbation {rate})",
                    f.rule, f.held, f.flagged, f.reported, f.approved, f.removed, f.dismissed, f.open
                )
            } else {
                format!(
                    "`{}`: {} held, {} flagged, {} reported — {} approved, {} removed, {} dismissed, {} open (approval {rate})",
                    f.rule, f.held, f.flagged, f.reported, f.approved, f.removed, f.dismissed, f.open
                )
            }
        })
        .collect();
    if lines.is_empty() {
        lines.push(
            if fr {
                "Aucun élément."
            } else {
                "No items yet."
            }
            .to_string(),
        );
    }
    let oldest = health
        .oldest_open_at_ms
        .map_or_else(|| "—".to_string(), |at| age(now - at));
    let median = health
        .median_decision_ms
        .map_or_else(|| "—".to_string(), age);
    lines.push(String::new());
    lines.push(if fr {
        format!(
            "En attente : {} · plus ancien : {oldest} · délai médian de décision : {median}",
            health.open
        )
    } else {
        format!(
            "Open: {} · oldest waiting: {oldest} · median time to decision: {median}",
            health.open
        )
    });
    lines.join("\n")
}

/// A duration in milliseconds, short: `45s`, `12m`, `3h 5m`, `2d 4h`.
pub fn age(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h {}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d {}h", s / 86_400, s % 86_400 / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_at_unit_boundaries() {
        assert_eq!(age(59_999), "59s");
        assert_eq!(age(60_000), "1m");
        assert_eq!(age(3_600_000), "1h 0m");
        assert_eq!(age(86_400_000 + 3_600_000), "1d 1h");
        assert_eq!(age(-5), "0s");
    }

    #[test]
    fn stats_show_rates_and_health() {
        let f = RuleFeedback {
            rule: "links".into(),
            held: 3,
            approved: 1,
            removed: 3,
            ..RuleFeedback::default()
        };
        let h = QueueHealth {
            open: 1,
            oldest_open_at_ms: Some(0),
            median_decision_ms: Some(90_000),
        };
        let text = render_stats(&[f], &h, 120_000, false);
        assert!(text.contains("`links`: 3 held"), "{text}");
        assert!(text.contains("1 approved, 3 removed"), "{text}");
        assert!(text.contains("approval 25%"), "{text}");
        assert!(text.contains("oldest waiting: 2m"), "{text}");
        assert!(text.contains("median time to decision: 1m"), "{text}");
    }
}
