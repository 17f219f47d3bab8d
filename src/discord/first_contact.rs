//! First contact on GUILD_CREATE: in a server that was never set up, the checklist of
//! [`community::first_contact`](crate::community::first_contact) is posted once (across
//! processes and restarts) to the server's system channel, else sent to its owner.

use std::sync::Arc;

use serenity::all::{Colour, Context, CreateEmbed, CreateMessage, GuildId};
use tracing::{info, warn};

use super::render::{EMBED_DESCRIPTION_MAX, EMBED_TITLE_MAX, fit};
use super::{Data, convert};
use crate::community::first_contact::{SetupFacts, checklist, never_set_up};
use crate::doctor::privileged_intents;
use crate::facts::Permission;
use crate::i18n::Lang;
use crate::ids;

/// Posts the checklist if `guild` was never set up and never greeted.
pub async fn greet(ctx: &Context, data: &Arc<Data>, guild: GuildId) {
    let ours = ids::GuildId(guild.get());
    let Ok(settings) = data.settings(ours).await else {
        return;
    };
    if !never_set_up(&settings) {
        return;
    }
    let cached = ctx.cache.guild(guild).map(|g| {
        let held = g
            .members
            .get(&ctx.cache.current_user().id)
            .map(|me| g.member_permissions(me));
        (g.system_channel_id, g.owner_id, held)
    });
    let Some((system_channel, owner, held)) = cached else {
        return;
    };
    let missing_permissions: Vec<Permission> = match held {
        Some(held) => Permission::ALL
            .into_iter()
            .filter(|p| !convert::holds(held, *p))
            .collect(),
        None => Vec::new(),
    };
    let missing_intents = match ctx.http.get_current_application_info().await {
        Ok(app) => privileged_intents(app.flags.map_or(0, |f| f.bits()))
            .into_iter()
            .filter(|(_, enabled, _)| !enabled)
            .map(|(name, _, _)| name)
            .collect(),
        Err(e) => {
            warn!(error = %e, "application flags not read; intents left out of the checklist");
            Vec::new()
        }
    };
    match data.store.mark_greeted(ours, super::review::now_ms()).await {
        Ok(true) => {}
        Ok(false) => return, // Greeted before (or by another process just now).
        Err(e) => {
            warn!(%guild, error = %e, "first contact skipped: storage unavailable");
            return;
        }
    }
    let lang = Lang::of(&settings.language);
    let facts = SetupFacts {
        settings,
        missing_permissions,
        missing_intents,
    };
    let (title, lines) = checklist(&facts, lang);
    let post = CreateMessage::new().embed(
        CreateEmbed::new()
            .title(fit(&title, EMBED_TITLE_MAX))
            .description(fit(&lines.join("\n"), EMBED_DESCRIPTION_MAX))
            .colour(Colour::BLURPLE),
    );
    let sent = match system_channel {
        Some(channel) => channel.send_message(&ctx.http, post).await.map(|_| ()),
        None => owner.direct_message(&ctx.http, post).await.map(|_| ()),
    };
    match sent {
        Ok(()) => info!(%guild, "first-contact checklist posted"),
        Err(e) => warn!(%guild, error = %e, "first-contact checklist not delivered"),
    }
}
