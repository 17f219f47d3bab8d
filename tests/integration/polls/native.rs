//! A Discord native poll end to end: refused with Steward's extras or a duration in minutes;
//! posted as Discord's own poll (question, answers, hours); closed early by `/poll close`, which
//! ends it on Discord, records its final counts and posts the results with the chart.

use serde_json::json;
use steward::ids::GuildId;

use super::{create, poll_message, results_post, start};
use crate::fake_discord::{fixtures, ids};
use crate::steward_support::WAIT;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_native_poll_is_discords_and_its_final_counts_are_recorded() {
    let bot = start().await;
    let refused = create(&bot, "90m", &[("native", json!(true))]).await;
    let text = refused.body["data"]["content"].as_str().unwrap();
    assert!(text.contains("whole number of hours"), "{text}");
    let refused = create(
        &bot,
        "1h",
        &[("native", json!(true)), ("anonymous", json!(true))],
    )
    .await;
    assert!(
        refused.body["data"]["content"]
            .as_str()
            .unwrap()
            .contains("none of Steward's extras")
    );

    create(&bot, "2h", &[("native", json!(true))]).await;
    let post = bot
        .fake
        .wait_for_route(
            "POST",
            &format!("/channels/{}/messages", ids::GENERAL),
            WAIT,
        )
        .await;
    assert_eq!(
        post.body["poll"]["question"]["text"],
        "Which day suits you?"
    );
    assert_eq!(post.body["poll"]["duration"], 2);
    assert_eq!(
        post.body["poll"]["answers"][2]["poll_media"]["text"],
        "Wednesday"
    );
    assert!(
        post.body["components"]
            .as_array()
            .is_none_or(|c| c.is_empty())
    );
    let message = poll_message(&bot, 1).await;
    let id = fixtures::id_of(&message["id"]);
    bot.fake.update_message(id, |m| {
        m["poll"]["results"]["answer_counts"] = json!([
            {"id": 2, "count": 5, "me_voted": false},
            {"id": 3, "count": 1, "me_voted": false},
        ]);
    });
    let close = json!([{"name": "close", "type": 1, "options": [
        {"name": "poll", "type": 4, "value": 1}]}]);
    bot.slash("bob", "poll", close).await;
    let ended = format!("/channels/{}/polls/{id}/expire", ids::GENERAL);
    bot.fake.wait_for_route("POST", &ended, WAIT).await;
    let results = bot.fake.wait_for(results_post, WAIT).await;
    let text = results.body["content"].as_str().unwrap();
    assert!(
        text.contains("**Tuesday** — 5 · 83 %") && text.contains("6 voters"),
        "{text}"
    );
    assert!(results.part("image/png").is_some(), "the chart is attached");
    let (store, fake, dir) = bot.stop().await;
    let poll = store.poll(GuildId(ids::GUILD), 1).await.unwrap().unwrap();
    assert!(poll.native && !poll.open);
    let tally = store.tally(&poll).await.unwrap();
    assert_eq!((tally.counts, tally.voters), (vec![0, 5, 1], 6));
    store.close().await;
    drop((fake, dir));
}
