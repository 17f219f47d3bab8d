//! Steward end to end: `steward::discord::run` with the real serenity client against the fake
//! Discord, a small charter in a temporary folder and an SQLite database.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};
use serenity::all::Permissions;
use steward::config::{Config, LogFormat, Secret};
use steward::ids::{ChannelId, GuildId, UserId};
use steward::store::{GuildSettings, Store};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::fake_discord::{FakeDiscord, Recorded, TOKEN, World, fixtures, ids};

const WAIT: Duration = Duration::from_secs(5);

const CHARTER: &str = r#"
title = { fr = "Charte", en = "Charter" }
languages = ["fr", "en"]

[escalation]
window = "30d"
[[escalation.step]]
points = 3
action = "timeout 1h"

[[section]]
number = 1
title = { fr = "Respect", en = "Respect" }
text = { fr = "Soyez courtois.", en = "Be kind." }
"#;

const RULES: &str = r#"
[[rule]]
id = "insults"
section = 1
name = { fr = "Insultes", en = "Insults" }
outcome = "delete"
points = 2
keywords = ["connard"]
dm = { fr = "Message retiré : {rule}, article {section} ({section_title}).", en = "Removed: {rule}, section {section} ({section_title})." }
"#;

/// A running Steward and what it runs against.
struct Bot {
    fake: FakeDiscord,
    dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

impl Bot {
    /// Starts Steward against a fake Discord holding `world`, with the mod log configured.
    async fn start(world: World) -> Bot {
        crate::fake_discord::init_tracing();
        let fake = FakeDiscord::start(world).await;
        let dir = tempfile::tempdir().unwrap();
        let rules = dir.path().join("rules");
        std::fs::create_dir(&rules).unwrap();
        std::fs::write(rules.join("charter.toml"), CHARTER).unwrap();
        std::fs::write(rules.join("rules.toml"), RULES).unwrap();
        let database_url = format!("sqlite://{}", dir.path().join("steward.db").display());
        let store = Store::connect(&database_url).await.unwrap();
        store.migrate().await.unwrap();
        let mut settings = GuildSettings::defaults(GuildId(ids::GUILD));
        settings.mod_log_channel = Some(ChannelId(ids::MOD_LOG));
        store.save_guild_settings(&settings).await.unwrap();
        store.close().await;

        let config = Config {
            discord_token: Some(Secret::new(TOKEN)),
            database_url,
            rules_dir: rules,
            discord_api_url: Some(fake.base_url()),
            log_level: "info".into(),
            log_format: LogFormat::Text,
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(steward::discord::run(config, async {
            let _ = stopped.await;
        }));
        fake.wait_connected().await;
        // Commands are registered once setup has run: from then on events reach Steward.
        fake.wait_for_route("PUT", "/applications/{a}/commands", WAIT)
            .await;
        Bot {
            fake,
            dir,
            stop: Some(stop),
            task: Some(task),
        }
    }

    fn rules_dir(&self) -> PathBuf {
        self.dir.path().join("rules")
    }

    async fn say(&self, author: &str, content: &str) -> Value {
        let message = fixtures::message_create(&self.fake.world(), author, "general", content);
        self.fake.dispatch("MESSAGE_CREATE", message.clone()).await;
        message
    }

    /// Runs a slash command as `invoker` in #general and returns Steward's reply.
    async fn slash(&self, invoker: &str, name: &str, options: Value) -> Recorded {
        let command =
            fixtures::slash_command(&self.fake.world(), invoker, "general", name, options);
        self.fake.dispatch("INTERACTION_CREATE", command).await;
        self.fake
            .wait_for(
                |r| r.is("POST", "/interactions/{id}/{token}/callback"),
                WAIT,
            )
            .await
    }

    /// Stops Steward and opens its database.
    async fn stop(mut self) -> (Store, FakeDiscord, tempfile::TempDir) {
        let _ = self.stop.take().unwrap().send(());
        let outcome = tokio::time::timeout(Duration::from_secs(10), self.task.take().unwrap())
            .await
            .expect("Steward stops within 10 s")
            .expect("the task does not panic");
        outcome.expect("Steward stops cleanly");
        let url = format!("sqlite://{}", self.dir.path().join("steward.db").display());
        let store = Store::connect(&url).await.unwrap();
        (store, self.fake, self.dir)
    }
}

fn deletes(message: &Value) -> impl Fn(&Recorded) -> bool + '_ {
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

fn mod_log_post(r: &Recorded) -> bool {
    r.is("POST", &format!("/channels/{}/messages", ids::MOD_LOG))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_violation_is_deleted_explained_recorded_and_logged() {
    let bot = Bot::start(World::default_guild()).await;
    let message = bot.say("alice", "espèce de connard").await;
    bot.fake.wait_for(deletes(&message), WAIT).await;

    let dm_channel = bot
        .fake
        .wait_for_route("POST", "/users/@me/channels", WAIT)
        .await;
    assert_eq!(
        dm_channel.body["recipient_id"],
        json!(ids::ALICE.to_string())
    );
    let dm = bot
        .fake
        .wait_for(
            |r| {
                r.is("POST", "/channels/{c}/messages")
                    && r.content()
                        .is_some_and(|c| c.contains("article 1 (Respect)"))
            },
            WAIT,
        )
        .await;
    assert_eq!(
        dm.content(),
        Some("Message retiré : Insultes, article 1 (Respect).")
    );

    let log = bot.fake.wait_for(mod_log_post, WAIT).await;
    let embed = &log.body["embeds"][0];
    assert_eq!(embed["title"], "Cas #1 — delete");
    let fields = embed["fields"].to_string();
    assert!(fields.contains(&format!("<@{}>", ids::ALICE)), "{fields}");
    assert!(fields.contains("Insultes — article 1: Respect"), "{fields}");
    assert!(fields.contains("espèce de connard"), "{fields}");

    let (store, fake, _dir) = bot.stop().await;
    let case = store.case(GuildId(ids::GUILD), 1).await.unwrap().unwrap();
    assert_eq!(case.user, UserId(ids::ALICE));
    assert_eq!(case.rule.as_deref(), Some("insults"));
    assert_eq!(case.points, 2);
    fake.assert_no_unknown_requests();
}

#[tokio::test(flavor = "multi_thread")]
async fn activity_is_flushed_on_shutdown() {
    let bot = Bot::start(World::default_guild()).await;
    bot.say("alice", "bonjour").await;
    bot.say("bob", "salut alice").await;
    let newcomer = fixtures::joining_now(fixtures::new_user("carol"));
    let join = fixtures::member_add(&bot.fake.world(), &newcomer);
    bot.fake.dispatch("GUILD_MEMBER_ADD", join).await;
    // Well before the periodic flush: only the shutdown flush can write these.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (store, _fake, _dir) = bot.stop().await;
    let guild = GuildId(ids::GUILD);
    assert_eq!(store.messages_in(guild, 0, i64::MAX / 2).await.unwrap(), 2);
    assert_eq!(
        store
            .member_events_in(guild, 0, i64::MAX / 2)
            .await
            .unwrap(),
        (1, 0)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn setup_switches_the_language_and_the_mod_log() {
    let bot = Bot::start(World::default_guild()).await;
    let options = json!([
        {"name": "mod_log", "type": 7, "value": ids::REVIEW.to_string()},
        {"name": "language", "type": 4, "value": 1}
    ]);
    let reply = bot.slash("owner", "setup", options).await;
    assert!(
        reply
            .content()
            .is_some_and(|c| c.starts_with("Settings saved.")),
        "{reply}"
    );
    bot.say("alice", "connard").await;
    let log = bot
        .fake
        .wait_for(
            |r| r.is("POST", &format!("/channels/{}/messages", ids::REVIEW)),
            WAIT,
        )
        .await;
    assert_eq!(log.body["embeds"][0]["title"], "Case #1 — delete");
    let (store, _fake, _dir) = bot.stop().await;
    let settings = store.guild_settings(GuildId(ids::GUILD)).await.unwrap();
    assert_eq!(settings.language, "en");
    assert_eq!(settings.mod_log_channel, Some(ChannelId(ids::REVIEW)));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edit_cannot_sneak_a_violation_in() {
    let bot = Bot::start(World::default_guild()).await;
    let message = bot.say("alice", "bonjour à tous").await;
    bot.fake
        .assert_no_request(deletes(&message), Duration::from_millis(300))
        .await;
    let edit = fixtures::message_update(&bot.fake.world(), &message, "bonjour bande de connard");
    bot.fake.dispatch("MESSAGE_UPDATE", edit).await;
    bot.fake.wait_for(deletes(&message), WAIT).await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_moderator_is_left_alone() {
    let bot = Bot::start(World::default_guild()).await;
    let message = bot.say("bob", "quel connard ce bug").await;
    bot.fake
        .assert_no_request(deletes(&message), Duration::from_millis(500))
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_offences_escalate_to_a_timeout() {
    let bot = Bot::start(World::default_guild()).await;
    let first = bot.say("alice", "connard").await;
    bot.fake.wait_for(deletes(&first), WAIT).await;
    bot.fake
        .assert_no_request(
            |r| r.is("PATCH", "/guilds/{g}/members/{u}"),
            Duration::from_millis(300),
        )
        .await;
    let second = bot.say("alice", "connard encore").await;
    bot.fake.wait_for(deletes(&second), WAIT).await;
    let timeout = bot
        .fake
        .wait_for_route(
            "PATCH",
            &format!("/guilds/{}/members/{}", ids::GUILD, ids::ALICE),
            WAIT,
        )
        .await;
    assert!(
        timeout.body["communication_disabled_until"].is_string(),
        "{timeout}"
    );
    let (store, _fake, _dir) = bot.stop().await;
    let cases = store
        .cases_for(GuildId(ids::GUILD), UserId(ids::ALICE), 10)
        .await
        .unwrap();
    assert!(
        cases.iter().any(|c| c.kind.as_str() == "timeout"),
        "{cases:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn charter_test_answers_ephemerally() {
    let bot = Bot::start(World::default_guild()).await;
    let text = json!([{"name": "text", "type": 3, "value": "t'es un connard"}]);
    let options = json!([{"name": "test", "type": 1, "options": text}]);
    let reply = bot.slash("bob", "charter", options).await;
    assert_eq!(reply.body["data"]["flags"], json!(64), "{reply}");
    let text = reply.content().unwrap_or_default();
    assert!(
        text.contains("delete") && text.contains("insults"),
        "{text}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_permission_is_reported_not_fatal() {
    let world = World::default_guild().without_bot_permission(Permissions::MANAGE_MESSAGES);
    let bot = Bot::start(world).await;
    let message = bot.say("alice", "connard").await;
    let notice = bot
        .fake
        .wait_for(
            |r| mod_log_post(r) && r.body["embeds"][0]["title"] == "Action impossible",
            WAIT,
        )
        .await;
    assert!(
        notice.body["embeds"][0]["description"]
            .as_str()
            .is_some_and(|d| d.contains("Manage Messages")),
        "{notice}"
    );
    assert!(bot.fake.requests().iter().all(|r| !deletes(&message)(r)));
    // Still alive: the next message is judged too.
    bot.say("alice", "connard").await;
    bot.fake
        .wait_for(
            |r| mod_log_post(r) && r.body["embeds"][0]["title"] == "Cas #2 — delete",
            WAIT,
        )
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_rules_change_keeps_the_old_charter() {
    let bot = Bot::start(World::default_guild()).await;
    std::fs::write(
        bot.rules_dir().join("rules.toml"),
        "[[rule]]\nid = \"insults\"\nsection = 7\noutcome = \"delete\"\nkeywords = [\"connard\"]\n",
    )
    .unwrap();
    let notice = bot
        .fake
        .wait_for(
            |r| mod_log_post(r) && r.body["embeds"][0]["title"] == "Charte non rechargée",
            Duration::from_secs(8),
        )
        .await;
    let description = notice.body["embeds"][0]["description"].as_str().unwrap();
    assert!(
        description.contains("rules.toml:3:11: rule \"insults\": section 7"),
        "{description}"
    );
    let message = bot.say("alice", "connard").await;
    bot.fake.wait_for(deletes(&message), WAIT).await;
    bot.stop().await;
}
