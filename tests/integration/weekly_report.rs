//! The weekly report end to end, against the fake Discord: Steward was off when last week's
//! report fell due (its job waits in the past, as the scheduler left it); on start it posts the
//! report once to the stats channel, in the server's language, with the embed's figures and the
//! four charts attached (the same pictures `steward report` draws), then waits for the next
//! week's report at its time. A restart with last week's job back (a crash between the post and
//! the job's completion) does not post it again. A stats channel Steward may not post in gets
//! moderators one notice in the mod log, and the next week's report is still waited for. A
//! monthly report (weekly ones off) is posted for the month just ended, in English, and the next
//! month's waits for the 1st.

use std::time::Duration;

use serenity::all::Permissions;
use steward::charter::report::ReportSettings;
use steward::discord::RunOptions;
use steward::i18n::Lang;
use steward::ids::{ChannelId, GuildId, UserId};
use steward::jobs::Job;
use steward::stats::charts::render_all;
use steward::stats::schedule::{Cadence, upcoming};
use steward::stats::{Period, wording};
use steward::store::{ActivityDelta, Store, hour_of};

use crate::fake_discord::{ChannelSpec, Recorded, World, ids};
use crate::steward_support::{RULES, Setup, Steward, WAIT, charter, embed_field, mod_log_post};

const STATS: u64 = ids::REVIEW + 1000;

const REPORT: &str = r#"
[report]
timezone = "Europe/Paris"
weekly = "monday 09:00"
monthly = false
"#;

fn settings() -> ReportSettings {
    ReportSettings {
        timezone: "Europe/Paris".into(),
        monthly: false,
        ..ReportSettings::default()
    }
}

/// The scheduler looking for due jobs every 200 ms.
fn fast() -> RunOptions {
    RunOptions {
        scheduler_every: Duration::from_millis(200),
        ..RunOptions::default()
    }
}

/// Steward in `world` with `charter_toml`, the stats channel set, speaking `language`.
fn setup(world: World, charter_toml: &str, language: &str) -> Setup {
    let language = language.to_string();
    Setup::new(world)
        .charter(charter_toml, RULES)
        .settings(|s| {
            s.language = language;
            s.stats_channel = Some(ChannelId(STATS));
        })
        .options(fast())
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

fn stats_post(r: &Recorded) -> bool {
    r.is("POST", &format!("/channels/{STATS}/messages"))
}

fn job_for(period: Period) -> Job {
    Job::PostReport {
        guild: GuildId(ids::GUILD),
        period: period.to_string(),
    }
}

async fn schedule(store: &Store, job: &Job, due_ms: i64) {
    store
        .schedule(
            job.kind(),
            job.guild(),
            &job.to_payload(),
            due_ms,
            Some(&job.dedupe_key()),
        )
        .await
        .unwrap();
}

/// The weekly job's payload and due time once it settles on `period`.
async fn wait_for_job(store: &Store, period: Period) -> i64 {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let (jobs, _) = store.pending_jobs(GuildId(ids::GUILD), 50).await.unwrap();
        if let Some(row) = jobs
            .iter()
            .find(|r| r.payload == job_for(period).to_payload())
        {
            return row.due_at_ms;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no job for {period}: {jobs:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_weekly_report_is_posted_once_at_its_time_with_its_charts() {
    let settings = settings();
    let next = upcoming(Cadence::Weekly, &settings, now_ms()).unwrap();
    let last = next.previous();
    let tz = settings.time_zone();
    let span = last.span(&tz);
    let mut world = World::default_guild();
    world
        .guild_mut()
        .channels
        .push(ChannelSpec::text(STATS, "stats"));
    let setup = setup(world, &charter(REPORT), "fr");
    // Last week's activity, and its report's job as Steward left it: due at its time, passed.
    let steward = setup
        .start_after(|store| async move {
            store
                .add_activity(&[
                    delta(ids::GENERAL, ids::ALICE, span.start_ms + 3_600_000, 12),
                    delta(ids::GENERAL, ids::BOB, span.start_ms + 30 * 3_600_000, 30),
                    delta(ids::REVIEW, ids::ALICE, span.end_ms - 1, 4),
                ])
                .await
                .unwrap();
            schedule(&store, &job_for(last), last.due_ms(&self::settings())).await;
        })
        .await;
    let post = steward.fake.wait_for(stats_post, WAIT).await;
    let embed = &post.body["embeds"][0];
    let week = match last {
        Period::Week { week, .. } => week,
        Period::Month { .. } => unreachable!(),
    };
    let title = embed["title"].as_str().unwrap();
    assert!(
        title.starts_with("Rapport de la communauté : Semaine"),
        "{title}"
    );
    assert!(title.contains(&format!("Semaine {week} ")), "{title}");
    let field = |name: &str| embed_field(embed, name);
    assert!(
        field("Messages").starts_with("**46**"),
        "{}",
        field("Messages")
    );
    assert!(field("Membres actifs").starts_with("**2**"));
    assert!(field("Membres les plus actifs").contains(&format!("<@{}> — 30 messages", ids::BOB)));
    assert_eq!(embed["image"]["url"], "attachment://activity.png");
    // The charts, as `steward report` draws them.
    let store = Store::connect(&steward.database_url()).await.unwrap();
    let report = store
        .report_facts(GuildId(ids::GUILD), last, &tz)
        .await
        .unwrap()
        .report(last, &settings);
    let lang = Lang::of("fr");
    for chart in render_all(&report, &wording::chart_text(lang, &report)).unwrap() {
        let part = post
            .part(&format!("filename=\"{}\"", chart.name))
            .unwrap_or_else(|| panic!("{} not attached", chart.name));
        assert_eq!(part, chart.png.as_slice(), "{}", chart.name);
    }
    // Next week's report waits for its own time.
    assert_eq!(wait_for_job(&store, next).await, next.due_ms(&settings));
    store.close().await;

    // A restart with last week's job back: the report is not posted again.
    let (store, fake, dir) = steward.stop().await;
    schedule(&store, &job_for(last), last.due_ms(&settings)).await;
    store.close().await;
    let mark = fake.request_count();
    let steward = Steward::launch(fake, dir, fast()).await;
    let store = Store::connect(&steward.database_url()).await.unwrap();
    wait_for_job(&store, next).await;
    store.close().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let posts = steward
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.index >= mark && stats_post(r))
        .count();
    assert_eq!(posts, 0, "the report was posted twice");
    steward.halt().await;
}

#[tokio::test]
async fn a_report_steward_may_not_post_is_told_to_moderators_and_the_next_one_waited_for() {
    let settings = settings();
    let next = upcoming(Cadence::Weekly, &settings, now_ms()).unwrap();
    let last = next.previous();
    let mut world = World::default_guild();
    let mut stats = ChannelSpec::text(STATS, "stats");
    stats.permission_overwrites = vec![ChannelSpec::overwrite(
        ids::BOT_ROLE,
        0,
        Permissions::empty(),
        Permissions::SEND_MESSAGES,
    )];
    world.guild_mut().channels.push(stats);
    let steward = setup(world, &charter(REPORT), "fr")
        .start_after(|store| async move {
            schedule(&store, &job_for(last), last.due_ms(&self::settings())).await;
        })
        .await;
    let notice = steward.fake.wait_for(mod_log_post, WAIT).await;
    let embed = &notice.body["embeds"][0];
    assert_eq!(embed["title"], "Rapport non publié");
    let text = embed["description"].as_str().unwrap();
    assert!(
        text.contains(&format!("{last} n’a pas pu être publié dans <#{STATS}>")),
        "{text}"
    );
    let store = Store::connect(&steward.database_url()).await.unwrap();
    assert_eq!(wait_for_job(&store, next).await, next.due_ms(&settings));
    store.close().await;
    // Told once: the report is not retried into the mod log.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let notices = steward
        .fake
        .requests()
        .iter()
        .filter(|r| mod_log_post(r))
        .count();
    assert_eq!(notices, 1);
    steward.halt().await;
}

#[tokio::test]
async fn the_monthly_report_is_posted_on_the_first_and_the_next_month_waited_for() {
    let monthly = ReportSettings {
        timezone: "Europe/Paris".into(),
        weekly: None,
        monthly: true,
        ..ReportSettings::default()
    };
    let next = upcoming(Cadence::Monthly, &monthly, now_ms()).unwrap();
    let last = next.previous();
    let span = last.span(&monthly.time_zone());
    let mut world = World::default_guild();
    world
        .guild_mut()
        .channels
        .push(ChannelSpec::text(STATS, "stats"));
    let report = "[report]\ntimezone = \"Europe/Paris\"\nweekly = \"off\"\nmonthly = true\n";
    let job_settings = monthly.clone();
    let steward = setup(world, &charter(report), "en")
        .start_after(|store| async move {
            store
                .add_activity(&[delta(
                    ids::GENERAL,
                    ids::ALICE,
                    span.start_ms + 3_600_000,
                    9,
                )])
                .await
                .unwrap();
            schedule(&store, &job_for(last), last.due_ms(&job_settings)).await;
        })
        .await;
    let post = steward.fake.wait_for(stats_post, WAIT).await;
    let embed = &post.body["embeds"][0];
    let title = embed["title"].as_str().unwrap();
    let Period::Month { year, .. } = last else {
        unreachable!()
    };
    assert!(title.starts_with("Community report: "), "{title}");
    assert!(title.ends_with(&format!(" {year}")), "{title}");
    assert!(!title.contains("Week"), "{title}");
    assert!(embed_field(embed, "Messages").starts_with("**9**"));
    assert_eq!(
        post.part("filename=\"heatmap.png\"").map(|p| &p[..4]),
        Some(&b"\x89PNG"[..])
    );
    // The 1st of next month at 09:00 in Paris, and no weekly report waits.
    let store = Store::connect(&steward.database_url()).await.unwrap();
    assert_eq!(wait_for_job(&store, next).await, next.due_ms(&monthly));
    let (jobs, _) = store.pending_jobs(GuildId(ids::GUILD), 50).await.unwrap();
    assert!(!jobs.iter().any(|j| j.payload.contains("-W")), "{jobs:?}");
    store.close().await;
    steward.halt().await;
}

fn delta(channel: u64, user: u64, at_ms: i64, messages: u32) -> ActivityDelta {
    ActivityDelta {
        guild: GuildId(ids::GUILD),
        channel: ChannelId(channel),
        user: UserId(user),
        hour: hour_of(at_ms),
        messages,
        replies: 0,
    }
}
