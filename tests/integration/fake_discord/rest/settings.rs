//! The server settings raid mode changes: `PATCH /channels/{c}` (slow mode, name, topic; Manage
//! Channels there), `PATCH /guilds/{g}` (verification level, name; Manage Server) and
//! `PUT /guilds/{g}/incident-actions` (invites and DMs paused; Manage Server), checked as Discord
//! checks them and followed by CHANNEL_UPDATE or GUILD_UPDATE.

use serde_json::Value;
use serenity::all::{Permissions, Timestamp};

use super::{Ctx, missing_permissions};
use crate::fake_discord::Reply;
use crate::fake_discord::settings::{
    MAX_INCIDENT_PAUSE_SECS, MAX_SLOW_MODE_SECS, MAX_VERIFICATION_LEVEL,
};

/// `PATCH /channels/{c}` of a guild channel: `rate_limit_per_user` 0 to 21600, `name`, `topic`
/// (`null` clears it). Answers the channel and sends CHANNEL_UPDATE.
pub(super) fn edit_channel(ctx: &mut Ctx<'_>, channel: u64, body: &Value) -> Option<Reply> {
    let Some(guild_id) = ctx.world.guild_of_channel(channel).map(|g| g.id) else {
        let why = "Cannot execute action on this channel type";
        return Some(Reply::error(400, 50024, why));
    };
    if !ctx.bot_can(channel, Permissions::MANAGE_CHANNELS) {
        return missing_permissions();
    }
    let slow_mode = match body.get("rate_limit_per_user") {
        None => None,
        Some(value) => match value
            .as_u64()
            .filter(|s| *s <= u64::from(MAX_SLOW_MODE_SECS))
        {
            Some(seconds) => u16::try_from(seconds).ok(),
            None => {
                let why = "int value should be less than or equal to 21600.";
                return invalid("rate_limit_per_user", "NUMBER_TYPE_MAX", why);
            }
        },
    };
    let name = body.get("name").and_then(Value::as_str);
    if name.is_some_and(|n| !(1..=100).contains(&n.chars().count())) {
        let why = "Must be between 1 and 100 in length.";
        return invalid("name", "BASE_TYPE_BAD_LENGTH", why);
    }
    let spec = ctx
        .world
        .guild_by_id_mut(guild_id)?
        .channels
        .iter_mut()
        .find(|c| c.id == channel)?;
    if let Some(seconds) = slow_mode {
        spec.rate_limit_per_user = seconds;
    }
    if let Some(name) = name {
        spec.name = name.to_string();
    }
    if let Some(topic) = body.get("topic") {
        spec.topic = topic.as_str().map(str::to_string);
    }
    let json = spec.to_json(guild_id);
    ctx.dispatch("CHANNEL_UPDATE", json.clone());
    Some(Reply::ok(json))
}

/// `PATCH /guilds/{g}`: `verification_level` 0 to 4, `name`. Answers the guild (serenity's
/// `PartialGuild`) and sends GUILD_UPDATE.
pub(super) fn edit_guild(ctx: &mut Ctx<'_>, guild_id: u64, body: &Value) -> Option<Reply> {
    if !manages_guild(ctx, guild_id)? {
        return missing_permissions();
    }
    let level = match body.get("verification_level") {
        None => None,
        Some(value) => match value
            .as_u64()
            .filter(|l| *l <= u64::from(MAX_VERIFICATION_LEVEL))
        {
            Some(level) => u8::try_from(level).ok(),
            None => {
                let why = "Value must be one of {0, 1, 2, 3, 4}.";
                return invalid("verification_level", "BASE_TYPE_CHOICES", why);
            }
        },
    };
    let name = body.get("name").and_then(Value::as_str);
    if name.is_some_and(|n| !(2..=100).contains(&n.chars().count())) {
        let why = "Must be between 2 and 100 in length.";
        return invalid("name", "BASE_TYPE_BAD_LENGTH", why);
    }
    let guild = ctx.world.guild_by_id_mut(guild_id)?;
    if let Some(level) = level {
        guild.verification_level = level;
    }
    if let Some(name) = name {
        guild.name = name.to_string();
    }
    let json = guild.to_partial_json();
    ctx.dispatch("GUILD_UPDATE", json.clone());
    Some(Reply::ok(json))
}

/// `PUT /guilds/{g}/incident-actions`: `invites_disabled_until` and `dms_disabled_until`, each
/// a timestamp at most 24 hours ahead or `null` to lift the pause. A missing field reads as
/// `null` (the request replaces both; serenity always sends both). Answers `incidents_data`
/// and sends GUILD_UPDATE.
pub(super) fn incident_actions(ctx: &mut Ctx<'_>, guild_id: u64, body: &Value) -> Option<Reply> {
    if !manages_guild(ctx, guild_id)? {
        return missing_permissions();
    }
    let mut until = [None, None];
    for (slot, field) in until
        .iter_mut()
        .zip(["invites_disabled_until", "dms_disabled_until"])
    {
        let value = body.get(field).unwrap_or(&Value::Null);
        if value.is_null() {
            continue;
        }
        let Some(at) = value.as_str().and_then(|t| Timestamp::parse(t).ok()) else {
            return invalid(field, "DATE_TIME_TYPE_PARSE", "Could not parse date time.");
        };
        if at.unix_timestamp() > Timestamp::now().unix_timestamp() + MAX_INCIDENT_PAUSE_SECS {
            let why = "Date time must be at most 24 hours in the future.";
            return invalid(field, "DATE_TIME_TYPE_OUT_OF_RANGE", why);
        }
        *slot = value.as_str().map(str::to_string);
    }
    let guild = ctx.world.guild_by_id_mut(guild_id)?;
    let [invites, dms] = until;
    guild.invites_disabled_until = invites;
    guild.dms_disabled_until = dms;
    let incidents = guild.incidents_object();
    let json = guild.to_partial_json();
    ctx.dispatch("GUILD_UPDATE", json);
    Some(Reply::ok(incidents))
}

/// Whether the bot has Manage Server in the guild (`None`: no such guild).
fn manages_guild(ctx: &Ctx<'_>, guild_id: u64) -> Option<bool> {
    let guild = ctx.world.guild_by_id(guild_id)?;
    let permissions = guild.permissions_of(ctx.world.bot.id);
    Some(permissions.contains(Permissions::MANAGE_GUILD))
}

fn invalid(field: &str, code: &str, message: &str) -> Option<Reply> {
    Some(Reply::invalid_form(field, code, message))
}
