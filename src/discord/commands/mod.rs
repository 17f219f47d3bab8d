//! Slash commands and the message context menu, one file per group. Each command parses its
//! options, calls the core or the store, and renders with the catalogue; nothing else. Here:
//! the one registry ([`all`]), the one [`Context`] type, the one [`on_error`], and the helpers
//! every command answers with.
//!
//! Which language: an ephemeral answer follows the invoker's interaction locale
//! ([`invoker_lang`]: a French client reads French even in an English server); a public post or
//! a DM a command causes (the case in the mod log, the member's DM, made by `sanction_member`)
//! follows the server's language (`Lang::of(&settings.language)`). A refusal is a [`UserError`], returned
//! like any error and rendered privately by [`on_error`]; poise's own errors (missing
//! permissions, guild-only, cooldowns, unreadable options, panics...) are rendered from the
//! catalogue too.

mod acceptance;
mod cases;
mod charter;
mod error;
mod framework_error;
mod giveaway;
mod guards;
pub(super) mod localize;
mod lockdown;
mod massban;
mod moderation;
mod poll;
mod purge;
mod raid;
mod referrals;
mod report;
pub(super) mod review;
mod schedule;
mod setup;
mod stats;

use std::sync::Arc;

use poise::CreateReply;
use serenity::all::CreateEmbed;
use tracing::error;

use super::render::fit;
use super::{Data, Error};
use crate::i18n::Lang;

pub use error::UserError;
pub(super) use report::{REPORT_PREFIX, on_modal};

/// The context every command receives.
pub type Context<'a> = poise::Context<'a, Arc<Data>, Error>;
/// A command of Steward's framework.
pub type Command = poise::Command<Arc<Data>, Error>;

/// Longest message content Discord accepts.
pub const MESSAGE_MAX: usize = 2000;

/// Every command Steward registers, in the order Discord lists them.
pub fn all() -> Vec<Command> {
    vec![
        setup::setup(),
        charter::charter(),
        moderation::warn(),
        moderation::timeout(),
        moderation::untimeout(),
        moderation::kick(),
        moderation::ban(),
        moderation::unban(),
        moderation::note(),
        purge::purge(),
        massban::massban(),
        lockdown::lockdown(),
        raid::raid(),
        cases::case(),
        cases::cases(),
        cases::mycases(),
        review::review(),
        report::report_message(),
        schedule::schedule(),
        poll::poll(),
        giveaway::giveaway(),
        referrals::invite(),
        referrals::referrals(),
        stats::stats(),
    ]
}

/// Tells the invoker, privately and in their language, why a command did not run; logs what
/// they must not see.
pub async fn on_error(error: poise::FrameworkError<'_, Arc<Data>, Error>) {
    match framework_error::describe(error) {
        framework_error::Answer::Reply { ctx, text } => {
            if let Err(e) = private(ctx, text).await {
                error!(command = %ctx.command().qualified_name, error = %e, "could not report a command error");
            }
        }
        framework_error::Answer::Interaction {
            http,
            interaction,
            text,
        } => {
            let response = serenity::all::CreateInteractionResponse::Message(
                serenity::all::CreateInteractionResponseMessage::new()
                    .content(text)
                    .ephemeral(true),
            );
            if let Err(e) = interaction.create_response(http, response).await {
                error!(error = %e, "could not report an unknown command");
            }
        }
        framework_error::Answer::Logged => {}
    }
}

/// The language of the invoker's Discord client: the language of every ephemeral answer.
pub fn invoker_lang(ctx: Context<'_>) -> Lang {
    ctx.locale().map_or(Lang::EN, Lang::from_locale)
}

/// Answers the invoker privately with `text`, cut to Discord's limit.
pub async fn private(ctx: Context<'_>, text: impl AsRef<str>) -> Result<(), Error> {
    ctx.send(
        CreateReply::default()
            .content(fit(text.as_ref(), MESSAGE_MAX))
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

/// Answers the invoker privately with an embed.
pub async fn private_embed(ctx: Context<'_>, embed: CreateEmbed) -> Result<(), Error> {
    ctx.send(CreateReply::default().embed(embed).ephemeral(true))
        .await?;
    Ok(())
}
