//! `/massban` end to end, as a moderator cleans up after a raid in a French server: 30 accounts
//! joined a minute ago; the moderator sees the list and a confirmation button; another member's
//! press is refused; the moderator's Confirm bans the 30 in one bulk ban (never the older
//! members), each gets a case, the mod log one notice; Cancel bans nobody.

use serde_json::{Value, json};

use crate::fake_discord::fixtures::{self, new_user};
use crate::fake_discord::{Recorded, World, ids};
use crate::steward_support::{Steward, WAIT, callback_of, ephemeral, mod_log_post, text};
use steward::cases::CaseKind;
use steward::ids::{GuildId, UserId};

fn buttons(reply: &Recorded) -> Vec<String> {
    reply.body["data"]["components"][0]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| b["custom_id"].as_str().unwrap().to_string())
        .collect()
}

/// The ephemeral reply's message, as a press carries it.
fn message_of(bot: &Steward, reply: &Recorded) -> Value {
    let mut message = fixtures::message_create(&bot.fake.world(), "bob", "general", "");
    message["content"] = reply.body["data"]["content"].clone();
    message["components"] = reply.body["data"]["components"].clone();
    message["flags"] = json!(64);
    message
}

async fn press(bot: &Steward, who: &str, message: &Value, custom_id: &str) -> Recorded {
    let press = fixtures::button_press(&bot.fake.world(), who, message, custom_id);
    bot.fake.dispatch("INTERACTION_CREATE", press.clone()).await;
    bot.fake.wait_for(callback_of(&press), WAIT).await
}

async fn ask(bot: &Steward) -> Recorded {
    bot.slash(
        "bob",
        "massban",
        json!([text("joined_within", "10m"), text("reason", "raid de spam")]),
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_raid_is_banned_in_one_bulk_ban_after_the_moderators_confirmation() {
    let bot = Steward::start(World::default_guild()).await;
    let mut raiders = Vec::new();
    for i in 0..30 {
        let raider = new_user(&format!("raider{i}"));
        raiders.push(raider.id);
        bot.fake.join_through(None, raider).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    // Cancel first: nobody is banned.
    let listed = ask(&bot).await;
    let ids_of = buttons(&listed);
    let cancelled = press(&bot, "bob", &message_of(&bot, &listed), &ids_of[1]).await;
    assert_eq!(
        cancelled.body["data"]["content"],
        "Annulé : personne n’a été banni."
    );

    let listed = ask(&bot).await;
    assert!(ephemeral(&listed));
    let content = listed.body["data"]["content"].as_str().unwrap();
    assert!(
        content.starts_with("30 membres arrivés depuis 10m : "),
        "{content}"
    );
    assert!(!content.contains(&ids::ALICE.to_string()), "{content}");
    let ids_of = buttons(&listed);
    assert_eq!(ids_of.len(), 2);
    let message = message_of(&bot, &listed);
    let refused = press(&bot, "alice", &message, &ids_of[0]).await;
    assert_eq!(
        refused.body["data"]["content"],
        "Seul le modérateur qui a demandé peut répondre."
    );
    press(&bot, "bob", &message, &ids_of[0]).await;
    let bulk = bot
        .fake
        .wait_for(
            |r| r.is("POST", &format!("/guilds/{}/bulk-ban", ids::GUILD)),
            WAIT,
        )
        .await;
    let mut banned: Vec<u64> = bulk.body["user_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(fixtures::id_of)
        .collect();
    banned.sort();
    let mut expected = raiders.clone();
    expected.sort();
    assert_eq!(banned, expected);
    let done = bot
        .fake
        .wait_for(
            |r| r.is("PATCH", "/webhooks/{a}/{t}/messages/@original"),
            WAIT,
        )
        .await;
    assert_eq!(done.body["content"], "30 membres bannis ; chacun a un cas.");
    let notice = bot.fake.wait_for(mod_log_post, WAIT).await;
    assert_eq!(notice.body["embeds"][0]["title"], "Bannissement en masse");
    let (store, _fake, _dir) = bot.stop().await;
    let cases = store
        .cases_for(GuildId(ids::GUILD), UserId(raiders[0]), 10)
        .await
        .unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].kind, CaseKind::Ban);
    assert_eq!(cases[0].reason, "raid de spam");
}
