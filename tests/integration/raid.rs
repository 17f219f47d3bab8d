//! Raid mode end to end. In a French server, 50 new accounts join within seconds and post the
//! same scam: raid mode starts at the tenth join, slows the public channels (not the private
//! ones), raises the verification level, pauses invites, times the raiders out with a case each,
//! greets none of them and holds their messages for review, while a long-standing member still posts; moderators
//! get an alert with the signature and an end button; the button puts every setting back as it
//! was and posts the summary; `/massban raid` then lists the raid's members. In an English server a moderator starts raid mode by hand, Steward
//! restarts in the middle, and the quiet-period end restores everything after the restart.

use std::time::Duration;

use serde_json::{Value, json};
use serenity::all::Permissions;

use crate::fake_discord::fixtures::{self, new_user};
use crate::fake_discord::world::default_bot_permissions;
use crate::fake_discord::{ChannelSpec, FakeDiscord, Recorded, World, ids};
use crate::steward_support::{
    RULES, Setup, Steward, WAIT, callback_of, charter, mod_log_post, text, timeout_after,
};
use steward::cases::CaseKind;
use steward::discord::RunOptions;
use steward::ids::{ChannelId, GuildId, UserId};
use steward::jobs::Job;
use steward::store::Store;

const NEWS: u64 = ids::REVIEW + 3000;

const RAID: &str = r#"
[raid]
joins = { count = 10, window = "30s", young_accounts = "7d", young_share = 0.5 }
repeated = { members = 5, window = "60s", newer_than = "1d" }
steps = ["slowmode 30s", "verification high", "pause_invites 2h", "hold_newer_than 10m", "timeout_matching 1h"]
quiet = "15m"

[welcome]
message = { fr = "Bienvenue {member} !", en = "Welcome {member}!" }
dm = { fr = "Bienvenue sur {server} !", en = "Welcome to {server}!" }
"#;

/// The default server with slow mode 5 s in #general, a public #annonces without slow mode,
/// private #mod-log and #review, verification level low, and Steward allowed to manage
/// channels and the server.
fn world() -> World {
    let mut world = World::default_guild()
        .with_bot_permissions(
            default_bot_permissions() | Permissions::MANAGE_CHANNELS | Permissions::MANAGE_GUILD,
        )
        .with_slow_mode("general", 5)
        .with_verification_level(1);
    let hidden = ChannelSpec::overwrite(
        ids::GUILD,
        0,
        Permissions::empty(),
        Permissions::VIEW_CHANNEL,
    );
    let staff =
        |role| ChannelSpec::overwrite(role, 0, Permissions::VIEW_CHANNEL, Permissions::empty());
    for name in ["mod-log", "review"] {
        world.guild_mut().channel_mut(name).permission_overwrites = vec![
            hidden.clone(),
            staff(ids::BOT_ROLE),
            staff(ids::MODERATOR_ROLE),
        ];
    }
    world
        .guild_mut()
        .channels
        .push(ChannelSpec::text(NEWS, "annonces"));
    world
}

fn setup(language: &str) -> Setup {
    let charter = charter(&format!("{}\n{RAID}", timeout_after(6)));
    Setup::new(world()).charter(charter, RULES).settings(|s| {
        s.language = language.to_string();
        s.welcome_channel = Some(ChannelId(ids::GENERAL));
    })
}

fn alert_post(title: &'static str) -> impl Fn(&Recorded) -> bool {
    move |r| mod_log_post(r) && r.status == 200 && r.body["embeds"][0]["title"] == title
}

/// Every field of an embed, names and values, as one text.
fn fields(embed: &Value) -> String {
    embed["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| format!("{}: {}", f["name"], f["value"]))
        .collect::<Vec<_>>()
        .join("\n")
}

fn timeout_of(user: u64) -> impl Fn(&Recorded) -> bool {
    let route = format!("/guilds/{}/members/{user}", ids::GUILD);
    move |r| r.is("PATCH", &route) && r.body["communication_disabled_until"].is_string()
}

fn slow_modes(fake: &FakeDiscord) -> (u16, u16, u16, u16) {
    let world = fake.world();
    let g = world.guild();
    (
        g.slow_mode("general"),
        g.slow_mode("annonces"),
        g.slow_mode("mod-log"),
        g.slow_mode("review"),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_burst_of_joins_starts_raid_mode_and_its_end_puts_everything_back() {
    let bot = setup("fr").start().await;
    let mut raiders = Vec::new();
    for i in 0..50 {
        let raider = new_user(&format!("raider{i}"));
        raiders.push(raider.clone());
        bot.fake.join_through(None, raider).await;
    }
    let alert = bot
        .fake
        .wait_for(alert_post("🚨 Mode raid activé"), WAIT)
        .await;
    let embed = &alert.body["embeds"][0];
    assert_eq!(
        embed["description"],
        "10 membres sont arrivés en 30s, dont 10 avec un compte de moins de 7d."
    );
    let listed = fields(embed);
    assert!(listed.contains("Membres (10)"), "{listed}");
    let named = raiders
        .iter()
        .filter(|r| listed.contains(&format!("<@{}>", r.id)))
        .count();
    assert_eq!(named, 10, "the ten raiders of the wave: {listed}");
    assert!(
        listed.contains("Mode lent de 30 s dans 2 salons"),
        "{listed}"
    );
    assert!(
        listed.contains("Niveau de vérification relevé à Élevé"),
        "{listed}"
    );
    assert!(
        listed.contains("Invitations suspendues jusqu'à"),
        "{listed}"
    );
    assert!(listed.contains("exclus temporairement pour 1h"), "{listed}");
    assert_eq!(alert.body["content"], "@here");
    assert_eq!(
        alert.body["components"][0]["components"][0]["custom_id"],
        "raid:end"
    );
    // The changes were made before the alert went out; private channels keep theirs.
    assert_eq!(slow_modes(&bot.fake), (30, 30, 0, 0));
    assert_eq!(bot.fake.world().guild().verification_level, 3);
    assert!(bot.fake.world().guild().invites_paused());
    assert!(!bot.fake.world().guild().dms_paused());

    // Every raider is timed out once, later detections included.
    for raider in &raiders {
        bot.fake.wait_for(timeout_of(raider.id), WAIT).await;
    }
    assert_eq!(
        bot.fake
            .requests()
            .iter()
            .filter(|r| r.method == "PATCH" && r.body["communication_disabled_until"].is_string())
            .count(),
        50
    );

    // Once raid mode is on, newcomers are not greeted: at most the nine before it were.
    let welcomes = bot
        .fake
        .requests_to("POST", &format!("/channels/{}/messages", ids::GENERAL))
        .iter()
        .filter(|r| r.content().is_some_and(|c| c.starts_with("Bienvenue")))
        .count();
    assert!(welcomes <= 9, "{welcomes} welcomes during a raid");

    // The raiders' scam is held for review; a long-standing member's message stays.
    let scam = "Nitro gratuit pour tous ici : https://free-nitro.example/claim";
    let mut held = Vec::new();
    for raider in raiders.iter().take(6) {
        let world = bot.fake.world();
        let member = world.guild().member_by_id(raider.id).unwrap().clone();
        let message = fixtures::message_create_by(world.guild(), &member, ids::GENERAL, scam);
        bot.fake.dispatch("MESSAGE_CREATE", message.clone()).await;
        held.push(message);
    }
    for message in &held {
        bot.fake
            .wait_for(crate::steward_support::deletes(message), WAIT)
            .await;
    }
    let regular = bot
        .say("alice", "Quelqu'un a vu ces nouveaux comptes ?")
        .await;
    bot.fake
        .assert_no_request(
            crate::steward_support::deletes(&regular),
            Duration::from_millis(500),
        )
        .await;

    // A moderator ends it with the button: everything is put back exactly.
    let message = bot
        .fake
        .message_containing("@here")
        .expect("the alert is posted");
    let press = fixtures::button_press(&bot.fake.world(), "bob", &message, "raid:end");
    bot.fake.dispatch("INTERACTION_CREATE", press.clone()).await;
    bot.fake.wait_for(callback_of(&press), WAIT).await;
    let summary = bot
        .fake
        .wait_for(alert_post("Mode raid terminé : bilan"), WAIT)
        .await;
    let said = summary.body["embeds"][0]["description"].as_str().unwrap();
    assert!(
        said.contains(&format!("Terminé par <@{}>.", ids::BOB)),
        "{said}"
    );
    assert!(
        said.contains("50 membres arrivés pendant le raid ; 50 exclus ou expulsés."),
        "{said}"
    );
    assert!(
        said.contains("6 messages de nouveaux membres retenus pour examen."),
        "{said}"
    );
    assert!(said.contains("4 réglages remis comme avant."), "{said}");
    assert_eq!(slow_modes(&bot.fake), (5, 0, 0, 0));
    assert_eq!(bot.fake.world().guild().verification_level, 1);
    assert!(!bot.fake.world().guild().invites_paused());
    let edited = bot
        .fake
        .wait_for(
            |r| {
                r.method == "PATCH"
                    && r.path
                        .ends_with(&format!("/messages/{}", message["id"].as_str().unwrap()))
            },
            WAIT,
        )
        .await;
    assert_eq!(edited.body["embeds"][0]["title"], "Mode raid terminé");
    assert_eq!(edited.body["components"], json!([]));

    // Afterwards, /massban can take the raid's members, not a newcomer who came after it.
    let newcomer = new_user("newcomer");
    bot.fake.join_through(None, newcomer.clone()).await;
    let options = json!([
        text("joined_within", "1h"),
        text("reason", "raid"),
        {"name": "raid", "type": 5, "value": true}
    ]);
    let listed = bot.slash("bob", "massban", options).await;
    let content = listed.body["data"]["content"].as_str().unwrap();
    assert!(
        content.starts_with("50 membres du dernier raid arrivés depuis 1h : "),
        "{content}"
    );
    assert!(!content.contains(&newcomer.id.to_string()), "{content}");

    let (store, _fake, _dir) = bot.stop().await;
    let cases = store
        .cases_for(GuildId(ids::GUILD), UserId(raiders[0].id), 10)
        .await
        .unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].kind, CaseKind::Timeout);
    assert_eq!(cases[0].rule.as_deref(), Some("raid-mode"));
    assert!(store.raid(GuildId(ids::GUILD)).await.unwrap().is_none());
}

fn sub(name: &str) -> Value {
    json!([{"type": 1, "name": name, "options": []}])
}

/// Makes the raid in the database look quiet for an hour, and its end due now.
async fn quiet_for_an_hour(database_url: &str) {
    let pool = sqlx::SqlitePool::connect(database_url).await.unwrap();
    let hour_ago = fixtures::now_ms() as i64 - 3_600_000;
    sqlx::query("UPDATE raids SET started_at_ms = $1, last_signal_at_ms = $1")
        .bind(hour_ago)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let store = Store::connect(database_url).await.unwrap();
    let job = Job::EndRaid {
        guild: GuildId(ids::GUILD),
    };
    store
        .schedule(
            job.kind(),
            GuildId(ids::GUILD),
            &job.to_payload(),
            0,
            Some(&job.dedupe_key()),
        )
        .await
        .unwrap();
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn raid_mode_started_by_hand_is_undone_by_its_quiet_end_after_a_restart() {
    let bot = setup("en").start().await;
    let on = bot.slash("bob", "raid", sub("on")).await;
    let on = crate::steward_support::followup(&bot, &on).await;
    assert_eq!(
        on.content(),
        Some("Raid mode is on. The alert in the mod log lists the steps taken.")
    );
    let alert = bot.fake.wait_for(alert_post("🚨 Raid mode on"), WAIT).await;
    assert_eq!(
        alert.body["embeds"][0]["description"],
        format!("Started by <@{}>.", ids::BOB)
    );
    assert_eq!(slow_modes(&bot.fake), (30, 30, 0, 0));
    assert_eq!(bot.fake.world().guild().verification_level, 3);
    let again = bot.slash("bob", "raid", sub("on")).await;
    assert!(
        again
            .content()
            .is_some_and(|c| c.starts_with("Raid mode is already on, since")),
        "{:?}",
        again.content()
    );

    // Steward stops in the middle of the raid; an hour passes without a signal.
    let database = bot.database_url();
    let (fake, dir) = bot.halt().await;
    quiet_for_an_hour(&database).await;
    let options = RunOptions {
        scheduler_every: Duration::from_millis(200),
        ..RunOptions::default()
    };
    let bot = Steward::launch(fake, dir, options).await;
    let summary = bot
        .fake
        .wait_for(alert_post("Raid mode ended: summary"), WAIT)
        .await;
    let text = summary.body["embeds"][0]["description"].as_str().unwrap();
    assert!(text.contains("Ended after the quiet period."), "{text}");
    assert!(text.contains("4 settings put back as they were."), "{text}");
    assert_eq!(slow_modes(&bot.fake), (5, 0, 0, 0));
    assert_eq!(bot.fake.world().guild().verification_level, 1);
    assert!(!bot.fake.world().guild().invites_paused());
    let status = bot.slash("bob", "raid", sub("status")).await;
    assert_eq!(status.content(), Some("Raid mode is off."));
    let off = bot.slash("bob", "raid", sub("off")).await;
    let off = crate::steward_support::followup(&bot, &off).await;
    assert_eq!(off.content(), Some("Raid mode is not on."));
    bot.halt().await;
}
