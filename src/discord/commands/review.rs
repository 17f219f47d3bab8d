//! `/review queue [page]`, `/review show id` and `/review stats`, for moderators; every answer
//! is private, in the invoker's language.

use serenity::all::CreateEmbed;

use super::{Context, UserError, guards, invoker_lang, private_embed};
use crate::discord::Error;
use crate::discord::render::{EMBED_DESCRIPTION_MAX, fit};
use crate::discord::review::{item_embed, now_ms};
use crate::i18n::Lang;
use crate::review::{QueueHealth, RuleFeedback};
use crate::tr;

/// Items per page of `/review queue`.
pub const QUEUE_PAGE: i64 = 10;
/// Shown for a value not known yet.
const NONE: &str = "—";

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

/// Open items, oldest first.
#[poise::command(slash_command)]
async fn queue(
    ctx: Context<'_>,
    #[description = "Page (10 items each)"]
    #[min = 1]
    page: Option<u32>,
) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
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
            let mut line = format!(
                "**#{}** {} · <@{}> · <#{}> · {} · {}",
                i.id,
                i.source.as_str(),
                i.author,
                i.channel,
                if i.rules.is_empty() {
                    NONE.to_string()
                } else {
                    format!("`{}`", i.rules.join("`, `"))
                },
                age(now - i.created_at_ms),
            );
            if i.report_count > 0 {
                line.push_str(" · ");
                line.push_str(&tr!(lang, "review-cmd-reports", count = i.report_count));
            }
            line
        })
        .collect();
    let body = if lines.is_empty() {
        tr!(lang, "review-cmd-queue-empty")
    } else {
        lines.join("\n")
    };
    let embed = CreateEmbed::new()
        .title(tr!(
            lang,
            "review-cmd-queue-title",
            total = total,
            page = page,
            pages = pages,
        ))
        .description(fit(&body, EMBED_DESCRIPTION_MAX));
    private_embed(ctx, embed).await
}

/// One item, open or decided.
#[poise::command(slash_command)]
async fn show(ctx: Context<'_>, #[description = "The item number"] id: i64) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    let item = ctx
        .data()
        .store
        .review_item(guild, id)
        .await?
        .ok_or(UserError::NoSuchItem(id))?;
    let reasons = ctx.data().store.report_reasons(item.id).await?;
    let lang = invoker_lang(ctx);
    private_embed(ctx, item_embed(&item, &reasons, lang)).await
}

/// Per rule, approved (false positives) vs removed; queue health.
#[poise::command(slash_command)]
async fn stats(ctx: Context<'_>) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    let feedback = ctx.data().store.rule_feedback(guild).await?;
    let health = ctx.data().store.queue_health(guild).await?;
    let text = render_stats(&feedback, &health, now_ms(), lang);
    let embed = CreateEmbed::new()
        .title(tr!(lang, "review-cmd-stats-title"))
        .description(fit(&text, EMBED_DESCRIPTION_MAX));
    private_embed(ctx, embed).await
}

/// The text of `/review stats`: one line per rule, then queue health.
pub fn render_stats(
    feedback: &[RuleFeedback],
    health: &QueueHealth,
    now: i64,
    lang: Lang,
) -> String {
    let mut lines: Vec<String> = feedback
        .iter()
        .map(|f| {
            let rate = f
                .approval_rate()
                .map_or_else(|| NONE.to_string(), |r| format!("{:.0}%", r * 100.0));
            tr!(
                lang,
                "review-cmd-stats-rule",
                rule = f.rule.as_str(),
                held = f.held,
                flagged = f.flagged,
                reported = f.reported,
                approved = f.approved,
                removed = f.removed,
                dismissed = f.dismissed,
                open = f.open,
                rate = rate,
            )
        })
        .collect();
    if lines.is_empty() {
        lines.push(tr!(lang, "review-cmd-stats-none"));
    }
    let oldest = health
        .oldest_open_at_ms
        .map_or_else(|| NONE.to_string(), |at| age(now - at));
    let median = health
        .median_decision_ms
        .map_or_else(|| NONE.to_string(), age);
    lines.push(String::new());
    lines.push(tr!(
        lang,
        "review-cmd-stats-health",
        open = health.open,
        oldest = oldest,
        median = median,
    ));
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
        let text = render_stats(&[f], &h, 120_000, Lang::EN);
        assert!(text.contains("`links`: 3 held"), "{text}");
        assert!(text.contains("1 approved, 3 removed"), "{text}");
        assert!(text.contains("approval 25%"), "{text}");
        assert!(text.contains("oldest waiting: 2m"), "{text}");
        assert!(text.contains("median time to decision: 1m"), "{text}");
        let text = render_stats(&[], &h, 120_000, Lang::FR);
        assert!(text.starts_with("Aucun élément."), "{text}");
        assert!(text.contains("plus ancien : 2m"), "{text}");
    }
}
