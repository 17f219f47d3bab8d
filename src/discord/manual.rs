//! Manual moderation commands: `/warn`, `/timeout`, `/untimeout`, `/kick`, `/ban`, `/unban`,
//! `/note`. Each parses its options and calls [`sanction_member`] (in [`sanction`]), the one
//! function that carries out a moderator's decision; the review queue's buttons call it too.
//! Temporary bans are lifted on time by [`tempbans`], also after a restart.

mod sanction;
mod tempbans;

use std::sync::Arc;
use std::time::Duration;

use poise::CreateReply;
use serenity::all::User;

pub(crate) use sanction::{manual_facts, now_ms};
// The API of carrying out a decision, for the commands.
#[allow(unused_imports)]
pub use crate::moderation::{ManualAction, Refusal, SanctionRequest};
#[allow(unused_imports)]
pub use sanction::{MAX_BAN_PURGE_DAYS, sanction_member};
pub use tempbans::UNBAN_CHECK_EVERY;
pub(crate) use tempbans::lift_bans_on_time;

use super::{Data, Error};
use crate::charter::parse_duration;
use crate::ids::{GuildId, UserId};

type Context<'a> = poise::Context<'a, Arc<Data>, Error>;

/// Runs a request from a command and answers the moderator (only they see it).
async fn answer(
    ctx: Context<'_>,
    target: &User,
    action: ManualAction,
    reason: String,
    section: Option<u32>,
    dm: Option<bool>,
) -> Result<(), Error> {
    let guild = guild_of(&ctx)?;
    let mut request = SanctionRequest::new(
        guild,
        UserId(target.id.get()),
        UserId(ctx.author().id.get()),
        action,
        reason,
    );
    request.section = section;
    if let Some(dm) = dm {
        request.dm = dm;
    }
    let outcome = sanction_member(ctx.serenity_context(), ctx.data(), request).await;
    let reply = match outcome {
        Ok(case) => {
            let fr = language(&ctx).await == "fr";
            if fr {
                format!(
                    "Cas #{} enregistré : {} pour <@{}>.",
                    case.number, case.kind, case.user
                )
            } else {
                format!(
                    "Case #{} recorded: {} for <@{}>.",
                    case.number, case.kind, case.user
                )
            }
        }
        Err(refusal) => refusal.text(crate::i18n::Lang::of(&language(&ctx).await)),
    };
    ctx.send(CreateReply::default().content(reply).ephemeral(true))
        .await?;
    Ok(())
}

/// The guild a command runs in.
pub(super) fn guild_of(ctx: &Context<'_>) -> Result<GuildId, Error> {
    ctx.guild_id()
        .map(|g| GuildId(g.get()))
        .ok_or_else(|| "this command only works in a server".into())
}

/// The language of the guild a command runs in.
pub(super) async fn language(ctx: &Context<'_>) -> String {
    match guild_of(ctx) {
        Ok(guild) => ctx
            .data()
            .settings(guild)
            .await
            .map(|s| s.language)
            .unwrap_or_else(|_| crate::store::settings::DEFAULT_LANGUAGE.into()),
        Err(_) => crate::store::settings::DEFAULT_LANGUAGE.into(),
    }
}

/// A duration option parsed, or the refusal already sent to the moderator.
async fn duration_option(ctx: Context<'_>, text: &str) -> Result<Option<Duration>, Error> {
    match parse_duration(text) {
        Ok(d) => Ok(Some(d)),
        Err(e) => {
            let fr = language(&ctx).await == "fr";
            let reply = if fr {
                format!(
                    "Durée invalide « {text} » : écrivez un nombre et une unité (s, m, h, d, w), par exemple 10m, 1h30m ou 7d."
                )
            } else {
                e
            };
            ctx.send(CreateReply::default().content(reply).ephemeral(true))
                .await?;
            Ok(None)
        }
    }
}

/// Warn a member: a case, a private message, the mod log.
#[poise::command(
    slash_command,
    guild_only,
    required_permissions = "MODERATE_MEMBERS",
    default_member_permissions = "MODERATE_MEMBERS"
)]
pub async fn warn(
    ctx: Context<'_>,
    #[description = "The member"] member: User,
    #[description = "Why"] reason: String,
    #[description = "The charter section concerned"] section: Option<u32>,
    #[description = "Tell the member privately (default: yes)"] dm: Option<bool>,
) -> Result<(), Error> {
    answer(ctx, &member, ManualAction::Warn, reason, section, dm).await
}

/// Time a member out (at most 28 days).
#[poise::command(
    slash_command,
    guild_only,
    required_permissions = "MODERATE_MEMBERS",
    default_member_permissions = "MODERATE_MEMBERS"
)]
pub async fn timeout(
    ctx: Context<'_>,
    #[description = "The member"] member: User,
    #[description = "How long: 10m, 1h30m, 7d (28 days at most)"] duration: String,
    #[description = "Why"] reason: String,
    #[description = "The charter section concerned"] section: Option<u32>,
    #[description = "Tell the member privately (default: yes)"] dm: Option<bool>,
) -> Result<(), Error> {
    let Some(duration) = duration_option(ctx, &duration).await? else {
        return Ok(());
    };
    let action = ManualAction::Timeout(duration);
    answer(ctx, &member, action, reason, section, dm).await
}

/// Lift a member's timeout.
#[poise::command(
    slash_command,
    guild_only,
    required_permissions = "MODERATE_MEMBERS",
    default_member_permissions = "MODERATE_MEMBERS"
)]
pub async fn untimeout(
    ctx: Context<'_>,
    #[description = "The member"] member: User,
    #[description = "Why"] reason: String,
    #[description = "The charter section concerned"] section: Option<u32>,
    #[description = "Tell the member privately (default: yes)"] dm: Option<bool>,
) -> Result<(), Error> {
    answer(ctx, &member, ManualAction::Untimeout, reason, section, dm).await
}

/// Remove a member from the server.
#[poise::command(
    slash_command,
    guild_only,
    required_permissions = "KICK_MEMBERS",
    default_member_permissions = "KICK_MEMBERS"
)]
pub async fn kick(
    ctx: Context<'_>,
    #[description = "The member"] member: User,
    #[description = "Why"] reason: String,
    #[description = "The charter section concerned"] section: Option<u32>,
    #[description = "Tell the member privately (default: yes)"] dm: Option<bool>,
) -> Result<(), Error> {
    answer(ctx, &member, ManualAction::Kick, reason, section, dm).await
}

/// Ban a member, for good or for a while.
#[poise::command(
    slash_command,
    guild_only,
    required_permissions = "BAN_MEMBERS",
    default_member_permissions = "BAN_MEMBERS"
)]
#[allow(clippy::too_many_arguments)]
pub async fn ban(
    ctx: Context<'_>,
    #[description = "The member"] member: User,
    #[description = "Why"] reason: String,
    #[description = "Delete their messages of the last days (0 to 7)"]
    #[min = 0]
    #[max = 7]
    delete_messages: Option<u8>,
    #[description = "For how long (7d, 2w...); for good when empty"] duration: Option<String>,
    #[description = "The charter section concerned"] section: Option<u32>,
    #[description = "Tell the member privately (default: yes)"] dm: Option<bool>,
) -> Result<(), Error> {
    let duration = match duration {
        Some(text) => match duration_option(ctx, &text).await? {
            Some(d) => Some(d),
            None => return Ok(()),
        },
        None => None,
    };
    let action = ManualAction::Ban {
        delete_message_days: delete_messages.unwrap_or(0),
        duration,
    };
    answer(ctx, &member, action, reason, section, dm).await
}

/// Lift a ban.
#[poise::command(
    slash_command,
    guild_only,
    required_permissions = "BAN_MEMBERS",
    default_member_permissions = "BAN_MEMBERS"
)]
pub async fn unban(
    ctx: Context<'_>,
    #[description = "The banned user"] user: User,
    #[description = "Why"] reason: String,
    #[description = "The charter section concerned"] section: Option<u32>,
) -> Result<(), Error> {
    answer(
        ctx,
        &user,
        ManualAction::Unban,
        reason,
        section,
        Some(false),
    )
    .await
}

/// Add a note to a member's record (no sanction, not sent to them unless asked).
#[poise::command(
    slash_command,
    guild_only,
    required_permissions = "MODERATE_MEMBERS",
    default_member_permissions = "MODERATE_MEMBERS"
)]
pub async fn note(
    ctx: Context<'_>,
    #[description = "The member"] member: User,
    #[description = "The note"] reason: String,
    #[description = "The charter section concerned"] section: Option<u32>,
    #[description = "Tell the member privately (default: no)"] dm: Option<bool>,
) -> Result<(), Error> {
    answer(ctx, &member, ManualAction::Note, reason, section, dm).await
}
