//! The review queue on Discord. Held and flagged messages (from [`super::moderate`]) and member
//! reports become items in storage and embeds with buttons in the review channel (or the mod
//! log). A button's custom id is `review:<item>:<decision>[:<seconds>]`. A decision is planned
//! first ([`plan_decision`]): a refusal is told to the moderator privately, in their language,
//! and the item stays open, the message untouched. Only an accepted plan claims the item (the
//! first decision wins: an atomic `UPDATE .. WHERE status = 'open'` in storage; later ones are
//! told who decided and when), and then the executor carries it out.

use std::time::Duration;

use serenity::all::{
    ChannelId, ComponentInteraction, Context as SerenityContext, CreateAllowedMentions,
    CreateInteractionResponse, CreateInteractionResponseFollowup, CreateInteractionResponseMessage,
    CreateMessage, CreateWebhook, EditMessage, ExecuteWebhook, Member, MessageId, Permissions,
    Timestamp, Webhook,
};
use tracing::{info, warn};

use super::convert::millis;
use super::executor::ActionError;
use super::manual::manual_facts;
pub use super::render::MESSAGE_CONTENT_MAX;
use super::render::fit;
pub(super) use super::render::review::item_embed;
use super::render::review::{buttons, decision_name};
use super::{Data, Error, Executor};
use crate::i18n::Lang;
use crate::ids;
use crate::moderation::review::{ReviewDecision, plan_decision};
use crate::moderation::{Restore, Step};
use crate::review::{Decided, Decision, NewReviewItem, ReviewItem};
use crate::store::GuildSettings;
use crate::tr;

/// Prefix of every review button's custom id.
pub const REVIEW_PREFIX: &str = "review:";
/// Timeouts a review can give, in seconds: 10 minutes, an hour, a day.
pub const TIMEOUT_CHOICES: [(u64, &str); 3] = [(600, "10m"), (3600, "1h"), (86_400, "1d")];
/// The name of the webhook Steward restores messages through.
const WEBHOOK_NAME: &str = "Steward";

/// Now, in milliseconds since the epoch.
pub(super) fn now_ms() -> i64 {
    millis(&Timestamp::now())
}

/// Whether an interaction's member moderates ([`crate::moderation::is_moderator`]), from the
/// permissions Discord sends with the interaction.
pub(super) fn is_moderator(member: Option<&Member>, settings: &GuildSettings) -> bool {
    let Some(member) = member else { return false };
    let permissions = member.permissions.unwrap_or_else(Permissions::empty);
    crate::moderation::is_moderator(
        permissions.intersects(super::convert::MODERATION_PERMISSIONS),
        member.roles.iter().map(|r| ids::RoleId(r.get())),
        &settings.moderator_roles,
    )
}

/// Where items of a guild are posted: the review channel, else the mod log.
fn review_channel(settings: &GuildSettings) -> Option<ChannelId> {
    settings
        .review_channel
        .or(settings.mod_log_channel)
        .map(|c| ChannelId::new(c.0.max(1)))
}

/// Queues a message and posts it for moderators, or updates the post of the open item it
/// merges into: [`crate::moderation::Action::EnqueueReview`].
pub(super) async fn enqueue(
    executor: &Executor,
    settings: &GuildSettings,
    item: &NewReviewItem,
) -> Result<(), ActionError> {
    let (item, created) = executor
        .store
        .open_review_item(item)
        .await
        .map_err(ActionError::storage(Step::Enqueue))?;
    if created {
        post_item(executor, settings, &item).await;
    } else {
        refresh_item(executor, settings, &item).await;
    }
    Ok(())
}

/// The executor of a serenity context.
fn executor(ctx: &SerenityContext, data: &Data) -> Executor {
    Executor::new(ctx.http.clone(), ctx.cache.clone(), data)
}

/// Posts a new item to the review channel and remembers where; schedules its reminder.
pub(super) async fn post(
    ctx: &SerenityContext,
    data: &Data,
    settings: &GuildSettings,
    item: &ReviewItem,
) {
    post_item(&executor(ctx, data), settings, item).await;
}

async fn post_item(executor: &Executor, settings: &GuildSettings, item: &ReviewItem) {
    super::reminders::schedule(&executor.store, executor.review_remind_after, item).await;
    let Some(channel) = review_channel(settings) else {
        return; // Recorded only: `/review queue` still lists it.
    };
    let lang = Lang::of(&settings.language);
    let reasons = executor
        .store
        .report_reasons(item.id)
        .await
        .unwrap_or_default();
    let message = CreateMessage::new()
        .embed(item_embed(item, &reasons, lang))
        .components(buttons(item.id, lang));
    match channel.send_message(&executor.http, message).await {
        Ok(posted) => {
            let stored = executor
                .store
                .set_review_message(
                    item.id,
                    ids::ChannelId(channel.get()),
                    ids::MessageId(posted.id.get()),
                )
                .await;
            if let Err(e) = stored {
                warn!(item = item.id, error = %e, "review message not remembered");
            }
        }
        Err(e) => warn!(%channel, item = item.id, error = %e, "review item not posted"),
    }
}

/// Updates a posted item's embed (a new report merged into it).
pub(super) async fn refresh(
    ctx: &SerenityContext,
    data: &Data,
    settings: &GuildSettings,
    item: &ReviewItem,
) {
    refresh_item(&executor(ctx, data), settings, item).await;
}

async fn refresh_item(executor: &Executor, settings: &GuildSettings, item: &ReviewItem) {
    let Ok(Some(item)) = executor.store.review_item(item.guild, item.id).await else {
        return;
    };
    let (Some(channel), Some(message)) = (item.review_channel, item.review_message) else {
        return post_item(executor, settings, &item).await;
    };
    let reasons = executor
        .store
        .report_reasons(item.id)
        .await
        .unwrap_or_default();
    let edit = EditMessage::new().embed(item_embed(&item, &reasons, Lang::of(&settings.language)));
    if let Err(e) = ChannelId::new(channel.0.max(1))
        .edit_message(&executor.http, MessageId::new(message.0.max(1)), edit)
        .await
    {
        warn!(item = item.id, error = %e, "review message not updated");
    }
}

/// A button pressed under an item: `review:<item>:<decision>[:<seconds>]`.
pub(super) async fn on_button(
    ctx: &SerenityContext,
    data: &Data,
    press: &ComponentInteraction,
) -> Result<(), Error> {
    let Some(guild) = press.guild_id else {
        return Ok(());
    };
    let guild = ids::GuildId(guild.get());
    let settings = data.settings(guild).await?;
    let mut parts = press.data.custom_id[REVIEW_PREFIX.len()..].split(':');
    let id = parts.next().and_then(|p| p.parse::<i64>().ok());
    let decision = parts.next().and_then(Decision::parse);
    let secs = parts.next().and_then(|p| p.parse::<u64>().ok());
    let (Some(id), Some(decision)) = (id, decision) else {
        return Ok(());
    };
    // Whoever pressed reads the answer in their own language.
    let lang = Lang::from_locale(&press.locale);
    if !is_moderator(press.member.as_ref(), &settings) {
        return ephemeral(ctx, press, &tr!(lang, "review-only-moderators")).await;
    }
    let Some(item) = data.store.review_item(guild, id).await? else {
        return ephemeral(ctx, press, &tr!(lang, "review-no-such-item")).await;
    };
    if !item.is_open() {
        return ephemeral(ctx, press, &already_decided(&item, lang)).await;
    }
    let moderator = ids::UserId(press.user.id.get());
    let reasons = data.store.report_reasons(item.id).await.unwrap_or_default();
    let charter = data.charter();
    let facts = manual_facts(
        ctx,
        &settings,
        &charter,
        moderator,
        item.author,
        Some(item.channel),
    )
    .await;
    let request = ReviewDecision {
        item: &item,
        decision,
        timeout: Duration::from_secs(secs.unwrap_or(TIMEOUT_CHOICES[1].0)),
        moderator,
        report_reasons: &reasons,
    };
    let actions = match plan_decision(&request, &charter, &facts) {
        Ok(actions) => actions,
        Err(refusal) => {
            info!(%guild, item = id, decision = decision.as_str(), %moderator, ?refusal, "review decision refused");
            return ephemeral(ctx, press, &refusal.text(lang)).await;
        }
    };
    match data
        .store
        .decide_review(guild, id, decision, moderator, now_ms())
        .await?
    {
        Decided::Won(item) => {
            let update = CreateInteractionResponseMessage::new()
                .embed(item_embed(&item, &reasons, Lang::of(&settings.language)))
                .components(Vec::new());
            press
                .create_response(&ctx.http, CreateInteractionResponse::UpdateMessage(update))
                .await?;
            info!(%guild, item = id, decision = decision.as_str(), %moderator, "review item decided");
            let executor = executor(ctx, data);
            if let Err(error) = executor.carry_out(actions, &settings).await {
                executor.report(&settings, &error).await;
                let problem = error.refusal().text(lang);
                let text = tr!(lang, "review-not-carried-out", problem = problem);
                let followup = CreateInteractionResponseFollowup::new()
                    .content(fit(&text, MESSAGE_CONTENT_MAX))
                    .ephemeral(true);
                if let Err(e) = press.create_followup(&ctx.http, followup).await {
                    warn!(item = id, error = %e, "failure not told to the moderator");
                }
            }
            Ok(())
        }
        Decided::Already(item) => ephemeral(ctx, press, &already_decided(&item, lang)).await,
        Decided::Missing => ephemeral(ctx, press, &tr!(lang, "review-no-such-item")).await,
    }
}

/// Who decided an item, when, and what.
fn already_decided(item: &ReviewItem, lang: Lang) -> String {
    let by = item
        .decided_by
        .map_or_else(|| "?".to_string(), |u| format!("<@{u}>"));
    let what = item
        .decision
        .map_or_else(|| "?".to_string(), |d| decision_name(d, lang));
    tr!(
        lang,
        "review-already-decided",
        by = by,
        at = item.decided_at_ms.unwrap_or_default() / 1000,
        decision = what
    )
}

async fn ephemeral(
    ctx: &SerenityContext,
    press: &ComponentInteraction,
    text: &str,
) -> Result<(), Error> {
    let reply = CreateInteractionResponseMessage::new()
        .content(fit(text, MESSAGE_CONTENT_MAX))
        .ephemeral(true);
    press
        .create_response(&ctx.http, CreateInteractionResponse::Message(reply))
        .await?;
    Ok(())
}

/// Reposts a held message through a channel webhook, under the author's display name and
/// avatar: [`crate::moderation::Action::RestoreMessage`].
pub(super) async fn restore(executor: &Executor, restore: &Restore) -> Result<(), ActionError> {
    let channel = ChannelId::new(restore.channel.0.max(1));
    let webhook = channel_webhook(executor, channel)
        .await
        .map_err(ActionError::discord(Step::Webhook))?;
    let mut message = ExecuteWebhook::new()
        .content(&restore.content)
        .username(&restore.username)
        .allowed_mentions(CreateAllowedMentions::new());
    if let Some(avatar) = &restore.avatar {
        message = message.avatar_url(avatar);
    }
    webhook
        .execute(&executor.http, true, message)
        .await
        .map(|_| ())
        .map_err(ActionError::discord(Step::Restore))
}

/// Steward's webhook in `channel`, created when missing.
async fn channel_webhook(executor: &Executor, channel: ChannelId) -> serenity::Result<Webhook> {
    let me = executor.cache.current_user().id;
    let existing = channel.webhooks(&executor.http).await?;
    if let Some(hook) = existing
        .into_iter()
        .find(|w| w.token.is_some() && w.user.as_ref().is_some_and(|u| u.id == me))
    {
        return Ok(hook);
    }
    channel
        .create_webhook(&executor.http, CreateWebhook::new(WEBHOOK_NAME))
        .await
}
