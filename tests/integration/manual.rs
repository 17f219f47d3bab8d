//! Manual moderation and case history end to end: `/warn`, `/timeout`, `/ban` (temporary bans
//! lifted after a restart), `/cases`, `/case`, `/mycases`, with the real serenity client against
//! the fake Discord.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use serenity::all::Permissions;
use steward::config::{Config, LogFormat, Secret};
use steward::discord::RunOptions;
use steward::ids::{ChannelId, GuildId, UserId};
use steward::store::{CaseKind, GuildSettings, Store};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::fake_discord::{FakeDiscord, Recorded, Reply, RoleSpec, TOKEN, World, fixtures, ids};

const WAIT: Duration = Duration::from_secs(5);

const CHARTER: &str = r#"
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

const RULES: &str = r#"
[[rule]]
id = "insults"
section = 1
name = { fr = "Insultes", en = "Insults" }
outcome = "delete"
points = 2
keywords = ["connard"]
"#;

/// A running Steward on a database that outlives it (for restarts).
struct Steward {
    fake: FakeDiscord,
    dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

fn database_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("steward.db").display())
}

impl Steward {
    /// A fresh folder and database with the mod log set, and Steward started on them.
    async fn start(world: World) -> Steward {
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
    async fn launch(fake: FakeDiscord, dir: tempfile::TempDir, options: RunOptions) -> Steward {
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
    async fn slash(&self, invoker: &str, name: &str, options: Value) -> Recorded {
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
    async fn halt(mut self) -> (FakeDiscord, tempfile::TempDir) {
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
    async fn stop(self) -> (Store, FakeDiscord, tempfile::TempDir) {
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

fn user(name: &str, id: u64) -> Value {
    json!({"name": name, "type": 6, "value": id.to_string()})
}

fn text(name: &str, value: &str) -> Value {
    json!({"name": name, "type": 3, "value": value})
}

fn ephemeral(reply: &Recorded) -> bool {
    reply.body["data"]["flags"] == json!(64)
}

fn mod_log_post(r: &Recorded) -> bool {
    r.is("POST", &format!("/channels/{}/messages", ids::MOD_LOG))
}

fn member_route() -> String {
    format!("/guilds/{}/members/{}", ids::GUILD, ids::ALICE)
}

fn ban_route() -> String {
    format!("/guilds/{}/bans/{}", ids::GUILD, ids::ALICE)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_timeout_over_28_days_is_refused_clearly() {
    let bot = Steward::start(World::default_guild()).await;
    let options = json!([
        user("member", ids::ALICE),
        text("duration", "29d"),
        text("reason", "spam")
    ]);
    let reply = bot.slash("bob", "timeout", options).await;
    assert!(ephemeral(&reply), "{reply}");
    let said = reply.content().unwrap_or_default();
    assert!(said.contains("28 jours") && said.contains("29d"), "{said}");
    bot.fake
        .assert_no_request(
            |r| r.is("PATCH", &member_route()),
            Duration::from_millis(300),
        )
        .await;

    // 28 days exactly is Discord's limit, and allowed.
    let options = json!([
        user("member", ids::ALICE),
        text("duration", "4w"),
        text("reason", "spam")
    ]);
    let reply = bot.slash("bob", "timeout", options).await;
    assert!(
        reply.content().is_some_and(|c| c.contains("Cas #1")),
        "{reply}"
    );
    let patch = bot
        .fake
        .wait_for_route("PATCH", &member_route(), WAIT)
        .await;
    assert!(patch.body["communication_disabled_until"].is_string());
    let (store, fake, _dir) = bot.stop().await;
    let case = store.case(GuildId(ids::GUILD), 1).await.unwrap().unwrap();
    assert_eq!(case.kind, CaseKind::Timeout);
    assert_eq!(case.duration_secs, Some(28 * 86_400));
    assert!(store.case(GuildId(ids::GUILD), 2).await.unwrap().is_none());
    fake.assert_no_unknown_requests();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_moderator_cannot_act_on_someone_at_or_above_them() {
    // alice holds "Senior" (above bob's Moderator role, below Steward's): Discord would let
    // Steward ban her, so only the moderator's own place can stop it.
    const SENIOR: u64 = 1_000_000_000_000_000_077;
    let mut world = World::default_guild().with_role_position("Steward", 3);
    world
        .guild_mut()
        .roles
        .push(RoleSpec::new(SENIOR, "Senior", Permissions::empty(), 2));
    world
        .guild_mut()
        .member_by_id_mut(ids::ALICE)
        .unwrap()
        .roles
        .push(SENIOR);
    let bot = Steward::start(world).await;

    let options = json!([user("member", ids::ALICE), text("reason", "abus")]);
    let reply = bot.slash("bob", "ban", options).await;
    assert!(ephemeral(&reply), "{reply}");
    assert!(
        reply
            .content()
            .is_some_and(|c| c.contains("rôle égal ou supérieur au vôtre")),
        "{reply}"
    );
    let options = json!([user("member", ids::OWNER), text("reason", "abus")]);
    let reply = bot.slash("bob", "kick", options).await;
    assert!(
        reply.content().is_some_and(|c| c.contains("propriétaire")),
        "{reply}"
    );
    let options = json!([user("member", ids::BOT), text("reason", "abus")]);
    let reply = bot.slash("bob", "warn", options).await;
    assert!(
        reply
            .content()
            .is_some_and(|c| c.contains("Steward ne peut pas")),
        "{reply}"
    );
    bot.fake
        .assert_no_request(
            |r| r.is("PUT", "/guilds/{g}/bans/{u}") || r.is("DELETE", "/guilds/{g}/members/{u}"),
            Duration::from_millis(300),
        )
        .await;
    let (store, _fake, _dir) = bot.stop().await;
    assert!(store.case(GuildId(ids::GUILD), 1).await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_warning_is_recorded_sent_and_logged() {
    let bot = Steward::start(World::default_guild()).await;
    let options = json!([
        user("member", ids::ALICE),
        text("reason", "langage"),
        {"name": "section", "type": 4, "value": 1}
    ]);
    let reply = bot.slash("bob", "warn", options).await;
    assert!(ephemeral(&reply), "{reply}");
    assert_eq!(
        reply.content(),
        Some(format!("Cas #1 enregistré : warn pour <@{}>.", ids::ALICE).as_str())
    );
    let dm = bot
        .fake
        .wait_for(
            |r| {
                r.is("POST", "/channels/{c}/messages")
                    && r.content().is_some_and(|c| c.contains("avertissement"))
            },
            WAIT,
        )
        .await;
    assert_eq!(
        dm.content(),
        Some(
            "**Test Guild** : vous avez reçu un avertissement.\nMotif : langage\nArticle 1 de la charte : Respect"
        )
    );
    let log = bot.fake.wait_for(mod_log_post, WAIT).await;
    assert_eq!(log.body["embeds"][0]["title"], "Cas #1 — warn");
    let fields = log.body["embeds"][0]["fields"].to_string();
    assert!(fields.contains(&format!("<@{}>", ids::BOB)), "{fields}");

    // A section the charter lacks is refused before anything happens.
    let options = json!([
        user("member", ids::ALICE),
        text("reason", "x"),
        {"name": "section", "type": 4, "value": 9}
    ]);
    let reply = bot.slash("bob", "warn", options).await;
    assert_eq!(reply.content(), Some("La charte n'a pas d'article 9."));

    let (store, fake, _dir) = bot.stop().await;
    let case = store.case(GuildId(ids::GUILD), 1).await.unwrap().unwrap();
    assert_eq!(case.kind, CaseKind::Warn);
    assert_eq!(case.moderator, Some(UserId(ids::BOB)));
    assert_eq!(case.section, Some(1));
    assert_eq!(case.reason, "langage — article 1: Respect");
    assert!(store.case(GuildId(ids::GUILD), 2).await.unwrap().is_none());
    fake.assert_no_unknown_requests();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_temporary_ban_is_lifted_after_a_restart() {
    let bot = Steward::start(World::default_guild()).await;
    let options = json!([
        user("member", ids::ALICE),
        text("reason", "raid"),
        {"name": "delete_messages", "type": 4, "value": 1},
        text("duration", "7d")
    ]);
    let reply = bot.slash("bob", "ban", options).await;
    assert!(
        reply.content().is_some_and(|c| c.contains("Cas #1")),
        "{reply}"
    );
    let ban = bot.fake.wait_for_route("PUT", &ban_route(), WAIT).await;
    assert_eq!(ban.query_param("delete_message_seconds"), Some("86400"));
    assert_eq!(ban.audit_log_reason.as_deref(), Some("raid"));
    // The member was told before leaving the server.
    let dm = bot
        .fake
        .wait_for(
            |r| r.content().is_some_and(|c| c.contains("banni·e pour 7d")),
            WAIT,
        )
        .await;
    assert!(dm.index < ban.index, "DM after the ban: {dm} / {ban}");

    let (store, fake, dir) = bot.stop().await;
    let due = store.due_unbans(i64::MAX).await.unwrap();
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!(due[0].case_number, 1);
    // A week passes while Steward is off.
    store
        .schedule_unban(GuildId(ids::GUILD), UserId(ids::ALICE), 1_000, 1)
        .await
        .unwrap();
    store.close().await;
    assert!(
        fake.world()
            .guild()
            .bans
            .iter()
            .any(|(u, _)| u.id == ids::ALICE)
    );

    let bot = Steward::launch(fake, dir, RunOptions::default()).await;
    bot.fake.wait_for_route("DELETE", &ban_route(), WAIT).await;
    bot.fake
        .wait_for(
            |r| mod_log_post(r) && r.body["embeds"][0]["title"] == "Cas #2 — unban",
            WAIT,
        )
        .await;
    let (store, fake, _dir) = bot.stop().await;
    let case = store.case(GuildId(ids::GUILD), 2).await.unwrap().unwrap();
    assert_eq!(case.kind, CaseKind::Unban);
    assert_eq!(case.moderator, None);
    assert_eq!(case.reason, "fin du bannissement temporaire (cas #1)");
    assert!(store.due_unbans(i64::MAX).await.unwrap().is_empty());
    assert!(fake.world().guild().bans.is_empty());
    fake.assert_no_unknown_requests();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_short_temporary_ban_ends_on_time_while_running() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(rules.join("charter.toml"), CHARTER).unwrap();
    std::fs::write(rules.join("rules.toml"), RULES).unwrap();
    let fake = FakeDiscord::start(World::default_guild()).await;
    let options = RunOptions {
        unban_check_every: Duration::from_millis(200),
        ..RunOptions::default()
    };
    let bot = Steward::launch(fake, dir, options).await;
    let options = json!([
        user("member", ids::ALICE),
        text("reason", "pause"),
        text("duration", "1s"),
        {"name": "dm", "type": 5, "value": false}
    ]);
    // Discord fails the first unban: it is retried at the next check, and recorded once.
    bot.fake.respond_once(
        "DELETE",
        "/guilds/{g}/bans/{u}",
        Reply::error(500, 0, "Internal Server Error"),
    );
    bot.slash("bob", "ban", options).await;
    let ban = bot.fake.wait_for_route("PUT", &ban_route(), WAIT).await;
    let unban = bot
        .fake
        .wait_for(|r| r.is("DELETE", &ban_route()) && r.status == 204, WAIT)
        .await;
    assert!(
        unban.at >= ban.at + Duration::from_millis(900),
        "{ban} / {unban}"
    );
    assert_eq!(bot.fake.requests_to("DELETE", &ban_route()).len(), 2);
    // dm:false: nobody was written to.
    assert!(
        bot.fake
            .requests_to("POST", "/users/@me/channels")
            .is_empty()
    );
    let (store, _fake, _dir) = bot.stop().await;
    let kinds: Vec<CaseKind> = store
        .cases_for(GuildId(ids::GUILD), UserId(ids::ALICE), 10)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.kind)
        .collect();
    assert_eq!(kinds, [CaseKind::Unban, CaseKind::Ban]);
    assert!(store.due_unbans(i64::MAX).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn histories_count_cases_and_members_see_only_theirs() {
    let bot = Steward::start(World::default_guild()).await;
    let warn = json!([user("member", ids::ALICE), text("reason", "ton")]);
    bot.slash("bob", "warn", warn).await;
    let note = json!([user("member", ids::ALICE), text("reason", "à surveiller")]);
    bot.slash("bob", "note", note).await;
    let message = fixtures::message_create(&bot.fake.world(), "alice", "general", "connard");
    bot.fake.dispatch("MESSAGE_CREATE", message).await;
    bot.fake
        .wait_for(
            |r| mod_log_post(r) && r.body["embeds"][0]["title"] == "Cas #3 — delete",
            WAIT,
        )
        .await;

    let reply = bot
        .slash("bob", "cases", json!([user("member", ids::ALICE)]))
        .await;
    assert!(ephemeral(&reply), "{reply}");
    let description = reply.body["data"]["embeds"][0]["description"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        description.contains("delete: 1 · note: 1 · warn: 1"),
        "{description}"
    );
    assert!(
        description.contains("Points d'escalade actifs (30d) : **2**"),
        "{description}"
    );
    assert!(
        description.contains(&format!("<@{}>", ids::BOB)),
        "{description}"
    );

    // Members may not read others' records.
    let reply = bot
        .slash("alice", "cases", json!([user("member", ids::BOB)]))
        .await;
    assert!(reply.body["data"]["embeds"][0].is_null(), "{reply}");
    assert!(
        reply
            .content()
            .is_some_and(|c| c.starts_with("Réservé aux modérateurs")),
        "{reply}"
    );

    let reply = bot.slash("alice", "mycases", json!([])).await;
    assert!(ephemeral(&reply), "{reply}");
    let mine = reply.body["data"]["embeds"][0]["description"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(mine.contains("Total : **2**"), "{mine}");
    assert!(mine.contains("warn") && mine.contains("delete"), "{mine}");
    assert!(
        !mine.contains("note") && !mine.contains("surveiller"),
        "{mine}"
    );
    assert!(!mine.contains(&ids::BOB.to_string()), "{mine}");

    // A correction is recorded, and shown.
    let correct = json!([{"name": "reason", "type": 1, "options": [
        {"name": "number", "type": 4, "value": 1},
        text("text", "ton agressif")
    ]}]);
    let reply = bot.slash("bob", "case", correct).await;
    assert_eq!(reply.content(), Some("Motif du cas #1 corrigé."));
    let show = json!([{"name": "show", "type": 1, "options": [
        {"name": "number", "type": 4, "value": 1}
    ]}]);
    let reply = bot.slash("bob", "case", show).await;
    let embed = reply.body["data"]["embeds"][0].to_string();
    assert!(embed.contains("Cas #1 — warn"), "{embed}");
    assert!(embed.contains("« ton » → « ton agressif »"), "{embed}");

    let (store, _fake, _dir) = bot.stop().await;
    let corrections = store
        .case_corrections(GuildId(ids::GUILD), 1)
        .await
        .unwrap();
    assert_eq!(corrections.len(), 1);
    assert_eq!(corrections[0].by, UserId(ids::BOB));
    assert_eq!(
        store
            .case(GuildId(ids::GUILD), 1)
            .await
            .unwrap()
            .unwrap()
            .reason,
        "ton agressif"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn kick_untimeout_and_unban_are_performed_and_recorded() {
    let mut world = World::default_guild();
    let carol = fixtures::joining_now(fixtures::new_user("carol"));
    let carol_id = carol.user.id;
    world.guild_mut().members.push(carol);
    let bot = Steward::start(world).await;
    let untimeout = json!([user("member", ids::ALICE), text("reason", "erreur")]);
    let reply = bot.slash("bob", "untimeout", untimeout).await;
    assert!(
        reply.content().is_some_and(|c| c.contains("Cas #1")),
        "{reply}"
    );
    let patch = bot
        .fake
        .wait_for_route("PATCH", &member_route(), WAIT)
        .await;
    assert!(
        patch.body["communication_disabled_until"].is_null(),
        "{patch}"
    );

    let kick = json!([user("member", carol_id), text("reason", "dehors")]);
    let reply = bot.slash("bob", "kick", kick).await;
    assert!(
        reply.content().is_some_and(|c| c.contains("Cas #2")),
        "{reply}"
    );
    let kicked = bot
        .fake
        .wait_for_route(
            "DELETE",
            &format!("/guilds/{}/members/{carol_id}", ids::GUILD),
            WAIT,
        )
        .await;
    let told = bot
        .fake
        .wait_for(
            |r| r.content().is_some_and(|c| c.contains("expulsé·e")),
            WAIT,
        )
        .await;
    assert!(told.index < kicked.index, "DM after the kick");

    // A temporary ban lifted early by hand forgets its schedule.
    let ban = json!([
        user("member", ids::ALICE),
        text("reason", "raid"),
        text("duration", "2w")
    ]);
    let reply = bot.slash("bob", "ban", ban).await;
    assert!(
        reply.content().is_some_and(|c| c.contains("Cas #3")),
        "{reply}"
    );
    let unban = json!([user("user", ids::ALICE), text("reason", "appel accepté")]);
    let reply = bot.slash("bob", "unban", unban).await;
    assert!(
        reply.content().is_some_and(|c| c.contains("Cas #4")),
        "{reply}"
    );
    bot.fake.wait_for_route("DELETE", &ban_route(), WAIT).await;

    let missing = json!([{"name": "show", "type": 1, "options": [
        {"name": "number", "type": 4, "value": 99}
    ]}]);
    let reply = bot.slash("bob", "case", missing).await;
    assert_eq!(reply.content(), Some("Aucun cas #99."));

    let (store, fake, _dir) = bot.stop().await;
    let kinds: Vec<CaseKind> = store
        .cases_for(GuildId(ids::GUILD), UserId(ids::ALICE), 10)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .map(|c| c.kind)
        .collect();
    assert_eq!(kinds, [CaseKind::Untimeout, CaseKind::Ban, CaseKind::Unban]);
    let kicked = store
        .cases_for(GuildId(ids::GUILD), UserId(carol_id), 10)
        .await
        .unwrap();
    assert_eq!(kicked[0].kind, CaseKind::Kick);
    assert_eq!(kicked[0].number, 2);
    assert!(store.due_unbans(i64::MAX).await.unwrap().is_empty());
    fake.assert_no_unknown_requests();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_moderator_role_from_setup_may_read_histories() {
    const HELPERS: u64 = 1_000_000_000_000_000_078;
    let mut world = World::default_guild();
    world
        .guild_mut()
        .roles
        .push(RoleSpec::new(HELPERS, "Helpers", Permissions::empty(), 1));
    world
        .guild_mut()
        .member_by_id_mut(ids::ALICE)
        .unwrap()
        .roles
        .push(HELPERS);
    let bot = Steward::start(world).await;
    let refused = bot
        .slash("alice", "cases", json!([user("member", ids::BOB)]))
        .await;
    assert!(
        refused
            .content()
            .is_some_and(|c| c.starts_with("Réservé aux modérateurs")),
        "{refused}"
    );
    let setup = json!([{"name": "moderator_role", "type": 8, "value": HELPERS.to_string()}]);
    bot.slash("owner", "setup", setup).await;
    let reply = bot
        .slash("alice", "cases", json!([user("member", ids::BOB)]))
        .await;
    let description = reply.body["data"]["embeds"][0]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(description.starts_with("Cas : **0**"), "{reply}");
    bot.stop().await;
}
