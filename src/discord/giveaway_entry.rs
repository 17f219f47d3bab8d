//! A press on a giveaway's Enter button: the member's facts from the interaction (roles, join
//! date, timeout, account age from the id) and, only when a requirement needs them, their
//! recent messages and cases; the pure [`check_entry`]; the entry recorded (one per member, by
//! the database); a private answer in the member's language; a coalesced refresh of the count.

use std::sync::Arc;
use std::time::Duration;

use serenity::all::{
    ComponentInteraction, Context as SerenityContext, CreateInteractionResponse,
    CreateInteractionResponseMessage,
};
use tracing::info;

use super::convert::millis;
use super::giveaway::refresh_later;
use super::render::giveaway::GIVEAWAY_PREFIX;
use super::render::{MESSAGE_CONTENT_MAX, fit};
use super::{Data, Error};
use crate::community::giveaway_checks::{
    CLEAN_WINDOW, EntrantFacts, GiveawayRefusal, MESSAGES_WINDOW, check_entry,
};
use crate::i18n::Lang;
use crate::ids::{GuildId, RoleId, UserId};
use crate::store::{Claim, Entry, Giveaway, GiveawayStatus, hour_of};
use crate::tr;

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Handles a press on `giveaway:ID:enter`.
pub(super) async fn on_button(
    ctx: &SerenityContext,
    data: &Arc<Data>,
    press: &ComponentInteraction,
) -> Result<(), Error> {
    let Some(guild) = press.guild_id.map(|g| GuildId(g.get())) else {
        return Ok(());
    };
    if let Some(id) = press.data.custom_id[GIVEAWAY_PREFIX.len()..].strip_prefix("claim:") {
        let Ok(id) = id.parse::<i64>() else {
            return Ok(());
        };
        return on_claim(ctx, data, press, guild, id).await;
    }
    let id = press.data.custom_id[GIVEAWAY_PREFIX.len()..]
        .split(':')
        .next()
        .and_then(|p| p.parse::<i64>().ok());
    let Some(id) = id else { return Ok(()) };
    let lang = Lang::from_locale(&press.locale);
    let now = super::review::now_ms();
    let answer = match data.store.giveaway(guild, id).await? {
        None => GiveawayRefusal::Unknown.text(lang),
        Some(g) => {
            let facts = facts(data, press, &g, now).await?;
            let open = g.status == GiveawayStatus::Open && now < g.ends_at_ms;
            match check_entry(open, &g.requirements, &facts, now) {
                Err(refusal) => {
                    info!(%guild, giveaway = id, user = %facts.user, ?refusal, "giveaway entry refused");
                    refusal.text(lang)
                }
                Ok(()) => match data.store.enter_giveaway(id, facts.user, now).await? {
                    Entry::Entered => {
                        refresh_later(data, &ctx.http, guild, id);
                        tr!(lang, "giveaway-entered")
                    }
                    Entry::Already => GiveawayRefusal::AlreadyEntered.text(lang),
                    Entry::Closed => GiveawayRefusal::Closed.text(lang),
                },
            }
        }
    };
    let reply = CreateInteractionResponseMessage::new()
        .content(fit(&answer, MESSAGE_CONTENT_MAX))
        .ephemeral(true);
    press
        .create_response(&ctx.http, CreateInteractionResponse::Message(reply))
        .await?;
    Ok(())
}

/// Handles a press on `giveaway:claim:ID`: a winner of the giveaway who has not claimed yet
/// and whose deadline has not passed is recorded; anyone else is told why. Privately, in the
/// member's language.
async fn on_claim(
    ctx: &SerenityContext,
    data: &Arc<Data>,
    press: &ComponentInteraction,
    guild: GuildId,
    id: i64,
) -> Result<(), Error> {
    let lang = Lang::from_locale(&press.locale);
    let user = UserId(press.user.id.get());
    let answer = match data.store.giveaway(guild, id).await? {
        None => GiveawayRefusal::Unknown.text(lang),
        Some(_) => {
            let now = super::review::now_ms();
            let claim = data.store.claim_giveaway(id, user, now).await?;
            info!(%guild, giveaway = id, %user, ?claim, "giveaway claim");
            match claim {
                Claim::Claimed => tr!(lang, "giveaway-claimed"),
                Claim::Already => tr!(lang, "giveaway-claim-already"),
                Claim::NotWinner => tr!(lang, "giveaway-claim-not-winner"),
                Claim::TooLate => tr!(lang, "giveaway-claim-too-late"),
            }
        }
    };
    let reply = CreateInteractionResponseMessage::new()
        .content(fit(&answer, MESSAGE_CONTENT_MAX))
        .ephemeral(true);
    press
        .create_response(&ctx.http, CreateInteractionResponse::Message(reply))
        .await?;
    Ok(())
}

/// What the requirements of `g` are checked against; storage is read only for the
/// requirements that need it.
async fn facts(
    data: &Data,
    press: &ComponentInteraction,
    g: &Giveaway,
    now: i64,
) -> Result<EntrantFacts, Error> {
    let user = UserId(press.user.id.get());
    let member = press.member.as_ref();
    let r = &g.requirements;
    let messages_30d = match r.messages_30d {
        Some(_) => {
            let from = hour_of(now - ms(MESSAGES_WINDOW));
            let to = hour_of(now) + 1;
            data.store.user_messages_in(g.guild, user, from, to).await?
        }
        None => 0,
    };
    let recent_points = if r.clean_record {
        data.store
            .points_since(g.guild, user, now - ms(CLEAN_WINDOW))
            .await?
    } else {
        0
    };
    Ok(EntrantFacts {
        user,
        is_bot: press.user.bot,
        account_created_ms: millis(&press.user.id.created_at()),
        joined_at_ms: member.and_then(|m| m.joined_at.as_ref()).map(millis),
        roles: member
            .map(|m| m.roles.iter().map(|r| RoleId(r.get())).collect())
            .unwrap_or_default(),
        timed_out_until_ms: member
            .and_then(|m| m.communication_disabled_until.as_ref())
            .map(millis),
        messages_30d,
        recent_points: recent_points.into(),
    })
}
