//! `/guilds/{g}/...`: the guild, roles, channels, members (timeouts, roles, nicknames, kicks)
//! and bans, with Discord's permission and hierarchy checks.

use serde_json::{Value, json};
use serenity::all::Permissions;

use super::{Ctx, Incoming, missing_permissions, parse_id, settings};
use crate::fake_discord::Reply;
use crate::fake_discord::fixtures::id_of;

pub(super) fn route(ctx: &mut Ctx<'_>, segments: &[&str], request: &Incoming<'_>) -> Option<Reply> {
    let guild_id = parse_id(segments.get(1)?)?;
    let Some(guild) = ctx.world.guild_by_id(guild_id) else {
        return Some(Reply::error(404, 10004, "Unknown Guild"));
    };
    match (request.method, &segments[2..]) {
        ("GET", []) => Some(Reply::ok(guild.to_partial_json())),
        ("PATCH", []) => settings::edit_guild(ctx, guild_id, request.body),
        ("PUT", ["incident-actions"]) => settings::incident_actions(ctx, guild_id, request.body),
        ("GET", ["roles"]) => {
            let roles: Vec<Value> = guild.roles.iter().map(|r| r.to_json()).collect();
            Some(Reply::ok(json!(roles)))
        }
        ("GET", ["channels"]) => {
            let channels: Vec<Value> = guild.channels.iter().map(|c| c.to_json(guild_id)).collect();
            Some(Reply::ok(json!(channels)))
        }
        ("GET", ["members"]) => {
            let limit = request
                .query_value("limit")
                .and_then(|l| l.parse().ok())
                .unwrap_or(1);
            let members: Vec<Value> = guild
                .members
                .iter()
                .take(limit)
                .map(|m| m.to_json())
                .collect();
            Some(Reply::ok(json!(members)))
        }
        ("GET", ["members", user]) => Some(match guild.member_by_id(parse_id(user)?) {
            Some(member) => Reply::ok(member.to_json()),
            None => Reply::unknown_member(),
        }),
        ("PATCH", ["members", user]) => edit_member(ctx, guild_id, parse_id(user)?, request.body),
        ("DELETE", ["members", user]) => kick(ctx, guild_id, parse_id(user)?),
        (method @ ("PUT" | "DELETE"), ["members", user, "roles", role]) => {
            let add = method == "PUT";
            member_role(ctx, guild_id, parse_id(user)?, parse_id(role)?, add)
        }
        ("GET", ["invites"]) => {
            if !guild
                .permissions_of(ctx.world.bot.id)
                .contains(Permissions::MANAGE_GUILD)
            {
                return missing_permissions();
            }
            let invites: Vec<Value> = guild.invites.iter().map(|i| i.to_json(guild)).collect();
            Some(Reply::ok(json!(invites)))
        }
        ("GET", ["vanity-url"]) => {
            if !guild
                .permissions_of(ctx.world.bot.id)
                .contains(Permissions::MANAGE_GUILD)
            {
                return missing_permissions();
            }
            Some(Reply::ok(match &guild.vanity {
                Some((code, uses)) => json!({"code": code, "uses": uses}),
                None => json!({"code": null, "uses": 0}),
            }))
        }
        ("GET", ["bans"]) => {
            let bans: Vec<Value> = guild
                .bans
                .iter()
                .map(|(user, reason)| json!({"user": user.to_json(), "reason": reason}))
                .collect();
            Some(Reply::ok(json!(bans)))
        }
        ("GET", ["bans", user]) => {
            let user = parse_id(user)?;
            Some(match guild.bans.iter().find(|(u, _)| u.id == user) {
                Some((user, reason)) => {
                    Reply::ok(json!({"user": user.to_json(), "reason": reason}))
                }
                None => unknown_ban(),
            })
        }
        ("PUT", ["bans", user]) => ban(ctx, guild_id, parse_id(user)?, request.reason),
        ("POST", ["bulk-ban"]) => {
            // Discord's bulk ban: at most 200 users; each banned as one ban would be.
            let users: Vec<u64> = request.body["user_ids"]
                .as_array()
                .into_iter()
                .flatten()
                .map(id_of)
                .collect();
            if users.is_empty() || users.len() > 200 {
                return Some(Reply::error(400, 50_035, "Invalid Form Body"));
            }
            let (mut banned, mut failed) = (Vec::new(), Vec::new());
            for user in users {
                let done = ban(ctx, guild_id, user, request.reason);
                match done {
                    Some(reply) if reply.status == 204 => banned.push(user.to_string()),
                    _ => failed.push(user.to_string()),
                }
            }
            Some(Reply::ok(
                json!({"banned_users": banned, "failed_users": failed}),
            ))
        }
        ("DELETE", ["bans", user]) => unban(ctx, guild_id, parse_id(user)?),
        _ => None,
    }
}

fn unknown_ban() -> Reply {
    Reply::error(404, 10026, "Unknown Ban")
}

/// `PATCH /guilds/{g}/members/{u}`: timeout (`communication_disabled_until`), roles, nickname.
fn edit_member(ctx: &mut Ctx<'_>, guild_id: u64, user: u64, body: &Value) -> Option<Reply> {
    let guild = ctx.world.guild_by_id(guild_id)?;
    let Some(member) = guild.member_by_id(user) else {
        return Some(Reply::unknown_member());
    };
    let bot = ctx.world.bot.id;
    let bot_permissions = guild.permissions_of(bot);
    if body.get("communication_disabled_until").is_some() {
        let target_admin = guild
            .permissions_of(user)
            .contains(Permissions::ADMINISTRATOR);
        if !ctx.may_act_on(guild, user, Permissions::MODERATE_MEMBERS) || target_admin {
            return missing_permissions();
        }
    }
    if let Some(roles) = body.get("roles").and_then(Value::as_array) {
        let wanted: Vec<u64> = roles.iter().map(id_of).collect();
        let bot_top = guild.top_role_position(bot);
        let added = wanted.iter().filter(|r| !member.roles.contains(r));
        let removed = member.roles.iter().filter(|r| !wanted.contains(r));
        let too_high = added
            .chain(removed)
            .filter_map(|r| guild.roles.iter().find(|x| x.id == *r))
            .any(|r| r.position >= bot_top);
        if !bot_permissions.contains(Permissions::MANAGE_ROLES) || too_high {
            return missing_permissions();
        }
    }
    if body.get("nick").is_some() && !bot_permissions.contains(Permissions::MANAGE_NICKNAMES) {
        return missing_permissions();
    }
    let guild = ctx.world.guild_by_id_mut(guild_id)?;
    let member = guild.member_by_id_mut(user)?;
    if let Some(until) = body.get("communication_disabled_until") {
        member.communication_disabled_until = until.as_str().map(str::to_string);
    }
    if let Some(roles) = body.get("roles").and_then(Value::as_array) {
        member.roles = roles.iter().map(id_of).collect();
    }
    if let Some(nick) = body.get("nick") {
        member.nick = nick.as_str().map(str::to_string);
    }
    Some(Reply::ok(member.to_json()))
}

/// `DELETE /guilds/{g}/members/{u}`.
fn kick(ctx: &mut Ctx<'_>, guild_id: u64, user: u64) -> Option<Reply> {
    let guild = ctx.world.guild_by_id(guild_id)?;
    if guild.member_by_id(user).is_none() {
        return Some(Reply::unknown_member());
    }
    if !ctx.may_act_on(guild, user, Permissions::KICK_MEMBERS) {
        return missing_permissions();
    }
    let guild = ctx.world.guild_by_id_mut(guild_id)?;
    guild.members.retain(|m| m.user.id != user);
    Some(Reply::no_content())
}

/// `PUT`/`DELETE /guilds/{g}/members/{u}/roles/{r}`.
fn member_role(ctx: &mut Ctx<'_>, guild_id: u64, user: u64, role: u64, add: bool) -> Option<Reply> {
    let guild = ctx.world.guild_by_id(guild_id)?;
    let bot = ctx.world.bot.id;
    let Some(role_spec) = guild.roles.iter().find(|r| r.id == role) else {
        return Some(Reply::error(404, 10011, "Unknown Role"));
    };
    if !guild
        .permissions_of(bot)
        .contains(Permissions::MANAGE_ROLES)
        || role_spec.position >= guild.top_role_position(bot)
    {
        return missing_permissions();
    }
    let guild = ctx.world.guild_by_id_mut(guild_id)?;
    let Some(member) = guild.member_by_id_mut(user) else {
        return Some(Reply::unknown_member());
    };
    member.roles.retain(|r| *r != role);
    if add {
        member.roles.push(role);
    }
    Some(Reply::no_content())
}

/// `PUT /guilds/{g}/bans/{u}`: removes the member and records the ban with its audit-log reason.
fn ban(ctx: &mut Ctx<'_>, guild_id: u64, user_id: u64, reason: Option<&str>) -> Option<Reply> {
    let guild = ctx.world.guild_by_id(guild_id)?;
    if !ctx.may_act_on(guild, user_id, Permissions::BAN_MEMBERS) {
        return missing_permissions();
    }
    let Some(user) = ctx.world.user(user_id) else {
        return Some(Reply::error(404, 10013, "Unknown User"));
    };
    let guild = ctx.world.guild_by_id_mut(guild_id)?;
    guild.members.retain(|m| m.user.id != user_id);
    guild.bans.retain(|(u, _)| u.id != user_id);
    guild.bans.push((user, reason.map(str::to_string)));
    Some(Reply::no_content())
}

/// `DELETE /guilds/{g}/bans/{u}`.
fn unban(ctx: &mut Ctx<'_>, guild_id: u64, user: u64) -> Option<Reply> {
    let bot = ctx.world.bot.id;
    let guild = ctx.world.guild_by_id_mut(guild_id)?;
    if !guild.permissions_of(bot).contains(Permissions::BAN_MEMBERS) {
        return missing_permissions();
    }
    let before = guild.bans.len();
    guild.bans.retain(|(u, _)| u.id != user);
    Some(if guild.bans.len() < before {
        Reply::no_content()
    } else {
        unknown_ban()
    })
}
