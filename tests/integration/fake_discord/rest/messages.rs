//! Channels, messages, reactions, DMs, application commands, interaction replies and webhooks.

use serde_json::{Value, json};
use serenity::all::Permissions;

use super::{Ctx, Incoming, channel_admin, missing_permissions, parse_id, settings};
use crate::fake_discord::Reply;
use crate::fake_discord::fixtures::{attachment, command_id, id_of, next_id, now_timestamp};

pub(super) fn route(ctx: &mut Ctx<'_>, segments: &[&str], request: &Incoming<'_>) -> Option<Reply> {
    let body = request.body;
    match (request.method, segments) {
        ("POST", ["users", "@me", "channels"]) => open_dm(ctx, body),
        (_, ["channels", channel, ..]) => {
            let channel = parse_id(channel)?;
            if !ctx.knows_channel(channel) {
                return Some(Reply::unknown_channel());
            }
            channel_route(ctx, channel, &segments[2..], request)
        }
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
            let commands = ctx.store.guild_commands.get(&parse_id(guild)?);
            Some(Reply::ok(json!(commands.cloned().unwrap_or_default())))
        }
        ("PUT", ["applications", _, "guilds", guild, "commands"]) => {
            let guild = parse_id(guild)?;
            let commands = ctx.echo_commands(body, Some(guild));
            ctx.store.guild_commands.insert(guild, commands.clone());
            Some(Reply::ok(json!(commands)))
        }
        ("POST", ["interactions", _, token, "callback"]) => interaction_callback(ctx, token, body),
        (method, ["webhooks", _, token, "messages", "@original"]) => {
            original_response(ctx, method, token, body)
        }
        (method, ["webhooks", _, _, "messages", message]) => {
            webhook_message(ctx, method, parse_id(message)?, body)
        }
        ("POST", ["webhooks", id, token]) => execute_webhook(ctx, parse_id(id)?, token, request),
        ("GET", ["webhooks", id, ..]) => {
            let id = parse_id(id)?;
            let webhook = ctx.store.webhooks.iter().find(|w| id_of(&w["id"]) == id)?;
            Some(Reply::ok(webhook.clone()))
        }
        _ => None,
    }
}

/// `/channels/{c}/...` for a channel the fake knows.
fn channel_route(
    ctx: &mut Ctx<'_>,
    channel: u64,
    rest: &[&str],
    request: &Incoming<'_>,
) -> Option<Reply> {
    let body = request.body;
    match (request.method, rest) {
        ("GET", []) => Some(Reply::ok(ctx.channel_json(channel))),
        ("PATCH", []) => settings::edit_channel(ctx, channel, body),
        ("GET", ["messages"]) => Some(channel_admin::history(ctx, channel, request)),
        ("POST", ["messages", "bulk-delete"]) => channel_admin::bulk_delete(ctx, channel, body),
        ("PUT" | "DELETE", ["permissions", target]) => {
            channel_admin::overwrite(ctx, channel, parse_id(target)?, request)
        }
        ("POST", ["messages"]) => {
            if !ctx.bot_can(
                channel,
                Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES,
            ) {
                return missing_permissions();
            }
            let message = ctx.bot_message(channel, body);
            ctx.store
                .messages
                .insert(id_of(&message["id"]), message.clone());
            Some(Reply::ok(message))
        }
        ("POST", ["polls", message, "expire"]) => {
            let message = ctx.store.messages.get_mut(&parse_id(message)?)?;
            if message["poll"].is_null() {
                return Some(Reply::error(400, 520_000, "Not a poll"));
            }
            message["poll"]["results"]["is_finalized"] = json!(true);
            Some(Reply::ok(message.clone()))
        }
        ("GET", ["messages", message]) => Some(match ctx.store.messages.get(&parse_id(message)?) {
            Some(message) => Reply::ok(message.clone()),
            None => Reply::unknown_message(),
        }),
        ("PATCH", ["messages", message]) => {
            let Some(stored) = ctx.store.messages.get_mut(&parse_id(message)?) else {
                return Some(Reply::unknown_message());
            };
            if id_of(&stored["author"]["id"]) != ctx.world.bot.id {
                let why = "Cannot edit a message authored by another user";
                return Some(Reply::error(403, 50005, why));
            }
            apply_edit(stored, body);
            Some(Reply::ok(stored.clone()))
        }
        ("DELETE", ["messages", message]) => {
            let message = parse_id(message)?;
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
        ("PUT", ["messages", _, "reactions", _, "@me"]) => {
            let needed = Permissions::ADD_REACTIONS | Permissions::READ_MESSAGE_HISTORY;
            if !ctx.bot_can(channel, needed) {
                return missing_permissions();
            }
            Some(Reply::no_content())
        }
        ("DELETE", ["messages", _, "reactions", ..]) => Some(Reply::no_content()),
        ("GET", ["messages", _, "reactions", _]) => Some(Reply::ok(json!([]))),
        ("POST", ["typing"]) => Some(Reply::no_content()),
        ("GET", ["webhooks"]) => {
            let webhooks: Vec<&Value> = ctx
                .store
                .webhooks
                .iter()
                .filter(|w| id_of(&w["channel_id"]) == channel)
                .collect();
            Some(Reply::ok(json!(webhooks)))
        }
        ("POST", ["webhooks"]) => create_webhook(ctx, channel, body),
        _ => None,
    }
}

impl Ctx<'_> {
    /// A guild channel of the world or a DM channel the bot opened.
    fn knows_channel(&self, channel: u64) -> bool {
        self.world.guild_of_channel(channel).is_some()
            || self.store.dm_channels.values().any(|c| *c == channel)
    }

    fn channel_json(&self, id: u64) -> Value {
        if let Some(guild) = self.world.guild_of_channel(id) {
            let channel = guild.channel_by_id(id).expect("guild has the channel");
            return channel.to_json(guild.id);
        }
        let (user, _) = self
            .store
            .dm_channels
            .iter()
            .find(|(_, c)| **c == id)
            .expect("a known channel");
        let user = self.world.user(*user).expect("a DM with a known user");
        dm_channel_json(id, &user.to_json())
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
        let list = |key: &str| body.get(key).filter(|v| v.is_array()).cloned();
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
            "embeds": list("embeds").unwrap_or(json!([])),
            "components": list("components").unwrap_or(json!([])),
            "pinned": false,
            "type": if reference.is_some() { 19 } else { 0 },
            "flags": body["flags"].as_u64().unwrap_or(0),
            "message_reference": reference,
            "poll": native_poll(&body["poll"]),
        })
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

    /// Registered commands as Discord returns them: with ids, application id and version.
    fn echo_commands(&self, body: &Value, guild: Option<u64>) -> Vec<Value> {
        let app = self.world.application_id.to_string();
        let commands = body.as_array().into_iter().flatten();
        commands
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
}

/// Applies a message edit body (`content`, `embeds`, `components`, `flags`) to a message.
/// A native poll as Discord shows it, from the poll of a message's creation (answers numbered
/// from 1, no votes yet, not finalized), or `null`.
fn native_poll(created: &Value) -> Value {
    if created.is_null() {
        return Value::Null;
    }
    let answers: Vec<Value> = created["answers"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, a)| json!({"answer_id": i + 1, "poll_media": a["poll_media"]}))
        .collect();
    json!({
        "question": created["question"],
        "answers": answers,
        "expiry": now_timestamp(),
        "allow_multiselect": created["allow_multiselect"].as_bool().unwrap_or(false),
        "layout_type": 1,
        "results": {"is_finalized": false, "answer_counts": []},
    })
}

fn apply_edit(message: &mut Value, body: &Value) {
    for key in ["content", "embeds", "components", "flags"] {
        match body.get(key) {
            Some(value) if !value.is_null() => message[key] = value.clone(),
            _ => {}
        }
    }
    message["edited_timestamp"] = json!(now_timestamp());
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

/// `POST /users/@me/channels`: the same DM channel each time for a user.
fn open_dm(ctx: &mut Ctx<'_>, body: &Value) -> Option<Reply> {
    let user_id = id_of(&body["recipient_id"]);
    let Some(user) = ctx.world.user(user_id) else {
        return Some(Reply::error(400, 50033, "Invalid Recipient(s)"));
    };
    let channel = *ctx.store.dm_channels.entry(user_id).or_insert_with(next_id);
    Some(Reply::ok(dm_channel_json(channel, &user.to_json())))
}

/// `POST /interactions/{id}/{token}/callback`: 204; a message reply becomes the original
/// response, UPDATE_MESSAGE edits the message a component is on.
fn interaction_callback(ctx: &mut Ctx<'_>, token: &str, body: &Value) -> Option<Reply> {
    let data = body.get("data").cloned().unwrap_or(json!({}));
    match body["type"].as_u64() {
        // CHANNEL_MESSAGE_WITH_SOURCE, DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
        Some(4 | 5) => {
            let message = ctx.interaction_message(token, &data);
            ctx.store.originals.insert(token.to_string(), message);
        }
        // UPDATE_MESSAGE
        Some(7) => {
            let target = ctx.store.interactions.get(token);
            let target = target.map(|i| i["message"]["id"].clone());
            if let Some(message) = target
                .filter(|id| !id.is_null())
                .and_then(|id| ctx.store.messages.get_mut(&id_of(&id)))
            {
                apply_edit(message, &data);
            }
        }
        _ => {}
    }
    Some(Reply::no_content())
}

/// `GET`/`PATCH`/`DELETE /webhooks/{app}/{token}/messages/@original`.
fn original_response(ctx: &mut Ctx<'_>, method: &str, token: &str, body: &Value) -> Option<Reply> {
    let originals = &mut ctx.store.originals;
    match method {
        "GET" => Some(match originals.get(token) {
            Some(message) => Reply::ok(message.clone()),
            None => Reply::unknown_message(),
        }),
        "PATCH" => {
            let mut message = match ctx.store.originals.get(token) {
                Some(original) => original.clone(),
                None => ctx.interaction_message(token, &json!({})),
            };
            apply_edit(&mut message, body);
            ctx.store
                .originals
                .insert(token.to_string(), message.clone());
            Some(Reply::ok(message))
        }
        "DELETE" => Some(match originals.remove(token) {
            Some(_) => Reply::no_content(),
            None => Reply::unknown_message(),
        }),
        _ => None,
    }
}

/// `GET`/`PATCH`/`DELETE /webhooks/{id}/{token}/messages/{m}` (follow-ups included).
fn webhook_message(ctx: &mut Ctx<'_>, method: &str, id: u64, body: &Value) -> Option<Reply> {
    let Some(stored) = ctx.store.messages.get_mut(&id) else {
        return Some(Reply::unknown_message());
    };
    match method {
        "GET" => Some(Reply::ok(stored.clone())),
        "PATCH" => {
            apply_edit(stored, body);
            Some(Reply::ok(stored.clone()))
        }
        "DELETE" => {
            ctx.store.messages.remove(&id);
            Some(Reply::no_content())
        }
        _ => None,
    }
}

/// `POST /webhooks/{id}/{token}`: an interaction follow-up when `id` is the application, else
/// a message through a webhook the bot created. 204 with `wait=false`.
fn execute_webhook(
    ctx: &mut Ctx<'_>,
    id: u64,
    token: &str,
    request: &Incoming<'_>,
) -> Option<Reply> {
    let body = request.body;
    let message = if id == ctx.world.application_id {
        ctx.interaction_message(token, body)
    } else {
        let webhook = ctx
            .store
            .webhooks
            .iter()
            .find(|w| id_of(&w["id"]) == id && w["token"] == token)?;
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
    Some(if request.query_value("wait") == Some("false") {
        Reply::no_content()
    } else {
        Reply::ok(message)
    })
}

/// `POST /channels/{c}/webhooks`.
fn create_webhook(ctx: &mut Ctx<'_>, channel: u64, body: &Value) -> Option<Reply> {
    let guild = ctx.world.guild_of_channel(channel)?;
    if !ctx.bot_can(channel, Permissions::MANAGE_WEBHOOKS) {
        return missing_permissions();
    }
    let id = next_id();
    let token = format!("fake-webhook-token-{id}");
    let webhook = json!({
        "id": id.to_string(),
        "type": 1,
        "guild_id": guild.id.to_string(),
        "channel_id": channel.to_string(),
        "user": ctx.world.bot.to_json(),
        "name": body["name"].as_str().unwrap_or("webhook"),
        "avatar": null,
        "token": token,
        "application_id": null,
        "url": format!("https://discord.com/api/webhooks/{id}/{token}"),
    });
    ctx.store.webhooks.push(webhook.clone());
    Some(Reply::ok(webhook))
}
