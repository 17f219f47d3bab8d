//! Manual moderation end to end: `/warn`, `/timeout`, `/untimeout`, `/kick`, `/ban` (temporary
//! bans lifted on time and after a restart), `/unban`, with the real serenity client against the
//! fake Discord.

use std::time::Duration;

use serde_json::json;
use steward::cases::CaseKind;
use steward::discord::RunOptions;
use steward::ids::{GuildId, UserId};
use steward::jobs::{Job, MAX_ATTEMPTS};
use steward::store::Store;

use crate::fake_discord::{Recorded, Reply, World, fixtures, ids};
use crate::steward_support::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_timeout_over_28_days_is_refused_clearly() {
    let bot = Steward::start(World::default_guild()).await;
    let options = json!([
        user("member", ids::ALICE),
        text("duration", "29d"),
        text("reason", "spam")
    ]);
    let reply = bot.slash("bob", "timeout", options).await;
    assert!(ephemeral(&reply), "{reply}");
    let said = reply.content().unwrap_or_default();
    assert!(said.contains("28 jours") && said.contains("29d"), "{said}");
    bot.fake
        .assert_no_request(
            |r| r.is("PATCH", &member_route()),
            Duration::from_millis(300),
        )
        .await;

    // 28 days exactly is Discord's limit, and allowed.
    let options = json!([
        user("member", ids::ALICE),
        text("duration", "4w"),
        text("reason", "spam")
    ]);
    let reply = bot.slash("bob", "timeout", options).await;
    assert_says(&reply, "Cas #1");
    bot.wait_for_alice_timeout().await;
    let (store, fake, _dir) = bot.stop().await;
    let case = store.case(GuildId(ids::GUILD), 1).await.unwrap().unwrap();
    assert_eq!(case.kind, CaseKind::Timeout);
    assert_eq!(case.duration_secs, Some(28 * 86_400));
    assert!(store.case(GuildId(ids::GUILD), 2).await.unwrap().is_none());
    fake.assert_no_unknown_requests();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_moderator_cannot_act_on_someone_at_or_above_them() {
    // alice holds "Senior" (above bob's Moderator role, below Steward's): Discord would let
    // Steward ban her, so only the moderator's own place can stop it.
    const SENIOR: u64 = 1_000_000_000_000_000_077;
    let mut world = World::default_guild().with_role_position("Steward", 3);
    give_alice_a_role(&mut world, SENIOR, "Senior", 2);
    let bot = Steward::start(world).await;

    let options = json!([user("member", ids::ALICE), text("reason", "abus")]);
    let reply = bot.slash("bob", "ban", options).await;
    assert!(ephemeral(&reply), "{reply}");
    assert_says(&reply, "rôle égal ou supérieur au vôtre");
    let options = json!([user("member", ids::OWNER), text("reason", "abus")]);
    let reply = bot.slash("bob", "kick", options).await;
    assert_says(&reply, "propriétaire");
    let options = json!([user("member", ids::BOT), text("reason", "abus")]);
    let reply = bot.slash("bob", "warn", options).await;
    assert_says(&reply, "Steward ne peut pas");
    bot.fake
        .assert_no_request(
            |r| r.is("PUT", "/guilds/{g}/bans/{u}") || r.is("DELETE", "/guilds/{g}/members/{u}"),
            Duration::from_millis(300),
        )
        .await;
    let (store, _fake, _dir) = bot.stop().await;
    assert!(store.case(GuildId(ids::GUILD), 1).await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_warning_is_recorded_sent_and_logged() {
    let bot = Steward::start(World::default_guild()).await;
    let options = json!([
        user("member", ids::ALICE),
        text("reason", "langage"),
        {"name": "section", "type": 4, "value": 1}
    ]);
    let reply = bot.slash("bob", "warn", options).await;
    assert!(ephemeral(&reply), "{reply}");
    assert_eq!(
        reply.content(),
        Some(format!("Cas #1 enregistré : avertissement pour <@{}>.", ids::ALICE).as_str())
    );
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
            "**Test Guild** : vous avez reçu un avertissement.\nMotif : langage\nArticle 1 de la charte : Respect"
        )
    );
    let log = bot.fake.wait_for(mod_log_post, WAIT).await;
    assert_eq!(log.body["embeds"][0]["title"], "Cas #1 — avertissement");
    let fields = log.body["embeds"][0]["fields"].to_string();
    assert!(fields.contains(&format!("<@{}>", ids::BOB)), "{fields}");

    // A section the charter lacks is refused before anything happens.
    let options = json!([
        user("member", ids::ALICE),
        text("reason", "x"),
        {"name": "section", "type": 4, "value": 9}
    ]);
    let reply = bot.slash("bob", "warn", options).await;
    assert_eq!(reply.content(), Some("La charte n'a pas d'article 9."));

    let (store, fake, _dir) = bot.stop().await;
    let case = store.case(GuildId(ids::GUILD), 1).await.unwrap().unwrap();
    assert_eq!(case.kind, CaseKind::Warn);
    assert_eq!(case.moderator, Some(UserId(ids::BOB)));
    assert_eq!(case.section, Some(1));
    assert_eq!(case.reason, "langage — article 1: Respect");
    assert!(store.case(GuildId(ids::GUILD), 2).await.unwrap().is_none());
    fake.assert_no_unknown_requests();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_temporary_ban_is_lifted_after_a_restart() {
    let bot = Steward::start(World::default_guild()).await;
    let options = json!([
        user("member", ids::ALICE),
        text("reason", "raid"),
        {"name": "delete_messages", "type": 4, "value": 1},
        text("duration", "7d")
    ]);
    let reply = bot.slash("bob", "ban", options).await;
    assert_says(&reply, "Cas #1");
    let ban = bot.fake.wait_for_route("PUT", &ban_route(), WAIT).await;
    assert_eq!(ban.query_param("delete_message_seconds"), Some("86400"));
    assert_eq!(ban.audit_log_reason.as_deref(), Some("raid"));
    // The member was told before leaving the server.
    let dm = wait_for_words(&bot, "banni·e pour 7d").await;
    assert!(dm.index < ban.index, "DM after the ban: {dm} / {ban}");

    let (store, fake, dir) = bot.stop().await;
    let due = ban_ends(&store).await;
    assert_eq!(
        due,
        [Job::LiftBan {
            guild: GuildId(ids::GUILD),
            user: UserId(ids::ALICE),
            case: 1
        }]
    );
    // A week passes while Steward is off: the job is due long ago.
    store
        .schedule(
            due[0].kind(),
            GuildId(ids::GUILD),
            &due[0].to_payload(),
            1_000,
            Some(&due[0].dedupe_key()),
        )
        .await
        .unwrap();
    store.close().await;
    assert!(
        fake.world()
            .guild()
            .bans
            .iter()
            .any(|(u, _)| u.id == ids::ALICE)
    );

    let bot = Steward::launch(fake, dir, RunOptions::default()).await;
    bot.fake.wait_for_route("DELETE", &ban_route(), WAIT).await;
    bot.fake
        .wait_for(
            |r| mod_log_post(r) && r.body["embeds"][0]["title"] == "Cas #2 — débannissement",
            WAIT,
        )
        .await;
    let (store, fake, _dir) = bot.stop().await;
    let case = store.case(GuildId(ids::GUILD), 2).await.unwrap().unwrap();
    assert_eq!(case.kind, CaseKind::Unban);
    assert_eq!(case.moderator, None);
    assert_eq!(case.reason, "fin du bannissement temporaire (cas #1)");
    assert!(ban_ends(&store).await.is_empty());
    assert!(fake.world().guild().bans.is_empty());
    fake.assert_no_unknown_requests();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_short_temporary_ban_ends_on_time_while_running() {
    let bot = Setup::new(World::default_guild())
        .options(RunOptions {
            scheduler_every: Duration::from_millis(200),
            retry_after: Duration::from_millis(200),
            ..RunOptions::default()
        })
        .start()
        .await;
    let options = json!([
        user("member", ids::ALICE),
        text("reason", "pause"),
        text("duration", "1s"),
        {"name": "dm", "type": 5, "value": false}
    ]);
    // Discord fails the first unban: it is retried after its backoff, and recorded once.
    bot.fake.respond_once(
        "DELETE",
        "/guilds/{g}/bans/{u}",
        Reply::error(500, 0, "Internal Server Error"),
    );
    bot.slash("bob", "ban", options).await;
    let ban = bot.fake.wait_for_route("PUT", &ban_route(), WAIT).await;
    let unban = bot
        .fake
        .wait_for(|r| r.is("DELETE", &ban_route()) && r.status == 204, WAIT)
        .await;
    assert!(
        unban.at >= ban.at + Duration::from_millis(900),
        "{ban} / {unban}"
    );
    assert_eq!(bot.fake.requests_to("DELETE", &ban_route()).len(), 2);
    // dm:false: nobody was written to.
    assert!(
        bot.fake
            .requests_to("POST", "/users/@me/channels")
            .is_empty()
    );
    let (store, _fake, _dir) = bot.stop().await;
    let kinds: Vec<CaseKind> = store
        .cases_for(GuildId(ids::GUILD), UserId(ids::ALICE), 10)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.kind)
        .collect();
    assert_eq!(kinds, [CaseKind::Unban, CaseKind::Ban]);
    assert!(ban_ends(&store).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn kick_untimeout_and_unban_are_performed_and_recorded() {
    let mut world = World::default_guild();
    let carol = fixtures::joining_now(fixtures::new_user("carol"));
    let carol_id = carol.user.id;
    world.guild_mut().members.push(carol);
    let bot = Steward::start(world).await;
    let untimeout = json!([user("member", ids::ALICE), text("reason", "erreur")]);
    let reply = bot.slash("bob", "untimeout", untimeout).await;
    assert_says(&reply, "Cas #1");
    let patch = bot
        .fake
        .wait_for_route("PATCH", &member_route(), WAIT)
        .await;
    assert!(
        patch.body["communication_disabled_until"].is_null(),
        "{patch}"
    );

    let kick = json!([user("member", carol_id), text("reason", "dehors")]);
    let reply = bot.slash("bob", "kick", kick).await;
    assert_says(&reply, "Cas #2");
    let kicked = bot
        .fake
        .wait_for_route(
            "DELETE",
            &format!("/guilds/{}/members/{carol_id}", ids::GUILD),
            WAIT,
        )
        .await;
    let told = wait_for_words(&bot, "expulsé·e").await;
    assert!(told.index < kicked.index, "DM after the kick");

    // A temporary ban lifted early by hand forgets its schedule.
    let ban = json!([
        user("member", ids::ALICE),
        text("reason", "raid"),
        text("duration", "2w")
    ]);
    let reply = bot.slash("bob", "ban", ban).await;
    assert_says(&reply, "Cas #3");
    let unban = json!([user("user", ids::ALICE), text("reason", "appel accepté")]);
    let reply = bot.slash("bob", "unban", unban).await;
    assert_says(&reply, "Cas #4");
    bot.fake.wait_for_route("DELETE", &ban_route(), WAIT).await;

    let missing = json!([{"name": "show", "type": 1, "options": [
        {"name": "number", "type": 4, "value": 99}
    ]}]);
    let reply = bot.slash("bob", "case", missing).await;
    assert_eq!(reply.content(), Some("Aucun cas #99."));

    let (store, fake, _dir) = bot.stop().await;
    let kinds: Vec<CaseKind> = store
        .cases_for(GuildId(ids::GUILD), UserId(ids::ALICE), 10)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .map(|c| c.kind)
        .collect();
    assert_eq!(kinds, [CaseKind::Untimeout, CaseKind::Ban, CaseKind::Unban]);
    let kicked = store
        .cases_for(GuildId(ids::GUILD), UserId(carol_id), 10)
        .await
        .unwrap();
    assert_eq!(kicked[0].kind, CaseKind::Kick);
    assert_eq!(kicked[0].number, 2);
    assert!(ban_ends(&store).await.is_empty());
    fake.assert_no_unknown_requests();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unban_failing_every_time_is_given_up_with_a_notice() {
    let bot = Setup::new(World::default_guild())
        .options(RunOptions {
            scheduler_every: Duration::from_millis(50),
            retry_after: Duration::from_millis(20),
            ..RunOptions::default()
        })
        .start()
        .await;
    bot.fake.respond_times(
        "DELETE",
        "/guilds/{g}/bans/{u}",
        Reply::error(500, 0, "Internal Server Error"),
        MAX_ATTEMPTS as usize,
    );
    let options = json!([
        user("member", ids::ALICE),
        text("reason", "pause"),
        text("duration", "1s"),
    ]);
    bot.slash("bob", "ban", options).await;
    let notice = bot
        .fake
        .wait_for(
            |r| {
                mod_log_post(r)
                    && r.body["embeds"][0]["description"]
                        .as_str()
                        .is_some_and(|d| d.starts_with("Tâche planifiée abandonnée"))
            },
            WAIT,
        )
        .await;
    let text = notice.body["embeds"][0]["description"].as_str().unwrap();
    assert!(
        text.contains(&format!(
            "après {MAX_ATTEMPTS} essais sur {MAX_ATTEMPTS} : fin du bannissement temporaire de <@{}> (cas #1)",
            ids::ALICE
        )),
        "{text}"
    );
    assert!(
        text.contains("Dernière erreur : Steward n'a pas pu lever le bannissement"),
        "{text}"
    );
    assert_eq!(
        bot.fake.requests_to("DELETE", &ban_route()).len(),
        MAX_ATTEMPTS as usize
    );
    let (store, _fake, _dir) = bot.stop().await;
    assert!(
        ban_ends(&store).await.is_empty(),
        "given up, not retried forever"
    );
    let kinds: Vec<CaseKind> = store
        .cases_for(GuildId(ids::GUILD), UserId(ids::ALICE), 10)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.kind)
        .collect();
    assert_eq!(
        kinds,
        [CaseKind::Ban],
        "no Unban case for a ban still in place"
    );
}

/// The scheduled ends of temporary bans in the test guild.
async fn ban_ends(store: &Store) -> Vec<Job> {
    let (jobs, _) = store.pending_jobs(GuildId(ids::GUILD), 100).await.unwrap();
    jobs.iter()
        .filter(|j| j.kind == Job::LIFT_BAN)
        .map(|j| Job::from_payload(&j.payload).unwrap())
        .collect()
}

/// Asserts that Steward's reply says `text`.
#[track_caller]
fn assert_says(reply: &Recorded, text: &str) {
    assert!(reply.content().is_some_and(|c| c.contains(text)), "{reply}");
}

/// Waits for a message (a DM, a reply, a log) whose content says `text`.
async fn wait_for_words(bot: &Steward, text: &str) -> Recorded {
    bot.fake
        .wait_for(|r| r.content().is_some_and(|c| c.contains(text)), WAIT)
        .await
}
