//! Newcomers end to end against the fake Discord: a join through a member's invite is attributed
//! exactly and the welcome names the inviter; two invites used at once are marked ambiguous; the
//! vanity URL is named; a burst of 50 joins is welcomed with a handful of invite fetches; a member
//! who left while timed out gets the timeout back; without Manage Server moderators are told and
//! welcomes go on; a bot is announced instead of welcomed. The joins are read back from the
//! database after Steward stopped.

use std::time::Duration;

use serenity::all::Permissions;
use steward::cases::{CaseKind, NewCase};
use steward::community::referrals::Confidence;
use steward::discord::RunOptions;
use steward::ids::{ChannelId, GuildId, UserId};

use crate::fake_discord::invites::InviteSpec;
use crate::fake_discord::world::default_bot_permissions;
use crate::fake_discord::{Recorded, RoleSpec, UserSpec, World, fixtures, ids};
use crate::steward_support::{RULES, Setup, Steward, WAIT, charter, mod_log_post, role_route};

pub(crate) const MEMBER_ROLE: u64 = 4_400;

pub(crate) const WELCOME: &str = r#"
[welcome]
message = { fr = """
Bienvenue {member} sur {server} !
Invité·e par {inviter}.""", en = """
Welcome {member} to {server}!
Invited by {inviter}.""" }
dm = { fr = "Bienvenue ! Lis la {charter}.", en = "Welcome! Please read the {charter}." }
roles = ["Member"]
"#;

/// A world whose bot may read invites (Manage Server) and give roles, with a Member role and
/// alice's and bob's invites.
pub(crate) fn world() -> World {
    let mut world = World::default_guild().with_bot_permissions(
        default_bot_permissions() | Permissions::MANAGE_GUILD | Permissions::MANAGE_ROLES,
    );
    let guild = world.guild_mut();
    guild.roles.push(RoleSpec::new(
        MEMBER_ROLE,
        "Member",
        Permissions::empty(),
        1,
    ));
    guild
        .invites
        .push(InviteSpec::new("alice-inv", ids::ALICE, 3));
    guild.invites.push(InviteSpec::new("bob-inv", ids::BOB, 0));
    world
}

/// Steward with `[welcome]`, the welcome channel set to #general, in `language`.
async fn start(world: World, language: &str) -> Steward {
    start_with(world, language, WELCOME, RunOptions::default()).await
}

/// Steward with `sections` added to the charter (`[welcome]`, `[referrals]`), the welcome channel
/// set to #general, in `language`, once it holds the invites to compare joins against.
pub(crate) async fn start_with(
    world: World,
    language: &str,
    sections: &str,
    options: RunOptions,
) -> Steward {
    let bot = Setup::new(world)
        .charter(format!("{}{sections}", charter("")), RULES)
        .settings(|s| {
            s.welcome_channel = Some(ChannelId(ids::GENERAL));
            s.language = language.to_string();
        })
        .options(options)
        .start()
        .await;
    // The invites (and vanity URL) Steward compares the first joins against: fetched, then
    // kept (joins before that are honestly unknown).
    if !sections.contains("[welcome]") && !sections.contains("[referrals]") {
        return bot; // Invites are read only for welcomes and referrals.
    }
    bot.fake
        .wait_for_route("GET", "/guilds/{g}/invites", WAIT)
        .await;
    if bot.fake.world().guild().vanity.is_some() {
        bot.fake
            .wait_for_route("GET", "/guilds/{g}/vanity-url", WAIT)
            .await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    bot
}

pub(crate) fn welcome_post(r: &Recorded) -> bool {
    r.is("POST", &format!("/channels/{}/messages", ids::GENERAL))
}

pub(crate) fn content(r: &Recorded) -> String {
    r.body["content"].as_str().unwrap_or_default().to_string()
}

/// The welcome posted for `user`.
pub(crate) async fn welcome_of(bot: &Steward, user: u64) -> String {
    let mention = format!("<@{user}>");
    let post = bot
        .fake
        .wait_for(|r| welcome_post(r) && content(r).contains(&mention), WAIT)
        .await;
    content(&post)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_join_through_a_members_invite_names_the_inviter_and_is_recorded_exactly() {
    let bot = start(world(), "en").await;
    let carol = fixtures::new_user("carol");
    bot.fake
        .join_through(Some("alice-inv"), carol.clone())
        .await;
    let text = welcome_of(&bot, carol.id).await;
    assert_eq!(
        text,
        format!(
            "Welcome <@{}> to Test Guild!\nInvited by <@{}>.",
            carol.id,
            ids::ALICE
        )
    );
    let post = bot.fake.wait_for(welcome_post, WAIT).await;
    // Only the newcomer is pinged, not the inviter.
    assert_eq!(
        post.body["allowed_mentions"]["users"],
        serde_json::json!([carol.id.to_string()])
    );
    bot.fake
        .wait_for(|r| r.is("PUT", &role_route(carol.id, MEMBER_ROLE)), WAIT)
        .await;
    let dm = bot
        .fake
        .wait_for(
            |r| {
                r.is("POST", "/channels/{c}/messages")
                    && content(r).contains("Please read the Charter")
            },
            WAIT,
        )
        .await;
    assert_eq!(content(&dm), "Welcome! Please read the Charter.");
    let (store, fake, _dir) = bot.stop().await;
    let joins = store
        .joins_of(GuildId(ids::GUILD), UserId(carol.id))
        .await
        .unwrap();
    assert_eq!(joins.len(), 1);
    assert_eq!(joins[0].attribution.confidence, Confidence::Exact);
    assert_eq!(joins[0].attribution.code.as_deref(), Some("alice-inv"));
    assert_eq!(joins[0].attribution.inviter, Some(UserId(ids::ALICE)));
    let referred = store
        .joins_by_inviter(GuildId(ids::GUILD), UserId(ids::ALICE))
        .await
        .unwrap();
    assert_eq!(referred.len(), 1);
    fake.assert_no_unknown_requests();
}

#[tokio::test(flavor = "multi_thread")]
async fn two_invites_used_in_the_same_moment_are_ambiguous_never_guessed() {
    let bot = start(world(), "fr").await;
    let (dan, eve) = (fixtures::new_user("dan"), fixtures::new_user("eve"));
    bot.fake.count_use(Some("alice-inv"));
    bot.fake.count_use(Some("bob-inv"));
    bot.fake.announce_join(dan.clone()).await;
    bot.fake.announce_join(eve.clone()).await;
    for user in [&dan, &eve] {
        let text = welcome_of(&bot, user.id).await;
        assert_eq!(text, format!("Bienvenue <@{}> sur Test Guild !", user.id));
    }
    let (store, _fake, _dir) = bot.stop().await;
    for user in [dan, eve] {
        let join = &store
            .joins_of(GuildId(ids::GUILD), UserId(user.id))
            .await
            .unwrap()[0];
        assert_eq!(join.attribution.confidence, Confidence::Ambiguous);
        assert_eq!(join.attribution.inviter, None);
        assert_eq!(join.attribution.candidates, ["alice-inv", "bob-inv"]);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_join_through_the_vanity_url_is_recorded_as_vanity() {
    let mut world = world();
    world.guild_mut().vanity = Some(("testguild".into(), 10));
    let bot = start(world, "en").await;
    let fay = fixtures::new_user("fay");
    bot.fake.join_through(Some("vanity"), fay.clone()).await;
    welcome_of(&bot, fay.id).await;
    let (store, _fake, _dir) = bot.stop().await;
    let join = &store
        .joins_of(GuildId(ids::GUILD), UserId(fay.id))
        .await
        .unwrap()[0];
    assert_eq!(join.attribution.confidence, Confidence::Vanity);
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_joins_within_a_second_are_all_welcomed_with_a_handful_of_invite_fetches() {
    let bot = start(world(), "en").await;
    let before = bot.fake.requests_to("GET", "/guilds/{g}/invites").len();
    let newcomers: Vec<UserSpec> = (0..50)
        .map(|i| fixtures::new_user(&format!("n{i}")))
        .collect();
    for user in &newcomers {
        bot.fake.join_through(Some("alice-inv"), user.clone()).await;
    }
    for user in &newcomers {
        let text = welcome_of(&bot, user.id).await;
        assert!(
            text.ends_with(&format!("Invited by <@{}>.", ids::ALICE)),
            "{text}"
        );
    }
    let fetches = bot.fake.requests_to("GET", "/guilds/{g}/invites").len() - before;
    assert!(
        (1..=5).contains(&fetches),
        "{fetches} invite fetches for 50 joins"
    );
    let (store, _fake, _dir) = bot.stop().await;
    let referred = store
        .joins_by_inviter(GuildId(ids::GUILD), UserId(ids::ALICE))
        .await
        .unwrap();
    assert_eq!(referred.len(), 50);
    assert!(
        referred
            .iter()
            .all(|j| j.attribution.confidence == Confidence::Exact)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_who_left_while_timed_out_gets_the_timeout_back_and_counts_as_a_rejoin() {
    let bot = start(world(), "en").await;
    let gus = fixtures::new_user("gus");
    bot.fake.join_through(Some("bob-inv"), gus.clone()).await;
    welcome_of(&bot, gus.id).await;
    // A moderator timed gus out for an hour; gus leaves and comes back through another invite.
    let store = steward::store::Store::connect(&bot.database_url())
        .await
        .unwrap();
    let now = chrono_now_ms();
    store
        .create_case(NewCase {
            guild: GuildId(ids::GUILD),
            user: UserId(gus.id),
            moderator: Some(UserId(ids::BOB)),
            kind: CaseKind::Timeout,
            rule: None,
            section: None,
            reason: "cool down".into(),
            content: None,
            channel: None,
            message: None,
            duration_secs: Some(3600),
            points: 0,
            created_at_ms: now,
        })
        .await
        .unwrap();
    store.close().await;
    let world = bot.fake.world();
    bot.fake
        .dispatch("GUILD_MEMBER_REMOVE", fixtures::member_remove(&world, &gus))
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    bot.fake.join_through(Some("alice-inv"), gus.clone()).await;
    let timeout = bot
        .fake
        .wait_for(
            |r| {
                r.is(
                    "PATCH",
                    &format!("/guilds/{}/members/{}", ids::GUILD, gus.id),
                ) && r.body["communication_disabled_until"].is_string()
            },
            WAIT,
        )
        .await;
    assert!(
        timeout
            .audit_log_reason
            .as_deref()
            .unwrap_or("")
            .contains("Timeout restored")
    );
    let (store, _fake, _dir) = bot.stop().await;
    let joins = store
        .joins_of(GuildId(ids::GUILD), UserId(gus.id))
        .await
        .unwrap();
    assert_eq!(joins.len(), 2);
    assert!(joins[0].left_at_ms.is_some());
    assert!(!joins[0].rejoin && joins[1].rejoin);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_manage_server_moderators_are_told_and_newcomers_still_welcomed() {
    let mut world = world();
    world.bot_role_mut().permissions -= Permissions::MANAGE_GUILD;
    let bot = Setup::new(world)
        .charter(format!("{}{WELCOME}", charter("")), RULES)
        .settings(|s| s.welcome_channel = Some(ChannelId(ids::GENERAL)))
        .start()
        .await;
    let notice = bot
        .fake
        .wait_for(
            |r| mod_log_post(r) && r.body["embeds"][0]["title"] == "Invitations invisibles",
            WAIT,
        )
        .await;
    let text = notice.body["embeds"][0]["description"].as_str().unwrap();
    assert!(text.contains("Gérer le serveur"), "{text}");
    let hal = fixtures::new_user("hal");
    bot.fake.join_through(Some("alice-inv"), hal.clone()).await;
    assert_eq!(
        welcome_of(&bot, hal.id).await,
        format!("Bienvenue <@{}> sur Test Guild !", hal.id)
    );
    // Told once, not at every join.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let notices = bot
        .fake
        .requests()
        .into_iter()
        .filter(|r| mod_log_post(r) && r.body["embeds"][0]["title"] == "Invitations invisibles")
        .count();
    assert_eq!(notices, 1);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bot_joining_is_announced_to_moderators_not_welcomed() {
    let bot = start(world(), "en").await;
    let helper = UserSpec::bot(fixtures::new_user("x").id, "HelperBot");
    bot.fake.join_through(None, helper.clone()).await;
    let notice = bot
        .fake
        .wait_for(
            |r| mod_log_post(r) && r.body["embeds"][0]["title"] == "Bot added",
            WAIT,
        )
        .await;
    assert!(
        notice.body["embeds"][0]["description"]
            .as_str()
            .unwrap()
            .contains("HelperBot")
    );
    bot.fake
        .assert_no_request(
            |r| welcome_post(r) && content(r).contains(&helper.id.to_string()),
            Duration::from_millis(300),
        )
        .await;
    bot.stop().await;
}

fn chrono_now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[tokio::test(flavor = "multi_thread")]
async fn roles_wait_for_the_membership_screening() {
    let bot = start(world(), "en").await;
    let ivy = fixtures::new_user("ivy");
    bot.fake.count_use(Some("alice-inv"));
    let mut member = fixtures::joining_now(ivy.clone());
    member.pending = true;
    let join = fixtures::member_add(&bot.fake.world(), &member);
    bot.fake.dispatch("GUILD_MEMBER_ADD", join).await;
    welcome_of(&bot, ivy.id).await;
    let role = role_route(ivy.id, MEMBER_ROLE);
    bot.fake
        .assert_no_request(|r| r.is("PUT", &role), Duration::from_millis(500))
        .await;
    // Ivy passes the screening: now the roles come, once.
    member.pending = false;
    let update = fixtures::member_update(&bot.fake.world(), &member);
    bot.fake
        .dispatch("GUILD_MEMBER_UPDATE", update.clone())
        .await;
    bot.fake.wait_for(|r| r.is("PUT", &role), WAIT).await;
    bot.fake.dispatch("GUILD_MEMBER_UPDATE", update).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(bot.fake.requests_to("PUT", &role).len(), 1);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sanction_role_held_when_leaving_is_given_back_on_return() {
    const MUTED: u64 = 4_600;
    let mut world = world();
    world
        .guild_mut()
        .roles
        .push(RoleSpec::new(MUTED, "Muted", Permissions::empty(), 1));
    let sections = format!("{WELCOME}keep_roles = [\"Muted\"]\n");
    let bot = start_with(world, "en", &sections, RunOptions::default()).await;
    let jay = fixtures::new_user("jay");
    bot.fake.join_through(Some("bob-inv"), jay.clone()).await;
    welcome_of(&bot, jay.id).await;
    // A moderator mutes jay with the server's own role; jay leaves and comes back.
    let mut member = fixtures::joining_now(jay.clone());
    member.roles = vec![MUTED];
    let muted = fixtures::member_update(&bot.fake.world(), &member);
    bot.fake.dispatch("GUILD_MEMBER_UPDATE", muted).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let world = bot.fake.world();
    bot.fake
        .dispatch("GUILD_MEMBER_REMOVE", fixtures::member_remove(&world, &jay))
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    bot.fake.join_through(Some("bob-inv"), jay.clone()).await;
    let route = role_route(jay.id, MUTED);
    bot.fake.wait_for(|r| r.is("PUT", &route), WAIT).await;
    bot.stop().await;
}
