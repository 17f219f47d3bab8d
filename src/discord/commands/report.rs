//! Member reports: the message context-menu command "Report to moderators" asks for a reason in
//! a modal (custom id `report:<channel>:<message>`); the submitted report joins the review queue,
//! merged with other reports of the same message into one item with a count. The reporter gets
//! an ephemeral acknowledgement and is never named to anyone; reports are rate-limited per member.
//! The form and every answer follow the reporter's interaction locale.

use std::time::Duration;

use serenity::all::{
    ActionRowComponent, ChannelId, Context as SerenityContext, CreateActionRow, CreateInputText,
    CreateInteractionResponse, CreateInteractionResponseMessage, CreateModal, InputTextStyle,
    Message, MessageId, ModalInteraction,
};
use tracing::info;

use super::{Context, guards, invoker_lang, private};
use crate::discord::review::{now_ms, post, refresh};
use crate::discord::{Data, Error};
use crate::i18n::Lang;
use crate::ids;
use crate::review::NewReviewItem;
use crate::tr;

/// Prefix of the report modal's custom id.
pub const REPORT_PREFIX: &str = "report:";
/// How many reports a member may make within [`REPORT_WINDOW`].
pub const REPORTS_PER_WINDOW: i64 = 3;
/// The window of the report rate limit.
pub const REPORT_WINDOW: Duration = Duration::from_secs(10 * 60);
/// Longest reason a member may give.
pub const REASON_MAX: u16 = 500;

async fn limited(data: &Data, guild: ids::GuildId, reporter: ids::UserId) -> Result<bool, Error> {
    let since = now_ms() - REPORT_WINDOW.as_millis() as i64;
    Ok(data.store.reports_since(guild, reporter, since).await? >= REPORTS_PER_WINDOW)
}

fn limited_text(lang: Lang) -> String {
    tr!(
        lang,
        "report-limited",
        count = REPORTS_PER_WINDOW,
        minutes = REPORT_WINDOW.as_secs() / 60,
    )
}

/// Report a message to the moderators (only they see it; you stay anonymous).
#[poise::command(context_menu_command = "Report to moderators", guild_only)]
pub async fn report_message(ctx: Context<'_>, message: Message) -> Result<(), Error> {
    let poise::Context::Application(app) = ctx else {
        return Ok(());
    };
    let guild = guards::guild(ctx)?;
    let lang = invoker_lang(ctx);
    let reporter = ids::UserId(ctx.author().id.get());
    if limited(ctx.data(), guild, reporter).await? {
        return private(ctx, limited_text(lang)).await;
    }
    let reason = CreateInputText::new(
        InputTextStyle::Paragraph,
        tr!(lang, "report-reason-label"),
        "reason",
    )
    .max_length(REASON_MAX)
    .required(true);
    let modal = CreateModal::new(
        format!("{REPORT_PREFIX}{}:{}", message.channel_id, message.id),
        tr!(lang, "report-modal-title"),
    )
    .components(vec![CreateActionRow::InputText(reason)]);
    app.interaction
        .create_response(ctx.http(), CreateInteractionResponse::Modal(modal))
        .await?;
    Ok(())
}

/// A submitted report modal: queue the message (or merge into its open item) and thank the
/// reporter privately.
pub(in crate::discord) async fn on_modal(
    ctx: &SerenityContext,
    data: &Data,
    submit: &ModalInteraction,
) -> Result<(), Error> {
    let Some(guild) = submit.guild_id else {
        return Ok(());
    };
    let guild = ids::GuildId(guild.get());
    let settings = data.settings(guild).await?;
    let lang = Lang::from_locale(&submit.locale);
    let mut parts = submit.data.custom_id[REPORT_PREFIX.len()..].split(':');
    let channel = parts.next().and_then(|p| p.parse::<u64>().ok());
    let message = parts.next().and_then(|p| p.parse::<u64>().ok());
    let (Some(channel), Some(message)) = (channel, message) else {
        return Ok(());
    };
    let reporter = ids::UserId(submit.user.id.get());
    let reply = |text: String| {
        CreateInteractionResponse::Message(
            CreateInteractionResponseMessage::new()
                .content(text)
                .ephemeral(true),
        )
    };
    if limited(data, guild, reporter).await? {
        submit
            .create_response(&ctx.http, reply(limited_text(lang)))
            .await?;
        return Ok(());
    }
    let reason: String = submit
        .data
        .components
        .iter()
        .flat_map(|row| &row.components)
        .find_map(|c| match c {
            ActionRowComponent::InputText(t) if t.custom_id == "reason" => t.value.clone(),
            _ => None,
        })
        .unwrap_or_default();
    let reported = match ChannelId::new(channel.max(1))
        .message(ctx, MessageId::new(message.max(1)))
        .await
    {
        Ok(reported) => reported,
        Err(_) => {
            submit
                .create_response(&ctx.http, reply(tr!(lang, "report-gone")))
                .await?;
            return Ok(());
        }
    };
    let item = NewReviewItem {
        guild,
        channel: ids::ChannelId(channel),
        message: ids::MessageId(message),
        author: ids::UserId(reported.author.id.get()),
        // Restored and shown under the name members know them by in this server.
        author_name: {
            let nick = ctx
                .cache
                .guild(serenity::all::GuildId::new(guild.0.max(1)))
                .and_then(|g| {
                    g.members
                        .get(&reported.author.id)
                        .and_then(|m| m.nick.clone())
                });
            crate::discord::convert::display_name(&reported.author, nick.as_deref())
        },
        author_avatar: Some(reported.author.face()),
        content: reported.content.clone(),
        attachments: reported
            .attachments
            .iter()
            .map(|a| (a.filename.clone(), a.url.clone()))
            .collect(),
        rules: Vec::new(),
        matched: String::new(),
        held: None,
        created_at_ms: now_ms(),
    };
    let (item, created) = data.store.open_review_item(&item).await?;
    let added = data
        .store
        .add_report(guild, item.id, reporter, reason.trim(), now_ms())
        .await?;
    // Thank first: Discord wants an answer within 3 s.
    submit
        .create_response(&ctx.http, reply(tr!(lang, "report-thanks")))
        .await?;
    info!(%guild, item = item.id, merged = !created, "message reported");
    if created {
        let item = data
            .store
            .review_item(guild, item.id)
            .await?
            .unwrap_or(item);
        post(ctx, data, &settings, &item).await;
    } else if added {
        refresh(ctx, data, &settings, &item).await;
    }
    Ok(())
}
