//! Case history end to end: `/cases` (counts, active escalation points), `/case show`,
//! `/case reason`, `/mycases`, and who may use them.

use serde_json::json;
use steward::ids::{GuildId, UserId};

use crate::fake_discord::{World, fixtures, ids};
use crate::steward_support::*;

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
            |r| mod_log_post(r) && r.body["embeds"][0]["title"] == "Cas #3 — suppression",
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
        description.contains("avertissement : 1 · note : 1 · suppression : 1"),
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
    assert!(
        mine.contains("avertissement") && mine.contains("suppression"),
        "{mine}"
    );
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
    assert!(embed.contains("Cas #1 — avertissement"), "{embed}");
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
async fn a_moderator_role_from_setup_may_read_histories() {
    const HELPERS: u64 = 1_000_000_000_000_000_078;
    let mut world = World::default_guild();
    give_alice_a_role(&mut world, HELPERS, "Helpers", 1);
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
