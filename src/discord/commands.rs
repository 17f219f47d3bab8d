//! Slash commands: each parses, calls the core, and renders. One registry ([`all`]), one
//! [`on_error`].

use std::sync::Arc;

use poise::CreateReply;
use serenity::all::{CreateEmbed, GuildChannel, Role};
use tracing::error;

use super::reload::{self, Reloaded};
use super::render as embeds;
use super::{Data, Error};
use crate::charter::Message;
use crate::ids::{ChannelId, GuildId, RoleId};

type Context<'a> = poise::Context<'a, Arc<Data>, Error>;

/// Every command Steward registers.
pub fn all() -> Vec<poise::Command<Arc<Data>, Error>> {
    vec![
        setup(),
        charter(),
        super::manual::warn(),
        super::manual::timeout(),
        super::manual::untimeout(),
        super::manual::kick(),
        super::manual::ban(),
        super::manual::unban(),
        super::manual::note(),
        super::cases::case(),
        super::cases::cases(),
        super::cases::mycases(),
        super::review_commands::review(),
        super::reports::report_message(),
    ]
}

/// Logs every error; lets poise tell the member what went wrong in its usual, safe words.
pub async fn on_error(error: poise::FrameworkError<'_, Arc<Data>, Error>) {
    if let poise::FrameworkError::Command { error: e, ctx, .. } = &error {
        error!(command = %ctx.command().qualified_name, error = %e, "command failed");
    }
    if let Err(e) = poise::builtins::on_error(error).await {
        error!(error = %e, "could not report a command error");
    }
}

fn guild_of(ctx: &Context<'_>) -> Result<GuildId, Error> {
    ctx.guild_id()
        .map(|g| GuildId(g.get()))
        .ok_or_else(|| "this command only works in a server".into())
}

/// The guild's language.
async fn language(ctx: &Context<'_>) -> String {
    match guild_of(ctx) {
        Ok(guild) => ctx
            .data()
            .settings(guild)
            .await
            .map(|s| s.language)
            .unwrap_or_else(|_| "fr".into()),
        Err(_) => "fr".into(),
    }
}

/// The languages a guild can choose.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum Language {
    #[name = "Français"]
    Fr,
    #[name = "English"]
    En,
}

/// Configure Steward for this server: channels, moderator role, language.
#[poise::command(
    slash_command,
    guild_only,
    required_permissions = "MANAGE_GUILD",
    default_member_permissions = "MANAGE_GUILD"
)]
async fn setup(
    ctx: Context<'_>,
    #[description = "Where cases and notices are posted"] mod_log: Option<GuildChannel>,
    #[description = "Where messages wait for review"] review: Option<GuildChannel>,
    #[description = "Where newcomers are greeted"] welcome: Option<GuildChannel>,
    #[description = "Where the weekly report goes"] stats: Option<GuildChannel>,
    #[description = "A role whose members moderate (added to the list)"] moderator_role: Option<
        Role,
    >,
    #[description = "The language of the bot's messages"] language: Option<Language>,
) -> Result<(), Error> {
    let guild = guild_of(&ctx)?;
    let mut settings = ctx.data().settings(guild).await?;
    let channel = |c: Option<GuildChannel>| c.map(|c| ChannelId(c.id.get()));
    settings.mod_log_channel = channel(mod_log).or(settings.mod_log_channel);
    settings.review_channel = channel(review).or(settings.review_channel);
    settings.welcome_channel = channel(welcome).or(settings.welcome_channel);
    settings.stats_channel = channel(stats).or(settings.stats_channel);
    if let Some(role) = moderator_role {
        let role = RoleId(role.id.get());
        if !settings.moderator_roles.contains(&role) {
            settings.moderator_roles.push(role);
        }
    }
    if let Some(language) = language {
        settings.language = match language {
            Language::Fr => "fr".into(),
            Language::En => "en".into(),
        };
    }
    ctx.data().save_settings(settings.clone()).await?;
    let show = |c: Option<ChannelId>| c.map_or_else(|| "—".to_string(), |c| format!("<#{c}>"));
    let roles: Vec<String> = settings
        .moderator_roles
        .iter()
        .map(|r| format!("<@&{r}>"))
        .collect();
    let fr = settings.language == "fr";
    let summary = format!(
        "{}\nmod-log: {}\nreview: {}\nwelcome: {}\nstats: {}\n{}: {}\n{}: {}",
        if fr {
            "Configuration enregistrée."
        } else {
            "Settings saved."
        },
        show(settings.mod_log_channel),
        show(settings.review_channel),
        show(settings.welcome_channel),
        show(settings.stats_channel),
        if fr {
            "rôles modérateurs"
        } else {
            "moderator roles"
        },
        if roles.is_empty() {
            "—".into()
        } else {
            roles.join(", ")
        },
        if fr { "langue" } else { "language" },
        settings.language
    );
    ctx.send(CreateReply::default().content(summary).ephemeral(true))
        .await?;
    Ok(())
}

/// The community charter.
#[poise::command(
    slash_command,
    subcommands("show", "test", "reload"),
    subcommand_required
)]
async fn charter(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Read the charter, or one of its sections.
#[poise::command(slash_command)]
async fn show(
    ctx: Context<'_>,
    #[description = "A section number"] section: Option<u32>,
) -> Result<(), Error> {
    let language = language(&ctx).await;
    let charter = ctx.data().charter();
    let embed = match section {
        Some(number) => match charter.section(number) {
            Some(s) => CreateEmbed::new()
                .title(embeds::fit(
                    &format!("{number}. {}", s.title.get(&language)),
                    embeds::EMBED_TITLE_MAX,
                ))
                .description(embeds::fit(
                    s.text.get(&language),
                    embeds::EMBED_DESCRIPTION_MAX,
                )),
            None => {
                let message = if language == "fr" {
                    format!("La charte n'a pas d'article {number}.")
                } else {
                    format!("The charter has no section {number}.")
                };
                ctx.send(CreateReply::default().content(message).ephemeral(true))
                    .await?;
                return Ok(());
            }
        },
        None => {
            let list: Vec<String> = charter
                .sections
                .iter()
                .map(|s| format!("**{}.** {}", s.number, s.title.get(&language)))
                .collect();
            CreateEmbed::new()
                .title(embeds::fit(
                    charter.title.get(&language),
                    embeds::EMBED_TITLE_MAX,
                ))
                .description(embeds::fit(&list.join("\n"), embeds::EMBED_DESCRIPTION_MAX))
        }
    };
    ctx.send(CreateReply::default().embed(embed).ephemeral(true))
        .await?;
    Ok(())
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
    let language = language(&ctx).await;
    let fr = language == "fr";
    let charter = ctx.data().charter();
    let verdict = charter.evaluate(&Message::text(&text));
    let reply = if !verdict.is_flagged() {
        if fr {
            "Autorisé : aucune règle ne s'applique."
        } else {
            "Allowed: no rule matches."
        }
        .to_string()
    } else {
        let lines: Vec<String> = verdict
            .matches
            .iter()
            .map(|m| {
                let rule = &charter.rules[m.rule];
                format!(
                    "• `{}` ({} {}) — {} « {} »",
                    rule.id,
                    if fr { "article" } else { "section" },
                    rule.section,
                    m.trigger.as_str(),
                    embeds::fit(&m.text, 100)
                )
            })
            .collect();
        format!(
            "{} **{}**{}\n{}",
            if fr { "Résultat :" } else { "Outcome:" },
            verdict.outcome.as_str(),
            verdict
                .sanction
                .map(|s| format!(" + {s}"))
                .unwrap_or_default(),
            lines.join("\n")
        )
    };
    ctx.send(
        CreateReply::default()
            .content(embeds::fit(&reply, 2000))
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

/// Reload the charter from its files now (administrators).
#[poise::command(
    slash_command,
    required_permissions = "MANAGE_GUILD",
    default_member_permissions = "MANAGE_GUILD"
)]
async fn reload(ctx: Context<'_>) -> Result<(), Error> {
    let fr = language(&ctx).await == "fr";
    let reply = match reload::reload(ctx.data()) {
        Reloaded::Replaced { rules } => {
            if fr {
                format!("Charte rechargée : {rules} règles actives.")
            } else {
                format!("Charter reloaded: {rules} rules active.")
            }
        }
        Reloaded::Refused { errors } => format!(
            "{}\n```\n{}\n```",
            if fr {
                "Charte refusée, la précédente reste active :"
            } else {
                "Charter refused, the previous one stays active:"
            },
            embeds::fit(&errors, 1800)
        ),
    };
    ctx.send(CreateReply::default().content(reply).ephemeral(true))
        .await?;
    Ok(())
}
