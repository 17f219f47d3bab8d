//! `steward doctor`'s questions to Discord: is the token accepted, are the privileged intents
//! enabled for the application, and in every server Steward is in, does its role have the
//! permissions it needs and stand above the members it must act on. Read-only REST calls; the
//! judgements and the report are in [`crate::doctor`].

use std::collections::HashMap;

use serenity::all::{Http, HttpBuilder, Permissions, Role, RoleId};

use crate::doctor::{Report, RoleFacts, intents, roles_out_of_reach};

/// What Steward's role needs in a server (the README's invite link grants exactly these).
pub const NEEDED: Permissions = Permissions::VIEW_CHANNEL
    .union(Permissions::SEND_MESSAGES)
    .union(Permissions::EMBED_LINKS)
    .union(Permissions::READ_MESSAGE_HISTORY)
    .union(Permissions::ADD_REACTIONS)
    .union(Permissions::MANAGE_MESSAGES)
    .union(Permissions::MODERATE_MEMBERS)
    .union(Permissions::KICK_MEMBERS)
    .union(Permissions::BAN_MEMBERS)
    .union(Permissions::MANAGE_WEBHOOKS)
    .union(Permissions::MANAGE_CHANNELS)
    .union(Permissions::MANAGE_GUILD)
    .union(Permissions::MANAGE_ROLES)
    .union(Permissions::CREATE_INSTANT_INVITE);

/// How many members of a server are read for the role-order check.
const MEMBERS_READ: u64 = 1000;

/// Asks Discord, with `token` (through `api_url` when set), and reports.
pub async fn check(token: &str, api_url: Option<&str>) -> Report {
    let http = match api_url {
        Some(base) => HttpBuilder::new(token)
            .proxy(base)
            .ratelimiter_disabled(true)
            .build(),
        None => Http::new(token),
    };
    let mut report = Report::default();
    let me = match http.get_current_user().await {
        Ok(me) => {
            report.ok(format!(
                "token: accepted, Steward is {} ({})",
                me.name, me.id
            ));
            me
        }
        Err(e) => {
            report.problem(
                format!("token: refused by Discord ({e})"),
                "put the bot's token (Bot > Reset Token in the developer portal) in DISCORD_TOKEN",
            );
            return report;
        }
    };
    match http.get_current_application_info().await {
        Ok(app) => intents(&mut report, app.flags.map_or(0, |f| f.bits())),
        Err(e) => report.problem(
            format!("intents: the application could not be read ({e})"),
            "check the token belongs to a bot application",
        ),
    }
    let guilds = match http.get_guilds(None, Some(200)).await {
        Ok(guilds) => guilds,
        Err(e) => {
            report.problem(
                format!("servers: the list could not be read ({e})"),
                "retry; if it persists, check Discord's status",
            );
            return report;
        }
    };
    if guilds.is_empty() {
        report.problem(
            "servers: Steward is in no server",
            "invite it with the link in the README (scopes bot and applications.commands)",
        );
    }
    for guild in guilds {
        check_guild(&http, &mut report, guild.id, &guild.name, me.id).await;
    }
    report
}

/// The permissions and the role order in one server.
async fn check_guild(
    http: &Http,
    report: &mut Report,
    guild: serenity::all::GuildId,
    name: &str,
    me: serenity::all::UserId,
) {
    let (roles, bot) = match (
        http.get_guild_roles(guild).await,
        http.get_member(guild, me).await,
    ) {
        (Ok(roles), Ok(bot)) => (roles, bot),
        (Err(e), _) | (_, Err(e)) => {
            report.problem(
                format!("server \"{name}\": its roles could not be read ({e})"),
                "retry; Steward may have been removed from it",
            );
            return;
        }
    };
    let by_id: HashMap<RoleId, &Role> = roles.iter().map(|r| (r.id, r)).collect();
    let everyone = RoleId::new(guild.get());
    let granted = bot
        .roles
        .iter()
        .chain(std::iter::once(&everyone))
        .filter_map(|id| by_id.get(id))
        .fold(Permissions::empty(), |all, role| all | role.permissions);
    let missing = if granted.administrator() {
        Permissions::empty()
    } else {
        NEEDED - granted
    };
    if missing.is_empty() {
        report.ok(format!("server \"{name}\": every permission Steward needs"));
    } else {
        report.problem(
            format!(
                "server \"{name}\": Steward lacks {}",
                missing.get_permission_names().join(", ")
            ),
            "give Steward's role these permissions in Server Settings > Roles",
        );
    }
    let top = |ids: &[RoleId]| {
        ids.iter()
            .filter_map(|id| by_id.get(id))
            .map(|r| r.position)
            .max()
            .unwrap_or(0)
    };
    let bot_top = top(&bot.roles);
    let members = match http
        .get_guild_members(guild, Some(MEMBERS_READ), None)
        .await
    {
        Ok(members) => members,
        Err(e) => {
            report.problem(
                format!("server \"{name}\": members could not be read for the role order ({e})"),
                "enable the Server Members Intent",
            );
            return;
        }
    };
    let mut held: HashMap<RoleId, usize> = HashMap::new();
    for member in members.iter().filter(|m| m.user.id != me) {
        for role in &member.roles {
            *held.entry(*role).or_default() += 1;
        }
    }
    let facts: Vec<RoleFacts> = roles
        .iter()
        .map(|r| RoleFacts {
            name: r.name.clone(),
            position: r.position,
            members: held.get(&r.id).copied().unwrap_or(0),
        })
        .collect();
    let above = roles_out_of_reach(bot_top, &facts);
    if above.is_empty() {
        report.ok(format!(
            "server \"{name}\": Steward's role is above every member's"
        ));
    } else {
        let names: Vec<String> = above
            .iter()
            .map(|r| format!("{} ({} members)", r.name, r.members))
            .collect();
        report.problem(
            format!(
                "server \"{name}\": members with {} are at or above Steward's role, out of its reach",
                names.join(", ")
            ),
            "drag Steward's role above them in Server Settings > Roles",
        );
    }
}
