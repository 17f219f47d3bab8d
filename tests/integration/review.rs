//! The review queue end to end: held and flagged messages posted with buttons, decisions (first
//! one wins), restoring through a webhook, member reports merged with a count and rate-limited,
//! and `/review stats`.

use std::time::Duration;

use serde_json::{Value, json};
use steward::discord::RunOptions;
use steward::ids::{ChannelId, GuildId};
use steward::review::{Decision, ReviewItem, ReviewStatus};
use steward::store::Store;

use crate::fake_discord::{Recorded, World, fixtures, ids};
use crate::steward_support::{
    Setup, Steward, WAIT, callback_of, charter, database_url, deletes, mod_log_post,
};

#[path = "review_decisions.rs"]
mod decisions;

const RULES: &str = r#"
[[rule]]
id = "scam-hold"
section = 1
name = { fr = "Arnaque", en = "Scam" }
outcome = "hold"
keywords = ["freecoins"]

[[rule]]
id = "rude-flag"
section = 1
name = { fr = "Grossier", en = "Rude" }
outcome = "flag"
keywords = ["bof"]
"#;

/// Steward in English with `review` as the review channel (`None`: the mod log stands in).
async fn launch(options: RunOptions, review: Option<u64>) -> Steward {
    Setup::new(World::default_guild())
        .charter(charter(""), RULES)
        .settings(|s| {
            s.review_channel = review.map(ChannelId);
            s.language = "en".into();
        })
        .options(options)
        .start()
        .await
}

async fn start() -> Steward {
    start_with(RunOptions::default()).await
}

async fn start_with(options: RunOptions) -> Steward {
    launch(options, Some(ids::REVIEW)).await
}

/// What the review tests do with a running Steward.
trait Review {
    async fn review_message(&self, n: usize) -> Value;
    fn press(&self, who: &str, message: &Value, custom_id: &str) -> Value;
    async fn decide(&self, who: &str, message: &Value, custom_id: &str) -> Recorded;
    async fn report(&self, who: &str, target: &Value, reason: &str) -> Recorded;
}

impl Review for Steward {
    /// The review message posted for the `n`-th item (1-based), as the fake stores it.
    async fn review_message(&self, n: usize) -> Value {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let posts: Vec<Recorded> = self
                .fake
                .requests_to("POST", &format!("/channels/{}/messages", ids::REVIEW));
            if posts.len() >= n {
                // The stored message is the one whose embed the post carried.
                let store = Store::connect(&self.database_url()).await.unwrap();
                let id = loop {
                    let item = store
                        .review_item(GuildId(ids::GUILD), n as i64)
                        .await
                        .unwrap();
                    if let Some(m) = item.and_then(|i| i.review_message) {
                        break m.0;
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                };
                store.close().await;
                return self
                    .fake
                    .message(id)
                    .expect("the fake keeps the review post");
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no review post #{n}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn press(&self, who: &str, message: &Value, custom_id: &str) -> Value {
        fixtures::button_press(&self.fake.world(), who, message, custom_id)
    }

    /// Presses `custom_id` on `message` as `who`; returns the callback.
    async fn decide(&self, who: &str, message: &Value, custom_id: &str) -> Recorded {
        self.interact(self.press(who, message, custom_id)).await
    }

    /// Reports `target` as `who` with `reason`: the context menu, then the modal.
    async fn report(&self, who: &str, target: &Value, reason: &str) -> Recorded {
        let command =
            fixtures::message_command(&self.fake.world(), who, "Report to moderators", target);
        let shown = self.interact(command).await;
        assert_eq!(shown.body["type"], 9, "a modal is shown: {shown}");
        let custom_id = shown.body["data"]["custom_id"]
            .as_str()
            .unwrap()
            .to_string();
        let submit = modal_submit(&self.fake.world(), who, &custom_id, reason);
        self.interact(submit).await
    }
}

/// A MODAL_SUBMIT interaction with one text input `reason`.
fn modal_submit(world: &World, who: &str, custom_id: &str, reason: &str) -> Value {
    let mut anchor = fixtures::message_create(world, "alice", "general", "anchor");
    anchor["id"] = json!(fixtures::next_id().to_string());
    let mut submit = fixtures::button_press(world, who, &anchor, custom_id);
    submit["type"] = json!(5);
    submit.as_object_mut().unwrap().remove("message");
    submit["data"] = json!({
        "custom_id": custom_id,
        "components": [{"type": 1, "components": [
            {"type": 4, "custom_id": "reason", "value": reason}
        ]}],
    });
    submit
}

/// The first review item, which the test made.
async fn first_item(store: &Store) -> ReviewItem {
    store
        .review_item(GuildId(ids::GUILD), 1)
        .await
        .unwrap()
        .unwrap()
}

/// `/review <subcommand>`, without options, run by `who`.
async fn review_subcommand(bot: &Steward, who: &str, subcommand: &str) -> Recorded {
    let options = json!([{"name": subcommand, "type": 1, "options": []}]);
    bot.slash(who, "review", options).await
}

fn custom_ids(message: &Value) -> Vec<String> {
    message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_held_message_approved_is_restored_through_a_webhook() {
    let bot = start().await;
    let held = bot.say("alice", "get freecoins here").await;
    bot.fake.wait_for(deletes(&held), WAIT).await;
    let review = bot.review_message(1).await;
    let embed = &review["embeds"][0];
    assert_eq!(embed["title"], "Review #1 — held");
    assert!(
        embed["description"]
            .as_str()
            .unwrap()
            .contains("get freecoins here")
    );
    assert!(embed["fields"].to_string().contains("scam-hold"), "{embed}");
    let buttons = custom_ids(&review);
    for action in [
        "approve",
        "remove",
        "dismiss",
        "warn",
        "timeout:600",
        "timeout:3600",
        "timeout:86400",
        "ban",
    ] {
        assert!(
            buttons.contains(&format!("review:1:{action}")),
            "{buttons:?}"
        );
    }

    let decided = bot.decide("bob", &review, "review:1:approve").await;
    assert_eq!(
        decided.body["type"], 7,
        "the review message is updated: {decided}"
    );
    assert!(
        decided.body["data"]["embeds"][0]["fields"]
            .to_string()
            .contains("**approve**")
    );
    assert_eq!(decided.body["data"]["components"], json!([]));

    bot.fake
        .wait_for_route(
            "POST",
            &format!("/channels/{}/webhooks", ids::GENERAL),
            WAIT,
        )
        .await;
    let restored = bot
        .fake
        .wait_for(
            |r| r.is("POST", "/webhooks/{id}/{token}") && r.path.contains("fake-webhook-token"),
            WAIT,
        )
        .await;
    assert_eq!(restored.body["username"], "alice");
    assert!(
        restored.body["avatar_url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://")),
        "{restored}"
    );
    assert_eq!(
        restored.content(),
        Some("get freecoins here\n-# restored by moderators")
    );
    let (store, fake, _dir) = bot.stop().await;
    let item = first_item(&store).await;
    assert_eq!(item.status, ReviewStatus::Approved);
    assert_eq!(item.decided_by.map(|u| u.0), Some(ids::BOB));
    fake.assert_no_unknown_requests();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flagged_message_removed_is_deleted() {
    let bot = start().await;
    let flagged = bot.say("alice", "bof, ce jeu").await;
    let review = bot.review_message(1).await;
    assert_eq!(review["embeds"][0]["title"], "Review #1 — flagged");
    // Flagged: left in place until a moderator decides.
    assert!(bot.fake.requests().iter().all(|r| !deletes(&flagged)(r)));
    let decided = bot.decide("bob", &review, "review:1:remove").await;
    assert_eq!(decided.body["type"], 7);
    bot.fake.wait_for(deletes(&flagged), WAIT).await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_moderators_deciding_at_once_one_wins_the_other_is_told() {
    let bot = start().await;
    bot.say("alice", "bof").await;
    let review = bot.review_message(1).await;
    let by_bob = bot.press("bob", &review, "review:1:remove");
    let by_owner = bot.press("owner", &review, "review:1:approve");
    bot.fake
        .dispatch("INTERACTION_CREATE", by_bob.clone())
        .await;
    bot.fake
        .dispatch("INTERACTION_CREATE", by_owner.clone())
        .await;
    let bob_reply = bot.fake.wait_for(callback_of(&by_bob), WAIT).await;
    let owner_reply = bot.fake.wait_for(callback_of(&by_owner), WAIT).await;
    let (winner, loser, loser_reply, winner_id) = if bob_reply.body["type"] == 7 {
        ("remove", "owner", owner_reply, ids::BOB)
    } else {
        ("approve", "bob", bob_reply, ids::OWNER)
    };
    assert_eq!(
        loser_reply.body["type"], 4,
        "{loser} is answered: {loser_reply}"
    );
    assert_eq!(loser_reply.body["data"]["flags"], 64, "privately");
    let text = loser_reply.content().unwrap();
    assert!(
        text.starts_with(&format!("Already decided by <@{winner_id}> at <t:")),
        "{text}"
    );
    assert!(text.contains(&format!("**{winner}**")), "{text}");
    let (store, _fake, _dir) = bot.stop().await;
    let item = first_item(&store).await;
    assert_eq!(item.decision, Decision::parse(winner));
}

#[tokio::test(flavor = "multi_thread")]
async fn reports_of_one_message_merge_and_reporters_stay_anonymous() {
    let bot = start().await;
    let target = bot.say("alice", "you all smell").await;
    let thanks = bot.report("owner", &target, "rude to everyone").await;
    assert_eq!(thanks.body["type"], 4);
    assert_eq!(
        thanks.body["data"]["flags"], 64,
        "the acknowledgement is private"
    );
    assert!(
        thanks.content().unwrap().starts_with("Thank you"),
        "{thanks}"
    );
    let review = bot.review_message(1).await;
    assert_eq!(review["embeds"][0]["title"], "Review #1 — reported");
    assert!(
        review["embeds"][0]["fields"]
            .to_string()
            .contains("Reports: 1")
    );

    bot.report("bob", &target, "insulting").await;
    let edit = bot
        .fake
        .wait_for(
            |r| {
                r.is(
                    "PATCH",
                    &format!("/channels/{}/messages/{{m}}", ids::REVIEW),
                ) && r.body.to_string().contains("Reports: 2")
            },
            WAIT,
        )
        .await;
    let shown = edit.body.to_string();
    assert!(
        shown.contains("rude to everyone") && shown.contains("insulting"),
        "{shown}"
    );
    for reporter in [ids::OWNER, ids::BOB] {
        assert!(
            !shown.contains(&reporter.to_string()),
            "reporter revealed: {shown}"
        );
    }
    // One item, not two; nothing was said to the reported member.
    assert_eq!(
        bot.fake
            .requests_to("POST", &format!("/channels/{}/messages", ids::REVIEW))
            .len(),
        1
    );
    assert!(bot.fake.dm_channel(ids::ALICE).is_none());
    let (store, _fake, _dir) = bot.stop().await;
    let item = first_item(&store).await;
    assert_eq!(item.report_count, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_cannot_report_more_than_three_messages_in_ten_minutes() {
    let bot = start().await;
    for n in 1..=3 {
        let target = bot.say("bob", &format!("message {n}")).await;
        let thanks = bot.report("alice", &target, "spam").await;
        assert!(
            thanks.content().unwrap().starts_with("Thank you"),
            "{thanks}"
        );
    }
    let fourth = bot.say("bob", "message 4").await;
    let command =
        fixtures::message_command(&bot.fake.world(), "alice", "Report to moderators", &fourth);
    let refused = bot.interact(command).await;
    assert_eq!(refused.body["type"], 4, "no modal: {refused}");
    assert_eq!(refused.body["data"]["flags"], 64);
    assert!(
        refused.content().unwrap().contains("try again later"),
        "{refused}"
    );
    let (store, _fake, _dir) = bot.stop().await;
    let (_, open) = store
        .open_review_items(GuildId(ids::GUILD), 0, 10)
        .await
        .unwrap();
    assert_eq!(open, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn review_stats_show_approved_and_removed_per_rule() {
    let bot = start().await;
    bot.say("alice", "freecoins").await;
    let first = bot.review_message(1).await;
    bot.decide("bob", &first, "review:1:approve").await;
    bot.say("alice", "bof").await;
    let second = bot.review_message(2).await;
    bot.decide("bob", &second, "review:2:remove").await;
    bot.say("alice", "bof encore").await;
    bot.review_message(3).await;

    let reply = review_subcommand(&bot, "bob", "stats").await;
    assert_eq!(reply.body["data"]["flags"], 64);
    let text = reply.body["data"]["embeds"][0]["description"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.contains("`scam-hold`: 1 held, 0 flagged, 0 reported — 1 approved, 0 removed"),
        "{text}"
    );
    assert!(
        text.contains("`rude-flag`: 0 held, 2 flagged, 0 reported — 0 approved, 1 removed, 0 dismissed, 1 open (approval 0%)"),
        "{text}"
    );
    assert!(text.contains("Open: 1 · oldest waiting: "), "{text}");

    let queue = review_subcommand(&bot, "bob", "queue").await;
    let listed = queue.body["data"]["embeds"][0].to_string();
    assert!(listed.contains("**#3** flag"), "{listed}");
    assert!(
        !listed.contains("**#1**"),
        "decided items are not listed: {listed}"
    );

    // Members who do not moderate are refused.
    let refused = review_subcommand(&bot, "alice", "stats").await;
    assert_eq!(refused.content(), Some("For moderators only."));
    let (store, _fake, dir) = bot.stop().await;
    store.close().await;

    // The charter author's view, from the command line.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(["stats", "rules", "--guild", &ids::GUILD.to_string()])
        .env("DATABASE_URL", database_url(dir.path()))
        .env_remove("DISCORD_TOKEN")
        .output()
        .unwrap();
    let stdout = crate::support::stdout(&output);
    assert!(
        output.status.success(),
        "{}",
        crate::support::stderr(&output)
    );
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(
        rows.contains(&vec!["rude-flag", "0", "2", "0", "0", "1", "0", "1", "0%"]),
        "{stdout}"
    );
    assert!(
        rows.contains(&vec![
            "scam-hold",
            "1",
            "0",
            "0",
            "1",
            "0",
            "0",
            "0",
            "100%"
        ]),
        "{stdout}"
    );
    assert!(stdout.contains("open items: 1;"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_item_waiting_too_long_is_recalled_once_in_the_review_channel() {
    let bot = start_with(RunOptions {
        review_remind_after: Some(Duration::from_millis(300)),
        scheduler_every: Duration::from_millis(100),
        ..RunOptions::default()
    })
    .await;
    bot.say("alice", "bof").await;
    let review = bot.review_message(1).await;
    let is_reminder = |r: &Recorded| {
        r.is("POST", &format!("/channels/{}/messages", ids::REVIEW))
            && r.content().is_some_and(|c| c.starts_with("⏰ Reminder"))
    };
    let reminder = bot.fake.wait_for(is_reminder, WAIT).await;
    let text = reminder.content().unwrap();
    assert!(
        text.starts_with("⏰ Reminder: 1 review item waiting longer than"),
        "{text}"
    );
    assert!(text.contains("• #1 (flagged, "), "{text}");
    assert!(
        text.contains(&format!(
            "s) · https://discord.com/channels/{}/{}/{}",
            ids::GUILD,
            ids::REVIEW,
            review["id"].as_str().unwrap()
        )),
        "{text}"
    );
    // Each item is recalled once.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let reminders = bot
        .fake
        .requests()
        .iter()
        .filter(|r| is_reminder(r))
        .count();
    assert_eq!(reminders, 1);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_timeout_from_review_removes_the_message_and_records_a_case_by_the_moderator() {
    let bot = start().await;
    let flagged = bot.say("alice", "bof bof").await;
    let review = bot.review_message(1).await;
    let decided = bot.decide("bob", &review, "review:1:timeout:3600").await;
    assert_eq!(decided.body["type"], 7);
    bot.fake.wait_for(deletes(&flagged), WAIT).await;
    bot.wait_for_alice_timeout().await;
    bot.fake
        .wait_for(
            |r| {
                mod_log_post(r)
                    && r.body["embeds"][0]["title"]
                        .as_str()
                        .is_some_and(|t| t.ends_with("timeout"))
            },
            WAIT,
        )
        .await;
    let (store, _fake, _dir) = bot.stop().await;
    let cases = store
        .cases_for(GuildId(ids::GUILD), steward::ids::UserId(ids::ALICE), 10)
        .await
        .unwrap();
    let case = cases
        .iter()
        .find(|c| c.kind.as_str() == "timeout")
        .expect("a timeout case");
    assert_eq!(case.moderator.map(|m| m.0), Some(ids::BOB));
    assert_eq!(case.duration_secs, Some(3600));
    assert_eq!(case.rule.as_deref(), Some("rude-flag"));
    let item = first_item(&store).await;
    assert_eq!(
        (item.status, item.decision),
        (ReviewStatus::Removed, Some(Decision::Timeout))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_who_does_not_moderate_cannot_decide() {
    let bot = start().await;
    let flagged = bot.say("alice", "bof").await;
    let review = bot.review_message(1).await;
    let refused = bot.decide("alice", &review, "review:1:approve").await;
    assert_eq!(refused.body["type"], 4);
    assert_eq!(refused.body["data"]["flags"], 64);
    assert_eq!(refused.content(), Some("Only moderators can decide."));
    let refused = bot.decide("alice", &review, "review:1:remove").await;
    assert_eq!(refused.body["type"], 4);
    bot.fake
        .assert_no_request(deletes(&flagged), Duration::from_millis(200))
        .await;
    let (store, _fake, _dir) = bot.stop().await;
    let item = first_item(&store).await;
    assert!(item.is_open());
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_review_channel_items_go_to_the_mod_log_and_show_lists_them() {
    let bot = launch(RunOptions::default(), None).await;
    bot.say("alice", "bof alors").await;
    let posted = bot
        .fake
        .wait_for(
            |r| mod_log_post(r) && r.body["embeds"][0]["title"] == "Review #1 — flagged",
            WAIT,
        )
        .await;
    assert!(
        posted.body["components"]
            .to_string()
            .contains("review:1:approve"),
        "{posted}"
    );
    let options = json!([{"name": "show", "type": 1, "options": [
        {"name": "id", "type": 4, "value": 1}
    ]}]);
    let shown = bot.slash("bob", "review", options).await;
    assert_eq!(shown.body["data"]["flags"], 64);
    let embed = &shown.body["data"]["embeds"][0];
    assert_eq!(embed["title"], "Review #1 — flagged");
    assert!(embed["description"].as_str().unwrap().contains("bof alors"));
    bot.stop().await;
}
