//! The fake's channel housekeeping routes: message history (newest first, `limit` and
//! `before` as Discord pages it), bulk deletion with Discord's limits, and permission
//! overwrites (Manage Roles checked).

use serde_json::{Value, json};
use serenity::all::Permissions;

use super::{Ctx, Incoming, missing_permissions};
use crate::fake_discord::Reply;
use crate::fake_discord::fixtures::{id_of, now_ms, snowflake_ms};

/// `GET /channels/{c}/messages`: newest first, `limit` (1 to 100, default 50) of those before
/// `before`.
pub(super) fn history(ctx: &mut Ctx<'_>, channel: u64, request: &Incoming<'_>) -> Reply {
    let before = request
        .query_value("before")
        .and_then(|b| b.parse::<u64>().ok());
    let limit = request
        .query_value("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(50)
        .clamp(1, 100);
    let mut messages: Vec<&Value> = ctx
        .store
        .messages
        .values()
        .filter(|m| id_of(&m["channel_id"]) == channel)
        .filter(|m| before.is_none_or(|b| id_of(&m["id"]) < b))
        .collect();
    messages.sort_by_key(|m| std::cmp::Reverse(id_of(&m["id"])));
    messages.truncate(limit);
    Reply::ok(json!(messages))
}

/// `POST /channels/{c}/messages/bulk-delete`: 2 to 100 messages, none older than 14 days (by
/// its snowflake).
pub(super) fn bulk_delete(ctx: &mut Ctx<'_>, channel: u64, body: &Value) -> Option<Reply> {
    if !ctx.bot_can(channel, Permissions::MANAGE_MESSAGES) {
        return missing_permissions();
    }
    let ids = body["messages"].as_array().cloned().unwrap_or_default();
    if !(2..=100).contains(&ids.len()) {
        return Some(Reply::error(
            400,
            50_016,
            "Provided too few or too many messages to delete",
        ));
    }
    let oldest = now_ms().saturating_sub(14 * 86_400_000);
    if ids.iter().any(|id| snowflake_ms(id_of(id)) < oldest) {
        return Some(Reply::error(
            400,
            50_034,
            "You can only bulk delete messages that are under 14 days old",
        ));
    }
    for id in &ids {
        ctx.store.messages.remove(&id_of(id));
    }
    Some(Reply::no_content())
}

/// `PUT` or `DELETE /channels/{c}/permissions/{target}`: Manage Roles needed there, as on
/// Discord.
pub(super) fn overwrite(
    ctx: &mut Ctx<'_>,
    channel: u64,
    target: u64,
    request: &Incoming<'_>,
) -> Option<Reply> {
    if !ctx.bot_can(channel, Permissions::MANAGE_ROLES) {
        return missing_permissions();
    }
    let body = request.body;
    let put = (request.method == "PUT").then(|| {
        json!({
            "id": target.to_string(),
            "type": body["type"].as_u64().unwrap_or(0),
            "allow": bits(&body["allow"]),
            "deny": bits(&body["deny"]),
        })
    });
    let spec = ctx
        .world
        .guilds
        .iter_mut()
        .flat_map(|g| g.channels.iter_mut())
        .find(|c| c.id == channel)?;
    spec.permission_overwrites
        .retain(|o| id_of(&o["id"]) != target);
    spec.permission_overwrites.extend(put);
    Some(Reply::no_content())
}

/// A permission field as Discord writes it (a decimal string), from a string or a number.
fn bits(value: &Value) -> String {
    value
        .as_str()
        .map(str::to_string)
        .or_else(|| value.as_u64().map(|n| n.to_string()))
        .unwrap_or_else(|| "0".to_string())
}
