//! Giveaways end to end against the fake Discord: a giveaway requiring a 30-day-old account
//! refuses a new account with its reason in the member's language, counts entries (one per
//! member), ends on time through the scheduler and announces its winner with the revealed
//! seed and the entrant list attached; `steward verify-draw` reproduces the winner from that
//! published data; a reroll never picks a past winner; a restart in the middle ends it on time,
//! once; a refused start (not a moderator, no winners) records and posts nothing; with a claim
//! deadline, a winner who claims keeps their place and one who does not is replaced, once, by a
//! member who never won.

use std::time::Duration;

use serde_json::{Value, json};
use steward::discord::RunOptions;
use steward::ids::GuildId;
use steward::store::Store;

use crate::fake_discord::fixtures::{self, now_ms, snowflake_at, timestamp_at};
use crate::fake_discord::{MemberSpec, Recorded, UserSpec, World, ids};
use crate::steward_support::{Setup, Steward, WAIT, ephemeral};
use crate::support::{stderr, stdout, steward};

/// The default world with "newbie", an account one day old that joined today.
fn world() -> (World, u64) {
    let mut world = World::default_guild();
    let now = now_ms();
    let newbie = snowflake_at(now - 86_400_000, 77);
    world.guild_mut().members.push(MemberSpec::new(
        UserSpec::new(newbie, "newbie"),
        vec![],
        &timestamp_at(now - 3_600_000),
    ));
    (world, newbie)
}

/// Scheduler ticks short enough for a giveaway of seconds.
fn quick() -> RunOptions {
    RunOptions {
        scheduler_every: Duration::from_millis(200),
        ..RunOptions::default()
    }
}

async fn start_bot(world: World) -> Steward {
    Setup::new(world)
        .settings(|s| s.language = "en".into())
        .options(quick())
        .start()
        .await
}

/// `/giveaway start` options.
fn start(prize: &str, duration: &str, extra: Value) -> Value {
    let mut options = vec![
        json!({"name": "prize", "type": 3, "value": prize}),
        json!({"name": "duration", "type": 3, "value": duration}),
        json!({"name": "winners", "type": 4, "value": 1}),
    ];
    if let Value::Array(more) = extra {
        options.extend(more);
    }
    json!([{"name": "start", "type": 1, "options": options}])
}

fn sub(name: &str, options: Value) -> Value {
    json!([{"name": name, "type": 1, "options": options}])
}

/// The giveaway message of giveaway `id`, as the fake stores it.
pub(crate) async fn giveaway_message(bot: &Steward, id: i64) -> Value {
    let store = Store::connect(&bot.database_url()).await.unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    let message = loop {
        let g = store.giveaway(GuildId(ids::GUILD), id).await.unwrap();
        if let Some(m) = g.and_then(|g| g.message) {
            break m.0;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no giveaway message"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    store.close().await;
    bot.fake.message(message).expect("the fake has the message")
}

/// `who` presses Enter on giveaway 1, their client in `locale`; the answer's text.
async fn enter(bot: &Steward, who: &str, message: &Value, locale: &str) -> String {
    let mut press = fixtures::button_press(&bot.fake.world(), who, message, "giveaway:1:enter");
    press["locale"] = json!(locale);
    let answer = bot.interact(press).await;
    assert!(ephemeral(&answer), "{answer}");
    answer.content().unwrap_or_default().to_string()
}

fn announcements(bot: &Steward, marker: &str) -> Vec<Recorded> {
    bot.fake
        .requests_to("POST", &format!("/channels/{}/messages", ids::GENERAL))
        .into_iter()
        .filter(|r| r.raw_body.contains(marker))
        .collect()
}

/// The ids in the entrant list attached to `post` (a multipart body).
fn attached_entrants(post: &Recorded) -> Vec<u64> {
    let raw = &post.raw_body;
    let start = raw
        .find("entrants.txt\"")
        .expect("an entrant list is attached");
    let body = &raw[start..];
    let content = &body[body.find("\r\n\r\n").unwrap() + 4..];
    let content = &content[..content.find("\r\n--").unwrap()];
    content.lines().map(|l| l.parse().unwrap()).collect()
}

/// The text after `label` up to the next backquote, in the announcement's proof line.
fn quoted_after<'a>(text: &'a str, label: &str) -> &'a str {
    let at = text
        .find(label)
        .unwrap_or_else(|| panic!("{label} in {text}"))
        + label.len();
    let rest = &text[at..];
    &rest[..rest.find('`').unwrap()]
}

/// The announcement's text (the payload_json part's content).
fn text_of(post: &Recorded) -> String {
    post.body["content"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_giveaway_refuses_a_new_account_counts_entries_ends_on_time_and_reproduces() {
    let (world, _newbie) = world();
    let bot = start_bot(world).await;
    let extra = json!([{"name": "account_age", "type": 4, "value": 30}]);
    let started = bot
        .slash("bob", "giveaway", start("Nitro", "3s", extra))
        .await;
    assert!(ephemeral(&started), "{started}");
    assert!(
        started.content().unwrap_or_default().starts_with(&format!(
            "Giveaway #1 started in <#{}>; it ends <t:",
            ids::GENERAL
        )),
        "{started}"
    );
    let message = giveaway_message(&bot, 1).await;
    let commitment_field = message["embeds"][0]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"].as_str().unwrap().starts_with("Commitment"))
        .expect("the commitment is published")["value"]
        .as_str()
        .unwrap()
        .trim_matches('`')
        .to_string();
    assert_eq!(commitment_field.len(), 64, "{message}");
    assert!(
        !message.to_string().contains("Seed"),
        "the seed stays secret: {message}"
    );

    // The new account is refused in its own language, with the reason.
    assert_eq!(
        enter(&bot, "newbie", &message, "fr").await,
        "Votre compte doit avoir au moins 30 jours pour participer à ce tirage au sort."
    );
    assert_eq!(
        enter(&bot, "alice", &message, "en-US").await,
        "You are in! Good luck."
    );
    assert_eq!(
        enter(&bot, "alice", &message, "en-US").await,
        "You have already entered this giveaway."
    );
    assert_eq!(
        enter(&bot, "owner", &message, "fr").await,
        "C'est noté ! Bonne chance."
    );

    // It ends on time, once, with the winner, the seed and the two entrants.
    let deadline = tokio::time::Instant::now() + WAIT;
    let post = loop {
        if let Some(post) = announcements(&bot, "is over").pop() {
            break post;
        }
        assert!(tokio::time::Instant::now() < deadline, "no announcement");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let ended_after = post.at;
    let text = text_of(&post);
    let entrants = attached_entrants(&post);
    // Sorted, as the draw reads them.
    assert_eq!(entrants, vec![ids::OWNER, ids::ALICE]);
    let seed = quoted_after(&text, "seed `").to_string();
    assert_eq!(quoted_after(&text, "commitment `"), commitment_field);
    let winner = [ids::ALICE, ids::OWNER]
        .into_iter()
        .find(|w| text.contains(&format!("Winners: <@{w}>.")))
        .unwrap_or_else(|| panic!("{text}"));
    // The winner is told by DM (right after the announcement: wait for the DM channel).
    let deadline = tokio::time::Instant::now() + WAIT;
    let dm = loop {
        if let Some(dm) = bot.fake.dm_channel(winner) {
            break dm;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no DM channel to the winner"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    bot.fake
        .wait_for(|r| r.is("POST", &format!("/channels/{dm}/messages")), WAIT)
        .await;
    // The message shows two entrants (coalesced edits) and, ended, the winner and the seed.
    let shown = bot
        .fake
        .wait_for(
            |r| {
                r.method == "PATCH"
                    && r.body.to_string().contains(&seed)
                    && r.body.to_string().contains(&format!("<@{winner}>"))
            },
            WAIT,
        )
        .await;
    assert_eq!(shown.body["components"], json!([]), "{shown}");
    let fields = shown.body["embeds"][0]["fields"].as_array().unwrap();
    let entrants_field = fields.iter().find(|f| f["name"] == "Entrants").unwrap();
    assert_eq!(entrants_field["value"], "2", "{shown}");

    // Anyone re-runs the draw from the published data.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("entrants.txt");
    let list: String = entrants.iter().map(|e| format!("{e}\n")).collect();
    std::fs::write(&file, list).unwrap();
    let file = file.to_str().unwrap();
    let args = |commitment: &str| {
        let args: Vec<String> = [
            "verify-draw",
            "--seed",
            &seed,
            "--commitment",
            commitment,
            "--giveaway",
            "1",
            "--entrants",
            file,
            "--winners",
            "1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args
    };
    let ok = args(&commitment_field);
    let out = steward(&ok.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("{winner}\n"));
    let forged = "0".repeat(64);
    let bad = args(&forged);
    let out = steward(&bad.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("commitment mismatch"),
        "{}",
        stderr(&out)
    );

    // Entries are closed now.
    assert_eq!(
        enter(&bot, "bob", &message, "en-US").await,
        "This giveaway is over: entries are closed."
    );
    // A reroll draws the other entrant, never the past winner; then nobody is left.
    let other = if winner == ids::ALICE {
        ids::OWNER
    } else {
        ids::ALICE
    };
    let rerolled = bot
        .slash(
            "bob",
            "giveaway",
            sub("reroll", json!([{"name": "id", "type": 4, "value": 1}])),
        )
        .await;
    assert_eq!(
        rerolled.content(),
        Some(
            format!(
                "Giveaway #1 rerolled; the new winners were announced in <#{}>.",
                ids::GENERAL
            )
            .as_str()
        )
    );
    let reroll = announcements(&bot, "new draw (round 1)")
        .pop()
        .expect("a reroll announcement");
    assert!(
        text_of(&reroll).contains(&format!(": <@{other}>. Congratulations!")),
        "{reroll}"
    );
    assert!(
        !text_of(&reroll).contains(&format!("<@{winner}>")),
        "{reroll}"
    );
    let excluded = format!("{winner}");
    let mut again = args(&commitment_field);
    again.extend(["--round".into(), "1".into(), "--exclude".into(), excluded]);
    let out = steward(&again.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(stdout(&out), format!("{other}\n"), "{}", stderr(&out));
    let none = bot
        .slash(
            "bob",
            "giveaway",
            sub("reroll", json!([{"name": "id", "type": 4, "value": 1}])),
        )
        .await;
    assert_eq!(
        none.content(),
        Some("Every entrant has already won: nobody is left to draw.")
    );
    assert_eq!(announcements(&bot, "is over").len(), 1, "announced once");
    assert!(ended_after.as_millis() > 0);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_giveaway_started_before_a_restart_ends_on_time_after_it_once() {
    let (world, _) = world();
    let bot = start_bot(world).await;
    bot.slash("bob", "giveaway", start("Sticker", "4s", json!([])))
        .await;
    let message = giveaway_message(&bot, 1).await;
    assert_eq!(
        enter(&bot, "alice", &message, "en-US").await,
        "You are in! Good luck."
    );
    let (fake, dir) = bot.halt().await;
    // Steward is down when the giveaway falls due; it ends when Steward is back.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let bot = Steward::launch(fake, dir, quick()).await;
    let post = bot
        .fake
        .wait_for(
            |r| {
                r.is("POST", &format!("/channels/{}/messages", ids::GENERAL))
                    && r.raw_body.contains("is over")
            },
            WAIT,
        )
        .await;
    assert!(
        text_of(&post).contains(&format!("Winners: <@{}>.", ids::ALICE)),
        "{post}"
    );
    bot.fake
        .assert_no_request(
            |r| r.index > post.index && r.raw_body.contains("is over"),
            Duration::from_millis(1_000),
        )
        .await;
    let (store, _fake, _dir) = bot.stop().await;
    let winners = store.giveaway_winners(1).await.unwrap();
    assert_eq!(winners.len(), 1);
    assert!(
        crate::steward_support::feature_jobs(&store)
            .await
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_start_changes_nothing_and_says_why() {
    let (world, _) = world();
    let bot = start_bot(world).await;
    let member = bot
        .slash("alice", "giveaway", start("Nitro", "1h", json!([])))
        .await;
    assert!(ephemeral(&member), "{member}");
    let moderators_only =
        steward::i18n::text(steward::i18n::Lang::EN, "error-moderators-only", &[]);
    assert_eq!(member.content(), Some(moderators_only.as_str()));
    let mut none = start("Nitro", "1h", json!([]));
    none[0]["options"][2]["value"] = json!(0);
    let refused = bot.slash("bob", "giveaway", none).await;
    assert_eq!(
        refused.content(),
        Some("A giveaway has between 1 and 50 winners.")
    );
    let list = bot.slash("bob", "giveaway", sub("list", json!([]))).await;
    assert_eq!(list.content(), Some("No giveaways in this server."));
    bot.fake
        .assert_no_request(
            |r| r.is("POST", &format!("/channels/{}/messages", ids::GENERAL)),
            Duration::from_millis(200),
        )
        .await;
    bot.stop().await;
}

/// `who` presses Claim under giveaway 1's announcement; the answer's text.
async fn claim(bot: &Steward, who: &str, message: &Value) -> String {
    let press = fixtures::button_press(&bot.fake.world(), who, message, "giveaway:claim:1");
    let answer = bot.interact(press).await;
    assert!(ephemeral(&answer), "{answer}");
    answer.content().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_winner_who_does_not_claim_in_time_is_replaced_by_a_reroll_once() {
    let (world, newbie) = world();
    let bot = start_bot(world).await;
    let mut options = start(
        "Mug",
        "2s",
        json!([{"name": "claim", "type": 3, "value": "1m"}]),
    );
    options[0]["options"][2]["value"] = json!(2);
    let started = bot.slash("bob", "giveaway", options).await;
    assert!(ephemeral(&started), "{started}");
    let message = giveaway_message(&bot, 1).await;
    let names = [
        (ids::ALICE, "alice"),
        (ids::OWNER, "owner"),
        (ids::BOB, "bob"),
        (newbie, "newbie"),
    ];
    for (_, name) in names {
        assert_eq!(
            enter(&bot, name, &message, "en-US").await,
            "You are in! Good luck."
        );
    }
    let post = bot
        .fake
        .wait_for(
            |r| {
                r.is("POST", &format!("/channels/{}/messages", ids::GENERAL))
                    && r.raw_body.contains("is over")
            },
            WAIT,
        )
        .await;
    assert!(post.raw_body.contains("giveaway:claim:1"), "{post}");
    let text = text_of(&post);
    let won: Vec<(u64, &str)> = names
        .into_iter()
        .filter(|(id, _)| text.contains(&format!("<@{id}>")))
        .collect();
    assert_eq!(won.len(), 2, "{text}");
    let (claimer, idle) = (won[0], won[1]);
    let deadline = tokio::time::Instant::now() + WAIT;
    let dm = loop {
        if let Some(dm) = bot.fake.dm_channel(idle.0) {
            break dm;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no DM to the winner"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let told = bot
        .fake
        .wait_for(|r| r.is("POST", &format!("/channels/{dm}/messages")), WAIT)
        .await;
    assert!(told.raw_body.contains("Claim it <t:"), "{told}");
    let loser = names
        .iter()
        .find(|(id, _)| !text.contains(&format!("<@{id}>")))
        .unwrap();
    assert_eq!(
        claim(&bot, claimer.1, &message).await,
        "Claimed! A moderator will contact you."
    );
    assert_eq!(
        claim(&bot, claimer.1, &message).await,
        "You have already claimed this win."
    );
    assert_eq!(
        claim(&bot, loser.1, &message).await,
        "You did not win this giveaway: there is nothing to claim."
    );

    // The deadline falls due now: the idle winner's place is rerolled, once.
    let store = Store::connect(&bot.database_url()).await.unwrap();
    let job = steward::jobs::Job::ClaimDeadline {
        guild: GuildId(ids::GUILD),
        giveaway: 1,
        round: 0,
    };
    store
        .schedule(
            job.kind(),
            GuildId(ids::GUILD),
            &job.to_payload(),
            now_ms() as i64,
            Some(&job.dedupe_key()),
        )
        .await
        .unwrap();
    store.close().await;
    let reroll = bot
        .fake
        .wait_for(
            |r| {
                r.is("POST", &format!("/channels/{}/messages", ids::GENERAL))
                    && r.raw_body.contains("did not claim in time")
            },
            WAIT,
        )
        .await;
    let text = text_of(&reroll);
    assert!(
        text.starts_with(&format!("<@{}> did not claim in time", idle.0)),
        "{text}"
    );
    let fresh: Vec<u64> = names
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| text.contains(&format!("new draw (round 1): <@{id}>.")))
        .collect();
    assert_eq!(fresh.len(), 1, "{text}");
    assert!(![claimer.0, idle.0].contains(&fresh[0]), "{text}");
    assert_eq!(
        claim(&bot, idle.1, &message).await,
        "The claim deadline has passed: your place was given to someone else."
    );
    bot.fake
        .assert_no_request(
            |r| r.index > reroll.index && r.raw_body.contains("did not claim in time"),
            Duration::from_millis(1_000),
        )
        .await;
    bot.stop().await;
}
