//! Gateway event payloads that serenity accepts: MESSAGE_CREATE/UPDATE/DELETE, GUILD_MEMBER_ADD/
//! UPDATE/REMOVE, INTERACTION_CREATE (slash command, message command, button). Each builder
//! returns plain JSON that a test may still change before `FakeDiscord::dispatch`, which checks it
//! against serenity's own `GatewayEvent` anyway. Also: snowflakes and timestamps.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};
use serenity::all::{Permissions, Timestamp};

use super::specs::{GuildSpec, MemberSpec, UserSpec};
use super::world::World;

/// 2015-01-01T00:00:00Z in Unix milliseconds, the start of Discord snowflakes.
pub const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// Largest attachment a member may upload without boosts (25 MiB), as Discord sends it.
pub const ATTACHMENT_SIZE_LIMIT: u32 = 26_214_400;

/// The snowflake created at `unix_ms` with `increment` in its low bits.
pub const fn snowflake_at(unix_ms: u64, increment: u64) -> u64 {
    ((unix_ms - DISCORD_EPOCH_MS) << 22) | (increment & 0x3F_FFFF)
}

/// When a snowflake was created, in Unix milliseconds.
pub const fn snowflake_ms(id: u64) -> u64 {
    (id >> 22) + DISCORD_EPOCH_MS
}

/// Unix milliseconds now.
pub fn now_ms() -> u64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970");
    u64::try_from(since.as_millis()).expect("time fits in u64")
}

/// A fresh snowflake for now, unique and increasing within the process.
pub fn next_id() -> u64 {
    static LAST: AtomicU64 = AtomicU64::new(0);
    let now = snowflake_at(now_ms(), 0);
    let previous = LAST
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| {
            Some(now.max(last + 1))
        })
        .expect("the update always succeeds");
    now.max(previous + 1)
}

/// RFC 3339 time of `unix_ms`.
pub fn timestamp_at(unix_ms: u64) -> String {
    let millis = i64::try_from(unix_ms).expect("time fits in i64");
    Timestamp::from_millis(millis)
        .expect("valid time")
        .to_string()
}

/// RFC 3339 time now.
pub fn now_timestamp() -> String {
    timestamp_at(now_ms())
}

/// A user whose account was created just now (a "new account").
pub fn new_user(name: &str) -> UserSpec {
    UserSpec::new(next_id(), name)
}

/// A member who joined just now, with no roles.
pub fn joining_now(user: UserSpec) -> MemberSpec {
    MemberSpec::new(user, Vec::new(), &now_timestamp())
}

/// An attachment object (for a message's `attachments`).
pub fn attachment(filename: &str, content_type: &str, size: u64) -> Value {
    let id = next_id();
    json!({
        "id": id.to_string(),
        "filename": filename,
        "size": size,
        "url": format!("https://cdn.discordapp.com/attachments/1/{id}/{filename}"),
        "proxy_url": format!("https://media.discordapp.net/attachments/1/{id}/{filename}"),
        "content_type": content_type,
    })
}

fn guild_of_channel(world: &World, channel_id: u64) -> &GuildSpec {
    world
        .guild_of_channel(channel_id)
        .unwrap_or_else(|| panic!("fake world: no guild has channel {channel_id}"))
}

/// Fills `mentions`, `mention_roles` and `mention_everyone` from `<@id>`, `<@&id>` and
/// `@everyone`/`@here` in the content, as Discord does.
fn fill_mentions(message: &mut Value, guild: &GuildSpec, author_id: u64) {
    let content = message["content"].as_str().unwrap_or_default().to_string();
    let mut users = Vec::new();
    let mut roles = Vec::new();
    for (at, _) in content.match_indices("<@") {
        let rest = &content[at + 2..];
        let Some(end) = rest.find('>') else { continue };
        let inner = &rest[..end];
        let (list, id) = match inner.strip_prefix('&') {
            Some(role) => (&mut roles, role.parse::<u64>().ok()),
            None => (
                &mut users,
                inner.trim_start_matches('!').parse::<u64>().ok(),
            ),
        };
        if let Some(id) = id.filter(|id| !list.contains(id)) {
            list.push(id);
        }
    }
    roles.retain(|id| guild.roles.iter().any(|r| r.id == *id));
    let mentions: Vec<Value> = users
        .iter()
        .filter_map(|id| guild.member_by_id(*id))
        .map(|m| {
            let mut user = m.user.to_json();
            user["member"] = m.to_partial_json();
            user
        })
        .collect();
    let everyone = (content.contains("@everyone") || content.contains("@here"))
        && guild
            .permissions_of(author_id)
            .contains(Permissions::MENTION_EVERYONE);
    message["mentions"] = json!(mentions);
    message["mention_roles"] = json!(roles.iter().map(u64::to_string).collect::<Vec<_>>());
    message["mention_everyone"] = json!(everyone);
}

/// MESSAGE_CREATE: `author` (a member name, e.g. `"alice"`) says `content` in `channel` (a channel
/// name) of the first guild.
pub fn message_create(world: &World, author: &str, channel: &str, content: &str) -> Value {
    let guild = world.guild();
    message_create_by(
        guild,
        guild.member(author),
        guild.channel_id(channel),
        content,
    )
}

/// MESSAGE_CREATE for any member and channel id of `guild`.
pub fn message_create_by(
    guild: &GuildSpec,
    author: &MemberSpec,
    channel_id: u64,
    content: &str,
) -> Value {
    let mut message = json!({
        "id": next_id().to_string(),
        "channel_id": channel_id.to_string(),
        "guild_id": guild.id.to_string(),
        "author": author.user.to_json(),
        "member": author.to_partial_json(),
        "content": content,
        "timestamp": now_timestamp(),
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": false,
        "type": 0,
        "flags": 0,
        "components": [],
        "nonce": next_id().to_string(),
    });
    fill_mentions(&mut message, guild, author.user.id);
    message
}

/// MESSAGE_UPDATE: `original` (a MESSAGE_CREATE payload) edited to `content`. Discord sends the
/// whole message with `edited_timestamp` set.
pub fn message_update(world: &World, original: &Value, content: &str) -> Value {
    let mut message = original.clone();
    message["content"] = json!(content);
    message["edited_timestamp"] = json!(now_timestamp());
    if let Some(map) = message.as_object_mut() {
        map.remove("nonce");
    }
    let channel_id = id_of(&message["channel_id"]);
    let author_id = id_of(&message["author"]["id"]);
    fill_mentions(&mut message, guild_of_channel(world, channel_id), author_id);
    message
}

/// MESSAGE_DELETE of `original` (a MESSAGE_CREATE payload).
pub fn message_delete(original: &Value) -> Value {
    json!({
        "id": original["id"],
        "channel_id": original["channel_id"],
        "guild_id": original["guild_id"],
    })
}

/// GUILD_MEMBER_ADD of `member` to the first guild.
pub fn member_add(world: &World, member: &MemberSpec) -> Value {
    let mut payload = member.to_json();
    payload["guild_id"] = json!(world.guild().id.to_string());
    payload
}

/// GUILD_MEMBER_UPDATE for `member` of the first guild (its roles, nick, timeout as given).
pub fn member_update(world: &World, member: &MemberSpec) -> Value {
    let mut payload = member.to_json();
    payload["guild_id"] = json!(world.guild().id.to_string());
    payload
}

/// GUILD_MEMBER_REMOVE of `user` from the first guild.
pub fn member_remove(world: &World, user: &UserSpec) -> Value {
    json!({"guild_id": world.guild().id.to_string(), "user": user.to_json()})
}

/// The member object of an interaction: with `user` and the member's guild `permissions`.
fn interaction_member(guild: &GuildSpec, member: &MemberSpec) -> Value {
    let mut json = member.to_json();
    json["permissions"] = json!(guild.permissions_of(member.user.id).bits().to_string());
    json
}

/// The common part of every guild interaction.
fn interaction_base(world: &World, invoker: &str, channel: &str, kind: u8) -> Value {
    let guild = world.guild();
    let member = guild.member(invoker);
    let channel = guild.channel(channel);
    let id = next_id();
    json!({
        "id": id.to_string(),
        "application_id": world.application_id.to_string(),
        "type": kind,
        "token": format!("fake-interaction-token-{id}"),
        "version": 1,
        "guild_id": guild.id.to_string(),
        "channel_id": channel.id.to_string(),
        "channel": {
            "id": channel.id.to_string(),
            "name": channel.name,
            "type": channel.kind,
            "nsfw": channel.nsfw,
            "guild_id": guild.id.to_string(),
            "permissions": guild.permissions_of(member.user.id).bits().to_string(),
        },
        "member": interaction_member(guild, member),
        "app_permissions": guild.permissions_of(world.bot.id).bits().to_string(),
        "locale": world.locale.as_deref().unwrap_or("en-US"),
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": guild.id.to_string()},
        "context": 0,
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    })
}

/// Fills `resolved` for user (6), channel (7), role (8) and mentionable (9) options, recursing
/// into sub-commands.
fn resolve_options(
    guild: &GuildSpec,
    world: &World,
    options: &Value,
    resolved: &mut Map<String, Value>,
) {
    let Some(options) = options.as_array() else {
        return;
    };
    for option in options {
        let id = option["value"].as_str().and_then(|v| v.parse::<u64>().ok());
        match (option["type"].as_u64(), id) {
            (Some(1 | 2), _) => resolve_options(guild, world, &option["options"], resolved),
            (Some(6 | 9), Some(id)) if world.user(id).is_some() => {
                let user = world.user(id).expect("checked");
                insert(resolved, "users", id, user.to_json());
                if let Some(member) = guild.member_by_id(id) {
                    let mut partial = member.to_partial_json();
                    partial["permissions"] = json!(guild.permissions_of(id).bits().to_string());
                    insert(resolved, "members", id, partial);
                }
            }
            (Some(8 | 9), Some(id)) => {
                if let Some(role) = guild.roles.iter().find(|r| r.id == id) {
                    insert(resolved, "roles", id, role.to_json());
                }
            }
            (Some(7), Some(id)) => {
                if let Some(channel) = guild.channel_by_id(id) {
                    let partial = json!({
                        "id": id.to_string(),
                        "name": channel.name,
                        "type": channel.kind,
                        "permissions": Permissions::all().bits().to_string(),
                    });
                    insert(resolved, "channels", id, partial);
                }
            }
            _ => {}
        }
    }
}

fn insert(resolved: &mut Map<String, Value>, kind: &str, id: u64, value: Value) {
    let entry = resolved.entry(kind).or_insert_with(|| json!({}));
    entry[id.to_string()] = value;
}

/// INTERACTION_CREATE of a slash command `/name` by `invoker` in `channel`. `options` is the
/// Discord option array, e.g. `json!([{"name": "member", "type": 6, "value": ids::ALICE.to_string()}])`;
/// `resolved` is filled from the world for user, role and channel options.
pub fn slash_command(
    world: &World,
    invoker: &str,
    channel: &str,
    name: &str,
    options: Value,
) -> Value {
    let guild = world.guild();
    let mut interaction = interaction_base(world, invoker, channel, 2);
    let mut resolved = Map::new();
    resolve_options(guild, world, &options, &mut resolved);
    interaction["data"] = json!({
        "id": command_id(name).to_string(),
        "name": name,
        "type": 1,
        "options": options,
        "resolved": resolved,
        "guild_id": guild.id.to_string(),
    });
    interaction
}

/// INTERACTION_CREATE of a message context-menu command `name` on `target` (a MESSAGE_CREATE
/// payload) by `invoker`.
pub fn message_command(world: &World, invoker: &str, name: &str, target: &Value) -> Value {
    let channel_id = id_of(&target["channel_id"]);
    let guild = guild_of_channel(world, channel_id);
    let channel = guild
        .channel_by_id(channel_id)
        .expect("guild has the channel")
        .name
        .clone();
    let mut interaction = interaction_base(world, invoker, &channel, 2);
    let target_id = target["id"].as_str().expect("message id").to_string();
    interaction["data"] = json!({
        "id": command_id(name).to_string(),
        "name": name,
        "type": 3,
        "target_id": target_id,
        "resolved": {"messages": {target_id.clone(): target}},
        "guild_id": guild.id.to_string(),
    });
    interaction
}

/// INTERACTION_CREATE of a user context-menu command `name` on `target` by `invoker` in
/// `channel`.
pub fn user_command(
    world: &World,
    invoker: &str,
    channel: &str,
    name: &str,
    target: &UserSpec,
) -> Value {
    let guild = world.guild();
    let mut interaction = interaction_base(world, invoker, channel, 2);
    let mut resolved = Map::new();
    insert(&mut resolved, "users", target.id, target.to_json());
    if let Some(member) = guild.member_by_id(target.id) {
        insert(
            &mut resolved,
            "members",
            target.id,
            member.to_partial_json(),
        );
    }
    interaction["data"] = json!({
        "id": command_id(name).to_string(),
        "name": name,
        "type": 2,
        "target_id": target.id.to_string(),
        "resolved": resolved,
        "guild_id": guild.id.to_string(),
    });
    interaction
}

/// INTERACTION_CREATE of a button press: `invoker` clicks the button `custom_id` on `message`
/// (a Message JSON, e.g. the body of a REST reply the bot got from the fake).
pub fn button_press(world: &World, invoker: &str, message: &Value, custom_id: &str) -> Value {
    let channel_id = id_of(&message["channel_id"]);
    let guild = guild_of_channel(world, channel_id);
    let channel = guild
        .channel_by_id(channel_id)
        .expect("guild has the channel")
        .name
        .clone();
    let mut interaction = interaction_base(world, invoker, &channel, 3);
    interaction["message"] = message.clone();
    interaction["data"] = json!({"custom_id": custom_id, "component_type": 2});
    interaction
}

/// A stable command id per command name (Discord keeps a command's id across registrations).
pub fn command_id(name: &str) -> u64 {
    let hash = name
        .bytes()
        .fold(0_u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    snowflake_at(1_609_459_200_000, hash)
}

/// A snowflake from a JSON string or number.
pub fn id_of(value: &Value) -> u64 {
    match value {
        Value::String(s) => s
            .parse()
            .unwrap_or_else(|_| panic!("not a snowflake: {s:?}")),
        Value::Number(n) => n.as_u64().expect("a positive snowflake"),
        other => panic!("not a snowflake: {other}"),
    }
}
