//! `/charter show [section]`, `/charter test text` and `/charter reload`: the charter read, tried
//! on a text, and reloaded from its files; every answer is private, in the invoker's language.
//! (`/charter ask` and `/charter accepted` are in [`super::acceptance`].)

use serenity::all::CreateEmbed;

use super::acceptance::{charter_accepted, charter_ask};
use super::{Context, UserError, guards, invoker_lang, private, private_embed};
use crate::charter::Message;
use crate::discord::Error;
use crate::discord::reload::{self, Reloaded};
use crate::discord::render::{EMBED_DESCRIPTION_MAX, EMBED_TITLE_MAX, fit};
use crate::tr;

/// Longest excerpt of a match `/charter test` quotes.
const MATCH_EXCERPT_MAX: usize = 100;
/// Longest part of a refused charter's errors `/charter reload` quotes.
const ERRORS_MAX: usize = 1800;

/// The community charter.
#[poise::command(
    slash_command,
    subcommands("show", "test", "reload", "charter_ask", "charter_accepted"),
    subcommand_required
)]
pub async fn charter(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Read the charter, or one of its sections.
#[poise::command(slash_command)]
async fn show(
    ctx: Context<'_>,
    #[description = "A section number"] section: Option<u32>,
) -> Result<(), Error> {
    let language = invoker_lang(ctx).code();
    let charter = ctx.data().charter();
    let embed = match section {
        Some(number) => {
            let s = charter
                .section(number)
                .ok_or(UserError::NoSuchSection(number))?;
            CreateEmbed::new()
                .title(fit(
                    &format!("{number}. {}", s.title.get(language)),
                    EMBED_TITLE_MAX,
                ))
                .description(fit(s.text.get(language), EMBED_DESCRIPTION_MAX))
        }
        None => {
            let list: Vec<String> = charter
                .sections
                .iter()
                .map(|s| format!("**{}.** {}", s.number, s.title.get(language)))
                .collect();
            CreateEmbed::new()
                .title(fit(charter.title.get(language), EMBED_TITLE_MAX))
                .description(fit(&list.join("\n"), EMBED_DESCRIPTION_MAX))
        }
    };
    private_embed(ctx, embed).await
}

/// What the charter would do with a text (moderators).
#[poise::command(
    slash_command,
    required_permissions = "MANAGE_MESSAGES",
    default_member_permissions = "MANAGE_MESSAGES"
)]
async fn test(
    ctx: Context<'_>,
    #[description = "The text to try"] text: String,
) -> Result<(), Error> {
    let lang = invoker_lang(ctx);
    let charter = ctx.data().charter();
    let verdict = charter.evaluate(&Message::text(&text));
    if !verdict.is_flagged() {
        return private(ctx, tr!(lang, "charter-test-allowed")).await;
    }
    let mut lines = vec![tr!(
        lang,
        "charter-test-outcome",
        outcome = verdict.outcome.as_str(),
        sanction = verdict
            .sanction
            .map(|s| format!(" + {s}"))
            .unwrap_or_default(),
    )];
    for m in &verdict.matches {
        let rule = &charter.rules[m.rule];
        lines.push(tr!(
            lang,
            "charter-test-match",
            rule = rule.id.as_str(),
            section = rule.section,
            trigger = m.trigger.as_str(),
            text = fit(&m.text, MATCH_EXCERPT_MAX),
        ));
    }
    private(ctx, lines.join("\n")).await
}

/// Reload the charter from its files now (administrators).
#[poise::command(slash_command, default_member_permissions = "MANAGE_GUILD")]
async fn reload(ctx: Context<'_>) -> Result<(), Error> {
    guards::admin(ctx).await?;
    // A large charter takes seconds to compile; Discord wants an answer within three.
    ctx.defer_ephemeral().await?;
    let lang = invoker_lang(ctx);
    let reply = match reload::reload(ctx.data()).await {
        Reloaded::Replaced { rules } => tr!(lang, "charter-reloaded", rules = rules),
        Reloaded::Refused { errors } => format!(
            "{}\n```\n{}\n```",
            tr!(lang, "charter-refused"),
            fit(&errors, ERRORS_MAX)
        ),
    };
    private(ctx, reply).await
}
