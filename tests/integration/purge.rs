//! `/purge` end to end, as a moderator uses it after a raid: a member's 150 messages of the
//! channel go in two bulk deletions (100, then 50: Discord's batches), their two messages older
//! than 14 days stay (and the moderator is told why), the others' messages stay, the member gets
//! a case; a request out of bounds is refused privately before anything is read. A French
//! server, so the moderator reads French.

use serde_json::json;

use crate::fake_discord::fixtures::{self, now_ms, snowflake_at, timestamp_at};
use crate::fake_discord::ids;
use crate::steward_support::{Steward, WAIT, embed_field, ephemeral, followup, mod_log_post, user};

fn bulk_deletes(bot: &Steward) -> Vec<usize> {
    bot.fake
        .requests_to(
            "POST",
            &format!("/channels/{}/messages/bulk-delete", ids::GENERAL),
        )
        .iter()
        .map(|r| r.body["messages"].as_array().map_or(0, Vec::len))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_members_messages_are_purged_in_batches_of_100_within_14_days() {
    let bot = Steward::start(crate::fake_discord::World::default_guild()).await;
    // Two of Alice's messages from three weeks ago.
    let three_weeks_ago = now_ms() - 21 * 86_400_000;
    for i in 0..2 {
        let mut old = fixtures::message_create(&bot.fake.world(), "alice", "general", "old news");
        old["id"] = json!(snowflake_at(three_weeks_ago, i).to_string());
        old["timestamp"] = json!(timestamp_at(three_weeks_ago));
        bot.fake.dispatch("MESSAGE_CREATE", old).await;
    }
    let mut spam = Vec::new();
    for i in 0..150 {
        spam.push(bot.say("alice", &format!("join my server {i}")).await);
    }
    let mut replies = Vec::new();
    for i in 0..3 {
        replies.push(bot.say("bob", &format!("please stop {i}")).await);
    }
    let id = |m: &serde_json::Value| m["id"].as_str().unwrap().parse::<u64>().unwrap();

    let refused = bot
        .slash(
            "bob",
            "purge",
            json!([{"name": "count", "type": 4, "value": 0}]),
        )
        .await;
    assert!(ephemeral(&refused));
    assert_eq!(
        refused.content(),
        Some("Une purge supprime de 1 à 1000 messages.")
    );
    assert!(bulk_deletes(&bot).is_empty());

    let options = json!([
        {"name": "count", "type": 4, "value": 500},
        user("member", ids::ALICE)
    ]);
    let deferred = bot.slash("bob", "purge", options).await;
    let answer = followup(&bot, &deferred).await;
    let text = answer.content().unwrap_or_default();
    assert!(
        text.starts_with(&format!(
            "150 messages supprimés : <@{}> (150). Chaque membre concerné a un cas.",
            ids::ALICE
        )),
        "{text}"
    );
    assert!(
        text.contains("Les messages de plus de 14 jours restent"),
        "{text}"
    );
    assert_eq!(bulk_deletes(&bot), [100, 50]);
    // Alice's spam is gone; her old messages and Bob's stay.
    assert!(spam.iter().all(|m| bot.fake.message(id(m)).is_none()));
    assert!(replies.iter().all(|m| bot.fake.message(id(m)).is_some()));
    assert!(bot.fake.message(snowflake_at(three_weeks_ago, 0)).is_some());
    let case = bot
        .fake
        .wait_for(|r| mod_log_post(r) && r.index > deferred.index, WAIT)
        .await;
    let reason = embed_field(&case.body["embeds"][0], "Motif");
    assert_eq!(
        reason,
        format!(
            "messages supprimés par bob avec /purge dans <#{}> (150)",
            ids::GENERAL
        )
    );
    bot.halt().await;
}
