//! Joins end to end: a GUILD_MEMBER_ADD becomes [`JoinFacts`], waits (with the other joins of
//! its burst) for one look at the invites, gets its attribution, and goes through
//! [`community::welcome::on_join`](crate::community::welcome::on_join); the actions it returns are
//! performed. Also: priming the invite cache on GUILD_CREATE, INVITE_CREATE, leaves, and the
//! delayed welcome roles job.

use std::sync::Arc;

use serenity::all::{
    Cache, Context, GuildId, GuildMemberUpdateEvent, Http, InviteCreateEvent, Member, RoleId,
};
use tracing::warn;

use super::invites::{self, Fetched, SETTLE};
use super::{Data, Executor, convert};
use crate::community::referrals::{Attribution, InviteFacts};
use crate::community::welcome::{
    JoinFacts, JoinHistory, WelcomePlace, access, on_join, running_timeout,
};
use crate::i18n::Lang;
use crate::ids;
use crate::jobs::Outcome;
use crate::moderation::{Action, Notice};

/// A join waiting for its attribution.
pub struct PendingJoin {
    facts: JoinFacts,
    /// The member arrived with a timeout still set by Discord: nothing to restore.
    timed_out: bool,
}

/// How many of a member's latest cases are read to find a timeout still running.
const CASES_READ: u32 = 20;

/// GUILD_MEMBER_ADD: queues the join; the first of a burst starts the settling task.
pub fn on_member_join(ctx: &Context, data: &Arc<Data>, member: &Member) {
    let guild = ids::GuildId(member.guild_id.get());
    let cached = ctx
        .cache
        .guild(member.guild_id)
        .map(|g| (g.name.clone(), g.member_count));
    let joined_at_ms = member
        .joined_at
        .as_ref()
        .map_or_else(super::review::now_ms, convert::millis);
    let facts = JoinFacts {
        guild,
        user: ids::UserId(member.user.id.get()),
        display_name: member.display_name().to_string(),
        is_bot: member.user.bot,
        joined_at_ms,
        guild_name: cached.as_ref().map(|c| c.0.clone()).unwrap_or_default(),
        member_count: cached.map(|c| c.1).filter(|n| *n > 0),
        pending: member.pending,
    };
    let timed_out = member
        .communication_disabled_until
        .is_some_and(|until| convert::millis(&until) > joined_at_ms);
    data.activity
        .lock()
        .expect("activity lock")
        .join(guild, joined_at_ms);
    if data.invites.queue(guild, PendingJoin { facts, timed_out }) {
        tokio::spawn(settle(
            ctx.http.clone(),
            ctx.cache.clone(),
            data.clone(),
            guild,
        ));
    }
}

/// Fetches the invites once per round for every join queued, until no join is waiting.
async fn settle(http: Arc<Http>, cache: Arc<Cache>, data: Arc<Data>, guild: ids::GuildId) {
    loop {
        tokio::time::sleep(SETTLE).await;
        let joins = data.invites.take_waiting(guild);
        if joins.is_empty() {
            return;
        }
        let fetched = if tracks_invites(&data) {
            invites::fetch(&http, &cache, GuildId::new(guild.0.max(1))).await
        } else {
            Fetched::Failed
        };
        let hidden = matches!(fetched, Fetched::Hidden);
        let settled = data.invites.settle(guild, joins, fetched);
        let executor = Executor::new(http.clone(), cache.clone(), &data);
        if hidden {
            report_hidden(&data, &executor, guild).await;
        }
        for (join, attribution) in settled {
            welcome(&data, &executor, join, attribution).await;
        }
    }
}

/// Decides and performs everything about one join.
async fn welcome(
    data: &Data,
    executor: &Executor,
    join: PendingJoin,
    mut attribution: Attribution,
) {
    let facts = join.facts;
    // A personal invite (/invite) is Steward's on Discord's side: credit the member it is for.
    if let Some(code) = &attribution.code {
        match data.store.personal_invite_owner(facts.guild, code).await {
            Ok(Some(owner)) => attribution.inviter = Some(owner),
            Ok(None) => {}
            Err(e) => {
                warn!(error = %e, "personal invites unavailable; the invite's creator is credited")
            }
        }
    }
    let settings = match data.settings(facts.guild).await {
        Ok(settings) => settings,
        Err(e) => {
            warn!(guild = %facts.guild, error = %e, "join not welcomed: settings unavailable");
            return;
        }
    };
    let store = &data.store;
    let earlier = store
        .joins_of(facts.guild, facts.user)
        .await
        .unwrap_or_else(|e| {
            warn!(error = %e, "join history unavailable; counted as a first join");
            Vec::new()
        });
    let rejoin = !earlier.is_empty();
    let kept_roles = earlier
        .last()
        .map(|j| j.kept_roles.clone())
        .unwrap_or_default();
    let timeout_until_ms = if join.timed_out {
        None
    } else {
        match store.cases_for(facts.guild, facts.user, CASES_READ).await {
            Ok(cases) => running_timeout(&cases, facts.joined_at_ms),
            Err(e) => {
                warn!(error = %e, "cases unavailable; a running timeout is not restored");
                None
            }
        }
    };
    let history = JoinHistory {
        rejoin,
        timeout_until_ms,
        kept_roles,
    };
    let place = WelcomePlace {
        channel: settings.welcome_channel,
        lang: Lang::of(&settings.language),
    };
    let charter = data.charter();
    let mut actions = on_join(&charter, place, &facts, attribution, &history);
    if data.raids.active(facts.guild).is_some() {
        actions = crate::moderation::raid_mode::quiet_welcome(actions);
    }
    executor.perform(actions, &settings).await;
}

/// Says once per guild (per process) that invites cannot be read.
async fn report_hidden(data: &Data, executor: &Executor, guild: ids::GuildId) {
    if !data.invites_hidden_told(guild) {
        return;
    }
    if let Ok(settings) = data.settings(guild).await {
        let notice = Action::Notice(Notice::InvitesHidden);
        executor.perform(vec![notice], &settings).await;
    }
}

/// Whether invites are worth reading: the charter welcomes newcomers (naming their inviter) or
/// rewards referrals. A server that uses neither is not asked for Manage Server.
fn tracks_invites(data: &Data) -> bool {
    let charter = data.charter();
    charter.welcome.is_some() || charter.referrals.is_some()
}

/// GUILD_CREATE: the invites to compare the first joins against.
pub fn prime(ctx: &Context, data: &Arc<Data>, guild: GuildId) {
    if !tracks_invites(data) {
        return;
    }
    let (http, cache, data) = (ctx.http.clone(), ctx.cache.clone(), data.clone());
    tokio::spawn(async move {
        let ours = ids::GuildId(guild.get());
        let generation = data.invites.generation(ours);
        match invites::fetch(&http, &cache, guild).await {
            Fetched::Invites(snapshot) => data.invites.prime(ours, generation, snapshot),
            Fetched::Hidden => {
                let executor = Executor::new(http.clone(), cache.clone(), &data);
                report_hidden(&data, &executor, ours).await;
            }
            Fetched::Failed => {}
        }
    });
}

/// INVITE_CREATE: a new invite starts from its use count.
pub fn invite_created(data: &Data, invite: &InviteCreateEvent) {
    let Some(guild) = invite.guild_id else { return };
    let facts = InviteFacts {
        code: invite.code.clone(),
        inviter: invite.inviter.as_ref().map(|u| ids::UserId(u.id.get())),
        uses: invite.uses,
        max_uses: u64::from(invite.max_uses),
    };
    data.invites.created(ids::GuildId(guild.get()), facts);
}

/// The `[welcome] keep_roles` (as the charter names them) that `member` holds.
fn kept_roles(ctx: &Context, data: &Data, guild: GuildId, member: Option<&Member>) -> Vec<String> {
    let charter = data.charter();
    let (Some(welcome), Some(member)) = (charter.welcome.as_ref(), member) else {
        return Vec::new();
    };
    let held: Vec<(RoleId, String)> = ctx.cache.guild(guild).map_or_else(Vec::new, |g| {
        member
            .roles
            .iter()
            .filter_map(|id| g.roles.get(id))
            .map(|r| (r.id, r.name.clone()))
            .collect()
    });
    welcome
        .keep_roles
        .iter()
        .filter(|wanted| {
            held.iter()
                .any(|(id, name)| convert::names_role(wanted, *id, name))
        })
        .cloned()
        .collect()
}

/// GUILD_MEMBER_UPDATE: a member who was waiting for the membership screening and passed it gets
/// what gives access (roles, the charter's invitation), once.
pub async fn on_member_update(ctx: &Context, data: &Arc<Data>, update: &GuildMemberUpdateEvent) {
    if update.pending {
        return;
    }
    let guild = ids::GuildId(update.guild_id.get());
    let user = ids::UserId(update.user.id.get());
    match data.store.finish_screening(guild, user).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            warn!(%guild, %user, error = %e, "screening not recorded; access not given");
            return;
        }
    }
    let Ok(settings) = data.settings(guild).await else {
        return;
    };
    let actions = access(
        &data.charter(),
        guild,
        user,
        settings.welcome_channel,
        super::review::now_ms(),
    );
    let executor = Executor::new(ctx.http.clone(), ctx.cache.clone(), data);
    executor.perform(actions, &settings).await;
}

/// GUILD_MEMBER_REMOVE: the member's latest join ends now, noting the `[welcome] keep_roles`
/// they held (from the cache) so that they get them back if they return.
pub async fn on_member_leave(
    ctx: &Context,
    data: &Data,
    guild: GuildId,
    member: Option<&Member>,
    user: ids::UserId,
) {
    let kept = kept_roles(ctx, data, guild, member);
    let guild = ids::GuildId(guild.get());
    let at = super::review::now_ms();
    data.activity
        .lock()
        .expect("activity lock")
        .leave(guild, at);
    if let Err(e) = data.store.record_leave(guild, user, at, &kept).await {
        warn!(%guild, %user, error = %e, "leave not recorded");
    }
}

/// [`Job::GiveRoles`](crate::jobs::Job::GiveRoles): the roles, if the newcomer is still here.
pub async fn give_roles_job(
    data: &Data,
    executor: &Executor,
    guild: ids::GuildId,
    user: ids::UserId,
    roles: &[String],
) -> Result<Outcome, String> {
    if !still_member(&executor.http, guild, user).await? {
        return Ok(Outcome::Done); // Left meanwhile: nothing to give.
    }
    let settings = data.settings(guild).await.map_err(|e| e.to_string())?;
    let give = Action::GiveRoles {
        user,
        roles: roles.to_vec(),
    };
    executor
        .carry_out(vec![give], &settings)
        .await
        .map(|_| Outcome::Done)
        .map_err(|e| e.to_string())
}

/// Whether `user` is still a member of `guild`, asked of Discord; an error other than Unknown
/// Member is an error (the job is retried), not a departure.
pub async fn still_member(
    http: &Http,
    guild: ids::GuildId,
    user: ids::UserId,
) -> Result<bool, String> {
    let serenity_guild = GuildId::new(guild.0.max(1));
    match serenity_guild
        .member(http, serenity::all::UserId::new(user.0.max(1)))
        .await
    {
        Ok(_) => Ok(true),
        Err(serenity::Error::Http(serenity::all::HttpError::UnsuccessfulRequest(response)))
            if response.error.code == UNKNOWN_MEMBER =>
        {
            Ok(false)
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Discord's JSON error code for "Unknown Member".
const UNKNOWN_MEMBER: isize = 10007;
