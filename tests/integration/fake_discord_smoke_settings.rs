//! The server settings raid mode changes, through the fake with serenity's own builders: slow
//! mode, verification level and incident actions set, read back and followed by the gateway
//! events serenity parses; Discord's limits and permission checks refuse the rest.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use serenity::all::{
    ChannelId, Context, EditChannel, EditGuild, EditGuildIncidentActions, EventHandler,
    GatewayIntents, Guild, GuildId, HttpError, PartialGuild, Permissions, Timestamp,
    VerificationLevel,
};
use serenity::async_trait;

use crate::fake_discord::{FakeDiscord, RunningClient, World, ids};

const WAIT: Duration = Duration::from_secs(5);

/// The default world with what raid mode needs: Manage Channels and Manage Server.
fn raid_world() -> World {
    World::default_guild()
        .with_bot_permission(Permissions::MANAGE_CHANNELS | Permissions::MANAGE_GUILD)
}

/// Keeps the guild of each GUILD_UPDATE serenity hands to event handlers.
#[derive(Clone, Default)]
struct GuildUpdates(Arc<Mutex<Vec<PartialGuild>>>);

#[async_trait]
impl EventHandler for GuildUpdates {
    async fn guild_update(&self, _: Context, _: Option<Guild>, new_data: PartialGuild) {
        self.0.lock().unwrap().push(new_data);
    }
}

/// Waits until `done` holds (serenity applies gateway events in its own task).
async fn eventually(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !done() {
        assert!(Instant::now() < deadline, "waited {WAIT:?} for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The JSON error code and first field path of a refused request.
fn refusal(error: &serenity::Error) -> (u16, isize, String) {
    let serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) = error else {
        panic!("not a refused request: {error:?}");
    };
    let path = response.error.errors.first().map(|e| e.path.clone());
    let status = response.status_code.as_u16();
    (status, response.error.code, path.unwrap_or_default())
}

fn in_secs(secs: i64) -> Timestamp {
    Timestamp::from_unix_timestamp(Timestamp::now().unix_timestamp() + secs).unwrap()
}

#[tokio::test]
async fn raid_settings_change_and_reach_serenity() {
    let fake = FakeDiscord::start(raid_world()).await;
    let updates = GuildUpdates::default();
    let client = fake
        .client_builder(GatewayIntents::GUILDS)
        .event_handler(updates.clone())
        .await
        .unwrap();
    let bot = RunningClient::spawn(client);
    fake.wait_connected().await;
    let http = bot.http.as_ref();
    // With the cache: serenity checks the bot's permissions there first.
    let cache_http = (&bot.cache, http);
    let (guild, general) = (GuildId::new(ids::GUILD), ChannelId::new(ids::GENERAL));

    let edited = general
        .edit(&cache_http, EditChannel::new().rate_limit_per_user(30))
        .await
        .unwrap();
    assert_eq!(edited.rate_limit_per_user, Some(30));
    let sent = fake.wait_for_route("PATCH", "/channels/{c}", WAIT).await;
    assert_eq!(sent.body, json!({"rate_limit_per_user": 30}));
    assert_eq!(fake.world().guild().slow_mode("general"), 30);
    let fetched = http.get_channel(general).await.unwrap().guild().unwrap();
    assert_eq!(fetched.rate_limit_per_user, Some(30));
    eventually("CHANNEL_UPDATE in the cache", || {
        bot.cache.guild(guild).is_some_and(|g| {
            g.channels
                .get(&general)
                .is_some_and(|c| c.rate_limit_per_user == Some(30))
        })
    })
    .await;

    let high = EditGuild::new().verification_level(VerificationLevel::High);
    let partial = guild.edit(&cache_http, high).await.unwrap();
    assert_eq!(partial.verification_level, VerificationLevel::High);
    let sent = fake.wait_for_route("PATCH", "/guilds/{g}", WAIT).await;
    assert_eq!(sent.body, json!({"verification_level": 3}));
    assert_eq!(fake.world().guild().verification_level, 3);
    // serenity 0.12.5 hands GUILD_UPDATE to handlers but never applies it to its cache.
    eventually("GUILD_UPDATE", || {
        let seen = updates.0.lock().unwrap();
        seen.iter()
            .any(|g| g.verification_level == VerificationLevel::High)
    })
    .await;

    // Invites paused for an hour: serenity sends the DMs' `None` as null, which lifts it.
    let until = in_secs(3600);
    let pause = EditGuildIncidentActions::new().invites_disabled_until(until);
    let data = guild
        .edit_guild_incident_actions(http, guild, pause)
        .await
        .unwrap();
    assert_eq!(data.invites_disabled_until, Some(until));
    assert_eq!(data.dms_disabled_until, None);
    let sent = fake
        .wait_for_route("PUT", "/guilds/{g}/incident-actions", WAIT)
        .await;
    assert_eq!(sent.body["dms_disabled_until"], json!(null));
    assert!(fake.world().guild().invites_paused());
    assert!(!fake.world().guild().dms_paused());
    let fetched = http.get_guild(guild).await.unwrap();
    let incidents = fetched.incidents_data.expect("incidents data while paused");
    assert_eq!(incidents.invites_disabled_until, Some(until));
    eventually("GUILD_UPDATE with the pause", || {
        let seen = updates.0.lock().unwrap();
        seen.iter().any(|g| {
            g.incidents_data
                .is_some_and(|i| i.invites_disabled_until == Some(until))
        })
    })
    .await;

    let lift = EditGuildIncidentActions::new();
    let data = guild
        .edit_guild_incident_actions(http, guild, lift)
        .await
        .unwrap();
    assert_eq!(data.invites_disabled_until, None);
    assert_eq!(fake.world().guild().invites_disabled_until, None);
    assert!(
        http.get_guild(guild)
            .await
            .unwrap()
            .incidents_data
            .is_none()
    );

    // Discord's limits: slow mode up to 6 h, levels 0 to 4, pauses up to 24 h ahead.
    let too_slow = EditChannel::new().rate_limit_per_user(21_601);
    let refused = general.edit(http, too_slow).await.unwrap_err();
    let field = "rate_limit_per_user".to_string();
    assert_eq!(refusal(&refused), (400, 50035, field));
    let level = EditGuild::new().verification_level(5);
    let refused = guild.edit(http, level).await.unwrap_err();
    let field = "verification_level".to_string();
    assert_eq!(refusal(&refused), (400, 50035, field));
    let pause = EditGuildIncidentActions::new().dms_disabled_until(in_secs(25 * 3600));
    let refused = guild
        .edit_guild_incident_actions(http, guild, pause)
        .await
        .unwrap_err();
    let field = "dms_disabled_until".to_string();
    assert_eq!(refusal(&refused), (400, 50035, field));
    assert_eq!(fake.world().guild().slow_mode("general"), 30);
    assert_eq!(fake.world().guild().verification_level, 3);

    let events: Vec<String> = fake.own_dispatches().into_iter().map(|(e, _)| e).collect();
    let expected = [
        "CHANNEL_UPDATE",
        "GUILD_UPDATE",
        "GUILD_UPDATE",
        "GUILD_UPDATE",
    ];
    assert_eq!(events, expected);
    fake.assert_no_unknown_requests();
    bot.stop().await;
}

#[tokio::test]
async fn slow_mode_needs_manage_channels() {
    let world = raid_world().without_bot_permission(Permissions::MANAGE_CHANNELS);
    let fake = FakeDiscord::start(world).await;
    let http = fake.http();

    let slow = EditChannel::new().rate_limit_per_user(30);
    let refused = ChannelId::new(ids::GENERAL)
        .edit(&http, slow)
        .await
        .unwrap_err();
    assert_eq!(refusal(&refused), (403, 50013, String::new()));
    assert_eq!(fake.slow_mode(ids::GENERAL), Some(0));
    let calls = fake.requests_to("PATCH", "/channels/{c}");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].status, 403);
    assert!(fake.own_dispatches().is_empty());
}
