//! The fake Discord against the real serenity client and poise framework: a ping/pong event
//! handler, a slash command, a gateway resume, REST replies serenity can parse, permission
//! checks, canned replies, fixtures that serenity accepts, and the server settings raid mode
//! changes (`settings`).

#[path = "fake_discord_smoke_settings.rs"]
mod settings;

use std::time::{Duration, Instant};

use serde_json::json;
use serenity::all::{
    ChannelId, Context, CreateEmbed, CreateMessage, EditMember, EventHandler, GatewayIntents,
    GuildId, Message, ModelError, Permissions, Ready, RoleId, Timestamp, UserId,
};
use serenity::async_trait;

use crate::fake_discord::{
    ChannelSpec, FakeDiscord, Recorded, Reply, RunningClient, World, fixtures, ids, try_validate,
    validate,
};

const WAIT: Duration = Duration::from_secs(5);

struct PingPong;

#[async_trait]
impl EventHandler for PingPong {
    async fn message(&self, ctx: Context, msg: Message) {
        if msg.content == "ping" {
            msg.channel_id
                .say(&ctx.http, "pong")
                .await
                .expect("pong is sent");
        }
    }

    async fn ready(&self, _ctx: Context, _ready: Ready) {}
}

fn smoke_intents() -> GatewayIntents {
    GatewayIntents::GUILDS
        | GatewayIntents::GUILD_MESSAGES
        | GatewayIntents::MESSAGE_CONTENT
        | GatewayIntents::GUILD_MEMBERS
}

fn is_pong(r: &Recorded) -> bool {
    r.is("POST", &format!("/channels/{}/messages", ids::GENERAL)) && r.content() == Some("pong")
}

#[tokio::test]
async fn serenity_answers_ping_with_pong_through_the_fake() {
    let began = Instant::now();
    let mut world = World::default_guild();
    let deny_send = ChannelSpec::overwrite(
        ids::BOT_ROLE,
        0,
        Permissions::empty(),
        Permissions::SEND_MESSAGES,
    );
    world
        .guild_mut()
        .channel_mut("mod-log")
        .permission_overwrites
        .push(deny_send);
    let fake = FakeDiscord::start(world).await;
    let client = fake
        .client_builder(smoke_intents())
        .event_handler(PingPong)
        .await
        .unwrap();
    let bot = RunningClient::spawn(client);
    fake.wait_connected().await;
    assert_eq!(fake.intents(), Some(smoke_intents()));

    let world = fake.world();
    let ping = fixtures::message_create(&world, "alice", "general", "ping");
    fake.dispatch("MESSAGE_CREATE", ping).await;
    let pong = fake.wait_for(is_pong, WAIT).await;
    assert_eq!(pong.status, 200);

    // Only "ping" is answered.
    let other = fixtures::message_create(&world, "bob", "general", "hello");
    fake.dispatch("MESSAGE_CREATE", other).await;
    fake.assert_no_request(|r| r.index > pong.index, Duration::from_millis(200))
        .await;

    // The cache learnt the guild, its channels and the bot's role from GUILD_CREATE, and
    // serenity checks the bot's permissions (overwrites included) against it before calling.
    let guild = bot
        .cache
        .guild(GuildId::new(ids::GUILD))
        .expect("guild cached")
        .clone();
    assert!(guild.channels.contains_key(&ChannelId::new(ids::MOD_LOG)));
    let bot_member = guild
        .members
        .get(&UserId::new(ids::BOT))
        .expect("bot member cached");
    assert!(bot_member.roles.contains(&RoleId::new(ids::BOT_ROLE)));
    let cache_http = (&bot.cache, bot.http.as_ref());
    ChannelId::new(ids::GENERAL)
        .say(&cache_http, "checked")
        .await
        .unwrap();
    let refused = ChannelId::new(ids::MOD_LOG)
        .say(&cache_http, "denied")
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            serenity::Error::Model(ModelError::InvalidPermissions { .. })
        ),
        "{refused:?}"
    );
    assert!(
        fake.requests_to("POST", &format!("/channels/{}/messages", ids::MOD_LOG))
            .is_empty()
    );
    fake.assert_no_unknown_requests();

    let stopping = bot.stop().await;
    eprintln!(
        "ping/pong: {:?} in all, {stopping:?} to stop the client",
        began.elapsed()
    );
    assert!(
        stopping < Duration::from_secs(3),
        "the client took {stopping:?} to stop"
    );
}

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Says hi.
#[poise::command(slash_command)]
async fn hello(ctx: poise::Context<'_, (), Error>) -> Result<(), Error> {
    ctx.say("hi").await?;
    Ok(())
}

/// Replies twice: the second is a follow-up through the interaction webhook.
#[poise::command(slash_command)]
async fn twice(ctx: poise::Context<'_, (), Error>) -> Result<(), Error> {
    ctx.say("one").await?;
    let follow_up = ctx.say("two").await?.into_message().await?;
    assert_eq!(follow_up.content, "two");
    Ok(())
}

#[tokio::test]
async fn poise_slash_command_replies_through_the_fake() {
    let began = Instant::now();
    let fake = FakeDiscord::start(World::default_guild()).await;
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: vec![hello(), twice()],
            ..Default::default()
        })
        .setup(|ctx, _ready, framework| {
            Box::pin(async move {
                poise::builtins::register_globally(ctx, &framework.options().commands).await?;
                Ok(())
            })
        })
        .build();
    let client = fake
        .client_builder(GatewayIntents::GUILDS)
        .framework(framework)
        .await
        .unwrap();
    let bot = RunningClient::spawn(client);

    let registered = fake
        .wait_for_route(
            "PUT",
            &format!("/applications/{}/commands", ids::APPLICATION),
            WAIT,
        )
        .await;
    assert_eq!(registered.body[0]["name"], "hello");
    assert_eq!(fake.global_commands()[0]["name"], "hello");

    let world = fake.world();
    let command = fixtures::slash_command(&world, "alice", "general", "hello", json!([]));
    let token = command["token"].as_str().unwrap().to_string();
    let id = command["id"].as_str().unwrap().to_string();
    fake.dispatch("INTERACTION_CREATE", command).await;
    let reply = fake
        .wait_for_route(
            "POST",
            &format!("/interactions/{id}/{token}/callback"),
            WAIT,
        )
        .await;
    assert_eq!(reply.body["type"], 4);
    assert_eq!(reply.content(), Some("hi"));
    assert_eq!(reply.status, 204);
    let original = fake
        .interaction_response(&token)
        .expect("the reply is the original response");
    assert_eq!(original["channel_id"], ids::GENERAL.to_string());

    let command = fixtures::slash_command(&world, "bob", "review", "twice", json!([]));
    let token = command["token"].as_str().unwrap().to_string();
    fake.dispatch("INTERACTION_CREATE", command).await;
    let follow_up = format!("/webhooks/{}/{token}", ids::APPLICATION);
    let follow_up = fake.wait_for_route("POST", &follow_up, WAIT).await;
    assert_eq!(follow_up.content(), Some("two"));
    assert_eq!(follow_up.status, 200);
    fake.assert_no_unknown_requests();

    let stopping = bot.stop().await;
    eprintln!(
        "poise /hello: {:?} in all, {stopping:?} to stop the client",
        began.elapsed()
    );
}

#[tokio::test]
async fn serenity_resumes_after_a_reconnect_request() {
    let fake = FakeDiscord::start(World::default_guild()).await;
    let client = fake
        .client_builder(smoke_intents())
        .event_handler(PingPong)
        .await
        .unwrap();
    let bot = RunningClient::spawn(client);
    fake.wait_connected().await;

    fake.request_reconnect();
    let deadline = Instant::now() + WAIT;
    while fake.sessions() != (1, 1) {
        assert!(
            Instant::now() < deadline,
            "no RESUME; frames: {:?}",
            fake.gateway_frames()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(fake.connections(), 2);
    let resume = fake
        .gateway_frames()
        .into_iter()
        .find(|f| f["op"] == 6)
        .expect("a RESUME");
    assert_eq!(
        resume["d"]["seq"], 2,
        "READY and one GUILD_CREATE were seen before"
    );

    // Dispatches still arrive on the new connection.
    let world = fake.world();
    fake.dispatch(
        "MESSAGE_CREATE",
        fixtures::message_create(&world, "alice", "general", "ping"),
    )
    .await;
    fake.wait_for(is_pong, WAIT).await;
    bot.stop().await;
}

/// Every REST reply the fake makes parses as the model serenity expects, and changes the world.
#[tokio::test]
async fn rest_replies_are_valid_serenity_models() {
    let fake = FakeDiscord::start(World::default_guild()).await;
    let http = fake.http();
    let guild = GuildId::new(ids::GUILD);
    let general = ChannelId::new(ids::GENERAL);
    let alice = UserId::new(ids::ALICE);

    let me = http.get_current_user().await.unwrap();
    assert_eq!(me.id.get(), ids::BOT);
    let app = http.get_current_application_info().await.unwrap();
    assert_eq!(app.owner.unwrap().id.get(), ids::OWNER);
    assert!(http.get_bot_gateway().await.unwrap().url.ends_with("/gw"));

    let embed = CreateEmbed::new()
        .title("Case 1")
        .description("spam")
        .field("Rule", "1.2", true);
    let sent = general
        .send_message(&http, CreateMessage::new().content("hello").embed(embed))
        .await
        .unwrap();
    assert_eq!(sent.content, "hello");
    assert_eq!(sent.embeds[0].title.as_deref(), Some("Case 1"));
    assert_eq!(sent.author.id.get(), ids::BOT);
    let fetched = general.message(&http, sent.id).await.unwrap();
    assert_eq!(fetched.id, sent.id);
    general.delete_message(&http, sent.id).await.unwrap();
    let gone = general.delete_message(&http, sent.id).await.unwrap_err();
    assert!(gone.to_string().contains("Unknown Message"), "{gone}");

    let dm = alice.create_dm_channel(&http).await.unwrap();
    assert_eq!(dm.recipient.id, alice);
    assert_eq!(fake.dm_channel(ids::ALICE), Some(dm.id.get()));
    dm.say(&http, "You were warned").await.unwrap();

    let until = Timestamp::from_unix_timestamp(Timestamp::now().unix_timestamp() + 600).unwrap();
    let member = guild
        .edit_member(
            &http,
            alice,
            EditMember::new().disable_communication_until_datetime(until),
        )
        .await
        .unwrap();
    assert_eq!(member.communication_disabled_until, Some(until));
    let fetched = guild.member(&http, alice).await.unwrap();
    assert_eq!(fetched.communication_disabled_until, Some(until));

    let partial = http.get_guild(guild).await.unwrap();
    assert_eq!(partial.roles.len(), 3);
    assert_eq!(http.get_guild_roles(guild).await.unwrap().len(), 3);
    let channel = http.get_channel(general).await.unwrap().guild().unwrap();
    assert_eq!(channel.name, "general");

    let webhook = general
        .create_webhook(&http, serenity::all::CreateWebhook::new("Steward relay"))
        .await
        .unwrap();
    let relayed = webhook
        .execute(
            &http,
            true,
            serenity::all::ExecuteWebhook::new().content("relayed"),
        )
        .await
        .unwrap()
        .expect("wait=true returns the message");
    assert_eq!(relayed.content, "relayed");

    guild
        .kick_with_reason(&http, alice, "spam (rule 1.2)")
        .await
        .unwrap();
    let kick = fake
        .wait_for_route("DELETE", "/guilds/*/members/*", WAIT)
        .await;
    assert_eq!(kick.audit_log_reason.as_deref(), Some("spam (rule 1.2)"));
    assert!(fake.world().guild().member_by_id(ids::ALICE).is_none());
    guild
        .ban_with_reason(&http, UserId::new(ids::BOB), 0, "raid")
        .await
        .unwrap();
    assert_eq!(http.get_bans(guild, None, None).await.unwrap().len(), 1);
    guild.unban(&http, UserId::new(ids::BOB)).await.unwrap();
    fake.assert_no_unknown_requests();
}

/// The fake refuses what Discord refuses: a missing permission, a target above the bot.
#[tokio::test]
async fn the_fake_enforces_permissions_and_hierarchy() {
    let world = World::default_guild().without_bot_permission(Permissions::KICK_MEMBERS);
    let fake = FakeDiscord::start(world).await;
    let http = fake.http();
    let guild = GuildId::new(ids::GUILD);

    let refused = guild
        .kick(&http, UserId::new(ids::ALICE))
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("Missing Permissions"),
        "{refused}"
    );
    assert!(fake.world().guild().member_by_id(ids::ALICE).is_some());

    // Moderator above the bot's role: the bot may not time bob out.
    fake.update_world(|w| w.guild_mut().role_mut("Moderator").position = 5);
    let until = Timestamp::from_unix_timestamp(Timestamp::now().unix_timestamp() + 60).unwrap();
    let edit = EditMember::new().disable_communication_until_datetime(until);
    let refused = guild
        .edit_member(&http, UserId::new(ids::BOB), edit.clone())
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("Missing Permissions"),
        "{refused}"
    );
    // Nobody may time out the owner.
    let refused = guild
        .edit_member(&http, UserId::new(ids::OWNER), edit)
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("Missing Permissions"),
        "{refused}"
    );
    let calls = fake.requests_to("PATCH", "/guilds/{g}/members/{u}");
    assert!(calls.iter().all(|r| r.status == 403), "{calls:?}");
}

#[tokio::test]
async fn canned_replies_override_a_route() {
    let fake = FakeDiscord::start(World::default_guild()).await;
    let http = fake.http();
    fake.respond_once("POST", "/channels/*/messages", Reply::server_error());
    fake.respond(
        "PATCH",
        "/guilds/{g}/members/{u}",
        Reply::missing_permissions(),
    );

    let general = ChannelId::new(ids::GENERAL);
    assert!(general.say(&http, "first").await.is_err());
    assert_eq!(
        general.say(&http, "second").await.unwrap().content,
        "second"
    );
    let edit = EditMember::new().nickname("renamed");
    let refused = GuildId::new(ids::GUILD)
        .edit_member(&http, UserId::new(ids::ALICE), edit)
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("Missing Permissions"),
        "{refused}"
    );

    let statuses: Vec<u16> = fake.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [500, 200, 403]);
    assert!(fake.unknown_requests().is_empty());

    // A channel the world does not have is Discord's "Unknown Channel".
    let nowhere = ChannelId::new(1).say(&http, "hello?").await.unwrap_err();
    assert!(nowhere.to_string().contains("Unknown Channel"), "{nowhere}");

    // An unknown route is answered 404 and recorded as such.
    let unknown = http
        .get_guild_webhooks(GuildId::new(ids::GUILD))
        .await
        .unwrap_err();
    assert!(unknown.to_string().contains("Unknown route"), "{unknown}");
    assert_eq!(fake.unknown_requests().len(), 1);
}

#[test]
fn fixtures_are_events_serenity_accepts() {
    let world = World::default_guild();
    let create = fixtures::message_create(&world, "alice", "general", "hi <@&0> <@4>");
    let mentioning = format!("look <@{}> and <@&{}>", ids::BOB, ids::MODERATOR_ROLE);
    let mention = fixtures::message_create(&world, "alice", "review", &mentioning);
    assert_eq!(mention["mentions"][0]["id"], ids::BOB.to_string());
    assert_eq!(mention["mention_roles"][0], ids::MODERATOR_ROLE.to_string());
    let newcomer = fixtures::joining_now(fixtures::new_user("carol"));
    let events = [
        ("MESSAGE_CREATE", create.clone()),
        ("MESSAGE_CREATE", mention.clone()),
        (
            "MESSAGE_UPDATE",
            fixtures::message_update(&world, &create, "edited"),
        ),
        ("MESSAGE_DELETE", fixtures::message_delete(&create)),
        ("GUILD_MEMBER_ADD", fixtures::member_add(&world, &newcomer)),
        (
            "GUILD_MEMBER_UPDATE",
            fixtures::member_update(&world, world.guild().member("bob")),
        ),
        (
            "GUILD_MEMBER_REMOVE",
            fixtures::member_remove(&world, &newcomer.user),
        ),
        (
            "INTERACTION_CREATE",
            fixtures::slash_command(
                &world,
                "bob",
                "general",
                "warn",
                json!([
                    {"name": "member", "type": 6, "value": ids::ALICE.to_string()},
                    {"name": "reason", "type": 3, "value": "spam"},
                ]),
            ),
        ),
        (
            "INTERACTION_CREATE",
            fixtures::message_command(&world, "bob", "Report", &create),
        ),
        (
            "INTERACTION_CREATE",
            fixtures::user_command(
                &world,
                "bob",
                "general",
                "Cases",
                &world.guild().member("alice").user,
            ),
        ),
        (
            "INTERACTION_CREATE",
            fixtures::button_press(&world, "bob", &create, "review:approve"),
        ),
    ];
    for (name, data) in events {
        validate(name, &data);
    }
}

#[test]
fn a_payload_missing_a_required_field_is_caught() {
    let world = World::default_guild();
    let mut message = fixtures::message_create(&world, "alice", "general", "ping");
    message.as_object_mut().unwrap().remove("timestamp");
    let why = try_validate("MESSAGE_CREATE", &message).unwrap_err();
    assert!(
        why.contains("unknown event") && why.contains("timestamp"),
        "{why}"
    );
    let mut command = fixtures::slash_command(&world, "alice", "general", "hello", json!([]));
    command
        .as_object_mut()
        .unwrap()
        .remove("attachment_size_limit");
    let why = try_validate("INTERACTION_CREATE", &command).unwrap_err();
    assert!(why.contains("attachment_size_limit"), "{why}");
    assert!(try_validate("MESSAGE_CRATE", &json!({})).is_err());
}
