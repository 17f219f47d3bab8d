//! Steward end to end (started by `steward_support`): the real serenity client against the fake
//! Discord, a small charter in a temporary folder and an SQLite database.

use std::time::Duration;

use serde_json::json;
use serenity::all::Permissions;
use steward::ids::{ChannelId, GuildId, UserId};

use crate::fake_discord::{World, fixtures, ids};
use crate::steward_support::{
    RULES, Setup, Steward, WAIT, charter, deletes, mod_log_post, timeout_after,
};

/// The shared rules, with a DM explaining the removal.
fn rules() -> String {
    let dm = r#"dm = { fr = "Message retiré : {rule}, article {section} ({section_title}).", en = "Removed: {rule}, section {section} ({section_title})." }"#;
    format!("{RULES}{dm}\n")
}

/// Steward against a fake Discord holding `world`, with the mod log configured and a 3-point
/// escalation.
async fn start(world: World) -> Steward {
    Setup::new(world)
        .charter(charter(&timeout_after(3)), &rules())
        .start()
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_violation_is_deleted_explained_recorded_and_logged() {
    let bot = start(World::default_guild()).await;
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
    assert_eq!(embed["title"], "Cas #1 — suppression");
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
    let bot = start(World::default_guild()).await;
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
    let bot = start(World::default_guild()).await;
    let options = json!([
        {"name": "mod_log", "type": 7, "value": ids::REVIEW.to_string()},
        {"name": "language", "type": 3, "value": "en"}
    ]);
    // The owner's client speaks French: the private answer is French, the server now English.
    let reply = bot.slash("owner", "setup", options).await;
    assert!(
        reply.content().is_some_and(
            |c| c.starts_with("Configuration enregistrée.") && c.ends_with("langue : en")
        ),
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
    let bot = start(World::default_guild()).await;
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
    let bot = start(World::default_guild()).await;
    let message = bot.say("bob", "quel connard ce bug").await;
    bot.fake
        .assert_no_request(deletes(&message), Duration::from_millis(500))
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_offences_escalate_to_a_timeout() {
    let bot = start(World::default_guild()).await;
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
    bot.wait_for_alice_timeout().await;
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
    let bot = start(World::default_guild()).await;
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
    let bot = start(world).await;
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
            .is_some_and(|d| d.contains("Gérer les messages")),
        "{notice}"
    );
    assert!(bot.fake.requests().iter().all(|r| !deletes(&message)(r)));
    // Still alive: the next message is judged too.
    bot.say("alice", "connard").await;
    bot.fake
        .wait_for(
            |r| mod_log_post(r) && r.body["embeds"][0]["title"] == "Cas #2 — suppression",
            WAIT,
        )
        .await;
    bot.stop().await;
}

/// Writes `rules` over the running charter's rules.toml and returns the text of the refusal
/// notice in the mod log, after checking that the previous charter still deletes an insult.
async fn refused_change(bot: &Steward, rules: &str) -> String {
    std::fs::write(bot.rules_dir().join("rules.toml"), rules).unwrap();
    let notice = bot
        .fake
        .wait_for(
            |r| mod_log_post(r) && r.body["embeds"][0]["title"] == "Charte non rechargée",
            Duration::from_secs(8),
        )
        .await;
    let message = bot.say("alice", "connard").await;
    bot.fake.wait_for(deletes(&message), WAIT).await;
    notice.body["embeds"][0]["description"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_rules_change_keeps_the_old_charter() {
    let bot = start(World::default_guild()).await;
    let description = refused_change(
        &bot,
        "[[rule]]\nid = \"insults\"\nsection = 7\noutcome = \"delete\"\nkeywords = [\"connard\"]\n",
    )
    .await;
    assert!(
        description.contains("rules.toml:3:11: rule \"insults\": section 7"),
        "{description}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rules_change_whose_examples_fail_is_refused_as_steward_check_would() {
    let bot = start(World::default_guild()).await;
    // Valid TOML and a valid rule, but its own example contradicts it: `steward check` rejects
    // it, so the hot reload must too.
    let description = refused_change(
        &bot,
        "[[rule]]\nid = \"insults\"\nsection = 1\noutcome = \"delete\"\nkeywords = [\"zut\"]\nmust_match = [\"connard\"]\n",
    )
    .await;
    assert!(
        description.contains("rule \"insults\": must_match example does not match: \"connard\""),
        "{description}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn steward_waits_for_an_unreachable_discord_instead_of_exiting() {
    let fake = crate::fake_discord::FakeDiscord::start(World::default_guild()).await;
    // Discord's gateway route fails twice (an outage, a restarting proxy), then answers.
    fake.respond_times(
        "GET",
        "/gateway/bot",
        crate::fake_discord::Reply::error(503, 0, "Service Unavailable"),
        2,
    );
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(rules.join("charter.toml"), charter(&timeout_after(3))).unwrap();
    std::fs::write(rules.join("rules.toml"), RULES).unwrap();
    let bot = Steward::launch(fake, dir, steward::discord::RunOptions::default()).await;
    assert_eq!(
        bot.fake
            .requests_to("GET", "/gateway/bot")
            .iter()
            .filter(|r| r.status == 503)
            .count(),
        2
    );
    bot.stop().await;
}
