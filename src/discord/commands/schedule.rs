//! `/schedule list`: the server's pending jobs (what Steward will do later, when, how many
//! attempts failed and the last error), for administrators; only they see it, in the language
//! of their Discord client.

use super::{Context, guards, invoker_lang, private};
use crate::discord::Error;
use crate::discord::scheduler::texts;

/// How many jobs the list shows; the rest are counted.
pub const LIST_MAX: i64 = 20;

/// What Steward will do later in this server.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("list"),
    subcommand_required,
    default_member_permissions = "MANAGE_GUILD"
)]
pub async fn schedule(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// The server's pending jobs: what, when, failed attempts and the last error.
#[poise::command(slash_command, guild_only)]
async fn list(ctx: Context<'_>) -> Result<(), Error> {
    let (guild, _) = guards::admin(ctx).await?;
    let (jobs, total) = ctx.data().store.pending_jobs(guild, LIST_MAX).await?;
    private(ctx, texts::pending_list(invoker_lang(ctx), &jobs, total)).await
}
