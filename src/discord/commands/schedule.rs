//! `/schedule list`: the server's pending jobs (what Steward will do later, when, how many
//! attempts failed and the last error), for administrators; only they see it, in the language
//! of their Discord client.

use poise::CreateReply;

use super::{Context, guild_of};
use crate::discord::Error;
use crate::discord::embeds::fit;
use crate::discord::review::MESSAGE_CONTENT_MAX;
use crate::discord::scheduler::texts;
use crate::i18n::Lang;

/// How many jobs the list shows; the rest are counted.
pub const LIST_MAX: i64 = 20;

/// What Steward will do later in this server.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("list"),
    subcommand_required,
    required_permissions = "MANAGE_GUILD",
    default_member_permissions = "MANAGE_GUILD"
)]
pub async fn schedule(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// The server's pending jobs: what, when, failed attempts and the last error.
#[poise::command(slash_command, guild_only, required_permissions = "MANAGE_GUILD")]
async fn list(ctx: Context<'_>) -> Result<(), Error> {
    let guild = guild_of(&ctx)?;
    let lang = Lang::from_locale(ctx.locale().unwrap_or("en"));
    let (jobs, total) = ctx.data().store.pending_jobs(guild, LIST_MAX).await?;
    let text = texts::pending_list(lang, &jobs, total);
    ctx.send(
        CreateReply::default()
            .content(fit(&text, MESSAGE_CONTENT_MAX))
            .ephemeral(true),
    )
    .await?;
    Ok(())
}
