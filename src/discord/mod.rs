//! The Discord adapter: the only module that speaks serenity and poise. Gateway events become
//! facts, facts go through the charter and the moderation decisions, and the resulting actions
//! are performed by the [`Executor`]. [`run`] takes the shutdown signal as a future.

mod acceptance;
mod action_error;
mod commands;
mod convert;
mod data;
pub mod doctor;
mod executor;
mod first_contact;
mod giveaway;
mod giveaway_entry;
mod invites;
mod manual;
mod massban;
mod poll;
mod poll_edits;
mod probes;
mod raid;
mod raid_lifecycle;
mod raid_settings;
mod referrals;
mod reload;
mod reminders;
mod render;
mod reports;
mod review;
mod scheduler;
mod sharding;
mod startup;
mod welcome;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use serenity::all::{ClientBuilder, FullEvent, GatewayIntents, Http, HttpBuilder};
use tracing::{debug, error, info, warn};

use crate::charter::{Charter, Outcome};
use crate::config::Config;
use crate::facts::MessageFacts;
use crate::ids::GuildId;
use crate::moderation;
use crate::store::Store;
use crate::telemetry;
pub use data::Data;
pub use executor::Executor;

/// How often activity counters are written to storage.
pub const FLUSH_EVERY: Duration = Duration::from_secs(30);

/// The gateway intents Steward needs: guilds, messages and their content, members (joins,
/// leaves, roles), moderation (bans) and invites (referrals).
pub const INTENTS: GatewayIntents = GatewayIntents::GUILDS
    .union(GatewayIntents::GUILD_MESSAGES)
    .union(GatewayIntents::MESSAGE_CONTENT)
    .union(GatewayIntents::GUILD_MEMBERS)
    .union(GatewayIntents::GUILD_MODERATION)
    .union(GatewayIntents::GUILD_INVITES);

/// Errors of commands and event handling.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Connects to Discord and moderates until `shutdown` completes; then stops the shards, flushes
/// the counters and closes storage.
pub async fn run(config: Config, shutdown: impl Future<Output = ()> + Send) -> anyhow::Result<()> {
    run_with(config, RunOptions::default(), shutdown).await
}

/// Timings of the runtime's background work, shortened by tests.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// How often the scheduler looks for due jobs (temporary bans' ends, review reminders);
    /// also once right at start.
    pub scheduler_every: Duration,
    /// The wait before a failed job runs again, doubled after each further failure.
    pub retry_after: Duration,
    /// How long a review item may wait before it is recalled in the review channel; `None`
    /// for no reminders.
    pub review_remind_after: Option<Duration>,
    /// The shortest a poll may stay open.
    pub poll_min_duration: Duration,
    /// The least time between two edits of one poll's message (votes in between are coalesced).
    pub poll_edit_every: Duration,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            scheduler_every: scheduler::SCHEDULER_EVERY,
            retry_after: crate::jobs::RETRY_BASE,
            review_remind_after: Some(crate::config::DEFAULT_REVIEW_REMIND_AFTER),
            poll_min_duration: crate::community::poll::MIN_DURATION,
            poll_edit_every: poll_edits::EDIT_EVERY,
        }
    }
}

/// [`run`] with chosen [`RunOptions`].
pub async fn run_with(
    config: Config,
    options: RunOptions,
    shutdown: impl Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    let token = config.require_token()?.expose().to_string();
    let charter = Charter::load_verified(&config.rules_dir).map_err(|errors| {
        anyhow::anyhow!(
            "the charter in {} has errors:\n{errors}",
            config.rules_dir.display()
        )
    })?;
    info!(rules = charter.stats.rules, dir = %config.rules_dir.display(), "charter loaded");
    let store = Store::connect(&config.database_url)
        .await
        .context("cannot open the database")?;
    store
        .migrate()
        .await
        .context("cannot migrate the database")?;
    let mut data = Data::new(charter, config.rules_dir.clone(), store.clone());
    data.review_remind_after = options.review_remind_after;
    data.poll_min_duration = options.poll_min_duration;
    data.poll_edits = poll_edits::PollEdits::new(options.poll_edit_every);
    let data = Arc::new(data);

    let http = match &config.discord_api_url {
        Some(base) => HttpBuilder::new(&token)
            .proxy(base.as_str())
            .ratelimiter_disabled(true)
            .build(),
        None => Http::new(&token),
    };
    tokio::pin!(shutdown);
    let address = config
        .discord_api_url
        .as_ref()
        .map_or_else(|| "https://discord.com".to_string(), |u| u.to_string());
    if let startup::Reached::ShutDown =
        startup::wait_for_discord(&http, &address, shutdown.as_mut()).await?
    {
        info!("shutting down before Discord answered");
        store.close().await;
        return Ok(());
    }
    let setup_data = data.clone();
    let mut commands = commands::all();
    commands::localize::localize(&mut commands);
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands,
            event_handler: |framework, event| Box::pin(on_event(framework, event)),
            on_error: |error| Box::pin(commands::on_error(error)),
            ..Default::default()
        })
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected to Discord");
                commands::localize::register(&ctx.http, &framework.options().commands).await?;
                Ok(setup_data)
            })
        })
        .build();
    // What Steward reads from serenity's cache: its guilds (channels and threads, roles,
    // members, owner) and the current user. Not kept: messages (Steward never reads them back
    // from the cache) and the global user map, a second copy of every member's user beside the
    // guild's members, which nothing reads (with 100,000 members: 68 MiB of cache instead of
    // 113 MiB; see BENCHMARKS.md, "Whole bot, end to end").
    let mut cache_settings = serenity::cache::Settings::default();
    cache_settings.max_messages = 0;
    cache_settings.cache_users = false;
    let mut client = ClientBuilder::new_with_http(http, INTENTS)
        .cache_settings(cache_settings)
        .framework(framework)
        .await
        .context("cannot build the Discord client")?;

    let flusher = tokio::spawn({
        let data = data.clone();
        async move {
            let mut every = tokio::time::interval(FLUSH_EVERY);
            every.tick().await;
            loop {
                every.tick().await;
                data.flush_activity().await;
            }
        }
    });
    let reloader = tokio::spawn(reload::watch(
        data.clone(),
        Executor::new(client.http.clone(), client.cache.clone(), &data),
    ));
    let worker = scheduler::worker_id();
    let scheduler = tokio::spawn(
        scheduler::Scheduler {
            data: data.clone(),
            executor: Executor::new(client.http.clone(), client.cache.clone(), &data),
            every: options.scheduler_every,
            retry_base: options.retry_after,
            worker: worker.clone(),
            shards: config.shards,
        }
        .run(),
    );

    let shard_manager = client.shard_manager.clone();
    if config.metrics_addr.is_some() {
        // Installed before the first event so that nothing counted is lost.
        telemetry::recorder();
    }
    let probes = config
        .metrics_addr
        .map(|addr| probes::serve(addr, store.clone(), shard_manager.clone()));
    let outcome = tokio::select! {
        result = sharding::start(&mut client, config.shards, &store) => {
            result.context("the Discord connection failed")
        }
        () = shutdown.as_mut() => {
            info!("shutting down");
            shard_manager.shutdown_all().await;
            Ok(())
        }
    };
    flusher.abort();
    reloader.abort();
    if let Some(probes) = probes {
        probes.abort();
    }
    scheduler.abort();
    // Jobs this process was running when aborted are claimable again at once, not after the lease.
    if let Err(e) = store.release_claims(&worker).await {
        warn!(error = %e, "job claims not released; they expire with their lease");
    }
    data.flush_activity().await;
    store.close().await;
    outcome
}

async fn on_event(
    framework: poise::FrameworkContext<'_, Arc<Data>, Error>,
    event: &FullEvent,
) -> Result<(), Error> {
    let ctx = framework.serenity_context;
    let data = framework.user_data;
    metrics::counter!(telemetry::names::GATEWAY_EVENTS, "event" => event.snake_case_name())
        .increment(1);
    match event {
        FullEvent::Message { new_message } => {
            if let Some(facts) = convert::message_facts(&ctx.cache, new_message) {
                moderate(ctx, data, facts).await?;
            }
        }
        FullEvent::MessageUpdate { event, .. } => {
            if let Some(facts) = convert::edit_facts(&ctx.cache, event) {
                moderate(ctx, data, facts).await?;
            }
        }
        FullEvent::GuildCreate { guild, .. } => {
            // Known from the start, so that notices (such as a refused charter) reach every guild.
            data.settings(GuildId(guild.id.get())).await?;
            welcome::prime(ctx, data, guild.id);
            first_contact::greet(ctx, data, guild.id).await;
            reports::ensure_scheduled(data, GuildId(guild.id.get()), review::now_ms()).await;
            raid::resume(data, GuildId(guild.id.get())).await;
        }
        FullEvent::GuildMemberAddition { new_member } => {
            welcome::on_member_join(ctx, data, new_member);
            raid::on_join(ctx, data, new_member).await;
        }
        FullEvent::GuildMemberRemoval {
            guild_id,
            user,
            member_data_if_available,
        } => {
            let who = crate::ids::UserId(user.id.get());
            let member = member_data_if_available.as_ref();
            welcome::on_member_leave(ctx, data, *guild_id, member, who).await;
        }
        FullEvent::InviteCreate { data: invite } => welcome::invite_created(data, invite),
        FullEvent::GuildMemberUpdate { event: update, .. } => {
            welcome::on_member_update(ctx, data, update).await;
        }
        FullEvent::InteractionCreate { interaction } => match interaction {
            serenity::all::Interaction::Component(press)
                if press.data.custom_id.starts_with(review::REVIEW_PREFIX) =>
            {
                review::on_button(ctx, data, press).await?;
            }
            serenity::all::Interaction::Component(press)
                if press.data.custom_id.starts_with(render::poll::POLL_PREFIX) =>
            {
                poll::on_vote(ctx, data, press).await?;
            }
            serenity::all::Interaction::Component(press)
                if press
                    .data
                    .custom_id
                    .starts_with(render::giveaway::GIVEAWAY_PREFIX) =>
            {
                giveaway_entry::on_button(ctx, data, press).await?;
            }
            serenity::all::Interaction::Component(press)
                if press
                    .data
                    .custom_id
                    .starts_with(render::acceptance::CHARTER_PREFIX) =>
            {
                acceptance::on_button(ctx, data, press).await?;
            }
            serenity::all::Interaction::Component(press)
                if press.data.custom_id.starts_with(massban::MASSBAN_PREFIX) =>
            {
                massban::on_button(ctx, data, press).await?;
            }
            serenity::all::Interaction::Component(press)
                if press.data.custom_id == raid::RAID_END_BUTTON =>
            {
                raid_lifecycle::on_button(ctx, data, press).await?;
            }
            serenity::all::Interaction::Modal(submit)
                if submit.data.custom_id.starts_with(commands::REPORT_PREFIX) =>
            {
                commands::on_modal(ctx, data, submit).await?;
            }
            _ => {}
        },
        _ => {}
    }
    Ok(())
}

/// Counts a message, judges it, and acts on the verdict.
async fn moderate(
    ctx: &serenity::all::Context,
    data: &Data,
    facts: MessageFacts,
) -> Result<(), Error> {
    if facts.author_is_bot {
        return Ok(());
    }
    if !facts.edited {
        data.count(&facts);
    }
    let settings = data.settings(facts.guild).await?;
    if moderation::is_exempt(&facts, &settings.moderator_roles) {
        return Ok(());
    }
    let charter = data.charter();
    raid::watch(ctx, data, &charter, &facts).await;
    let verdict = {
        let mut tracker = data.tracker.lock().expect("tracker lock");
        moderation::judge(&charter, &facts, &mut tracker)
    };
    metrics::counter!(telemetry::names::MESSAGES_JUDGED).increment(1);
    let removed = matches!(verdict.outcome, Outcome::Delete | Outcome::Hold);
    if !removed && raid::holds(data, &charter, &facts) {
        let executor = Executor::new(ctx.http.clone(), ctx.cache.clone(), data);
        raid::hold(&executor, data, &facts, &settings).await;
        return Ok(());
    }
    if !verdict.is_flagged() {
        return Ok(());
    }
    for rule in verdict.rules() {
        metrics::counter!(
            telemetry::names::VERDICTS,
            "rule" => charter.rules[rule].id.clone(),
            "outcome" => verdict.outcome.as_str()
        )
        .increment(1);
    }
    debug!(guild = %facts.guild, channel = %facts.channel, user = %facts.author, content = %facts.content, "flagged message");
    let points_before = match &charter.escalation {
        Some(e) => {
            let since = facts.timestamp_ms - e.window.as_millis() as i64;
            data.store
                .points_since(facts.guild, facts.author, since)
                .await
                .unwrap_or_else(|err| {
                    error!(error = %err, "escalation history unavailable; counting from zero");
                    0
                })
        }
        None => 0,
    };
    let mut actions = moderation::decide(
        &charter,
        &verdict,
        &facts,
        points_before,
        &settings.language,
    );
    actions.extend(moderation::review::enqueue(&charter, &verdict, &facts));
    let executor = Executor::new(ctx.http.clone(), ctx.cache.clone(), data);
    executor.perform(actions, &settings).await;
    Ok(())
}
