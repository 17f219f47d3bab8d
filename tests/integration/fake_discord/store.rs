//! What the fake remembers besides the world: messages (dispatched or sent by the bot), DM
//! channels, registered commands, webhooks, interactions and their replies. Dispatches keep it
//! (and the world's members) in step with what the bot was told.

use std::collections::HashMap;

use serde_json::Value;

use super::Shared;
use super::fixtures::id_of;
use super::specs::{MemberSpec, UserSpec};

#[derive(Default)]
pub(crate) struct Store {
    /// Message id -> Message JSON, for messages dispatched by the test or sent by the bot.
    pub messages: HashMap<u64, Value>,
    /// User id -> DM channel id.
    pub dm_channels: HashMap<u64, u64>,
    pub global_commands: Vec<Value>,
    pub guild_commands: HashMap<u64, Vec<Value>>,
    pub webhooks: Vec<Value>,
    /// Interaction token -> INTERACTION_CREATE payload dispatched.
    pub interactions: HashMap<String, Value>,
    /// Interaction token -> original response message.
    pub originals: HashMap<String, Value>,
}

/// Follows a dispatch: messages are stored (so the bot can fetch, edit or delete them), members
/// join, change and leave, interactions are remembered (so replies land in the right channel).
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

fn member_from_json(data: &Value) -> MemberSpec {
    let user = &data["user"];
    let text = |value: &Value| value.as_str().map(str::to_string);
    MemberSpec {
        user: UserSpec {
            id: id_of(&user["id"]),
            name: text(&user["username"]).unwrap_or_default(),
            global_name: text(&user["global_name"]),
            bot: user["bot"].as_bool().unwrap_or(false),
        },
        roles: data["roles"]
            .as_array()
            .into_iter()
            .flatten()
            .map(id_of)
            .collect(),
        nick: text(&data["nick"]),
        joined_at: text(&data["joined_at"]).unwrap_or_default(),
        communication_disabled_until: text(&data["communication_disabled_until"]),
        pending: data["pending"].as_bool().unwrap_or(false),
    }
}
