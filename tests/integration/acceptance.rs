//! Charter acceptance end to end: a newcomer is invited in the welcome channel (server language),
//! reads the charter in their own language, accepts it, gets the member role and is recorded with
//! the version; accepting twice changes nothing; a moderator sees what they accepted; a newcomer
//! who never accepts is removed when the charter says so, with a case.

use std::time::Duration;

use serde_json::{Value, json};
use steward::cases::CaseKind;
use steward::discord::RunOptions;
use steward::ids::{GuildId, UserId};

use crate::fake_discord::{fixtures, ids};
use crate::steward_support::{Steward, WAIT, ephemeral, role_route, user};
use crate::welcome::{MEMBER_ROLE, start_with, world};

/// The newcomer's gate post, once Steward posted it.
async fn gate_post(bot: &Steward, newcomer: u64) -> Value {
    let marker = format!("Welcome <@{newcomer}>! Read the Charter");
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(message) = bot.fake.message_containing(&marker) {
            return message;
        }
        assert!(tokio::time::Instant::now() < deadline, "no gate post");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// `who` presses the button `custom_id` of `message`, their client in `locale`.
async fn press(bot: &Steward, who: &str, message: &Value, custom_id: &str, locale: &str) -> Value {
    let mut press = fixtures::button_press(&bot.fake.world(), who, message, custom_id);
    press["locale"] = json!(locale);
    let answer = bot.interact(press).await;
    assert!(ephemeral(&answer), "{answer}");
    answer.body["data"].clone()
}

fn fast() -> RunOptions {
    RunOptions {
        scheduler_every: Duration::from_millis(200),
        ..RunOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_newcomer_reads_the_charter_in_their_language_accepts_it_and_gets_the_role() {
    let bot = start_with(world(), "en", "[acceptance]\nrole = \"Member\"\n", fast()).await;
    let carol = fixtures::new_user("carol");
    bot.fake
        .join_through(Some("alice-inv"), carol.clone())
        .await;
    let gate = gate_post(&bot, carol.id).await;
    assert_eq!(
        gate["content"],
        format!(
            "Welcome <@{}>! Read the Charter and accept it to take part.",
            carol.id
        )
    );
    let read_id = gate["components"][0]["components"][0]["custom_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(read_id, format!("charter:read:{}", ids::GUILD));

    // Carol's client is in French: the charter is shown in French.
    let shown = press(&bot, "carol", &gate, &read_id, "fr").await;
    assert_eq!(shown["embeds"][0]["title"], "Charte");
    assert_eq!(shown["embeds"][0]["fields"][0]["name"], "1. Respect");
    assert_eq!(shown["embeds"][0]["fields"][0]["value"], "Soyez courtois.");
    let accept = &shown["components"][0]["components"][0];
    assert_eq!(accept["label"], "J'accepte");
    let accept_id = accept["custom_id"].as_str().unwrap().to_string();
    let version = accept_id.rsplit(':').next().unwrap().to_string();

    let done = press(&bot, "carol", &gate, &accept_id, "fr").await;
    assert_eq!(
        done["content"],
        format!("Merci : tu as accepté la charte (version {version}).")
    );
    bot.fake
        .wait_for(|r| r.is("PUT", &role_route(carol.id, MEMBER_ROLE)), WAIT)
        .await;
    let again = press(&bot, "carol", &gate, &accept_id, "en-US").await;
    assert!(
        again["content"]
            .as_str()
            .unwrap()
            .starts_with("You already accepted this version"),
        "{again}"
    );

    let seen = bot
        .slash(
            "bob",
            "charter",
            json!([{"type": 1, "name": "accepted", "options": [user("member", carol.id)]}]),
        )
        .await;
    let text = seen.content().unwrap_or_default().to_string();
    assert!(
        text.starts_with(&format!("<@{}> accepted version {version} on", carol.id)),
        "{text}"
    );
    let (store, _fake, _dir) = bot.stop().await;
    let recorded = store
        .acceptance(GuildId(ids::GUILD), UserId(carol.id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(recorded.version, version);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_newcomer_who_never_accepts_is_removed_with_a_case() {
    let sections = "[acceptance]\nrole = \"Member\"\nkick_after = \"2s\"\n";
    let bot = start_with(world(), "fr", sections, fast()).await;
    let dan = fixtures::new_user("dan");
    bot.fake.join_through(Some("alice-inv"), dan.clone()).await;
    let kick = bot
        .fake
        .wait_for(
            |r| {
                r.is(
                    "DELETE",
                    &format!("/guilds/{}/members/{}", ids::GUILD, dan.id),
                )
            },
            WAIT,
        )
        .await;
    assert_eq!(
        kick.audit_log_reason.as_deref(),
        Some("N'a pas accepté la charte à temps.")
    );
    let (store, _fake, _dir) = bot.stop().await;
    let cases = store
        .cases_for(GuildId(ids::GUILD), UserId(dan.id), 5)
        .await
        .unwrap();
    assert_eq!(cases[0].kind, CaseKind::Kick);
}
