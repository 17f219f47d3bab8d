//! Referrals end to end: a newcomer brought by alice's invite who stays and posts earns alice the
//! first reward role, announced in the welcome channel; one who leaves first removes the credit;
//! a pending referral survives a restart; `/invite` makes a personal invite once and credits its
//! member; `/referrals me` and `/referrals member` say where each referral stands.

use std::time::Duration;

use serde_json::json;
use serenity::all::Permissions;
use steward::community::referrals::Confidence;
use steward::discord::RunOptions;
use steward::ids::{GuildId, UserId};

use crate::fake_discord::{RoleSpec, World, fixtures, ids};
use crate::steward_support::{Steward, WAIT, followup, role_route, user};
use crate::welcome::{WELCOME, content, start_with, welcome_of, welcome_post, world};

const AMBASSADOR_ROLE: u64 = 4_500;

/// `[welcome]` and a `[referrals]` section whose newcomers qualify after 2 s and one message.
fn sections() -> String {
    format!(
        "{WELCOME}\n[referrals]\nstay = \"2s\"\nmessages = 1\n\n[[referrals.reward]]\nreferrals = 1\nrole = \"Ambassador\"\n"
    )
}

fn referral_world() -> World {
    let mut world = world();
    world.bot_role_mut().permissions |= Permissions::CREATE_INSTANT_INVITE;
    world.guild_mut().roles.push(RoleSpec::new(
        AMBASSADOR_ROLE,
        "Ambassador",
        Permissions::empty(),
        1,
    ));
    world
}

fn fast() -> RunOptions {
    RunOptions {
        scheduler_every: Duration::from_millis(200),
        ..RunOptions::default()
    }
}

async fn start(language: &str) -> Steward {
    start_with(referral_world(), language, &sections(), fast()).await
}

/// The answer to a command that first defers (a follow-up message).
async fn answer(bot: &Steward, invoker: &str, command: &str) -> String {
    let deferred = bot.slash(invoker, command, json!([])).await;
    followup(bot, &deferred).await.body["content"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn reply_text(reply: &crate::fake_discord::Recorded) -> String {
    reply.body["data"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_newcomer_who_stays_and_posts_earns_the_inviter_a_reward_role() {
    let bot = start("en").await;
    let carol = fixtures::new_user("carol");
    bot.fake
        .join_through(Some("alice-inv"), carol.clone())
        .await;
    welcome_of(&bot, carol.id).await;
    bot.say("carol", "hello everyone, glad to be here").await;
    let role = role_route(ids::ALICE, AMBASSADOR_ROLE);
    bot.fake.wait_for(|r| r.is("PUT", &role), WAIT).await;
    let announce = bot
        .fake
        .wait_for(
            |r| welcome_post(r) && content(r).contains("Ambassador"),
            WAIT,
        )
        .await;
    assert_eq!(
        content(&announce),
        format!(
            "🎉 <@{}> has brought 1 members who stayed: welcome to **Ambassador**!",
            ids::ALICE
        )
    );
    let me = bot
        .slash(
            "alice",
            "referrals",
            json!([{"type": 1, "name": "me", "options": []}]),
        )
        .await;
    let text = reply_text(&me);
    assert!(
        text.contains("You brought **1** members who stayed"),
        "{text}"
    );
    assert!(text.contains("Your tier: **Ambassador**"), "{text}");
    let (store, _fake, _dir) = bot.stop().await;
    let join = &store
        .joins_of(GuildId(ids::GUILD), UserId(carol.id))
        .await
        .unwrap()[0];
    assert_eq!(join.referral, "qualified");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_newcomer_who_leaves_before_qualifying_removes_the_credit() {
    let bot = start("fr").await;
    let dan = fixtures::new_user("dan");
    bot.fake.join_through(Some("alice-inv"), dan.clone()).await;
    welcome_of(&bot, dan.id).await;
    let world = bot.fake.world();
    bot.fake
        .dispatch("GUILD_MEMBER_REMOVE", fixtures::member_remove(&world, &dan))
        .await;
    // Past the stay: the job finds nothing pending and grants nothing.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let listing = bot
        .slash(
            "bob",
            "referrals",
            json!([{"type": 1, "name": "member", "options": [user("member", ids::ALICE)]}]),
        )
        .await;
    let listed = reply_text(&listing);
    assert!(listed.contains(&format!("<@{}>", dan.id)), "{listed}");
    assert!(
        listed.contains("certaine · non compté (parti avant de compter)"),
        "{listed}"
    );
    bot.fake
        .assert_no_request(
            |r| {
                r.is("PUT", "/guilds/{g}/members/{u}/roles/{r}")
                    && r.path.ends_with(&AMBASSADOR_ROLE.to_string())
            },
            Duration::from_millis(100),
        )
        .await;
    // Dan comes back through alice's invite: a rejoin never counts, so alice earns nothing twice.
    bot.fake.join_through(Some("alice-inv"), dan.clone()).await;
    let mention = format!("<@{}>", dan.id);
    let welcomed_twice = |bot: &Steward| {
        bot.fake
            .requests()
            .iter()
            .filter(|r| welcome_post(r) && content(r).contains(&mention))
            .count()
            == 2
    };
    let deadline = tokio::time::Instant::now() + WAIT;
    while !welcomed_twice(&bot) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the rejoin was not welcomed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (store, _fake, _dir) = bot.stop().await;
    let joins = store
        .joins_of(GuildId(ids::GUILD), UserId(dan.id))
        .await
        .unwrap();
    assert_eq!(
        (joins[0].referral.as_str(), joins[0].lapse.as_deref()),
        ("lapsed", Some("left"))
    );
    assert_eq!(
        (joins[1].rejoin, joins[1].referral.as_str()),
        (true, "none")
    );
    assert_eq!(
        store
            .referral_counts(GuildId(ids::GUILD), UserId(ids::ALICE))
            .await
            .unwrap(),
        (0, 0)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pending_referral_survives_a_restart() {
    let bot = start("en").await;
    let eve = fixtures::new_user("eve");
    bot.fake.join_through(Some("alice-inv"), eve.clone()).await;
    welcome_of(&bot, eve.id).await;
    bot.say("eve", "hi!").await;
    let (fake, dir) = bot.halt().await;
    let bot = Steward::launch(fake, dir, fast()).await;
    let role = role_route(ids::ALICE, AMBASSADOR_ROLE);
    bot.fake.wait_for(|r| r.is("PUT", &role), WAIT).await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_personal_invite_is_made_once_and_credits_its_member() {
    let bot = start("en").await;
    let link = answer(&bot, "bob", "invite").await;
    assert!(
        link.starts_with("Your personal invite: https://discord.gg/"),
        "{link}"
    );
    let code = link
        .split("discord.gg/")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .unwrap()
        .to_string();
    assert_eq!(answer(&bot, "bob", "invite").await, link);
    assert_eq!(
        bot.fake.requests_to("POST", "/channels/{c}/invites").len(),
        1
    );
    let fay = fixtures::new_user("fay");
    bot.fake.join_through(Some(&code), fay.clone()).await;
    let text = welcome_of(&bot, fay.id).await;
    assert!(
        text.ends_with(&format!("Invited by <@{}>.", ids::BOB)),
        "{text}"
    );
    let (store, _fake, _dir) = bot.stop().await;
    let join = &store
        .joins_of(GuildId(ids::GUILD), UserId(fay.id))
        .await
        .unwrap()[0];
    assert_eq!(join.attribution.confidence, Confidence::Exact);
    assert_eq!(join.attribution.inviter, Some(UserId(ids::BOB)));
}
