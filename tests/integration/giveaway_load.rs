//! Load: 2,000 members press Enter on one giveaway within 10 seconds, against the fake
//! Discord. Every press is answered, none is lost, the entrant count is exact, and the message
//! is edited a few times, not once per press. Ignored by default (it takes ~15 s); run it with
//!
//! ```sh
//! cargo test --release --test integration giveaway_load -- --ignored --nocapture
//! ```
//!
//! It prints the distribution of answer latencies (press dispatched -> callback received);
//! nothing here asserts on time.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::json;
use steward::ids::GuildId;
use steward::store::Store;

use crate::fake_discord::fixtures::{self, snowflake_at};
use crate::fake_discord::{World, ids};
use crate::steward_support::{Setup, WAIT};

const PRESSES: u64 = 2_000;
const OVER: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread")]
#[ignore = "load test: cargo test --release --test integration giveaway_load -- --ignored --nocapture"]
async fn two_thousand_presses_in_ten_seconds_are_all_answered_and_counted() {
    let bot = Setup::new(World::default_guild())
        .settings(|s| s.language = "en".into())
        .start()
        .await;
    let options = json!([{"name": "start", "type": 1, "options": [
        {"name": "prize", "type": 3, "value": "Nitro"},
        {"name": "duration", "type": 3, "value": "10m"},
        {"name": "winners", "type": 4, "value": 3},
    ]}]);
    bot.slash("bob", "giveaway", options).await;
    let message = crate::giveaways::giveaway_message(&bot, 1).await;
    let world = bot.fake.world();
    let mut sent = HashMap::new();
    let gap = OVER / PRESSES as u32;
    let begin = tokio::time::Instant::now();
    for n in 0..PRESSES {
        let user = snowflake_at(1_577_836_800_000, 10_000 + n);
        let mut press = fixtures::button_press(&world, "alice", &message, "giveaway:1:enter");
        press["member"]["user"]["id"] = json!(user.to_string());
        press["member"]["user"]["username"] = json!(format!("member{n}"));
        let route = format!(
            "/api/v10/interactions/{}/{}/callback",
            press["id"].as_str().unwrap(),
            press["token"].as_str().unwrap()
        );
        sent.insert(route, bot.fake.elapsed());
        bot.fake.dispatch("INTERACTION_CREATE", press).await;
        tokio::time::sleep_until(begin + gap * (n as u32 + 1)).await;
    }
    let dispatched_in = begin.elapsed();
    let deadline = tokio::time::Instant::now() + WAIT;
    let answers = loop {
        let answers: Vec<_> = bot
            .fake
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST" && sent.contains_key(&r.path))
            .collect();
        if answers.len() as u64 >= PRESSES || tokio::time::Instant::now() > deadline {
            break answers;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(answers.len() as u64, PRESSES, "every press is answered");
    assert!(
        answers
            .iter()
            .all(|a| a.content() == Some("You are in! Good luck.")),
        "every press enters"
    );
    let mut latencies: Vec<Duration> = answers
        .iter()
        .map(|a| a.at.saturating_sub(sent[&a.path]))
        .collect();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    println!(
        "{PRESSES} presses dispatched in {dispatched_in:?}; answer latency p50 {:?}, p90 {:?}, p99 {:?}, max {:?}; over 3 s: {}",
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0),
        latencies
            .iter()
            .filter(|l| **l > Duration::from_secs(3))
            .count()
    );
    let store = Store::connect(&bot.database_url()).await.unwrap();
    assert_eq!(store.entry_count(1).await.unwrap(), PRESSES);
    // The last edit shows the exact count; edits were coalesced.
    let route = format!(
        "/channels/{}/messages/{}",
        ids::GENERAL,
        message["id"].as_str().unwrap()
    );
    let shows_all = |r: &crate::fake_discord::Recorded| {
        r.is("PATCH", &route)
            && r.body
                .to_string()
                .contains(&format!("\"value\":\"{PRESSES}\""))
    };
    bot.fake.wait_for(shows_all, WAIT).await;
    let edits = bot.fake.requests_to("PATCH", &route).len();
    println!("message edits: {edits}");
    assert!(edits < 20, "coalesced edits, not one per press: {edits}");
    assert_eq!(
        store
            .giveaway(GuildId(ids::GUILD), 1)
            .await
            .unwrap()
            .unwrap()
            .round,
        0
    );
    store.close().await;
    bot.stop().await;
}
