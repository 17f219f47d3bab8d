//! REST under `/api/v10`: records every request, applies canned replies, else answers like
//! Discord with valid models, keeping the world and the store up to date and enforcing the bot's
//! permissions and role hierarchy. Unknown routes answer 404 `{"message":"Unknown route"}`.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use serenity::all::Permissions;

use super::fixtures::{attachment, command_id, id_of, next_id, now_timestamp};
use super::world::{GuildSpec, World};
use super::{Recorded, Reply, Shared, Store};

const BODY_LIMIT: usize = 64 * 1024 * 1024;

pub(crate) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    let headers = request.headers().clone();
    let bytes = to_bytes(request.into_body(), BODY_LIMIT)
        .await
        .unwrap_or_default();
    let raw_body = String::from_utf8_lossy(&bytes).into_owned();
    let body = parse_body(&headers, &raw_body);
    let audit_log_reason = headers
        .get("x-audit-log-reason")
        .and_then(|v| v.to_str().ok())
        .map(percent_decode);

    let request = Incoming {
        method: &method,
        path: &path,
        query: query.as_deref().unwrap_or(""),
        body: &body,
        reason: audit_log_reason.as_deref(),
    };
    let (reply, known_route) = match shared.take_override(&method, &path) {
        Some(reply) => (reply, true),
        None => match route(&shared, &request) {
            Some(reply) => (reply, true),
            None => (Reply::error(404, 0, "Unknown route"), false),
        },
    };
    shared.record(Recorded {
        index: 0,
        method,
        path,
        query,
        body,
        raw_body,
        audit_log_reason,
        status: reply.status,
        known_route,
        at: shared.started.elapsed(),
    });
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match reply.body {
        Some(body) => (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response(),
        None => (status, Body::empty()).into_response(),
    }
}

/// JSON body, or the `payload_json` part of a multipart body, or `Null`.
fn parse_body(headers: &HeaderMap, raw: &str) -> Value {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    if let Some(boundary) = content_type.and_then(|t| t.split("boundary=").nth(1)) {
        let boundary = format!("--{}", boundary.trim_matches('"'));
        for part in raw.split(boundary.as_str()) {
            let Some((head, content)) = part.split_once("\r\n\r\n") else {
                continue;
            };
            if head.contains("name=\"payload_json\"") {
                return serde_json::from_str(content.trim_end_matches("\r\n"))
                    .unwrap_or(Value::Null);
            }
        }
        return Value::Null;
    }
    serde_json::from_str(raw).unwrap_or(Value::Null)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn parse_id(segment: &str) -> Option<u64> {
    segment.parse().ok()
}

fn missing_permissions() -> Option<Reply> {
    Some(Reply::missing_permissions())
}

/// What a route needs of a request.
struct Incoming<'r> {
    method: &'r str,
    path: &'r str,
    query: &'r str,
    body: &'r Value,
    reason: Option<&'r str>,
}

/// Answers a request like Discord; `None` for an unknown route.
fn route(shared: &Shared, request: &Incoming<'_>) -> Option<Reply> {
    let Incoming {
        method,
        path,
        query,
        body,
        reason,
    } = *request;
    let rest = path.strip_prefix("/api/v10/")?;
    let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let mut world = shared.world.lock().unwrap();
    let mut store = shared.store.lock().unwrap();
    let ctx = &mut Ctx {
        world: &mut world,
        store: &mut store,
    };
    match (method, segments.as_slice()) {
        ("GET", ["gateway"]) => Some(Reply::ok(json!({"url": shared.ws_url}))),
        ("GET", ["gateway", "bot"]) => Some(Reply::ok(json!({
            "url": shared.ws_url,
            "shards": 1,
            "session_start_limit": {
                "total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1
            },
        }))),
        ("GET", ["users", "@me"]) => {
            let mut user = ctx.world.bot.to_json();
            user["verified"] = json!(true);
            user["mfa_enabled"] = json!(false);
            user["flags"] = json!(0);
            Some(Reply::ok(user))
        }
        ("GET", ["users", user]) => Some(match ctx.world.user(parse_id(user)?) {
            Some(user) => Reply::ok(user.to_json()),
            None => Reply::error(404, 10013, "Unknown User"),
        }),
        ("GET", ["oauth2", "applications", "@me"] | ["applications", "@me"]) => {
            Some(Reply::ok(ctx.world.application_json()))
        }
        ("POST", ["users", "@me", "channels"]) => ctx.open_dm(body),
        ("GET", ["applications", _, "commands"]) => {
            Some(Reply::ok(json!(ctx.store.global_commands)))
        }
        ("PUT", ["applications", _, "commands"]) => {
            let commands = ctx.echo_commands(body, None);
            ctx.store.global_commands = commands.clone();
            Some(Reply::ok(json!(commands)))
        }
        ("POST", ["applications", _, "commands"]) => {
            let command = ctx.echo_commands(&json!([body]), None).remove(0);
            let commands = &mut ctx.store.global_commands;
            commands.retain(|c| c["name"] != command["name"]);
            commands.push(command.clone());
            Some(Reply::json(201, command))
        }
        ("GET", ["applications", _, "guilds", guild, "commands"]) => {
            let guild = parse_id(guild)?;
            let commands = ctx
                .store
                .guild_commands
                .get(&guild)
                .cloned()
                .unwrap_or_default();
            Some(Reply::ok(json!(commands)))
        }
        ("PUT", ["applications", _, "guilds", guild, "commands"]) => {
            let guild = parse_id(guild)?;
            let commands = ctx.echo_commands(body, Some(guild));
            ctx.store.guild_commands.insert(guild, commands.clone());
            Some(Reply::ok(json!(commands)))
        }
        ("GET", ["channels", channel]) => ctx.get_channel(parse_id(channel)?),
        ("GET", ["channels", channel, "messages"]) => {
            let channel = parse_id(channel)?;
            let mut messages: Vec<&Value> = ctx
                .store
                .messages
                .values()
                .filter(|m| id_of(&m["channel_id"]) == channel)
                .collect();
            messages.sort_by_key(|m| std::cmp::Reverse(id_of(&m["id"])));
            Some(Reply::ok(json!(messages)))
        }
        ("POST", ["channels", channel, "messages"]) => ctx.create_message(parse_id(channel)?, body),
        ("POST", ["channels", channel, "messages", "bulk-delete"]) => {
            let channel = parse_id(channel)?;
            if !ctx.bot_can(channel, Permissions::MANAGE_MESSAGES) {
                return missing_permissions();
            }
            for id in body["messages"].as_array().into_iter().flatten() {
                ctx.store.messages.remove(&id_of(id));
            }
            Some(Reply::no_content())
        }
        ("GET", ["channels", _, "messages", message]) => {
            Some(match ctx.store.messages.get(&parse_id(message)?) {
                Some(message) => Reply::ok(message.clone()),
                None => Reply::unknown_message(),
            })
        }
        ("PATCH", ["channels", _, "messages", message]) => {
            let message = parse_id(message)?;
            let Some(stored) = ctx.store.messages.get_mut(&message) else {
                return Some(Reply::unknown_message());
            };
            if id_of(&stored["author"]["id"]) != ctx.world.bot.id {
                return Some(Reply::error(
                    403,
                    50005,
                    "Cannot edit a message authored by another user",
                ));
            }
            apply_edit(stored, body);
            Some(Reply::ok(stored.clone()))
        }
        ("DELETE", ["channels", channel, "messages", message]) => {
            let (channel, message) = (parse_id(channel)?, parse_id(message)?);
            let Some(stored) = ctx.store.messages.get(&message) else {
                return Some(Reply::unknown_message());
            };
            let own = id_of(&stored["author"]["id"]) == ctx.world.bot.id;
            if !own && !ctx.bot_can(channel, Permissions::MANAGE_MESSAGES) {
                return missing_permissions();
            }
            ctx.store.messages.remove(&message);
            Some(Reply::no_content())
        }
        ("PUT", ["channels", channel, "messages", _, "reactions", _, "@me"]) => {
            let channel = parse_id(channel)?;
            let allowed = ctx.bot_can(
                channel,
                Permissions::ADD_REACTIONS | Permissions::READ_MESSAGE_HISTORY,
            );
            if !allowed {
                return missing_permissions();
            }
            Some(Reply::no_content())
        }
        ("DELETE", ["channels", _, "messages", _, "reactions", ..]) => Some(Reply::no_content()),
        ("GET", ["channels", _, "messages", _, "reactions", _]) => Some(Reply::ok(json!([]))),
        ("POST", ["channels", _, "typing"]) => Some(Reply::no_content()),
        ("GET", ["channels", _, "webhooks"]) => Some(Reply::ok(json!(ctx.store.webhooks))),
        ("POST", ["channels", channel, "webhooks"]) => ctx.create_webhook(parse_id(channel)?, body),
        ("GET", ["guilds", guild]) => {
            let guild = ctx.world.guild_by_id(parse_id(guild)?)?;
            Some(Reply::ok(guild.to_partial_json()))
        }
        ("GET", ["guilds", guild, "roles"]) => {
            let guild = ctx.world.guild_by_id(parse_id(guild)?)?;
            Some(Reply::ok(json!(
                guild.roles.iter().map(|r| r.to_json()).collect::<Vec<_>>()
            )))
        }
        ("GET", ["guilds", guild, "channels"]) => {
            let guild = ctx.world.guild_by_id(parse_id(guild)?)?;
            let channels: Vec<Value> = guild.channels.iter().map(|c| c.to_json(guild.id)).collect();
            Some(Reply::ok(json!(channels)))
        }
        ("GET", ["guilds", guild, "members"]) => {
            let guild = ctx.world.guild_by_id(parse_id(guild)?)?;
            let limit = query_value(query, "limit")
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
        ("GET", ["guilds", guild, "members", user]) => {
            let guild = ctx.world.guild_by_id(parse_id(guild)?)?;
            Some(match guild.member_by_id(parse_id(user)?) {
                Some(member) => Reply::ok(member.to_json()),
                None => Reply::unknown_member(),
            })
        }
        ("PATCH", ["guilds", guild, "members", user]) => {
            ctx.edit_member(parse_id(guild)?, parse_id(user)?, body)
        }
        ("DELETE", ["guilds", guild, "members", user]) => {
            let (guild_id, user) = (parse_id(guild)?, parse_id(user)?);
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
        ("PUT" | "DELETE", ["guilds", guild, "members", user, "roles", role]) => {
            let (guild_id, user, role) = (parse_id(guild)?, parse_id(user)?, parse_id(role)?);
            let guild = ctx.world.guild_by_id(guild_id)?;
            let bot_top = guild.top_role_position(ctx.world.bot.id);
            let role_position = guild.roles.iter().find(|r| r.id == role)?.position;
            if !guild
                .permissions_of(ctx.world.bot.id)
                .contains(Permissions::MANAGE_ROLES)
                || role_position >= bot_top
            {
                return missing_permissions();
            }
            let guild = ctx.world.guild_by_id_mut(guild_id)?;
            let Some(member) = guild.member_by_id_mut(user) else {
                return Some(Reply::unknown_member());
            };
            member.roles.retain(|r| *r != role);
            if method == "PUT" {
                member.roles.push(role);
            }
            Some(Reply::no_content())
        }
        ("GET", ["guilds", guild, "bans"]) => {
            let guild = ctx.world.guild_by_id(parse_id(guild)?)?;
            let bans: Vec<Value> = guild
                .bans
                .iter()
                .map(|(user, reason)| json!({"user": user.to_json(), "reason": reason}))
                .collect();
            Some(Reply::ok(json!(bans)))
        }
        ("GET", ["guilds", guild, "bans", user]) => {
            let (guild, user) = (ctx.world.guild_by_id(parse_id(guild)?)?, parse_id(user)?);
            Some(match guild.bans.iter().find(|(u, _)| u.id == user) {
                Some((user, reason)) => {
                    Reply::ok(json!({"user": user.to_json(), "reason": reason}))
                }
                None => Reply::error(404, 10026, "Unknown Ban"),
            })
        }
        ("PUT", ["guilds", guild, "bans", user]) => {
            let (guild_id, user_id) = (parse_id(guild)?, parse_id(user)?);
            let reason = reason.map(str::to_string);
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
            guild.bans.push((user, reason));
            Some(Reply::no_content())
        }
        ("DELETE", ["guilds", guild, "bans", user]) => {
            let (guild_id, user) = (parse_id(guild)?, parse_id(user)?);
            let guild = ctx.world.guild_by_id(guild_id)?;
            if !guild
                .permissions_of(ctx.world.bot.id)
                .contains(Permissions::BAN_MEMBERS)
            {
                return missing_permissions();
            }
            let guild = ctx.world.guild_by_id_mut(guild_id)?;
            let before = guild.bans.len();
            guild.bans.retain(|(u, _)| u.id != user);
            Some(if guild.bans.len() < before {
                Reply::no_content()
            } else {
                Reply::error(404, 10026, "Unknown Ban")
            })
        }
        ("POST", ["interactions", _, token, "callback"]) => ctx.interaction_callback(token, body),
        ("GET", ["webhooks", _, token, "messages", "@original"]) => {
            Some(match ctx.store.originals.get(*token) {
                Some(message) => Reply::ok(message.clone()),
                None => Reply::unknown_message(),
            })
        }
        ("PATCH", ["webhooks", _, token, "messages", "@original"]) => {
            let message = match ctx.store.originals.get(*token) {
                Some(original) => original.clone(),
                None => ctx.interaction_message(token, &json!({})),
            };
            let mut message = message;
            apply_edit(&mut message, body);
            ctx.store
                .originals
                .insert(token.to_string(), message.clone());
            Some(Reply::ok(message))
        }
        ("DELETE", ["webhooks", _, token, "messages", "@original"]) => {
            Some(match ctx.store.originals.remove(*token) {
                Some(_) => Reply::no_content(),
                None => Reply::unknown_message(),
            })
        }
        ("GET" | "PATCH" | "DELETE", ["webhooks", _, _, "messages", message]) => {
            let id = parse_id(message)?;
            let Some(stored) = ctx.store.messages.get_mut(&id) else {
                return Some(Reply::unknown_message());
            };
            match method {
                "GET" => Some(Reply::ok(stored.clone())),
                "PATCH" => {
                    apply_edit(stored, body);
                    Some(Reply::ok(stored.clone()))
                }
                _ => {
                    ctx.store.messages.remove(&id);
                    Some(Reply::no_content())
                }
            }
        }
        ("POST", ["webhooks", id, token]) => {
            let wait = query_value(query, "wait") != Some("false");
            let id = parse_id(id)?;
            let message = if id == ctx.world.application_id {
                ctx.interaction_message(token, body)
            } else {
                let webhook = ctx
                    .store
                    .webhooks
                    .iter()
                    .find(|w| id_of(&w["id"]) == id && w["token"] == *token)?
                    .clone();
                let mut message = ctx.bot_message(id_of(&webhook["channel_id"]), body);
                message["webhook_id"] = json!(id.to_string());
                message["author"] = json!({
                    "id": id.to_string(),
                    "username": body["username"].as_str().or(webhook["name"].as_str()),
                    "discriminator": "0000",
                    "avatar": null,
                    "bot": true,
                });
                message
            };
            ctx.store
                .messages
                .insert(id_of(&message["id"]), message.clone());
            Some(if wait {
                Reply::ok(message)
            } else {
                Reply::no_content()
            })
        }
        ("GET", ["webhooks", id, ..]) => {
            let id = parse_id(id)?;
            let webhook = ctx.store.webhooks.iter().find(|w| id_of(&w["id"]) == id)?;
            Some(Reply::ok(webhook.clone()))
        }
        _ => None,
    }
}

fn query_value<'q>(query: &'q str, name: &str) -> Option<&'q str> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then_some(value)
    })
}

/// Applies a message edit body (`content`, `embeds`, `components`, `flags`) to a message.
fn apply_edit(message: &mut Value, body: &Value) {
    for key in ["content", "embeds", "components", "flags"] {
        match body.get(key) {
            Some(value) if !value.is_null() => message[key] = value.clone(),
            _ => {}
        }
    }
    message["edited_timestamp"] = json!(now_timestamp());
}

struct Ctx<'a> {
    world: &'a mut World,
    store: &'a mut Store,
}

impl Ctx<'_> {
    /// Whether the bot has `permissions` in `channel` (a guild channel; DMs allow everything).
    fn bot_can(&self, channel: u64, permissions: Permissions) -> bool {
        match self.world.guild_of_channel(channel) {
            Some(guild) => {
                let have = guild.channel_permissions_of(self.world.bot.id, channel);
                have.contains(Permissions::ADMINISTRATOR) || have.contains(permissions)
            }
            None => true,
        }
    }

    /// Whether the bot may use `permission` on member `target`: it has the permission, the
    /// target is not the owner, and the bot's top role is above the target's.
    fn may_act_on(&self, guild: &GuildSpec, target: u64, permission: Permissions) -> bool {
        let bot = self.world.bot.id;
        guild.permissions_of(bot).contains(permission)
            && target != guild.owner_id
            && (guild.member_by_id(target).is_none()
                || guild.top_role_position(bot) > guild.top_role_position(target))
    }

    fn get_channel(&self, id: u64) -> Option<Reply> {
        if let Some(guild) = self.world.guild_of_channel(id) {
            let channel = guild.channel_by_id(id).expect("guild has the channel");
            return Some(Reply::ok(channel.to_json(guild.id)));
        }
        let (user, _) = self.store.dm_channels.iter().find(|(_, c)| **c == id)?;
        let user = self.world.user(*user)?;
        Some(Reply::ok(dm_channel_json(id, &user.to_json())))
    }

    fn open_dm(&mut self, body: &Value) -> Option<Reply> {
        let user_id = id_of(&body["recipient_id"]);
        let Some(user) = self.world.user(user_id) else {
            return Some(Reply::error(400, 50033, "Invalid Recipient(s)"));
        };
        let channel = *self
            .store
            .dm_channels
            .entry(user_id)
            .or_insert_with(next_id);
        Some(Reply::ok(dm_channel_json(channel, &user.to_json())))
    }

    /// A message the bot sends to `channel` built from a create-message body.
    fn bot_message(&self, channel: u64, body: &Value) -> Value {
        let attachments: Vec<Value> = body["attachments"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a["filename"].as_str())
            .map(|name| attachment(name, "application/octet-stream", 0))
            .collect();
        let reference = body.get("message_reference").filter(|r| !r.is_null());
        json!({
            "id": next_id().to_string(),
            "channel_id": channel.to_string(),
            "author": self.world.bot.to_json(),
            "content": body["content"].as_str().unwrap_or_default(),
            "timestamp": now_timestamp(),
            "edited_timestamp": null,
            "tts": body["tts"].as_bool().unwrap_or(false),
            "mention_everyone": false,
            "mentions": [],
            "mention_roles": [],
            "attachments": attachments,
            "embeds": body.get("embeds").filter(|e| e.is_array()).cloned().unwrap_or(json!([])),
            "components": body.get("components").filter(|c| c.is_array()).cloned().unwrap_or(json!([])),
            "pinned": false,
            "type": if reference.is_some() { 19 } else { 0 },
            "flags": body["flags"].as_u64().unwrap_or(0),
            "message_reference": reference,
        })
    }

    fn create_message(&mut self, channel: u64, body: &Value) -> Option<Reply> {
        let is_dm = self.store.dm_channels.values().any(|c| *c == channel);
        if !is_dm && self.world.guild_of_channel(channel).is_none() {
            return Some(Reply::unknown_channel());
        }
        if !self.bot_can(
            channel,
            Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES,
        ) {
            return missing_permissions();
        }
        let message = self.bot_message(channel, body);
        self.store
            .messages
            .insert(id_of(&message["id"]), message.clone());
        Some(Reply::ok(message))
    }

    /// The message an interaction reply makes (in the interaction's channel).
    fn interaction_message(&self, token: &str, data: &Value) -> Value {
        let interaction = self.store.interactions.get(token);
        let channel = interaction.map_or(0, |i| id_of(&i["channel_id"]));
        let mut message = self.bot_message(channel, data);
        if let Some(interaction) = interaction {
            message["application_id"] = interaction["application_id"].clone();
            message["webhook_id"] = interaction["application_id"].clone();
            message["type"] = json!(20);
            message["interaction_metadata"] = json!({
                "id": interaction["id"],
                "type": interaction["type"],
                "user": interaction["member"]["user"],
                "authorizing_integration_owners": {},
            });
        }
        message
    }

    fn interaction_callback(&mut self, token: &str, body: &Value) -> Option<Reply> {
        let data = body.get("data").cloned().unwrap_or(json!({}));
        match body["type"].as_u64() {
            // CHANNEL_MESSAGE_WITH_SOURCE, DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
            Some(4 | 5) => {
                let message = self.interaction_message(token, &data);
                self.store.originals.insert(token.to_string(), message);
            }
            // UPDATE_MESSAGE: edits the message the component is on.
            Some(7) => {
                let target = self
                    .store
                    .interactions
                    .get(token)
                    .map(|i| i["message"]["id"].clone());
                if let Some(message) = target
                    .filter(|id| !id.is_null())
                    .and_then(|id| self.store.messages.get_mut(&id_of(&id)))
                {
                    apply_edit(message, &data);
                }
            }
            _ => {}
        }
        Some(Reply::no_content())
    }

    fn echo_commands(&self, body: &Value, guild: Option<u64>) -> Vec<Value> {
        let app = self.world.application_id.to_string();
        body.as_array()
            .into_iter()
            .flatten()
            .map(|command| {
                let mut command = command.clone();
                let name = command["name"].as_str().unwrap_or_default().to_string();
                command["id"] = json!(command_id(&name).to_string());
                command["application_id"] = json!(app);
                command["version"] = json!(next_id().to_string());
                if command.get("type").is_none_or(Value::is_null) {
                    command["type"] = json!(1);
                }
                if command.get("description").is_none_or(Value::is_null) {
                    command["description"] = json!("");
                }
                if let Some(guild) = guild {
                    command["guild_id"] = json!(guild.to_string());
                }
                command
            })
            .collect()
    }

    fn edit_member(&mut self, guild_id: u64, user: u64, body: &Value) -> Option<Reply> {
        let guild = self.world.guild_by_id(guild_id)?;
        if guild.member_by_id(user).is_none() {
            return Some(Reply::unknown_member());
        }
        let bot = self.world.bot.id;
        let bot_permissions = guild.permissions_of(bot);
        if body.get("communication_disabled_until").is_some() {
            let target_admin = guild
                .permissions_of(user)
                .contains(Permissions::ADMINISTRATOR);
            if !self.may_act_on(guild, user, Permissions::MODERATE_MEMBERS) || target_admin {
                return missing_permissions();
            }
        }
        if let Some(roles) = body.get("roles").and_then(Value::as_array) {
            let bot_top = guild.top_role_position(bot);
            let current = &guild.member_by_id(user).expect("checked").roles;
            let changed = roles
                .iter()
                .map(id_of)
                .filter(|r| !current.contains(r))
                .chain(
                    current
                        .iter()
                        .copied()
                        .filter(|r| !roles.iter().any(|x| id_of(x) == *r)),
                );
            let too_high = changed
                .filter_map(|r| guild.roles.iter().find(|x| x.id == r))
                .any(|r| r.position >= bot_top);
            if !bot_permissions.contains(Permissions::MANAGE_ROLES) || too_high {
                return missing_permissions();
            }
        }
        if body.get("nick").is_some() && !bot_permissions.contains(Permissions::MANAGE_NICKNAMES) {
            return missing_permissions();
        }
        let guild = self.world.guild_by_id_mut(guild_id)?;
        let member = guild.member_by_id_mut(user).expect("checked");
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

    fn create_webhook(&mut self, channel: u64, body: &Value) -> Option<Reply> {
        let guild = self.world.guild_of_channel(channel)?;
        if !self.bot_can(channel, Permissions::MANAGE_WEBHOOKS) {
            return missing_permissions();
        }
        let id = next_id();
        let webhook = json!({
            "id": id.to_string(),
            "type": 1,
            "guild_id": guild.id.to_string(),
            "channel_id": channel.to_string(),
            "user": self.world.bot.to_json(),
            "name": body["name"].as_str().unwrap_or("webhook"),
            "avatar": null,
            "token": format!("fake-webhook-token-{id}"),
            "application_id": null,
            "url": format!("https://discord.com/api/webhooks/{id}/fake-webhook-token-{id}"),
        });
        self.store.webhooks.push(webhook.clone());
        Some(Reply::ok(webhook))
    }
}

fn dm_channel_json(id: u64, user: &Value) -> Value {
    json!({
        "id": id.to_string(),
        "type": 1,
        "last_message_id": null,
        "recipients": [user],
        "flags": 0,
    })
}

/// Keeps the fake's state in step with what the test dispatches: messages are stored (so the bot
/// can fetch, edit or delete them), members join and leave, interactions are remembered (so
/// replies land in the right channel).
pub(crate) fn observe_dispatch(shared: &Shared, event: &str, data: &Value) {
    let mut store = shared.store.lock().unwrap();
    let mut world = shared.world.lock().unwrap();
    match event {
        "MESSAGE_CREATE" | "MESSAGE_UPDATE" => {
            store.messages.insert(id_of(&data["id"]), data.clone());
        }
        "MESSAGE_DELETE" => {
            store.messages.remove(&id_of(&data["id"]));
        }
        "GUILD_MEMBER_ADD" | "GUILD_MEMBER_UPDATE" => {
            let Some(guild) = world.guild_by_id_mut(id_of(&data["guild_id"])) else {
                return;
            };
            let member = member_from_json(data);
            guild.members.retain(|m| m.user.id != member.user.id);
            guild.members.push(member);
        }
        "GUILD_MEMBER_REMOVE" => {
            let user = id_of(&data["user"]["id"]);
            if let Some(guild) = world.guild_by_id_mut(id_of(&data["guild_id"])) {
                guild.members.retain(|m| m.user.id != user);
            }
        }
        "INTERACTION_CREATE" => {
            if let Some(token) = data["token"].as_str() {
                store.interactions.insert(token.to_string(), data.clone());
            }
            if let Some(message) = data.get("message").filter(|m| m.is_object()) {
                store
                    .messages
                    .entry(id_of(&message["id"]))
                    .or_insert_with(|| message.clone());
            }
        }
        _ => {}
    }
}

fn member_from_json(data: &Value) -> super::MemberSpec {
    let user = &data["user"];
    super::MemberSpec {
        user: super::UserSpec {
            id: id_of(&user["id"]),
            name: user["username"].as_str().unwrap_or_default().to_string(),
            global_name: user["global_name"].as_str().map(str::to_string),
            bot: user["bot"].as_bool().unwrap_or(false),
        },
        roles: data["roles"]
            .as_array()
            .into_iter()
            .flatten()
            .map(id_of)
            .collect(),
        nick: data["nick"].as_str().map(str::to_string),
        joined_at: data["joined_at"].as_str().unwrap_or_default().to_string(),
        communication_disabled_until: data["communication_disabled_until"]
            .as_str()
            .map(str::to_string),
        pending: data["pending"].as_bool().unwrap_or(false),
    }
}
