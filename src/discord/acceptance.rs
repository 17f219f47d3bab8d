//! The charter gate's buttons and jobs: "Read the charter" answers privately with the charter in
//! the reader's language and an "I accept" button; "I accept" goes through
//! [`community::acceptance::accept`](crate::community::acceptance::accept) and answers privately
//! why nothing changed or that it is done; the reminder and deadline jobs look at whether the
//! newcomer accepted the current version.

use std::sync::Arc;

use serenity::all::{
    ComponentInteraction, Context as SerenityContext, CreateInteractionResponse,
    CreateInteractionResponseMessage,
};
use tracing::info;

use super::render::acceptance::{Press, charter_for_reader, parse_press};
use super::welcome::still_member;
use super::{Data, Error, Executor};
use crate::community::acceptance::{accept, deadline, remind};
use crate::i18n::Lang;
use crate::ids::{GuildId, UserId};
use crate::jobs::Outcome;
use crate::tr;

/// A press of a gate button (in a channel or a DM).
pub(super) async fn on_button(
    ctx: &SerenityContext,
    data: &Arc<Data>,
    press: &ComponentInteraction,
) -> Result<(), Error> {
    let Some(parsed) = parse_press(&press.data.custom_id) else {
        return Ok(());
    };
    let lang = Lang::from_locale(&press.locale);
    let charter = data.charter();
    let user = UserId(press.user.id.get());
    let reply = match parsed {
        Press::Read { guild } => {
            let (embed, row) = charter_for_reader(&charter, lang, guild);
            CreateInteractionResponseMessage::new()
                .embed(embed)
                .components(vec![row])
        }
        Press::Accept { guild, version } => {
            let now = super::review::now_ms();
            let previous = data.store.acceptance(guild, user).await?;
            let text = match accept(&charter, guild, user, &version, previous.as_ref(), now) {
                Ok(actions) => {
                    let settings = data.settings(guild).await?;
                    let executor = Executor::new(ctx.http.clone(), ctx.cache.clone(), data);
                    match executor.carry_out(actions, &settings).await {
                        Ok(_) => {
                            info!(%guild, %user, %version, "charter accepted");
                            tr!(lang, "acceptance-accepted", version = version.clone())
                        }
                        Err(e) => {
                            executor.report(&settings, &e).await;
                            e.refusal().text(lang)
                        }
                    }
                }
                Err(refusal) => refusal.text(lang),
            };
            CreateInteractionResponseMessage::new().content(text)
        }
    };
    press
        .create_response(
            &ctx.http,
            CreateInteractionResponse::Message(reply.ephemeral(true)),
        )
        .await?;
    Ok(())
}

/// Whether `user` accepted `current`, the version of the charter in force.
async fn accepted(
    data: &Data,
    guild: GuildId,
    user: UserId,
    current: &str,
) -> Result<bool, String> {
    let acceptance = data
        .store
        .acceptance(guild, user)
        .await
        .map_err(|e| e.to_string())?;
    Ok(acceptance.is_some_and(|a| a.version == current))
}

/// [`Job::AcceptanceReminder`](crate::jobs::Job::AcceptanceReminder).
pub async fn remind_job(
    data: &Data,
    executor: &Executor,
    guild: GuildId,
    user: UserId,
) -> Result<Outcome, String> {
    if !still_member(&executor.http, guild, user).await? {
        return Ok(Outcome::Done);
    }
    let charter = data.charter();
    let is_accepted = accepted(data, guild, user, &charter.version).await?;
    let actions = remind(&charter, is_accepted, user);
    let settings = data.settings(guild).await.map_err(|e| e.to_string())?;
    executor.perform(actions, &settings).await;
    Ok(Outcome::Done)
}

/// [`Job::AcceptanceDeadline`](crate::jobs::Job::AcceptanceDeadline).
pub async fn deadline_job(
    data: &Data,
    executor: &Executor,
    guild: GuildId,
    user: UserId,
    now_ms: i64,
) -> Result<Outcome, String> {
    if !still_member(&executor.http, guild, user).await? {
        return Ok(Outcome::Done);
    }
    let settings = data.settings(guild).await.map_err(|e| e.to_string())?;
    let lang = Lang::of(&settings.language);
    let charter = data.charter();
    let is_accepted = accepted(data, guild, user, &charter.version).await?;
    let actions = deadline(&charter, is_accepted, guild, user, lang, now_ms);
    executor
        .carry_out(actions, &settings)
        .await
        .map(|_| Outcome::Done)
        .map_err(|e| e.to_string())
}
