//! Who may run a command: in a server only, moderators only, administrators only. Each guard
//! returns what the command needs next (the server, its settings) or a [`UserError`] that
//! [`super::on_error`] renders. Who is a moderator is decided once, in
//! [`crate::moderation::is_moderator`] (read from the interaction by `review::is_moderator`).

use serenity::all::Permissions;

use super::{Context, UserError};
use crate::discord::Error;
use crate::discord::review::is_moderator;
use crate::ids::GuildId;
use crate::store::GuildSettings;

/// The server the command runs in.
pub fn guild(ctx: Context<'_>) -> Result<GuildId, UserError> {
    ctx.guild_id()
        .map(|g| GuildId(g.get()))
        .ok_or(UserError::GuildOnly)
}

/// The server and its settings, when the invoker moderates it.
pub async fn moderator(ctx: Context<'_>) -> Result<(GuildId, GuildSettings), Error> {
    let guild = guild(ctx)?;
    let settings = ctx.data().settings(guild).await?;
    let member = ctx.author_member().await;
    if !is_moderator(member.as_deref(), &settings) {
        return Err(UserError::ModeratorsOnly.into());
    }
    Ok((guild, settings))
}

/// The server and its settings, when the invoker may manage it (Manage Server or
/// Administrator, as Discord sends them with the interaction; the owner holds every permission).
pub async fn admin(ctx: Context<'_>) -> Result<(GuildId, GuildSettings), Error> {
    let guild = guild(ctx)?;
    let member = ctx.author_member().await;
    let permissions = member
        .as_deref()
        .and_then(|m| m.permissions)
        .unwrap_or_else(Permissions::empty);
    if !permissions.intersects(Permissions::MANAGE_GUILD | Permissions::ADMINISTRATOR) {
        return Err(UserError::AdminsOnly.into());
    }
    Ok((guild, ctx.data().settings(guild).await?))
}
