//! `/massban` confirmed: the list a moderator asked for waits in memory for their button
//! ([`PENDING_FOR`] at most; a restart forgets it, and the moderator asks again). On Confirm the
//! members are banned in Discord's bulk bans of 200, each banned member gets a case, the mod log
//! gets one notice; on Cancel nobody is banned. Only the moderator who asked may answer.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;

use serenity::all::{
    Cache, ComponentInteraction, Context as SerenityContext, CreateInteractionResponse,
    CreateInteractionResponseMessage, EditInteractionResponse, GuildId as SGuildId,
    UserId as SUserId,
};
use tracing::{info, warn};

use super::convert::millis;
use super::review::is_moderator;
use super::{Data, Error, Executor};
use crate::i18n::Lang;
use crate::ids::{GuildId, UserId};
use crate::moderation::massban::{Candidate, MassBanRequest, batches, cases};
use crate::moderation::{Action, Notice};
use crate::store::GuildSettings;
use crate::tr;

/// Prefix of the confirmation buttons' custom ids: `massban:<token>:confirm` or `:cancel`.
pub const MASSBAN_PREFIX: &str = "massban:";
/// How long a list waits for its confirmation.
pub const PENDING_FOR_MS: i64 = 5 * 60_000;

/// The members of `guild` as the cache has them (all, or `only` these), for mass actions: each
/// marked protected when it is the owner, a moderator, or at or above the reach of Steward (and
/// of `invoker`, the moderator acting, unless they own the server). Empty when the guild is not
/// in the cache.
pub fn candidates(
    cache: &Cache,
    guild: GuildId,
    settings: &GuildSettings,
    invoker: Option<SUserId>,
    only: Option<&[UserId]>,
) -> Vec<Candidate> {
    let Some(server) = cache.guild(SGuildId::new(guild.0.max(1))) else {
        return Vec::new();
    };
    let me = cache.current_user().id;
    let top = |id| {
        server
            .members
            .get(&id)
            .and_then(|m| server.member_highest_role(m))
            .map_or(0, |r| r.position)
    };
    let ceiling = match invoker {
        Some(invoker) if invoker != server.owner_id => top(me).min(top(invoker)),
        _ => top(me),
    };
    let members: Vec<&serenity::all::Member> = match only {
        Some(users) => users
            .iter()
            .filter_map(|u| server.members.get(&SUserId::new(u.0.max(1))))
            .collect(),
        None => server.members.values().collect(),
    };
    members
        .into_iter()
        .map(|m| Candidate {
            user: UserId(m.user.id.get()),
            names: [
                Some(m.user.name.clone()),
                m.nick.clone(),
                m.user.global_name.clone(),
            ]
            .into_iter()
            .flatten()
            .collect(),
            joined_at_ms: m.joined_at.as_ref().map(millis),
            is_bot: m.user.bot,
            protected: m.user.id == server.owner_id
                || is_moderator(Some(m), settings)
                || top(m.user.id) >= ceiling,
        })
        .collect()
}

/// A list waiting for its moderator's confirmation.
#[derive(Clone, Debug)]
pub struct Pending {
    pub request: MassBanRequest,
    pub targets: Vec<UserId>,
    pub expires_at_ms: i64,
}

/// The lists waiting, by token.
#[derive(Debug, Default)]
pub struct PendingMassBans(Mutex<HashMap<String, Pending>>);

impl PendingMassBans {
    /// Keeps `pending` under `token`, forgetting expired lists.
    pub fn put(&self, token: String, pending: Pending, now_ms: i64) {
        let mut lists = self.0.lock().expect("mass bans lock");
        lists.retain(|_, p| p.expires_at_ms > now_ms);
        lists.insert(token, pending);
    }

    /// Takes the list under `token` if `presser` asked for it and it has not expired.
    fn take(&self, token: &str, presser: UserId, now_ms: i64) -> Taken {
        let mut lists = self.0.lock().expect("mass bans lock");
        match lists.get(token) {
            None => Taken::Gone,
            Some(p) if p.expires_at_ms <= now_ms => {
                lists.remove(token);
                Taken::Gone
            }
            Some(p) if p.request.moderator != presser => Taken::NotYours,
            Some(_) => lists.remove(token).map_or(Taken::Gone, Taken::Yours),
        }
    }
}

enum Taken {
    Yours(Pending),
    NotYours,
    Gone,
}

async fn answer(
    ctx: &SerenityContext,
    press: &ComponentInteraction,
    text: String,
    ephemeral: bool,
) -> Result<(), Error> {
    let message = CreateInteractionResponseMessage::new().content(text);
    let response = if ephemeral {
        CreateInteractionResponse::Message(message.ephemeral(true))
    } else {
        CreateInteractionResponse::UpdateMessage(message.components(Vec::new()))
    };
    press.create_response(&ctx.http, response).await?;
    Ok(())
}

/// A press of Confirm or Cancel.
pub(super) async fn on_button(
    ctx: &SerenityContext,
    data: &Arc<Data>,
    press: &ComponentInteraction,
) -> Result<(), Error> {
    let Some((token, choice)) = press
        .data
        .custom_id
        .strip_prefix(MASSBAN_PREFIX)
        .and_then(|rest| rest.split_once(':'))
    else {
        return Ok(());
    };
    let lang = Lang::from_locale(&press.locale);
    let now = super::review::now_ms();
    let pending = match data.massbans.take(token, UserId(press.user.id.get()), now) {
        Taken::Yours(pending) => pending,
        Taken::NotYours => return answer(ctx, press, tr!(lang, "massban-not-yours"), true).await,
        Taken::Gone => return answer(ctx, press, tr!(lang, "massban-expired"), false).await,
    };
    if choice != "confirm" {
        return answer(ctx, press, tr!(lang, "massban-cancelled"), false).await;
    }
    press
        .create_response(&ctx.http, CreateInteractionResponse::Acknowledge)
        .await?;
    let request = &pending.request;
    let guild = SGuildId::new(request.guild.0.max(1));
    let (mut banned, mut failed) = (Vec::new(), 0_usize);
    for batch in batches(&pending.targets) {
        let ids: Vec<SUserId> = batch.iter().map(|u| SUserId::new(u.0.max(1))).collect();
        match guild
            .bulk_ban(&ctx.http, &ids, 0, Some(&request.reason))
            .await
        {
            Ok(done) => {
                banned.extend(done.banned_users.iter().map(|u| UserId(u.get())));
                failed += done.failed_users.len();
            }
            Err(e) => {
                warn!(%guild, error = %e, users = batch.len(), "bulk ban refused");
                failed += batch.len();
            }
        }
    }
    for case in cases(request, &banned, now) {
        data.store.create_case(case).await?;
    }
    let settings = data.settings(request.guild).await?;
    let notice = Notice::MassBan {
        moderator: request.moderator,
        banned: banned.len(),
        reason: request.reason.clone(),
    };
    Executor::new(ctx.http.clone(), ctx.cache.clone(), data)
        .perform(vec![Action::Notice(notice)], &settings)
        .await;
    info!(%guild, banned = banned.len(), failed, "mass ban");
    let mut text = tr!(lang, "massban-done", count = banned.len());
    if failed > 0 {
        text.push('\n');
        text.push_str(&tr!(lang, "massban-failed", count = failed));
    }
    press
        .edit_response(
            &ctx.http,
            EditInteractionResponse::new()
                .content(text)
                .components(Vec::new()),
        )
        .await?;
    Ok(())
}
