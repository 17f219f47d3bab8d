//! Every [`poise::FrameworkError`] turned into what the invoker is told, from the catalogue in
//! their interaction locale, instead of `poise::builtins::on_error`'s English: a command's
//! [`UserError`] as it reads, poise's own refusals (missing permissions, guild-only, cooldowns,
//! unreadable options...) in Steward's words, and internal errors and panics as a generic
//! sentence with an `error!` log. Errors with no one to answer are only logged.

use std::sync::Arc;

use serenity::all::{CommandInteraction, Http, Permissions};
use tracing::{error, warn};

use super::{Context, UserError, invoker_lang};
use crate::discord::{Data, Error};
use crate::i18n::Lang;
use crate::tr;

/// What to do about an error.
pub(super) enum Answer<'a> {
    /// Tell the invoker `text` privately.
    Reply { ctx: Context<'a>, text: String },
    /// Answer an interaction no command handles.
    Interaction {
        http: &'a Http,
        interaction: &'a CommandInteraction,
        text: String,
    },
    /// Nobody to tell; it has been logged.
    Logged,
}

/// Logs `error` as it deserves and says what the invoker should read.
pub(super) fn describe(error: poise::FrameworkError<'_, Arc<Data>, Error>) -> Answer<'_> {
    use poise::FrameworkError as F;
    fn reply(ctx: Context<'_>, text: impl FnOnce(Lang) -> String) -> Answer<'_> {
        Answer::Reply {
            text: text(invoker_lang(ctx)),
            ctx,
        }
    }
    match error {
        F::Command { error, ctx, .. } => Answer::Reply {
            ctx,
            text: command_error(ctx, &error),
        },
        F::CommandCheckFailed { error, ctx, .. } => match error {
            Some(error) => Answer::Reply {
                ctx,
                text: command_error(ctx, &error),
            },
            None => reply(ctx, |l| tr!(l, "error-check-failed")),
        },
        F::CommandPanic { payload, ctx, .. } => {
            error!(command = %ctx.command().qualified_name, payload = payload.as_deref().unwrap_or("?"), "command panicked");
            reply(ctx, |l| tr!(l, "error-internal"))
        }
        F::ArgumentParse {
            error, input, ctx, ..
        } => {
            warn!(command = %ctx.command().qualified_name, error = %error, "option not read");
            let lang = invoker_lang(ctx);
            let text = match input {
                Some(input) => tr!(lang, "error-argument", input = input),
                None => tr!(lang, "error-argument-missing"),
            };
            Answer::Reply { ctx, text }
        }
        F::CommandStructureMismatch {
            description, ctx, ..
        } => {
            error!(command = %ctx.command().qualified_name, description, "registered command differs from the code");
            reply(poise::Context::Application(ctx), |l| {
                tr!(l, "error-outdated")
            })
        }
        F::SubcommandRequired { ctx } => {
            let lang = invoker_lang(ctx);
            let names: Vec<&str> = ctx.command().subcommands.iter().map(|s| &*s.name).collect();
            let text = tr!(
                lang,
                "error-subcommand-required",
                subcommands = names.join(", ")
            );
            Answer::Reply { ctx, text }
        }
        F::CooldownHit {
            remaining_cooldown,
            ctx,
            ..
        } => {
            let lang = invoker_lang(ctx);
            let seconds = remaining_cooldown.as_secs().max(1);
            let text = tr!(lang, "error-cooldown", seconds = seconds);
            Answer::Reply { ctx, text }
        }
        F::MissingBotPermissions {
            missing_permissions,
            ctx,
            ..
        } => {
            let lang = invoker_lang(ctx);
            let permissions = permission_names(missing_permissions, lang);
            let text = tr!(
                lang,
                "error-bot-missing-permissions",
                permissions = permissions
            );
            Answer::Reply { ctx, text }
        }
        F::MissingUserPermissions {
            missing_permissions,
            ctx,
            ..
        } => {
            let lang = invoker_lang(ctx);
            let command = ctx.command().qualified_name.to_string();
            let text = match missing_permissions {
                Some(missing) => tr!(
                    lang,
                    "error-missing-permissions",
                    command = command,
                    permissions = permission_names(missing, lang)
                ),
                None => tr!(lang, "error-permissions-unknown", command = command),
            };
            Answer::Reply { ctx, text }
        }
        F::PermissionFetchFailed { ctx, .. } => {
            let lang = invoker_lang(ctx);
            let command = ctx.command().qualified_name.to_string();
            let text = tr!(lang, "error-permissions-unknown", command = command);
            Answer::Reply { ctx, text }
        }
        F::NotAnOwner { ctx, .. } => reply(ctx, |l| tr!(l, "error-owner-only")),
        F::GuildOnly { ctx, .. } => reply(ctx, |l| tr!(l, "error-guild-only")),
        F::DmOnly { ctx, .. } => reply(ctx, |l| tr!(l, "error-dm-only")),
        F::NsfwOnly { ctx, .. } => reply(ctx, |l| tr!(l, "error-nsfw-only")),
        F::UnknownInteraction {
            framework,
            interaction,
            ..
        } => {
            warn!(command = %interaction.data.name, "interaction for an unknown command");
            Answer::Interaction {
                http: &framework.serenity_context.http,
                interaction,
                text: tr!(Lang::from_locale(&interaction.locale), "error-outdated"),
            }
        }
        F::Setup { error, .. } => {
            error!(error = %error, "framework setup failed");
            Answer::Logged
        }
        F::EventHandler { error, event, .. } => {
            error!(event = event.snake_case_name(), error = %error, "event not handled");
            Answer::Logged
        }
        F::DynamicPrefix { error, .. } | F::NonCommandMessage { error, .. } => {
            error!(error = %error, "message handling failed");
            Answer::Logged
        }
        F::UnknownCommand { .. } => Answer::Logged,
        _ => {
            error!("unexpected framework error");
            Answer::Logged
        }
    }
}

/// A command's error: a [`UserError`] as it reads, anything else logged and answered generically.
fn command_error(ctx: Context<'_>, error: &Error) -> String {
    let lang = invoker_lang(ctx);
    match error.downcast_ref::<UserError>() {
        Some(refusal) => refusal.text(lang),
        None => {
            error!(
                command = %ctx.command().qualified_name,
                guild = ?ctx.guild_id().map(|g| g.get()),
                user = ctx.author().id.get(),
                error = %error,
                "command failed"
            );
            tr!(lang, "error-internal")
        }
    }
}

/// Permission names in `lang`: the catalogue's for the ones Steward's commands require,
/// Discord's English names for the others.
pub(super) fn permission_names(permissions: Permissions, lang: Lang) -> String {
    const NAMED: &[(Permissions, &str)] = &[
        (Permissions::ADMINISTRATOR, "permission-administrator"),
        (Permissions::MANAGE_GUILD, "permission-manage-guild"),
        (Permissions::MANAGE_MESSAGES, "permission-manage-messages"),
        (Permissions::MODERATE_MEMBERS, "permission-moderate-members"),
        (Permissions::KICK_MEMBERS, "permission-kick-members"),
        (Permissions::BAN_MEMBERS, "permission-ban-members"),
    ];
    let mut names = Vec::new();
    let mut rest = permissions;
    for (flag, key) in NAMED {
        if permissions.contains(*flag) {
            names.push(crate::i18n::text(lang, key, &[]));
            rest.remove(*flag);
        }
    }
    names.extend(rest.get_permission_names().into_iter().map(String::from));
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_names_are_translated_where_known() {
        let both = Permissions::MANAGE_GUILD | Permissions::ADD_REACTIONS;
        assert_eq!(
            permission_names(both, Lang::FR),
            "Gérer le serveur, Add Reactions"
        );
        assert_eq!(
            permission_names(Permissions::MODERATE_MEMBERS, Lang::EN),
            "Timeout Members"
        );
    }

    #[test]
    fn every_permission_key_exists() {
        for flag in Permissions::all().iter() {
            let name = permission_names(flag, Lang::FR);
            assert!(!name.starts_with("error-"), "{name}");
        }
    }
}
