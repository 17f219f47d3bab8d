//! The adapter's side of a moderator's request, from a command: [`manual_facts`] gathers what
//! the planner needs (the cache, and a REST fetch of the two members), [`sanction_member`]
//! plans the request ([`crate::moderation::manual::plan`]) and hands the actions to the
//! [`Executor`]. The review buttons gather their facts here too.

use std::time::{SystemTime, UNIX_EPOCH};

use serenity::all::{Context, RoleId};
use tracing::warn;

use crate::cases::Case;
use crate::charter::Charter;
use crate::discord::convert::permission_list;
use crate::discord::{Data, Executor};
use crate::facts::{ManualFacts, Permission};
use crate::i18n::Lang;
use crate::ids::{ChannelId, UserId};
use crate::moderation::{Refusal, SanctionRequest, Step, plan};
use crate::store::GuildSettings;

/// Carries out a moderator's request: gathers the facts, plans (every refusal is found before
/// anything is done), performs the plan. Returns the case, or what to tell the moderator.
pub async fn sanction_member(
    ctx: &Context,
    data: &Data,
    request: SanctionRequest,
) -> Result<Case, Refusal> {
    let settings = data
        .settings(request.guild)
        .await
        .map_err(|e| Refusal::Failed {
            step: Step::Settings,
            detail: e.to_string(),
        })?;
    let charter = data.charter();
    let facts = manual_facts(
        ctx,
        &settings,
        &charter,
        request.moderator,
        request.target,
        None,
    )
    .await;
    let actions = plan(&request, &facts)?;
    let executor = Executor::new(ctx.http.clone(), ctx.cache.clone(), data);
    match executor.carry_out(actions, &settings).await {
        Ok(Some(case)) => Ok(case),
        Ok(None) => Err(Refusal::Failed {
            step: Step::RecordCase,
            detail: String::new(),
        }),
        Err(error) => {
            warn!(guild = %request.guild, user = %request.target, %error, "manual action not carried out");
            Err(error.refusal())
        }
    }
}

/// What the planner checks a request against: the owner, Steward's permissions (those on
/// messages in `channel` when given, the others guild-wide) and highest role, the moderator's
/// and the member's highest roles (fetched from Discord when not cached; `None` for the member
/// when they are not one), the charter's sections and the server's language.
pub(crate) async fn manual_facts(
    ctx: &Context,
    settings: &GuildSettings,
    charter: &Charter,
    actor: UserId,
    target: UserId,
    channel: Option<ChannelId>,
) -> ManualFacts {
    let guild_id = serenity::all::GuildId::new(settings.guild.0.max(1));
    let roles_of = async |user: UserId| {
        guild_id
            .member(ctx, serenity::all::UserId::new(user.0.max(1)))
            .await
            .ok()
            .map(|m| m.roles)
    };
    let actor_roles = roles_of(actor).await;
    let target_roles = roles_of(target).await;
    let bot = ctx.cache.current_user().id;
    let mut facts = ManualFacts {
        owner: None,
        bot: UserId(bot.get()),
        bot_permissions: Vec::new(),
        bot_top_role: 0,
        actor_top_role: 0,
        target_top_role: None,
        guild_name: String::new(),
        sections: charter
            .sections
            .iter()
            .map(|s| (s.number, s.title.get(&settings.language).to_string()))
            .collect(),
        lang: Lang::of(&settings.language),
        now_ms: now_ms(),
    };
    let Some(guild) = ctx.cache.guild(guild_id) else {
        return facts;
    };
    let Some(me) = guild.members.get(&bot) else {
        return facts;
    };
    let top = |roles: &[RoleId]| {
        roles
            .iter()
            .filter_map(|r| guild.roles.get(r))
            .map(|r| r.position)
            .max()
            .unwrap_or(0)
    };
    // Sanctions are guild-wide; deleting and reposting a message happen in its channel.
    let guild_wide = guild.member_permissions(me);
    let here = channel
        .and_then(|c| {
            guild
                .channels
                .get(&serenity::all::ChannelId::new(c.0.max(1)))
        })
        .map_or(guild_wide, |channel| guild.user_permissions_in(channel, me));
    let in_channel =
        |p: &Permission| matches!(p, Permission::ManageMessages | Permission::ManageWebhooks);
    facts.owner = Some(UserId(guild.owner_id.get()));
    facts.guild_name = guild.name.clone();
    facts.bot_permissions = permission_list(guild_wide)
        .into_iter()
        .filter(|p| !in_channel(p))
        .chain(permission_list(here).into_iter().filter(in_channel))
        .collect();
    facts.bot_top_role = top(&me.roles);
    facts.actor_top_role = actor_roles.as_deref().map_or(0, top);
    facts.target_top_role = target_roles.as_deref().map(top);
    facts
}

/// Milliseconds since the epoch, now.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
