//! The one helper that starts Steward for the end-to-end tests: a fake Discord, a temporary
//! folder with a charter, an SQLite database with guild settings, `steward::discord::run_with`
//! with given [`RunOptions`]; messages and slash commands; stop, and restart on the same database.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};
use steward::config::{Config, LogFormat, Secret};
use steward::discord::RunOptions;
use steward::ids::{ChannelId, GuildId};
use steward::store::{GuildSettings, Store};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use serenity::all::Permissions;

use crate::fake_discord::{FakeDiscord, Recorded, RoleSpec, TOKEN, World, fixtures, ids};

pub(crate) const WAIT: Duration = Duration::from_secs(15);

/// A French and English charter with one section, "Respect", and `escalation` (TOML, may be
/// empty) between the title and the section.
pub(crate) fn charter(escalation: &str) -> String {
    format!(
        r#"
title = {{ fr = "Charte", en = "Charter" }}
languages = ["fr", "en"]
{escalation}
[[section]]
number = 1
title = {{ fr = "Respect", en = "Respect" }}
text = {{ fr = "Soyez courtois.", en = "Be kind." }}
"#
    )
}

/// An escalation step: `points` within 30 days earn a one-hour timeout.
pub(crate) fn timeout_after(points: u32) -> String {
    format!(
        r#"
[escalation]
window = "30d"
[[escalation.step]]
points = {points}
action = "timeout 1h"
"#
    )
}

/// The rules of the manual-action and case-history tests.
pub(crate) const RULES: &str = r#"
[[rule]]
id = "insults"
section = 1
name = { fr = "Insultes", en = "Insults" }
outcome = "delete"
points = 2
keywords = ["connard"]
"#;

/// What Steward is started with: a world, a charter, guild settings, run options.
pub(crate) struct Setup {
    world: World,
    files: Vec<(&'static str, String)>,
    settings: GuildSettings,
    options: RunOptions,
    metrics_addr: Option<std::net::SocketAddr>,
}

impl Setup {
    /// `world`, the charter with a 6-point escalation and [`RULES`], the mod log set, default
    /// options.
    pub(crate) fn new(world: World) -> Setup {
        let mut settings = GuildSettings::defaults(GuildId(ids::GUILD));
        settings.mod_log_channel = Some(ChannelId(ids::MOD_LOG));
        Setup {
            world,
            files: vec![
                ("charter.toml", charter(&timeout_after(6))),
                ("rules.toml", RULES.to_string()),
            ],
            settings,
            options: RunOptions::default(),
            metrics_addr: None,
        }
    }

    /// Replaces the charter with `charter` (charter.toml) and `rules` (rules.toml).
    pub(crate) fn charter(mut self, charter: impl Into<String>, rules: &str) -> Setup {
        self.files = vec![
            ("charter.toml", charter.into()),
            ("rules.toml", rules.to_string()),
        ];
        self
    }

    /// Changes the guild settings saved before the start.
    pub(crate) fn settings(mut self, change: impl FnOnce(&mut GuildSettings)) -> Setup {
        change(&mut self.settings);
        self
    }

    /// Serves metrics and probes on `addr`.
    pub(crate) fn metrics(mut self, addr: std::net::SocketAddr) -> Setup {
        self.metrics_addr = Some(addr);
        self
    }

    pub(crate) fn options(mut self, options: RunOptions) -> Setup {
        self.options = options;
        self
    }

    /// Writes the folder and the database, starts the fake Discord, then Steward. Unless the
    /// world says otherwise, members' clients speak the server's language.
    pub(crate) async fn start(self) -> Steward {
        self.start_after(|_| async {}).await
    }

    /// [`Setup::start`], with `prepare` run on the database first (rows Steward finds on start).
    pub(crate) async fn start_after<Prepare, Done>(mut self, prepare: Prepare) -> Steward
    where
        Prepare: FnOnce(Store) -> Done,
        Done: std::future::Future<Output = ()>,
    {
        if self.world.locale.is_none() {
            let locale = if self.settings.language == "fr" {
                "fr"
            } else {
                "en-US"
            };
            self.world.locale = Some(locale.to_string());
        }
        let dir = tempfile::tempdir().unwrap();
        let rules = dir.path().join("rules");
        std::fs::create_dir(&rules).unwrap();
        for (name, text) in &self.files {
            std::fs::write(rules.join(name), text).unwrap();
        }
        let store = Store::connect(&database_url(dir.path())).await.unwrap();
        store.migrate().await.unwrap();
        store.save_guild_settings(&self.settings).await.unwrap();
        prepare(store.clone()).await;
        store.close().await;
        let fake = FakeDiscord::start(self.world).await;
        Steward::launch_with_metrics(fake, dir, self.options, self.metrics_addr).await
    }
}

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
    /// [`Setup::new`] started as it is.
    pub(crate) async fn start(world: World) -> Steward {
        Setup::new(world).start().await
    }

    /// Starts Steward on `dir`'s database and rules against `fake` (a restart, after [`Steward::halt`]
    /// or [`Steward::stop`]); returns once commands are registered (from then on events reach
    /// Steward).
    pub(crate) async fn launch(
        fake: FakeDiscord,
        dir: tempfile::TempDir,
        options: RunOptions,
    ) -> Steward {
        Steward::launch_with_metrics(fake, dir, options, None).await
    }

    /// [`Steward::launch`], serving metrics and probes on `metrics_addr`.
    pub(crate) async fn launch_with_metrics(
        fake: FakeDiscord,
        dir: tempfile::TempDir,
        options: RunOptions,
        metrics_addr: Option<std::net::SocketAddr>,
    ) -> Steward {
        crate::fake_discord::init_tracing();
        let config = Config {
            discord_token: Some(Secret::new(TOKEN)),
            database_url: database_url(dir.path()),
            rules_dir: dir.path().join("rules"),
            discord_api_url: Some(fake.base_url()),
            log_level: "info".into(),
            log_format: LogFormat::Text,
            metrics_addr,
            shards: None,
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

    pub(crate) fn rules_dir(&self) -> PathBuf {
        self.dir.path().join("rules")
    }

    pub(crate) fn database_url(&self) -> String {
        database_url(self.dir.path())
    }

    /// Posts `content` as `author` in #general; returns the message.
    pub(crate) async fn say(&self, author: &str, content: &str) -> Value {
        let message = fixtures::message_create(&self.fake.world(), author, "general", content);
        self.fake.dispatch("MESSAGE_CREATE", message.clone()).await;
        message
    }

    /// Dispatches an interaction and returns its callback.
    pub(crate) async fn interact(&self, interaction: Value) -> Recorded {
        self.fake
            .dispatch("INTERACTION_CREATE", interaction.clone())
            .await;
        self.fake.wait_for(callback_of(&interaction), WAIT).await
    }

    /// Runs a slash command as `invoker` in #general and returns Steward's reply to it.
    pub(crate) async fn slash(&self, invoker: &str, name: &str, options: Value) -> Recorded {
        let command =
            fixtures::slash_command(&self.fake.world(), invoker, "general", name, options);
        self.interact(command).await
    }

    /// Waits for alice's timeout (her member patched with an end date) and returns it.
    pub(crate) async fn wait_for_alice_timeout(&self) -> Recorded {
        let timeout = self
            .fake
            .wait_for_route("PATCH", &member_route(), WAIT)
            .await;
        assert!(
            timeout.body["communication_disabled_until"].is_string(),
            "{timeout}"
        );
        timeout
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

/// Matches the callback of `interaction`.
pub(crate) fn callback_of(interaction: &Value) -> impl Fn(&Recorded) -> bool + use<> {
    let route = format!(
        "/interactions/{}/{}/callback",
        interaction["id"].as_str().unwrap(),
        interaction["token"].as_str().unwrap()
    );
    move |r| r.is("POST", &route)
}

/// Matches the deletion of `message` in #general.
pub(crate) fn deletes(message: &Value) -> impl Fn(&Recorded) -> bool + '_ {
    move |r| {
        r.is(
            "DELETE",
            &format!(
                "/channels/{}/messages/{}",
                ids::GENERAL,
                message["id"].as_str().unwrap()
            ),
        )
    }
}

/// Adds a role `name` without permissions at `position` to `world`'s guild, and gives it to alice.
pub(crate) fn give_alice_a_role(world: &mut World, id: u64, name: &str, position: u16) {
    world
        .guild_mut()
        .roles
        .push(RoleSpec::new(id, name, Permissions::empty(), position));
    world
        .guild_mut()
        .member_by_id_mut(ids::ALICE)
        .unwrap()
        .roles
        .push(id);
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

/// The route that gives `user` the role `role` in the test guild.
pub(crate) fn role_route(user: u64, role: u64) -> String {
    format!("/guilds/{}/members/{user}/roles/{role}", ids::GUILD)
}

pub(crate) fn ban_route() -> String {
    format!("/guilds/{}/bans/{}", ids::GUILD, ids::ALICE)
}

/// The test guild's pending jobs, less the daily folding of old activity every guild has.
pub(crate) async fn feature_jobs(store: &Store) -> Vec<steward::store::JobRow> {
    let (jobs, _) = store.pending_jobs(GuildId(ids::GUILD), 100).await.unwrap();
    jobs.into_iter()
        .filter(|job| job.kind != steward::jobs::Job::FOLD_ACTIVITY)
        .collect()
}

/// The value of the field called `name` of `embed` (a JSON embed as Steward sent it).
pub(crate) fn embed_field(embed: &Value, name: &str) -> String {
    embed["fields"]
        .as_array()
        .and_then(|fields| fields.iter().find(|f| f["name"] == name))
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("no field {name}: {embed}"))
        .to_string()
}

/// The follow-up message of a command that deferred its answer.
pub(crate) async fn followup(bot: &Steward, deferred: &Recorded) -> Recorded {
    bot.fake
        .wait_for(
            |r| r.index > deferred.index && r.is("POST", "/webhooks/{a}/{t}"),
            WAIT,
        )
        .await
}
