//! The server settings raid mode changes, on Discord: read from serenity's cache into a
//! [`ServerState`], and set through Discord's REST API (a channel's slow mode, the server's
//! verification level, the incident actions that pause invites and DMs).

use serenity::all::{
    Cache, ChannelType, EditChannel, EditGuild, EditGuildIncidentActions, GuildId as SGuildId,
    Http, PermissionOverwriteType, Permissions, RoleId, Timestamp, VerificationLevel,
};

use crate::discord::convert::millis;
use crate::ids::{ChannelId, GuildId};
use crate::moderation::raid_mode::{ServerState, Setting, incident_request};

/// The guild's settings now: text and announcement channels that `@everyone` can read with
/// their slow mode (from the cache, which follows channel updates), the verification level and
/// the pauses in force (asked of Discord: serenity's cache does not follow guild updates; the
/// cache's values when Discord does not answer).
pub async fn server_state(http: &Http, cache: &Cache, guild: GuildId) -> ServerState {
    let mut state = channels_state(cache, guild).unwrap_or_default();
    if let Ok(server) = SGuildId::new(guild.0.max(1)).to_partial_guild(http).await {
        state.verification = u8::from(server.verification_level);
        let incidents = server.incidents_data.as_ref();
        state.invites_paused_until_ms = incidents
            .and_then(|i| i.invites_disabled_until.as_ref())
            .map(millis);
        state.dms_paused_until_ms = incidents
            .and_then(|i| i.dms_disabled_until.as_ref())
            .map(millis);
    }
    state
}

fn channels_state(cache: &Cache, guild: GuildId) -> Option<ServerState> {
    let server = cache.guild(SGuildId::new(guild.0.max(1)))?;
    let everyone = RoleId::new(guild.0.max(1));
    let everyone_sees = server
        .roles
        .get(&everyone)
        .is_some_and(|r| r.permissions.contains(Permissions::VIEW_CHANNEL));
    let mut public_channels: Vec<(ChannelId, u32)> = server
        .channels
        .values()
        .filter(|c| matches!(c.kind, ChannelType::Text | ChannelType::News))
        .filter(|c| {
            let overwrite = c
                .permission_overwrites
                .iter()
                .find(|o| o.kind == PermissionOverwriteType::Role(everyone));
            match overwrite {
                Some(o) if o.deny.contains(Permissions::VIEW_CHANNEL) => false,
                Some(o) if o.allow.contains(Permissions::VIEW_CHANNEL) => true,
                _ => everyone_sees,
            }
        })
        .map(|c| {
            (
                ChannelId(c.id.get()),
                u32::from(c.rate_limit_per_user.unwrap_or(0)),
            )
        })
        .collect();
    public_channels.sort_unstable();
    let incidents = server.incidents_data.as_ref();
    Some(ServerState {
        public_channels,
        verification: u8::from(server.verification_level),
        invites_paused_until_ms: incidents
            .and_then(|i| i.invites_disabled_until.as_ref())
            .map(millis),
        dms_paused_until_ms: incidents
            .and_then(|i| i.dms_disabled_until.as_ref())
            .map(millis),
    })
}

/// Sets every setting of `targets` on Discord; the ones Discord refused, with its error. The
/// two pauses go in one request (the one not among `targets` keeps its value in `state`).
pub async fn apply(
    http: &Http,
    guild: GuildId,
    targets: &[Setting],
    state: &ServerState,
) -> Vec<(Setting, String)> {
    let mut refused = Vec::new();
    for target in targets {
        let done = match *target {
            Setting::SlowMode { channel, secs } => serenity::all::ChannelId::new(channel.0.max(1))
                .edit(
                    http,
                    EditChannel::new().rate_limit_per_user(u16::try_from(secs).unwrap_or(u16::MAX)),
                )
                .await
                .map(drop),
            Setting::Verification(level) => SGuildId::new(guild.0.max(1))
                .edit(
                    http,
                    EditGuild::new().verification_level(VerificationLevel::from(level)),
                )
                .await
                .map(drop),
            Setting::InvitesPausedUntil(_) | Setting::DmsPausedUntil(_) => continue,
        };
        if let Err(e) = done {
            refused.push((*target, e.to_string()));
        }
    }
    if let Some((invites, dms)) = incident_request(targets, state) {
        let mut request = EditGuildIncidentActions::new();
        if let Some(until) = invites.and_then(|ms| Timestamp::from_millis(ms).ok()) {
            request = request.invites_disabled_until(until);
        }
        if let Some(until) = dms.and_then(|ms| Timestamp::from_millis(ms).ok()) {
            request = request.dms_disabled_until(until);
        }
        if let Err(e) = request.execute(http, SGuildId::new(guild.0.max(1))).await {
            refused.extend(
                targets
                    .iter()
                    .filter(|t| {
                        matches!(
                            t,
                            Setting::InvitesPausedUntil(_) | Setting::DmsPausedUntil(_)
                        )
                    })
                    .map(|t| (*t, e.to_string())),
            );
        }
    }
    refused
}
