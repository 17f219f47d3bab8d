//! Two `steward` processes, shards `0-0` and `1-1` of 2, on one PostgreSQL database, against a
//! fake Discord that routes each guild to its shard and invalidates identifies closer than 5 s
//! in one bucket: each process moderates only its own guild, the job of each guild runs once,
//! and the two identifies are at least 5 s apart with no session invalidated. Needs
//! `TEST_POSTGRES_URL`; without it the test says so and passes.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::fake_discord::{FakeDiscord, UserSpec, World, fixtures, ids, second_ids};
use crate::steward_support::{RULES, WAIT, charter, timeout_after};
use crate::support::on_postgres_at;
use steward::ids::{ChannelId, GuildId, UserId};
use steward::jobs::Job;
use steward::store::{GuildSettings, Store};

/// Long enough for the configuration's check (the fake accepts any token).
const TOKEN: &str = "fake.discord.token.for.two.processes";

/// A banned user whose temporary ban ends now, in both guilds.
const EVE: u64 = 9_000_000_000_000_000_077;

/// A `steward run` process for `shards` of 2, killed when dropped.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn launch(fake: &FakeDiscord, database: &str, rules: &std::path::Path, shards: &str) -> Process {
    let child = Command::new(env!("CARGO_BIN_EXE_steward"))
        .arg("run")
        .env_clear()
        .env("DISCORD_TOKEN", TOKEN)
        .env("DISCORD_API_URL", fake.base_url())
        .env("DATABASE_URL", database)
        .env("RULES_DIR", rules)
        .env("SHARDS", shards)
        .env("SHARD_COUNT", "2")
        .env("LOG_LEVEL", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("steward starts");
    Process(child)
}

async fn prepare(store: &Store) {
    for (guild, mod_log) in [
        (ids::GUILD, ids::MOD_LOG),
        (second_ids::GUILD, second_ids::MOD_LOG),
    ] {
        let mut settings = GuildSettings::defaults(GuildId(guild));
        settings.mod_log_channel = Some(ChannelId(mod_log));
        store.save_guild_settings(&settings).await.unwrap();
        let job = Job::LiftBan {
            guild: GuildId(guild),
            user: UserId(EVE),
            case: 1,
        };
        store
            .schedule(
                job.kind(),
                GuildId(guild),
                &job.to_payload(),
                0,
                Some(&job.dedupe_key()),
            )
            .await
            .unwrap();
    }
}

fn world() -> World {
    let mut world = World::two_guilds_on_two_shards().with_identify_spacing();
    for guild in &mut world.guilds {
        guild
            .bans
            .push((UserSpec::new(EVE, "eve"), Some("spam".into())));
    }
    world
}

async fn wait_for_both_shards(fake: &FakeDiscord) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while fake.connected_shards().len() < 2 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "both shards should connect; identifies: {:?}",
            fake.identifies()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn two_processes(store: Store, database: String) {
    prepare(&store).await;
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(rules.join("charter.toml"), charter(&timeout_after(6))).unwrap();
    std::fs::write(rules.join("rules.toml"), RULES).unwrap();
    let fake = FakeDiscord::start(world()).await;
    let first = launch(&fake, &database, &rules, "0-0");
    let second = launch(&fake, &database, &rules, "1-1");
    wait_for_both_shards(&fake).await;

    // Identifies: one per shard, 5 s apart, none invalidated.
    let identifies = fake.identifies();
    assert_eq!(identifies.len(), 2, "{identifies:?}");
    let mut shards: Vec<(u64, u64)> = identifies.iter().map(|(s, n, _)| (*s, *n)).collect();
    shards.sort_unstable();
    assert_eq!(shards, vec![(0, 2), (1, 2)]);
    let gap = identifies[1].2.saturating_sub(identifies[0].2);
    assert!(
        gap >= Duration::from_millis(4_950),
        "identifies {gap:?} apart"
    );
    assert_eq!(fake.invalid_sessions(), 0);

    // Each guild's insult is removed once: by the process of its shard, the other never saw it.
    let world = fake.world();
    let here = fixtures::message_create(&world, "alice", "general", "espèce de connard");
    let alice = world.second_guild().member("alice").clone();
    let there = fixtures::message_create_by(
        world.second_guild(),
        &alice,
        second_ids::GENERAL,
        "espèce de connard",
    );
    fake.dispatch("MESSAGE_CREATE", here.clone()).await;
    fake.dispatch("MESSAGE_CREATE", there.clone()).await;
    let delete_route = |channel: u64, message: &serde_json::Value| {
        format!(
            "/channels/{channel}/messages/{}",
            message["id"].as_str().unwrap()
        )
    };
    let routes = [
        delete_route(ids::GENERAL, &here),
        delete_route(second_ids::GENERAL, &there),
        format!("/guilds/{}/bans/{EVE}", ids::GUILD),
        format!("/guilds/{}/bans/{EVE}", second_ids::GUILD),
    ];
    for route in &routes {
        fake.wait_for_route("DELETE", route, WAIT).await;
    }
    // Time for a second delete or unban, were either process to act twice.
    tokio::time::sleep(Duration::from_secs(1)).await;
    for route in &routes {
        assert_eq!(fake.requests_to("DELETE", route).len(), 1, "{route}");
    }
    for guild in [ids::GUILD, second_ids::GUILD] {
        let cases = store
            .cases_for(GuildId(guild), UserId(EVE), 10)
            .await
            .unwrap();
        assert_eq!(cases.len(), 1, "one unban case in {guild}");
    }
    for guild in [ids::GUILD, second_ids::GUILD] {
        let (jobs, _) = store.pending_jobs(GuildId(guild), 100).await.unwrap();
        assert!(jobs.iter().all(|j| j.kind != Job::LIFT_BAN), "{jobs:?}");
    }
    drop((first, second));
    fake.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_processes_share_the_shards_the_jobs_and_the_identify_limit() {
    on_postgres_at(two_processes).await;
}
