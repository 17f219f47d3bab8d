//! `/purge count [member] [contains]`: removes up to `count` recent messages of this channel (a
//! member's, or those containing a text, or any), within Discord's 14-day limit, in bulk
//! deletions of 100; each member whose messages went gets a case. The request and Steward's
//! permission are checked before anything is read; the answer is private, in the moderator's
//! language. The choice is [`crate::moderation::purge`].

use serenity::all::{GetMessages, MessageId as SMessageId, User};

use super::{Context, guards, invoker_lang, private};
use crate::discord::Error;
use crate::discord::convert::millis;
use crate::discord::executor::Executor;
use crate::discord::review::now_ms;
use crate::facts::Permission;
use crate::i18n::Lang;
use crate::ids::{ChannelId, MessageId, UserId};
use crate::moderation::purge::{self, PurgeRequest, SeenMessage};
use crate::tr;

/// Messages per page of history (Discord's most).
const PAGE: u8 = 100;

/// Remove recent messages of this channel: a member's, those containing a text, or any.
#[poise::command(
    slash_command,
    guild_only,
    required_permissions = "MANAGE_MESSAGES",
    default_member_permissions = "MANAGE_MESSAGES"
)]
pub async fn purge(
    ctx: Context<'_>,
    #[description = "How many messages to remove (1 to 1000)"] count: u32,
    #[description = "Only this member's messages"] member: Option<User>,
    #[description = "Only messages containing this text"] contains: Option<String>,
) -> Result<(), Error> {
    let (guild, settings) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    let channel = ChannelId(ctx.channel_id().get());
    let request = PurgeRequest {
        guild,
        channel,
        moderator: UserId(ctx.author().id.get()),
        count,
        author: member.as_ref().map(|m| UserId(m.id.get())),
        contains,
    };
    if let Err(refusal) = purge::check(&request) {
        return private(ctx, refusal.text(lang)).await;
    }
    let serenity = ctx.serenity_context();
    let executor = Executor::new(serenity.http.clone(), serenity.cache.clone(), ctx.data());
    if let Err(e) = executor.can(guild, channel, Permission::ManageMessages) {
        return private(ctx, e.refusal().text(lang)).await;
    }
    ctx.defer_ephemeral().await?;
    let now = now_ms();
    let mut seen: Vec<SeenMessage> = Vec::new();
    loop {
        let mut page = GetMessages::new().limit(PAGE);
        if let Some(last) = seen.last() {
            page = page.before(SMessageId::new(last.id.0.max(1)));
        }
        let messages = ctx.channel_id().messages(ctx, page).await?;
        let full = messages.len() == usize::from(PAGE);
        seen.extend(messages.iter().map(|m| SeenMessage {
            id: MessageId(m.id.get()),
            author: UserId(m.author.id.get()),
            content: m.content.clone(),
            pinned: m.pinned,
            at_ms: millis(&m.timestamp),
        }));
        if !full || purge::done(&request, &seen, now) {
            break;
        }
    }
    let server = Lang::of(&settings.language);
    let reason = tr!(
        server,
        "purge-case-reason",
        moderator = ctx.author().name.clone(),
        channel = format!("<#{channel}>")
    );
    let plan = purge::plan(&request, &seen, now, &reason);
    if plan.removed == 0 {
        return private(ctx, tr!(lang, "purge-nothing")).await;
    }
    if let Err(e) = executor.carry_out(plan.actions, &settings).await {
        return private(ctx, e.refusal().text(lang)).await;
    }
    let authors: Vec<String> = plan
        .authors
        .iter()
        .map(|(user, n)| format!("<@{user}> ({n})"))
        .collect();
    let mut text = tr!(
        lang,
        "purge-done",
        count = plan.removed,
        authors = authors.join(", ")
    );
    if plan.reached_age_limit {
        text.push('\n');
        text.push_str(&tr!(lang, "purge-age-limit"));
    }
    private(ctx, text).await
}
