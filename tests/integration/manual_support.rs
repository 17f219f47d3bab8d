//! What the manual-action and case-history tests share: a Steward on a database that outlives
//! it (for restarts), a small charter, option builders.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use steward::config::{Config, LogFormat, Secret};
use steward::discord::RunOptions;
use steward::ids::{ChannelId, GuildId};
use steward::store::{GuildSettings, Store};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::fake_discord::{FakeDiscord, Recorded, TOKEN, World, fixtures, ids};

pub(crate) const WAIT: Duration = Duration::from_secs(5);

pub(crate) const CHARTER: &str = r#"
title = { fr = "Charte", en = "Charter" }
languages = ["fr", "en"]

[escalation]
window = "30d"
[[escalation.step]]
points = 6
action = "timeout 1h"

[[section]]
number = 1
title = { fr = "Respect", en = "Respect" }
text = { fr = "Soyez courtois.", en = "Be kind." }
"#;

pub(crate) const RULES: &str = r#"
[[rule]]
id = "insults"
section = 1
name = { fr = "Insultes", en = "Insults" }
outcome = "delete"
points = 2
keywords = ["connard"]
"#;

/// A running Steward on a database that outlives it (for restarts).
pub(crate) struct Steward {
    pub(crate) fake: FakeDiscord,
    dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

pub(crate) fn database_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("steward.db").display())
}

impl Steward {
    /// A fresh folder and database with the mod log set, and Steward started on them.
    pub(crate) async fn start(world: World) -> Steward {
        let dir = tempfile::tempdir().unwrap();
        let rules = dir.path().join("rules");
        std::fs::create_dir(&rules).unwrap();
        std::fs::write(rules.join("charter.toml"), CHARTER).unwrap();
        std::fs::write(rules.join("rules.toml"), RULES).unwrap();
        let store = Store::connect(&database_url(dir.path())).await.unwrap();
        store.migrate().await.unwrap();
        let mut settings = GuildSettings::defaults(GuildId(ids::GUILD));
        settings.mod_log_channel = Some(ChannelId(ids::MOD_LOG));
        store.save_guild_settings(&settings).await.unwrap();
        store.close().await;
        let fake = FakeDiscord::start(world).await;
        Steward::launch(fake, dir, RunOptions::default()).await
    }

    /// Starts Steward on `dir`'s database against `fake`; returns once commands are registered.
    pub(crate) async fn launch(
        fake: FakeDiscord,
        dir: tempfile::TempDir,
        options: RunOptions,
    ) -> Steward {
        crate::fake_discord::init_tracing();
        let config = Config {
            discord_token: Some(Secret::new(TOKEN)),
            database_url: database_url(dir.path()),
            rules_dir: dir.path().join("rules"),
            discord_api_url: Some(fake.base_url()),
            log_level: "info".into(),
            log_format: LogFormat::Text,
        };
        let mark = fake.request_count();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(steward::discord::run_with(config, options, async {
            let _ = stopped.await;
        }));
        fake.wait_for(
            |r| r.index >= mark && r.is("PUT", "/applications/{a}/commands"),
            WAIT,
        )
        .await;
        fake.wait_connected().await;
        Steward {
            fake,
            dir,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Runs a slash command as `invoker` in #general and returns Steward's reply to it.
    pub(crate) async fn slash(&self, invoker: &str, name: &str, options: Value) -> Recorded {
        let command =
            fixtures::slash_command(&self.fake.world(), invoker, "general", name, options);
        let callback = format!(
            "/interactions/{}/{}/callback",
            command["id"].as_str().unwrap(),
            command["token"].as_str().unwrap()
        );
        self.fake.dispatch("INTERACTION_CREATE", command).await;
        wait_exact(&self.fake, "POST", &callback).await
    }

    /// Stops Steward, keeping the fake Discord and the folder.
    pub(crate) async fn halt(mut self) -> (FakeDiscord, tempfile::TempDir) {
        let _ = self.stop.take().unwrap().send(());
        let outcome = tokio::time::timeout(Duration::from_secs(10), self.task.take().unwrap())
            .await
            .expect("Steward stops within 10 s")
            .expect("the task does not panic");
        outcome.expect("Steward stops cleanly");
        self.fake.wait_disconnected().await;
        (self.fake, self.dir)
    }

    /// Stops Steward and opens its database.
    pub(crate) async fn stop(self) -> (Store, FakeDiscord, tempfile::TempDir) {
        let (fake, dir) = self.halt().await;
        let store = Store::connect(&database_url(dir.path())).await.unwrap();
        (store, fake, dir)
    }
}

/// The request with exactly `method` and `path` (under `/api/v10`).
async fn wait_exact(fake: &FakeDiscord, method: &str, path: &str) -> Recorded {
    let path = format!("/api/v10{path}");
    fake.wait_for(|r| r.method == method && r.path == path, WAIT)
        .await
}

pub(crate) fn user(name: &str, id: u64) -> Value {
    json!({"name": name, "type": 6, "value": id.to_string()})
}

pub(crate) fn text(name: &str, value: &str) -> Value {
    json!({"name": name, "type": 3, "value": value})
}

pub(crate) fn ephemeral(reply: &Recorded) -> bool {
    reply.body["data"]["flags"] == json!(64)
}

pub(crate) fn mod_log_post(r: &Recorded) -> bool {
    r.is("POST", &format!("/channels/{}/messages", ids::MOD_LOG))
}

pub(crate) fn member_route() -> String {
    format!("/guilds/{}/members/{}", ids::GUILD, ids::ALICE)
}

pub(crate) fn ban_route() -> String {
    format!("/guilds/{}/bans/{}", ids::GUILD, ids::ALICE)
}
