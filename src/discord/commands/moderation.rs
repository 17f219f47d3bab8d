//! Manual moderation commands: `/warn`, `/timeout`, `/untimeout`, `/kick`, `/ban`, `/unban`,
//! `/note`. Each parses its options and calls [`sanction_member`], the one function that carries
//! out a moderator's decision (gather the facts, plan, perform), then answers the
//! moderator privately with the case number or the refusal.

use std::time::Duration;

use serenity::all::User;

use super::{Context, UserError, guards, invoker_lang, private};
use crate::charter::parse_duration;
use crate::discord::Error;
use crate::discord::manual::sanction_member;
use crate::discord::render::case::kind_name;
use crate::ids::UserId;
use crate::moderation::{ManualAction, SanctionRequest};
use crate::tr;

/// Runs a request from a command and answers the moderator (only they see it).
async fn answer(
    ctx: Context<'_>,
    target: &User,
    action: ManualAction,
    reason: String,
    section: Option<u32>,
    dm: Option<bool>,
) -> Result<(), Error> {
    let guild = guards::guild(ctx)?;
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
    let lang = invoker_lang(ctx);
    let reply = match sanction_member(ctx.serenity_context(), ctx.data(), request).await {
        Ok(case) => tr!(
            lang,
            "cases-cmd-recorded",
            number = case.number,
            kind = kind_name(case.kind, lang),
            user = case.user.to_string(),
        ),
        Err(refusal) => refusal.text(lang),
    };
    private(ctx, reply).await
}

/// A duration option read, or the refusal to show.
fn duration_option(text: &str) -> Result<Duration, UserError> {
    parse_duration(text).map_err(|_| UserError::InvalidDuration(text.to_string()))
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
    let action = ManualAction::Timeout(duration_option(&duration)?);
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
    let duration = duration.as_deref().map(duration_option).transpose()?;
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
