//! Server settings in the fake world that raid mode changes and restores: a channel's slow mode
//! (`ChannelSpec::rate_limit_per_user`), the guild's verification level and its incident actions
//! (invites and DMs paused until a time), with Discord's limits, builders for a test's starting
//! world, and the events the fake sent after the bot changed them (routes: `rest/settings.rs`).

use serde_json::{Value, json};
use serenity::all::Timestamp;

use super::FakeDiscord;
use super::specs::GuildSpec;
use super::world::World;

/// Discord's longest slow mode: 6 hours.
pub const MAX_SLOW_MODE_SECS: u16 = 21_600;
/// The highest verification level (4, very high: a verified phone).
pub const MAX_VERIFICATION_LEVEL: u8 = 4;
/// How far ahead Discord lets a server pause its invites or DMs: 24 hours.
pub const MAX_INCIDENT_PAUSE_SECS: i64 = 24 * 3600;

impl GuildSpec {
    /// `incidents_data` as the guild object carries it: `null` while neither invites nor DMs
    /// are paused, else [`Self::incidents_object`].
    pub fn incidents_json(&self) -> Value {
        if self.invites_disabled_until.is_none() && self.dms_disabled_until.is_none() {
            return Value::Null;
        }
        self.incidents_object()
    }

    /// The incidents data object (serenity's `IncidentsData`), as
    /// `PUT /guilds/{g}/incident-actions` answers it.
    pub fn incidents_object(&self) -> Value {
        json!({
            "invites_disabled_until": self.invites_disabled_until,
            "dms_disabled_until": self.dms_disabled_until,
            "dm_spam_detected_at": null,
            "raid_detected_at": null,
        })
    }

    /// Whether new invites are paused now (until a time still ahead).
    pub fn invites_paused(&self) -> bool {
        still_ahead(self.invites_disabled_until.as_deref())
    }

    /// Whether DMs between members are paused now.
    pub fn dms_paused(&self) -> bool {
        still_ahead(self.dms_disabled_until.as_deref())
    }

    /// The slow mode of channel `name`, in seconds (0: off).
    pub fn slow_mode(&self, name: &str) -> u16 {
        self.channel(name).rate_limit_per_user
    }
}

fn still_ahead(until: Option<&str>) -> bool {
    until
        .and_then(|t| Timestamp::parse(t).ok())
        .is_some_and(|t| t.unix_timestamp() > Timestamp::now().unix_timestamp())
}

impl World {
    /// Sets the slow mode of channel `name` in the first guild (as set before Steward started).
    pub fn with_slow_mode(mut self, name: &str, seconds: u16) -> World {
        self.guild_mut().channel_mut(name).rate_limit_per_user = seconds;
        self
    }

    /// Sets the first guild's verification level (0 none to 4 very high).
    pub fn with_verification_level(mut self, level: u8) -> World {
        self.guild_mut().verification_level = level;
        self
    }

    /// Pauses the first guild's invites and DMs until these RFC 3339 times (`None`: not paused).
    pub fn with_incident_actions(mut self, invites: Option<&str>, dms: Option<&str>) -> World {
        let guild = self.guild_mut();
        guild.invites_disabled_until = invites.map(str::to_string);
        guild.dms_disabled_until = dms.map(str::to_string);
        self
    }
}

impl FakeDiscord {
    /// The events the fake sent by itself after a REST change (CHANNEL_UPDATE after
    /// `PATCH /channels/{c}`, GUILD_UPDATE after `PATCH /guilds/{g}` or incident actions), in
    /// order, as (event, data). Only those a ready shard was sent: without one the next
    /// GUILD_CREATE carries the change.
    pub fn own_dispatches(&self) -> Vec<(String, Value)> {
        self.shared.gateway.lock().unwrap().own_dispatches.clone()
    }

    /// The slow mode of a guild channel now, in seconds (`None`: no such channel).
    pub fn slow_mode(&self, channel_id: u64) -> Option<u16> {
        let world = self.shared.world.lock().unwrap();
        let guild = world.guild_of_channel(channel_id)?;
        guild
            .channel_by_id(channel_id)
            .map(|c| c.rate_limit_per_user)
    }
}
