//! The review queue on Discord. Held and flagged messages (from [`super::moderate`]) and member
//! reports become items in storage and embeds with buttons in the review channel (or the mod
//! log). A button's custom id is `review:<item>:<decision>[:<seconds>]`; the first moderator to
//! press one decides (an atomic `UPDATE .. WHERE status = 'open'` in storage), later ones are told
//! who decided and when. Warn, Timeout and Ban go through [`sanction_member`], like `/warn`,
//! `/timeout` and `/ban`.

use std::time::Duration;

use serenity::all::{
    ChannelId, ComponentInteraction, Context as SerenityContext, CreateAllowedMentions,
    CreateInteractionResponse, CreateInteractionResponseFollowup, CreateInteractionResponseMessage,
    CreateMessage, CreateWebhook, EditMessage, ExecuteWebhook, Member, MessageId, Permissions,
    Timestamp, Webhook,
};
use tracing::{info, warn};

use super::convert::millis;
use super::embeds::fit;
use super::manual::{ManualAction, SanctionRequest, sanction_member};
use super::review_embed::buttons;
pub(super) use super::review_embed::item_embed;
use super::{Data, Error, Executor};
use crate::charter::{Charter, Outcome, Verdict};
use crate::facts::MessageFacts;
use crate::ids;
use crate::moderation::{Action, excerpt};
use crate::store::{Decided, Decision, GuildSettings, NewReviewItem, ReviewItem, ReviewSource};

/// Prefix of every review button's custom id.
pub const REVIEW_PREFIX: &str = "review:";
/// Discord's limit on a message's content.
pub const MESSAGE_CONTENT_MAX: usize = 2000;
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

/// Queues a message the charter held or flagged, and posts it for moderators.
pub(super) async fn enqueue_verdict(
    ctx: &SerenityContext,
    data: &Data,
    settings: &GuildSettings,
    charter: &Charter,
    verdict: &Verdict,
    facts: &MessageFacts,
) {
    let held = match verdict.outcome {
        Outcome::Hold => true,
        Outcome::Flag => false,
        _ => return,
    };
    let avatar = ctx
        .cache
        .guild(serenity::all::GuildId::new(facts.guild.0.max(1)))
        .and_then(|g| {
            g.members
                .get(&serenity::all::UserId::new(facts.author.0.max(1)))
                .map(Member::face)
        });
    let matched: Vec<String> = verdict.matches.iter().map(|m| fit(&m.text, 100)).collect();
    let item = NewReviewItem {
        guild: facts.guild,
        channel: facts.channel,
        message: facts.message,
        author: facts.author,
        author_name: facts.author_name.clone(),
        author_avatar: avatar,
        content: facts.content.clone(),
        attachments: facts
            .attachments
            .iter()
            .map(|a| (a.filename.clone(), a.url.clone()))
            .collect(),
        rules: verdict
            .rules()
            .into_iter()
            .map(|r| charter.rules[r].id.clone())
            .collect(),
        matched: matched.join(" · "),
        held: Some(held),
        created_at_ms: facts.timestamp_ms,
    };
    match data.store.open_review_item(&item).await {
        Ok((item, true)) => post(ctx, data, settings, &item).await,
        Ok((item, false)) => refresh(ctx, data, settings, &item).await,
        Err(e) => warn!(guild = %facts.guild, error = %e, "review item not recorded"),
    }
}

/// Posts a new item to the review channel and remembers where; schedules its reminder.
pub(super) async fn post(
    ctx: &SerenityContext,
    data: &Data,
    settings: &GuildSettings,
    item: &ReviewItem,
) {
    super::reminders::schedule(data, item).await;
    let Some(channel) = review_channel(settings) else {
        return; // Recorded only: `/review queue` still lists it.
    };
    let reasons = data.store.report_reasons(item.id).await.unwrap_or_default();
    let message = CreateMessage::new()
        .embed(item_embed(item, &reasons, &settings.language))
        .components(buttons(item.id, &settings.language));
    match channel.send_message(&ctx.http, message).await {
        Ok(posted) => {
            let stored = data
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
    let Ok(Some(item)) = data.store.review_item(item.guild, item.id).await else {
        return;
    };
    let (Some(channel), Some(message)) = (item.review_channel, item.review_message) else {
        return post(ctx, data, settings, &item).await;
    };
    let reasons = data.store.report_reasons(item.id).await.unwrap_or_default();
    let edit = EditMessage::new().embed(item_embed(&item, &reasons, &settings.language));
    if let Err(e) = ChannelId::new(channel.0.max(1))
        .edit_message(&ctx.http, MessageId::new(message.0.max(1)), edit)
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
    let fr = settings.language == "fr";
    let mut parts = press.data.custom_id[REVIEW_PREFIX.len()..].split(':');
    let id = parts.next().and_then(|p| p.parse::<i64>().ok());
    let decision = parts.next().and_then(Decision::parse);
    let secs = parts.next().and_then(|p| p.parse::<u64>().ok());
    let (Some(id), Some(decision)) = (id, decision) else {
        return Ok(());
    };
    if !is_moderator(press.member.as_ref(), &settings) {
        let text = if fr {
            "Seuls les modérateurs peuvent décider."
        } else {
            "Only moderators can decide."
        };
        return ephemeral(ctx, press, text).await;
    }
    let moderator = ids::UserId(press.user.id.get());
    match data
        .store
        .decide_review(guild, id, decision, moderator, now_ms())
        .await?
    {
        Decided::Won(item) => {
            let reasons = data.store.report_reasons(item.id).await.unwrap_or_default();
            let update = CreateInteractionResponseMessage::new()
                .embed(item_embed(&item, &reasons, &settings.language))
                .components(Vec::new());
            press
                .create_response(&ctx.http, CreateInteractionResponse::UpdateMessage(update))
                .await?;
            info!(%guild, item = id, decision = decision.as_str(), %moderator, "review item decided");
            carry_out(ctx, data, &settings, press, &item, decision, secs).await;
            Ok(())
        }
        Decided::Already(item) => {
            let by = item
                .decided_by
                .map_or_else(|| "?".to_string(), |u| format!("<@{u}>"));
            let at = item.decided_at_ms.unwrap_or_default() / 1000;
            let what = item.decision.as_deref().unwrap_or("?");
            let text = if fr {
                format!("Déjà décidé par {by} le <t:{at}:f> : **{what}**.")
            } else {
                format!("Already decided by {by} at <t:{at}:f>: **{what}**.")
            };
            ephemeral(ctx, press, &text).await
        }
        Decided::Missing => {
            ephemeral(
                ctx,
                press,
                if fr {
                    "Élément introuvable."
                } else {
                    "No such item."
                },
            )
            .await
        }
    }
}

async fn ephemeral(
    ctx: &SerenityContext,
    press: &ComponentInteraction,
    text: &str,
) -> Result<(), Error> {
    let reply = CreateInteractionResponseMessage::new()
        .content(text)
        .ephemeral(true);
    press
        .create_response(&ctx.http, CreateInteractionResponse::Message(reply))
        .await?;
    Ok(())
}

/// Does what a decision means: restore, delete, sanction. Sanctions go through
/// [`sanction_member`] (the moderator's and the bot's place in the hierarchy, the case, the mod
/// log, the DM); a refusal is told to the moderator privately.
async fn carry_out(
    ctx: &SerenityContext,
    data: &Data,
    settings: &GuildSettings,
    press: &ComponentInteraction,
    item: &ReviewItem,
    decision: Decision,
    secs: Option<u64>,
) {
    let executor = Executor {
        http: ctx.http.clone(),
        cache: ctx.cache.clone(),
        store: data.store.clone(),
    };
    match decision {
        Decision::Approve => {
            if item.source == ReviewSource::Hold
                && let Err(problem) = restore(ctx, item, &settings.language).await
            {
                warn!(item = item.id, %problem, "held message not restored");
                executor.notify(settings, &problem).await;
            }
            return;
        }
        Decision::Dismiss => return,
        _ => {}
    }
    if item.source != ReviewSource::Hold {
        let delete = Action::DeleteMessage {
            channel: item.channel,
            message: item.message,
        };
        executor.perform(vec![delete], settings).await;
    }
    let action = match decision {
        Decision::Warn => ManualAction::Warn,
        Decision::Timeout => {
            ManualAction::Timeout(Duration::from_secs(secs.unwrap_or(TIMEOUT_CHOICES[1].0)))
        }
        Decision::Ban => ManualAction::Ban {
            delete_message_days: 0,
            duration: None,
        },
        _ => return,
    };
    let fr = settings.language == "fr";
    let rule = item.rules.first().cloned();
    let charter = data.charter();
    let mut request = SanctionRequest::new(
        item.guild,
        item.author,
        ids::UserId(press.user.id.get()),
        action,
        format!(
            "{} #{}{}",
            if fr { "Examen" } else { "Review" },
            item.id,
            rule.as_ref().map(|r| format!(" — {r}")).unwrap_or_default()
        ),
    );
    request.section = rule
        .as_ref()
        .and_then(|id| charter.rules.iter().find(|r| &r.id == id))
        .map(|r| r.section);
    request.rule = rule;
    request.content = Some(excerpt(&item.content));
    request.channel = Some(item.channel);
    request.message = Some(item.message);
    if let Err(refusal) = sanction_member(ctx, data, request).await {
        let followup = CreateInteractionResponseFollowup::new()
            .content(fit(&refusal.0, MESSAGE_CONTENT_MAX))
            .ephemeral(true);
        if let Err(e) = press.create_followup(&ctx.http, followup).await {
            warn!(item = item.id, error = %e, "refusal not told to the moderator");
        }
    }
}

/// Reposts a held message through a channel webhook, under the author's name and avatar, with a
/// discreet note.
async fn restore(ctx: &SerenityContext, item: &ReviewItem, language: &str) -> Result<(), String> {
    let channel = ChannelId::new(item.channel.0.max(1));
    let webhook = channel_webhook(ctx, channel)
        .await
        .map_err(|e| format!("Steward could not get a webhook in <#{channel}>: {e}"))?;
    let note = if language == "fr" {
        "-# message rétabli par les modérateurs"
    } else {
        "-# restored by moderators"
    };
    let mut body = item.content.clone();
    for (_, url) in &item.attachments {
        body.push('\n');
        body.push_str(url);
    }
    let room = MESSAGE_CONTENT_MAX - note.chars().count() - 1;
    let content = format!("{}\n{note}", fit(&body, room));
    let mut message = ExecuteWebhook::new()
        .content(content)
        .username(fit(&item.author_name, 80))
        .allowed_mentions(CreateAllowedMentions::new());
    if let Some(avatar) = &item.author_avatar {
        message = message.avatar_url(avatar);
    }
    webhook
        .execute(&ctx.http, true, message)
        .await
        .map(|_| ())
        .map_err(|e| format!("Steward could not restore message #{}: {e}", item.id))
}

/// Steward's webhook in `channel`, created when missing.
async fn channel_webhook(ctx: &SerenityContext, channel: ChannelId) -> serenity::Result<Webhook> {
    let me = ctx.cache.current_user().id;
    let existing = channel.webhooks(&ctx.http).await?;
    if let Some(hook) = existing
        .into_iter()
        .find(|w| w.token.is_some() && w.user.as_ref().is_some_and(|u| u.id == me))
    {
        return Ok(hook);
    }
    channel
        .create_webhook(&ctx.http, CreateWebhook::new(WEBHOOK_NAME))
        .await
}
