//! Review decisions checked before the item is claimed, end to end: a refused Ban or Timeout
//! leaves the item open and the message in place and is told privately in the presser's
//! language; a Warn from the queue speaks the server's language and cites the rule and the
//! charter article; a restored message keeps the author's display name.

use std::time::Duration;

use serde_json::{Value, json};
use steward::ids::{ChannelId, GuildId, UserId};
use steward::review::{Decision, ReviewStatus};
use steward::store::Store;

use super::{RULES, Review, first_item};
use crate::fake_discord::{MemberSpec, Recorded, Reply, UserSpec, World, ids};
use crate::steward_support::{Setup, Steward, WAIT, charter, deletes, ephemeral, mod_log_post};

/// carol: a second moderator, with bob's role (the same rank).
const CAROL: u64 = ids::BOB + 1_000;

/// The default world with carol, a second moderator, and alice known in the server as
/// "Alice Wonder".
fn world() -> World {
    let mut world = World::default_guild();
    let joined = world
        .guild()
        .member_by_id(ids::BOB)
        .unwrap()
        .joined_at
        .clone();
    world.guild_mut().members.push(MemberSpec::new(
        UserSpec::new(CAROL, "carol"),
        vec![ids::MODERATOR_ROLE],
        &joined,
    ));
    world.guild_mut().member_by_id_mut(ids::ALICE).unwrap().nick = Some("Alice Wonder".into());
    world
}

/// Steward with [`world`], the review channel set, in `language`.
async fn start(language: &str) -> Steward {
    let language = language.to_string();
    Setup::new(world())
        .charter(charter(""), RULES)
        .settings(move |s| {
            s.review_channel = Some(ChannelId(ids::REVIEW));
            s.language = language;
        })
        .start()
        .await
}

/// `who` presses `custom_id` under `review`, their Discord client in `locale`.
async fn press_in(
    bot: &Steward,
    who: &str,
    review: &Value,
    custom_id: &str,
    locale: &str,
) -> Recorded {
    let mut press = bot.press(who, review, custom_id);
    press["locale"] = json!(locale);
    bot.interact(press).await
}

/// Whether `r` sanctions `user`: a ban, or a member edit (a timeout).
fn sanctions(user: u64) -> impl Fn(&Recorded) -> bool {
    move |r| {
        r.is("PUT", &format!("/guilds/{}/bans/{user}", ids::GUILD))
            || r.is("PATCH", &format!("/guilds/{}/members/{user}", ids::GUILD))
    }
}

/// Reports `author`'s message as alice and returns it with its review post.
async fn reported(bot: &Steward, author: &str, text: &str) -> (Value, Value) {
    let message = bot.say(author, text).await;
    bot.report("alice", &message, "rude to everyone").await;
    let review = bot.review_message(1).await;
    (message, review)
}

/// Asserts that nothing happened to `message` or its author, and the item is still open.
async fn untouched(bot: &Steward, message: &Value, author: u64) {
    bot.fake
        .assert_no_request(
            |r| deletes(message)(r) || sanctions(author)(r),
            Duration::from_millis(300),
        )
        .await;
    let store = Store::connect(&bot.database_url()).await.unwrap();
    let item = first_item(&store).await;
    store.close().await;
    assert_eq!(item.status, ReviewStatus::Open);
    assert_eq!(item.decision, None);
}

/// `who` dismisses item 1; asserts it is closed by them.
async fn dismissed_by(bot: Steward, who: &str, who_id: u64) {
    let review = bot.review_message(1).await;
    let decided = bot.decide(who, &review, "review:1:dismiss").await;
    assert_eq!(decided.body["type"], 7, "{decided}");
    let (store, _fake, _dir) = bot.stop().await;
    let item = first_item(&store).await;
    assert_eq!(item.status, ReviewStatus::Dismissed);
    assert_eq!(item.decision, Some(Decision::Dismiss));
    assert_eq!(item.decided_by, Some(UserId(who_id)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ban_of_the_owner_from_review_is_refused_and_the_item_stays_open() {
    let bot = start("en").await;
    let (message, review) = reported(&bot, "owner", "everyone here is slow").await;
    let refused = bot.decide("bob", &review, "review:1:ban").await;
    assert_eq!(refused.body["type"], 4, "a reply, not an update: {refused}");
    assert!(ephemeral(&refused), "{refused}");
    assert_eq!(
        refused.content(),
        Some("The server owner cannot be sanctioned.")
    );
    untouched(&bot, &message, ids::OWNER).await;
    dismissed_by(bot, "carol", CAROL).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_timeout_of_a_same_rank_moderator_from_review_is_refused_and_the_item_stays_open() {
    let bot = start("en").await;
    let (message, review) = reported(&bot, "bob", "you are all slow").await;
    let refused = bot.decide("carol", &review, "review:1:timeout:3600").await;
    assert_eq!(refused.body["type"], 4, "{refused}");
    assert!(ephemeral(&refused), "{refused}");
    assert_eq!(
        refused.content(),
        Some(
            format!(
                "<@{}> has a role at or above yours: you cannot act on this member.",
                ids::BOB
            )
            .as_str()
        )
    );
    untouched(&bot, &message, ids::BOB).await;
    dismissed_by(bot, "owner", ids::OWNER).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_reads_in_the_pressers_language_not_the_servers() {
    let bot = start("en").await;
    let (message, review) = reported(&bot, "owner", "slow").await;
    let refused = press_in(&bot, "carol", &review, "review:1:ban", "fr").await;
    assert!(ephemeral(&refused), "{refused}");
    assert_eq!(
        refused.content(),
        Some("Le propriétaire du serveur ne peut pas être sanctionné.")
    );
    untouched(&bot, &message, ids::OWNER).await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_warning_from_review_speaks_the_servers_language_and_cites_the_rule_and_article() {
    let bot = start("fr").await;
    let flagged = bot.say("alice", "bof bof").await;
    let review = bot.review_message(1).await;
    assert_eq!(
        review["embeds"][0]["title"],
        "À examiner #1 — signalé par la charte"
    );
    let decided = press_in(&bot, "bob", &review, "review:1:warn", "en-US").await;
    assert_eq!(decided.body["type"], 7, "{decided}");
    bot.fake.wait_for(deletes(&flagged), WAIT).await;
    let dm = bot
        .fake
        .wait_for(
            |r| {
                r.is("POST", "/channels/{c}/messages")
                    && r.content().is_some_and(|c| c.contains("avertissement"))
            },
            WAIT,
        )
        .await;
    assert_eq!(
        dm.content(),
        Some(
            "**Test Guild** : vous avez reçu un avertissement.\nMotif : Grossier\nArticle 1 de la charte : Respect"
        )
    );
    let log = bot
        .fake
        .wait_for(
            |r| mod_log_post(r) && r.body["embeds"][0]["title"] == "Cas #2 — avertissement",
            WAIT,
        )
        .await;
    let fields = log.body["embeds"][0]["fields"].to_string();
    assert!(fields.contains("Motif"), "{fields}");
    assert!(fields.contains("Grossier — article 1: Respect"), "{fields}");
    let (store, _fake, _dir) = bot.stop().await;
    // Case 1 is the flag itself.
    let case = store.case(GuildId(ids::GUILD), 2).await.unwrap().unwrap();
    assert_eq!(case.moderator, Some(UserId(ids::BOB)));
    assert_eq!(case.rule.as_deref(), Some("rude-flag"));
    assert_eq!(case.section, Some(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restored_message_is_posted_under_the_members_display_name() {
    let bot = start("en").await;
    let held = bot.say("alice", "get freecoins here").await;
    bot.fake.wait_for(deletes(&held), WAIT).await;
    let review = bot.review_message(1).await;
    bot.decide("bob", &review, "review:1:approve").await;
    let restored = bot
        .fake
        .wait_for(|r| r.is("POST", "/webhooks/{id}/{token}"), WAIT)
        .await;
    assert_eq!(restored.body["username"], "Alice Wonder");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reported_message_is_queued_under_the_members_display_name() {
    let bot = start("en").await;
    let target = bot.say("alice", "you all smell").await;
    bot.report("bob", &target, "rude").await;
    let (store, _fake, _dir) = bot.stop().await;
    assert_eq!(first_item(&store).await.author_name, "Alice Wonder");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_warning_on_a_message_already_gone_still_warns() {
    let bot = start("en").await;
    let flagged = bot.say("alice", "bof").await;
    let review = bot.review_message(1).await;
    bot.fake.respond_once(
        "DELETE",
        "/channels/{c}/messages/{m}",
        Reply::error(404, 10008, "Unknown Message"),
    );
    let decided = bot.decide("bob", &review, "review:1:warn").await;
    assert_eq!(decided.body["type"], 7, "{decided}");
    bot.fake.wait_for(deletes(&flagged), WAIT).await;
    bot.fake
        .wait_for(
            |r| mod_log_post(r) && r.body["embeds"][0]["title"] == "Case #2 — warn",
            WAIT,
        )
        .await;
    bot.stop().await;
}
