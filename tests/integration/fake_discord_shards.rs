//! The fake Discord with a bot split across shards, as Discord serves it: each shard is told of
//! its own guilds (`(guild_id >> 22) % num_shards`), dispatches go to the shard owning their
//! guild, IDENTIFYs are recorded with their shard and time, and two of one rate-limit bucket
//! under 5 s apart get op 9 when the world enforces Discord's spacing.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use serenity::all::{
    ChannelId, Context, EventHandler, GatewayIntents, Guild, GuildChannel, GuildId, Message,
    Permissions, Ready,
};
use serenity::async_trait;

use crate::fake_discord::{
    FakeDiscord, IDENTIFY_SLACK, IDENTIFY_SPACING, RawShard, RunningClient, Shards, World,
    fixtures, ids, second_ids,
};

const WAIT: Duration = Duration::from_secs(5);

/// (event, guild id, `ctx.shard_id`) as the handler saw them.
type Seen = Arc<Mutex<Vec<(&'static str, u64, u32)>>>;

struct Recorder(Seen);

impl Recorder {
    fn push(&self, event: &'static str, guild: Option<GuildId>, ctx: &Context) {
        let guild = guild.map_or(0, GuildId::get);
        self.0.lock().unwrap().push((event, guild, ctx.shard_id.0));
    }
}

#[async_trait]
impl EventHandler for Recorder {
    async fn ready(&self, ctx: Context, ready: Ready) {
        for guild in &ready.guilds {
            self.push("READY", Some(guild.id), &ctx);
        }
    }

    async fn guild_create(&self, ctx: Context, guild: Guild, _is_new: Option<bool>) {
        self.push("GUILD_CREATE", Some(guild.id), &ctx);
    }

    async fn message(&self, ctx: Context, msg: Message) {
        self.push("MESSAGE_CREATE", msg.guild_id, &ctx);
    }

    async fn channel_update(&self, ctx: Context, _old: Option<GuildChannel>, new: GuildChannel) {
        self.push("CHANNEL_UPDATE", Some(new.guild_id), &ctx);
    }
}

fn intents() -> GatewayIntents {
    GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::MESSAGE_CONTENT
}

async fn start(fake: &FakeDiscord, shards: Shards) -> (RunningClient, Seen) {
    let seen = Seen::default();
    let client = fake
        .client_builder(intents())
        .event_handler(Recorder(Arc::clone(&seen)))
        .await
        .unwrap();
    (RunningClient::spawn_sharded(client, shards), seen)
}

/// The shards that saw `event` for `guild`, once at least one did (panics after 5 s).
async fn shards_seeing(seen: &Seen, event: &str, guild: u64) -> Vec<u32> {
    let deadline = Instant::now() + WAIT;
    loop {
        let shards: Vec<u32> = seen
            .lock()
            .unwrap()
            .iter()
            .filter(|(e, g, _)| *e == event && *g == guild)
            .map(|(_, _, s)| *s)
            .collect();
        if !shards.is_empty() {
            return shards;
        }
        assert!(
            Instant::now() < deadline,
            "no {event} for guild {guild}; seen: {:?}",
            seen.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A MESSAGE_CREATE by alice in the `general` of `guild`.
fn alice_says(world: &World, guild: u64, content: &str) -> serde_json::Value {
    let guild = world.guild_by_id(guild).unwrap();
    let general = guild.channel_id("general");
    fixtures::message_create_by(guild, guild.member("alice"), general, content)
}

#[tokio::test]
async fn an_autosharded_client_gets_each_guild_on_its_own_shard() {
    let mut world = World::two_guilds_on_two_shards().with_identify_spacing();
    let second = world.guild_by_id_mut(second_ids::GUILD).unwrap();
    second
        .role_mut("Steward")
        .permissions
        .insert(Permissions::MANAGE_CHANNELS);
    let fake = FakeDiscord::start(world).await;
    let (bot, seen) = start(&fake, Shards::Autosharded).await;
    fake.wait_connected_shard(0).await;
    // serenity's queuer starts the second shard 5 s after the first (the wait allows 10 s).
    fake.wait_connected_shard(1).await;
    assert_eq!(fake.connected_shards(), vec![0, 1]);
    assert!(!fake.requests_to("GET", "/gateway/bot").is_empty());

    // READY and GUILD_CREATE: each shard knows its own guild only.
    for event in ["READY", "GUILD_CREATE"] {
        assert_eq!(shards_seeing(&seen, event, ids::GUILD).await, vec![0]);
        assert_eq!(
            shards_seeing(&seen, event, second_ids::GUILD).await,
            vec![1]
        );
    }
    assert_eq!(fake.shard_of_guild(ids::GUILD), 0);
    assert_eq!(fake.shard_of_guild(second_ids::GUILD), 1);

    // Identifies carry their shard, 5 s apart: none was invalidated.
    let identifies = fake.identifies();
    assert_eq!(
        identifies
            .iter()
            .map(|(s, c, _)| (*s, *c))
            .collect::<Vec<_>>(),
        vec![(0, 2), (1, 2)]
    );
    let gap = identifies[1].2 - identifies[0].2;
    assert!(gap + IDENTIFY_SLACK >= IDENTIFY_SPACING, "{gap:?}");
    assert_eq!(fake.invalid_sessions(), 0);
    assert_eq!(fake.identify_of(1).unwrap()["shard"], json!([1, 2]));

    // A message in the second guild arrives on shard 1 only, with shard 1's own sequence
    // numbers (READY, one GUILD_CREATE, then this one); one in the first guild on shard 0.
    let world = fake.world();
    let seq = fake
        .dispatch(
            "MESSAGE_CREATE",
            alice_says(&world, second_ids::GUILD, "hi"),
        )
        .await;
    assert_eq!(seq, 3);
    fake.dispatch("MESSAGE_CREATE", alice_says(&world, ids::GUILD, "hi"))
        .await;
    shards_seeing(&seen, "MESSAGE_CREATE", ids::GUILD).await;
    shards_seeing(&seen, "MESSAGE_CREATE", second_ids::GUILD).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let on_first = shards_seeing(&seen, "MESSAGE_CREATE", ids::GUILD).await;
    assert_eq!(on_first, vec![0]);
    let on_second = shards_seeing(&seen, "MESSAGE_CREATE", second_ids::GUILD).await;
    assert_eq!(on_second, vec![1]);

    // The fake's own follow-up of a REST change goes to the guild's shard too.
    bot.http
        .edit_channel(
            ChannelId::new(second_ids::GENERAL),
            &json!({"rate_limit_per_user": 5}),
            None,
        )
        .await
        .unwrap();
    let updated = shards_seeing(&seen, "CHANNEL_UPDATE", second_ids::GUILD).await;
    assert_eq!(updated, vec![1]);
    fake.assert_no_unknown_requests();
    bot.stop().await;
}

#[tokio::test]
async fn two_processes_run_one_shard_each() {
    // Two buckets: both shards may identify at once.
    let world = World::two_guilds_on_two_shards()
        .with_max_concurrency(2)
        .with_identify_spacing();
    let fake = FakeDiscord::start(world).await;
    let (first, seen_first) = start(&fake, Shards::Only(0, 2)).await;
    let (second, seen_second) = start(&fake, Shards::Only(1, 2)).await;
    fake.wait_connected_shard(0).await;
    fake.wait_connected_shard(1).await;
    assert_eq!(fake.invalid_sessions(), 0);
    assert_eq!(fake.sessions(), (2, 0));

    assert_eq!(
        shards_seeing(&seen_first, "GUILD_CREATE", ids::GUILD).await,
        vec![0]
    );
    assert_eq!(
        shards_seeing(&seen_second, "GUILD_CREATE", second_ids::GUILD).await,
        vec![1]
    );
    assert!(first.cache.guild(GuildId::new(second_ids::GUILD)).is_none());
    assert!(second.cache.guild(GuildId::new(ids::GUILD)).is_none());

    let world = fake.world();
    fake.dispatch(
        "MESSAGE_CREATE",
        alice_says(&world, second_ids::GUILD, "hi"),
    )
    .await;
    shards_seeing(&seen_second, "MESSAGE_CREATE", second_ids::GUILD).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        !seen_first
            .lock()
            .unwrap()
            .iter()
            .any(|(e, _, _)| *e == "MESSAGE_CREATE")
    );

    // One process stopping leaves the other's shard connected.
    second.stop().await;
    fake.wait_disconnected_shard(1).await;
    assert_eq!(fake.connected_shards(), vec![0]);
    first.stop().await;
    fake.wait_disconnected().await;
}

#[tokio::test]
async fn identifies_of_one_bucket_under_5_s_apart_are_invalidated() {
    let fake = FakeDiscord::start(World::two_guilds_on_two_shards().with_identify_spacing()).await;
    let mut zero = RawShard::connect(&fake).await;
    zero.identify(0, 2).await;
    let ready = zero.next_dispatch().await;
    assert_eq!(ready["t"], "READY");
    assert_eq!(ready["d"]["shard"], json!([0, 2]));
    assert_eq!(
        ready["d"]["guilds"],
        json!([{"id": ids::GUILD.to_string(), "unavailable": true}])
    );

    // One bucket (max_concurrency 1): shard 1 right after shard 0 is refused.
    let mut one = RawShard::connect(&fake).await;
    one.identify(1, 2).await;
    assert_eq!(one.next().await, json!({"op": 9, "d": false}));
    assert_eq!(fake.invalid_sessions(), 1);
    let detailed = fake.identifies_detailed();
    assert_eq!(detailed.len(), 2);
    assert!(detailed[0].accepted && !detailed[1].accepted);
    assert_eq!((detailed[1].shard, detailed[1].count), (1, 2));
    one.close().await;
    zero.close().await;

    // Two buckets: shards 0 and 1 may identify together; shard 2 shares shard 0's bucket.
    let world = World::two_guilds_on_two_shards()
        .with_max_concurrency(2)
        .with_identify_spacing();
    let fake = FakeDiscord::start(world).await;
    let mut shards = Vec::new();
    for (id, expected) in [(0, "READY"), (1, "READY")] {
        let mut shard = RawShard::connect(&fake).await;
        shard.identify(id, 4).await;
        assert_eq!(shard.next_dispatch().await["t"], expected);
        shards.push(shard);
    }
    let mut two = RawShard::connect(&fake).await;
    two.identify(2, 4).await;
    assert_eq!(two.next().await["op"], 9);
    assert_eq!(fake.invalid_sessions(), 1);

    // Without the world enforcing it (the default), nothing is refused.
    let fake = FakeDiscord::start(World::two_guilds_on_two_shards()).await;
    for id in [0, 1, 0] {
        let mut shard = RawShard::connect(&fake).await;
        shard.identify(id, 2).await;
        assert_eq!(shard.next_dispatch().await["t"], "READY");
        shard.close().await;
    }
    assert_eq!(fake.invalid_sessions(), 0);
    assert_eq!(fake.sessions(), (3, 0));
}

#[tokio::test]
async fn each_shard_resumes_its_own_session() {
    let fake = FakeDiscord::start(World::two_guilds_on_two_shards()).await;
    let mut zero = RawShard::connect(&fake).await;
    zero.identify(0, 2).await;
    let mut one = RawShard::connect(&fake).await;
    one.identify(1, 2).await;
    let ready = one.next_dispatch().await;
    let session = ready["d"]["session_id"].as_str().unwrap().to_string();
    let create = one.next_dispatch().await;
    assert_eq!(create["t"], "GUILD_CREATE");
    assert_eq!(create["d"]["id"], second_ids::GUILD.to_string());
    one.close().await;
    fake.wait_disconnected_shard(1).await;
    assert_eq!(fake.connected_shards(), vec![0]);

    let mut again = RawShard::connect(&fake).await;
    again.resume(&session, 2).await;
    let resumed = again.next_dispatch().await;
    assert_eq!(
        (resumed["t"].as_str(), resumed["s"].as_u64()),
        (Some("RESUMED"), Some(3))
    );
    fake.wait_connected_shard(1).await;
    assert_eq!(fake.sessions(), (2, 1));

    // Shard 1's dispatches continue its numbering on the new connection; shard 0's its own.
    let world = fake.world();
    let message = alice_says(&world, second_ids::GUILD, "back");
    assert_eq!(fake.dispatch("MESSAGE_CREATE", message).await, 4);
    let dispatched = again.next_dispatch().await;
    assert_eq!(dispatched["d"]["content"], "back");
    let message = alice_says(&world, ids::GUILD, "here");
    assert_eq!(fake.dispatch("MESSAGE_CREATE", message).await, 3);
    let mut on_zero = zero.next_dispatch().await;
    while on_zero["t"] != "MESSAGE_CREATE" {
        on_zero = zero.next_dispatch().await;
    }
    assert_eq!(on_zero["d"]["content"], "here");
    assert!(!fake.gateway_frames_of(1).is_empty());

    // An unknown session cannot be resumed.
    let mut stranger = RawShard::connect(&fake).await;
    stranger.resume("no-such-session", 1).await;
    assert_eq!(stranger.next().await, json!({"op": 9, "d": false}));
}

#[tokio::test]
async fn a_process_identifying_too_soon_is_invalidated_and_retries() {
    // One bucket (max_concurrency 1): two processes starting together collide.
    let fake = FakeDiscord::start(World::two_guilds_on_two_shards().with_identify_spacing()).await;
    let (first, _) = start(&fake, Shards::Only(0, 2)).await;
    let (second, seen) = start(&fake, Shards::Only(1, 2)).await;
    let deadline = Instant::now() + 4 * IDENTIFY_SPACING;
    while fake.connected_shards() != vec![0, 1] {
        assert!(
            Instant::now() < deadline,
            "identifies: {:?}",
            fake.identifies_detailed()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(fake.invalid_sessions() >= 1);
    // Every session opened 5 s or more after the previous one.
    let accepted: Vec<Duration> = fake
        .identifies_detailed()
        .iter()
        .filter(|i| i.accepted)
        .map(|i| i.at)
        .collect();
    assert_eq!(accepted.len(), 2, "{:?}", fake.identifies_detailed());
    assert!(accepted[1] - accepted[0] + IDENTIFY_SLACK >= IDENTIFY_SPACING);
    shards_seeing(&seen, "GUILD_CREATE", second_ids::GUILD).await;
    eprintln!("identifies: {:?}", fake.identifies_detailed());
    second.stop().await;
    first.stop().await;
}
