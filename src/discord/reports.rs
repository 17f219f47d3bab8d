//! The weekly and monthly reports on Discord: every guild waits for its next reports (one job
//! per cadence, scheduled when the guild is seen and after each report); when one falls due,
//! the activity counted in memory is written, the report is built in the charter's time zone,
//! drawn, and posted to the stats channel (`/setup stats`) in the server's language. A report
//! is claimed in the database before it is posted, so a restart or a second process never posts
//! it twice; a post that fails gives the claim back and is retried, except when Steward may not
//! post in the stats channel: moderators are told in the mod log, and the next report is waited
//! for. Old per-member activity is folded daily once the charter's retention has passed.

use std::sync::Arc;

use serenity::all::{ChannelId as SChannelId, HttpError};
use tracing::{info, warn};

use super::render::report::report_message;
use super::{Data, Executor};
use crate::charter::report::ReportSettings;
use crate::i18n::Lang;
use crate::ids::GuildId;
use crate::jobs::{Job, Outcome};
use crate::moderation::{Action, Notice};
use crate::stats::charts::render_all;
use crate::stats::schedule::{Cadence, after, upcoming};
use crate::stats::{Period, Report, wording};

/// How often old activity is folded.
const FOLD_EVERY_MS: i64 = 86_400_000;

async fn wait_for(
    data: &Data,
    guild: GuildId,
    period: Period,
    settings: &ReportSettings,
) -> Result<(), String> {
    let job = Job::PostReport {
        guild,
        period: period.to_string(),
    };
    data.store
        .schedule(
            job.kind(),
            guild,
            &job.to_payload(),
            period.due_ms(settings),
            Some(&job.dedupe_key()),
        )
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Makes sure `guild` waits for the next fold of old activity and, once it has a stats channel,
/// for its next weekly and monthly reports; jobs already waiting (possibly overdue, to be caught
/// up) are kept.
pub async fn ensure_scheduled(data: &Data, guild: GuildId, now_ms: i64) {
    let fold = Job::FoldActivity { guild };
    if let Err(e) = data
        .store
        .schedule_if_absent(
            fold.kind(),
            guild,
            &fold.to_payload(),
            now_ms + FOLD_EVERY_MS,
            &fold.dedupe_key(),
        )
        .await
    {
        warn!(%guild, error = %e, "activity folding not scheduled");
    }
    match data.settings(guild).await {
        Ok(guild_settings) if guild_settings.stats_channel.is_some() => {}
        Ok(_) => return,
        Err(e) => {
            warn!(%guild, error = %e, "reports not scheduled: settings unreadable");
            return;
        }
    }
    let settings = data.report_settings();
    for cadence in [Cadence::Weekly, Cadence::Monthly] {
        let Some(period) = upcoming(cadence, &settings, now_ms) else {
            continue;
        };
        let job = Job::PostReport {
            guild,
            period: period.to_string(),
        };
        let added = data
            .store
            .schedule_if_absent(
                job.kind(),
                guild,
                &job.to_payload(),
                period.due_ms(&settings),
                &job.dedupe_key(),
            )
            .await;
        if let Err(e) = added {
            warn!(%guild, error = %e, "report not scheduled");
        }
    }
}

/// Builds the report of `period` for `guild` from storage, after writing the activity still in
/// memory.
pub async fn report_of(
    data: &Data,
    guild: GuildId,
    period: Period,
) -> Result<Report, crate::store::StoreError> {
    let settings = data.report_settings();
    data.flush_activity().await;
    let facts = data
        .store
        .report_facts(guild, period, &settings.time_zone())
        .await?;
    Ok(facts.report(period, &settings))
}

/// Runs a [`Job::PostReport`]: posts the report once, then waits for the next one.
pub async fn post_job(
    data: &Arc<Data>,
    executor: &Executor,
    guild: GuildId,
    period: &str,
    now_ms: i64,
) -> Result<Outcome, String> {
    let Ok(period) = Period::parse(period) else {
        return Err(format!("\"{period}\" is not a report period"));
    };
    let settings = data.report_settings();
    if !Cadence::of(period).enabled(&settings) {
        info!(%guild, %period, "report switched off in the charter; not posted");
        return Ok(Outcome::Done);
    }
    post_once(data, executor, guild, period, now_ms).await?;
    if let Some(next) = after(period, &settings, now_ms) {
        // The job's row is replaced by the next period's (same key, claim cleared), so settling
        // this run as done leaves the new one waiting.
        wait_for(data, guild, next, &settings).await?;
    }
    Ok(Outcome::Done)
}

async fn post_once(
    data: &Arc<Data>,
    executor: &Executor,
    guild: GuildId,
    period: Period,
    now_ms: i64,
) -> Result<(), String> {
    let guild_settings = data.settings(guild).await.map_err(|e| e.to_string())?;
    let Some(channel) = guild_settings.stats_channel else {
        info!(%guild, %period, "no stats channel (/setup stats): report not posted");
        return Ok(());
    };
    let label = period.to_string();
    let store = &data.store;
    if !store
        .claim_report(guild, &label, now_ms)
        .await
        .map_err(|e| e.to_string())?
    {
        info!(%guild, %period, "report posted already");
        return Ok(());
    }
    let lang = Lang::of(&guild_settings.language);
    let posted = async {
        let report = report_of(data, guild, period)
            .await
            .map_err(|e| Failure::Other(e.to_string()))?;
        let charts = render_all(&report, &wording::chart_text(lang, &report))
            .map_err(|e| Failure::Other(e.to_string()))?;
        SChannelId::new(channel.0.max(1))
            .send_message(&executor.http, report_message(&report, &charts, lang))
            .await
            .map_err(Failure::Discord)
    }
    .await;
    match posted {
        Ok(_) => {
            info!(%guild, %period, "report posted");
            Ok(())
        }
        Err(Failure::Discord(e)) if forbidden(&e) => {
            // Retrying cannot help until someone changes the channel's permissions: say so.
            warn!(%guild, %period, error = %e, "report not posted: Steward may not post in the stats channel");
            if let Err(e) = store.release_report(guild, &label).await {
                warn!(%guild, %period, error = %e, "report claim not given back");
            }
            let notice = Notice::ReportNotPosted {
                channel,
                period: label,
            };
            executor
                .perform(vec![Action::Notice(notice)], &guild_settings)
                .await;
            Ok(())
        }
        Err(failure) => {
            let problem = match failure {
                Failure::Discord(e) => format!("report not posted in <#{channel}>: {e}"),
                Failure::Other(problem) => problem,
            };
            if let Err(e) = store.release_report(guild, &label).await {
                warn!(%guild, %period, error = %e, "report claim not given back");
            }
            Err(problem)
        }
    }
}

/// Why a report was not posted.
enum Failure {
    Discord(serenity::Error),
    Other(String),
}

/// Whether Discord refused for lack of access or permission (403).
fn forbidden(error: &serenity::Error) -> bool {
    matches!(
        error,
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response))
            if response.status_code.as_u16() == 403
    )
}

/// Runs a [`Job::FoldActivity`]: folds what the retention no longer allows to keep per member.
pub async fn fold_job(data: &Data, guild: GuildId, now_ms: i64) -> Result<Outcome, String> {
    let retention = data.report_settings().retention;
    let before = now_ms - i64::try_from(retention.as_millis()).unwrap_or(i64::MAX);
    data.flush_activity().await;
    let folded = data
        .store
        .fold_old_activity(guild, before)
        .await
        .map_err(|e| e.to_string())?;
    if folded > 0 {
        info!(%guild, rows = folded, "old per-member activity folded into totals");
    }
    Ok(Outcome::Later {
        at_ms: now_ms + FOLD_EVERY_MS,
    })
}
