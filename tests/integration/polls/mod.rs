//! Polls end to end against the fake Discord: a poll with votes closes on time and posts its
//! results with a PNG chart (the multipart body carries an image/png that decodes); a changed
//! vote counts once; live edits are coalesced; a public poll's CSV names its voters, an
//! anonymous poll's results name nobody; a restart in the middle keeps the votes and closes the
//! poll on time, once; a member whose client speaks French is answered in French in an English
//! server; a poll restricted to a role refuses the others. Native polls: [`native`].

mod native;

use std::time::Duration;

use serde_json::{Value, json};
use steward::discord::RunOptions;
use steward::ids::GuildId;
use steward::store::Store;

use crate::fake_discord::{MemberSpec, Recorded, UserSpec, World, fixtures, ids};
use crate::steward_support::{Setup, Steward, WAIT, ephemeral, give_alice_a_role};

/// carol: a member without any role.
const CAROL: u64 = ids::ALICE + 1_000;

/// Short timings: jobs looked for every 100 ms, polls of a second allowed, edits 400 ms apart.
fn options() -> RunOptions {
    RunOptions {
        scheduler_every: Duration::from_millis(100),
        poll_min_duration: Duration::from_secs(1),
        poll_edit_every: Duration::from_millis(400),
        ..RunOptions::default()
    }
}

fn world() -> World {
    let mut world = World::default_guild();
    let joined = world
        .guild()
        .member_by_id(ids::ALICE)
        .unwrap()
        .joined_at
        .clone();
    world.guild_mut().members.push(MemberSpec::new(
        UserSpec::new(CAROL, "carol"),
        vec![],
        &joined,
    ));
    world
}

/// Steward in an English server.
async fn start() -> Steward {
    Setup::new(world())
        .settings(|s| s.language = "en".into())
        .options(options())
        .start()
        .await
}

/// bob creates a poll with `extra` options (besides question, options and duration): switches,
/// or a role's id as a string.
async fn create(bot: &Steward, duration: &str, extra: &[(&str, Value)]) -> Recorded {
    let mut options = vec![
        json!({"name": "question", "type": 3, "value": "Which day suits you?"}),
        json!({"name": "options", "type": 3, "value": "Monday; Tuesday; Wednesday"}),
        json!({"name": "duration", "type": 3, "value": duration}),
    ];
    for (name, value) in extra {
        // Switches are booleans (5); the one other extra is a role (8).
        let kind = if value.is_boolean() { 5 } else { 8 };
        options.push(json!({"name": name, "type": kind, "value": value}));
    }
    let reply = bot
        .slash(
            "bob",
            "poll",
            json!([{"name": "create", "type": 1, "options": options}]),
        )
        .await;
    assert!(ephemeral(&reply), "{reply}");
    reply
}

/// The posted message of poll `id`, as the fake keeps it.
async fn poll_message(bot: &Steward, id: i64) -> Value {
    let store = Store::connect(&bot.database_url()).await.unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    let message = loop {
        let poll = store.poll(GuildId(ids::GUILD), id).await.unwrap();
        if let Some(m) = poll.and_then(|p| p.message) {
            break m.0;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "poll {id} not posted"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    store.close().await;
    bot.fake.message(message).expect("the fake keeps the poll")
}

/// `who` presses option `option` of `message`, their client in `locale`; returns the answer.
async fn vote(bot: &Steward, who: &str, message: &Value, option: usize, locale: &str) -> String {
    let poll = message["embeds"][0]["footer"]["text"].as_str().unwrap();
    let id = poll.rsplit('#').next().unwrap().trim();
    let mut press = fixtures::button_press(
        &bot.fake.world(),
        who,
        message,
        &format!("poll:{id}:{option}"),
    );
    press["locale"] = json!(locale);
    let sent = std::time::Instant::now();
    let answer = bot.interact(press).await;
    let took = sent.elapsed();
    assert!(took < Duration::from_secs(3), "answered after {took:?}");
    eprintln!("vote answered in {took:?}");
    assert_eq!(answer.body["data"]["flags"], json!(64), "{answer}");
    answer.body["data"]["content"].as_str().unwrap().to_string()
}

fn results_post(r: &Recorded) -> bool {
    r.is("POST", &format!("/channels/{}/messages", ids::GENERAL))
        && r.body["content"]
            .as_str()
            .is_some_and(|c| c.contains("Results of poll"))
}

fn edits_of(bot: &Steward, message: &Value) -> Vec<Recorded> {
    let route = format!(
        "/channels/{}/messages/{}",
        ids::GENERAL,
        message["id"].as_str().unwrap()
    );
    bot.fake.requests_to("PATCH", &route)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_with_votes_closes_on_time_and_posts_its_results_with_a_chart() {
    let bot = start().await;
    let created = create(&bot, "2s", &[]).await;
    let content = created.body["data"]["content"].as_str().unwrap();
    assert!(content.starts_with("Poll #1 is posted"), "{content}");
    let posted_at = created.at;
    let message = poll_message(&bot, 1).await;
    assert_eq!(
        message["components"][0]["components"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    let first = vote(&bot, "alice", &message, 0, "en-US").await;
    assert_eq!(first, "Your vote is recorded: Monday.");
    assert!(
        vote(&bot, "carol", &message, 1, "en-US")
            .await
            .contains("Tuesday")
    );
    let changed = vote(&bot, "alice", &message, 1, "en-US").await;
    assert_eq!(changed, "Your vote is changed to: Tuesday. It counts once.");

    let results = bot.fake.wait_for(results_post, WAIT).await;
    let waited = results.at - posted_at;
    assert!(waited >= Duration::from_secs(2), "closed early: {waited:?}");
    assert!(waited < Duration::from_secs(4), "closed late: {waited:?}");
    let text = results.body["content"].as_str().unwrap();
    assert!(text.contains("**Tuesday** — 2 · 100 %"), "{text}");
    assert!(text.contains("**Monday** — 0 · 0 %"), "{text}");
    assert!(text.contains("2 voters"), "{text}");
    let png = results.part("image/png").expect("a PNG is attached");
    let chart = image::load_from_memory(png).expect("the PNG decodes");
    assert_eq!(chart.width(), steward::community::poll_chart::WIDTH);
    assert_eq!(results.body["attachments"][0]["filename"], "poll-1.png");

    // Three votes, one coalesced live edit (or two), then the close's: never one per vote.
    let edits = bot
        .fake
        .wait_for(
            |r| r.method == "PATCH" && r.body["components"] == json!([]),
            WAIT,
        )
        .await;
    let closed = edits.body["embeds"][0]["description"].as_str().unwrap();
    assert!(
        closed.contains("2 voters") && closed.contains("Closed"),
        "{closed}"
    );
    let patches = edits_of(&bot, &message).len();
    assert!((2..=3).contains(&patches), "{patches} edits for 3 votes");

    // Too late to vote; the public poll's CSV names its voters once each.
    assert_eq!(
        vote(&bot, "carol", &message, 2, "en-US").await,
        "This poll is closed."
    );
    let listed = bot
        .slash(
            "bob",
            "poll",
            json!([{"name": "results", "type": 1, "options": [
            {"name": "poll", "type": 4, "value": 1}]}]),
        )
        .await;
    let csv = String::from_utf8(listed.part("text/csv").expect("a CSV").to_vec()).unwrap();
    assert!(csv.starts_with("user_id,choices,voted_at_ms\r\n"), "{csv}");
    assert_eq!(csv.matches(&ids::ALICE.to_string()).count(), 1, "{csv}");
    assert!(csv.contains(&format!("{CAROL},Tuesday,")), "{csv}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        bot.fake
            .requests()
            .iter()
            .filter(|r| results_post(r))
            .count(),
        1
    );
    bot.halt().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_polls_results_name_nobody_and_its_votes_are_final() {
    let bot = start().await;
    create(
        &bot,
        "1h",
        &[("anonymous", json!(true)), ("hidden", json!(true))],
    )
    .await;
    let message = poll_message(&bot, 1).await;
    let embed = message["embeds"][0]["description"].as_str().unwrap();
    assert!(
        embed.contains("Results are shown when the poll closes."),
        "{embed}"
    );
    assert!(
        vote(&bot, "alice", &message, 2, "en-US")
            .await
            .contains("Wednesday")
    );
    assert!(
        vote(&bot, "carol", &message, 2, "en-US")
            .await
            .contains("Wednesday")
    );
    let again = vote(&bot, "alice", &message, 0, "en-US").await;
    assert!(
        again.starts_with("You already voted in this anonymous poll"),
        "{again}"
    );

    let close = json!([{"name": "close", "type": 1, "options": [
        {"name": "poll", "type": 4, "value": 1}]}]);
    bot.slash("bob", "poll", close.clone()).await;
    let results = bot.fake.wait_for(results_post, WAIT).await;
    let listed = bot
        .slash(
            "bob",
            "poll",
            json!([{"name": "results", "type": 1, "options": [
            {"name": "poll", "type": 4, "value": 1}]}]),
        )
        .await;
    assert!(
        listed.part("text/csv").is_none(),
        "an anonymous poll has no CSV"
    );
    let text = listed.body["data"]["content"].as_str().unwrap();
    assert!(text.contains("**Wednesday** — 2 · 100 %"), "{text}");
    assert!(text.contains("there is no list of votes"), "{text}");
    for shown in [text, results.body["content"].as_str().unwrap()] {
        for name in [
            "alice",
            "carol",
            &ids::ALICE.to_string(),
            &CAROL.to_string(),
        ] {
            assert!(!shown.contains(name), "{name} named in {shown}");
        }
    }
    let (store, fake, dir) = bot.stop().await;
    let votes = store.poll_votes(1).await.unwrap();
    assert_eq!(votes.len(), 2);
    assert!(
        votes.iter().all(|v| v.ballot.choices.is_empty()),
        "a choice was stored"
    );
    store.close().await;
    drop((fake, dir));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_in_the_middle_keeps_the_votes_and_closes_on_time_once() {
    let bot = start().await;
    let created = create(&bot, "3s", &[]).await;
    let message = poll_message(&bot, 1).await;
    vote(&bot, "alice", &message, 0, "en-US").await;
    let (fake, dir) = bot.halt().await;
    let bot = Steward::launch(fake, dir, options()).await;
    let message = poll_message(&bot, 1).await;
    vote(&bot, "carol", &message, 0, "en-US").await;
    let results = bot.fake.wait_for(results_post, WAIT).await;
    let waited = results.at - created.at;
    assert!(waited >= Duration::from_secs(3), "closed early: {waited:?}");
    assert!(waited < Duration::from_secs(5), "closed late: {waited:?}");
    let text = results.body["content"].as_str().unwrap();
    assert!(text.contains("**Monday** — 2 · 100 %"), "{text}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (store, fake, dir) = bot.stop().await;
    assert_eq!(
        fake.requests().iter().filter(|r| results_post(r)).count(),
        1
    );
    let pending = crate::steward_support::feature_jobs(&store).await;
    assert!(pending.is_empty(), "{pending:?}");
    store.close().await;
    drop((fake, dir));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_french_member_is_answered_in_french_in_an_english_server() {
    let bot = start().await;
    create(&bot, "1h", &[("multiple", json!(true))]).await;
    let message = poll_message(&bot, 1).await;
    assert_eq!(
        message["components"][0]["components"][0]["type"], 3,
        "a select menu"
    );
    let mut press = fixtures::button_press(&bot.fake.world(), "alice", &message, "poll:1");
    press["locale"] = json!("fr");
    press["data"] = json!({"custom_id": "poll:1", "component_type": 3, "values": ["2", "0"]});
    let answer = bot.interact(press).await;
    assert_eq!(
        answer.body["data"]["content"],
        "Votre vote est enregistré : Monday, Wednesday."
    );
    let english = vote(&bot, "carol", &message, 9, "en-GB").await;
    assert_eq!(english, "That choice is not one of this poll's options.");
    bot.halt().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_restricted_to_a_role_refuses_members_without_it() {
    const VOTERS: u64 = ids::GUILD + 77;
    let mut world = world();
    give_alice_a_role(&mut world, VOTERS, "Voters", 1);
    let bot = Setup::new(world)
        .settings(|s| s.language = "en".into())
        .options(options())
        .start()
        .await;
    create(&bot, "1h", &[("role", json!(VOTERS.to_string()))]).await;
    let message = poll_message(&bot, 1).await;
    let embed = message["embeds"][0]["description"].as_str().unwrap();
    assert!(embed.contains(&format!("Open to <@&{VOTERS}>")), "{embed}");
    let refused = vote(&bot, "carol", &message, 0, "fr").await;
    assert_eq!(
        refused,
        format!("Ce sondage est réservé aux membres ayant le rôle <@&{VOTERS}>.")
    );
    assert!(
        vote(&bot, "alice", &message, 0, "en-US")
            .await
            .contains("recorded")
    );
    let (store, fake, dir) = bot.stop().await;
    let poll = store.poll(GuildId(ids::GUILD), 1).await.unwrap().unwrap();
    assert_eq!(store.tally(&poll).await.unwrap().voters, 1);
    store.close().await;
    drop((fake, dir));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_that_cannot_be_posted_is_withdrawn() {
    let bot = start().await;
    bot.fake.respond_once(
        "POST",
        &format!("/channels/{}/messages", ids::GENERAL),
        crate::fake_discord::Reply::missing_permissions(),
    );
    let reply = create(&bot, "2s", &[]).await;
    let text = reply.body["data"]["content"].as_str().unwrap();
    assert!(text.starts_with("Poll #1 could not be posted"), "{text}");
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let (store, fake, dir) = bot.stop().await;
    assert!(
        !fake.requests().iter().any(results_post),
        "a withdrawn poll posts no results"
    );
    assert!(
        !store
            .poll(GuildId(ids::GUILD), 1)
            .await
            .unwrap()
            .unwrap()
            .open
    );
    let pending = crate::steward_support::feature_jobs(&store).await;
    assert!(pending.is_empty(), "{pending:?}");
    store.close().await;
    drop((fake, dir));
}
