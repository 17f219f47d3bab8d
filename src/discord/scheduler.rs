//! The one scheduler: every tick (and once right at start, to catch up after downtime) it claims
//! the due rows of the `jobs` table ([`crate::store::jobs`]) and runs each [`Job`] through its
//! handler: the end of a temporary ban (`manual::lift_ban`, through the [`Executor`]), a review
//! reminder (`reminders::remind`), a poll's close (`poll::close_job`) or a giveaway's end
//! (`giveaway::end_job`). A failed run is retried with exponential backoff
//! ([`crate::jobs::after_failure`]); after [`crate::jobs::MAX_ATTEMPTS`] failures the job is given up with an
//! `error!` log and a notice in the guild's mod log. Several processes on one database each run
//! a scheduler: a claim gives a job to one of them, for [`LEASE`]; with shard ranges, each claims
//! only the jobs of the guilds on its own shards.

use std::sync::Arc;
use std::time::Duration;

use tracing::{error, info, warn};

use super::{Data, Executor, giveaway, manual, poll, reminders};
use crate::jobs::{AfterFailure, Job, Outcome, after_failure};
use crate::moderation::{Action, Notice};
use crate::store::JobRow;
use crate::telemetry::names;

/// How often due jobs are looked for (also once right at start).
pub const SCHEDULER_EVERY: Duration = Duration::from_secs(10);

/// How long a claim holds: a worker that died while running a job lets another process run it
/// after this. Longer than any job takes.
pub const LEASE: Duration = Duration::from_secs(5 * 60);

/// How many jobs one claim takes at most; a tick claims again until none is due.
const BATCH: i64 = 50;

/// How many empty claims in a row (races lost while jobs are due) end a tick.
const EMPTY_CLAIMS_MAX: u32 = 10;

/// What the scheduler is started with.
pub(crate) struct Scheduler {
    pub data: Arc<Data>,
    pub executor: Executor,
    /// The interval between two looks for due jobs.
    pub every: Duration,
    /// The wait after a job's first failure ([`crate::jobs::retry_delay`] doubles it).
    pub retry_base: Duration,
    /// This process's name in the claims it makes.
    pub worker: String,
    /// The shards this process runs: it claims only their guilds' jobs (`None`: every job).
    pub shards: Option<crate::shards::ShardRange>,
}

/// A worker name unique to this process and start.
pub(crate) fn worker_id() -> String {
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("steward-{}-{started:x}", std::process::id())
}

impl Scheduler {
    /// Runs due jobs now, then every tick, until aborted.
    pub(crate) async fn run(self) {
        let mut tick = tokio::time::interval(self.every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await; // The first tick is immediate: what fell due while Steward was off.
            self.run_due().await;
        }
    }

    /// Claims and runs every job due now, batch after batch. A claim that comes back empty
    /// while jobs are still due lost a race with another process for the same rows; it claims
    /// again, up to [`EMPTY_CLAIMS_MAX`] times in a row.
    async fn run_due(&self) {
        let lease = i64::try_from(LEASE.as_millis()).unwrap_or(i64::MAX);
        let store = &self.data.store;
        let mut empty = 0;
        while empty < EMPTY_CLAIMS_MAX {
            let now = super::review::now_ms();
            let jobs = match store
                .claim_due(now, BATCH, lease, &self.worker, self.shards)
                .await
            {
                Ok(jobs) => jobs,
                Err(e) => {
                    warn!(error = %e, "due jobs not claimed; trying again at the next tick");
                    return;
                }
            };
            if jobs.is_empty() {
                match store.has_due_jobs(now, self.shards).await {
                    Ok(true) => {
                        empty += 1;
                        tokio::task::yield_now().await;
                        continue;
                    }
                    Ok(false) => return,
                    Err(e) => {
                        warn!(error = %e, "due jobs not looked for; trying again at the next tick");
                        return;
                    }
                }
            }
            empty = 0;
            for job in jobs {
                self.run_one(job).await;
            }
        }
    }

    /// Runs one claimed job and settles it: done, put off, retried or given up.
    async fn run_one(&self, row: JobRow) {
        let now = super::review::now_ms();
        let lag = (now - row.due_at_ms).max(0) as f64 / 1000.0;
        metrics::gauge!(names::SCHEDULER_LAG).set(lag);
        let outcome = match Job::from_payload(&row.payload) {
            Ok(job) => self.perform(&job, now).await,
            Err(e) => Err(format!("unreadable job: {e}")),
        };
        let store = &self.data.store;
        let settled = match outcome {
            Ok(Outcome::Done) => store.complete_job(row.id, &self.worker).await,
            Ok(Outcome::Later { at_ms }) => store.postpone_job(row.id, &self.worker, at_ms).await,
            Err(problem) => {
                metrics::counter!(names::JOBS_FAILED, "kind" => row.kind.clone()).increment(1);
                self.settle_failure(&row, now, &problem).await
            }
        };
        match settled {
            Ok(true) => {}
            Ok(false) => {
                info!(job = row.id, kind = %row.kind, "job replaced, cancelled or claimed again meanwhile")
            }
            Err(e) => {
                warn!(job = row.id, kind = %row.kind, error = %e, "job not settled; it runs again when its claim expires")
            }
        }
    }

    /// Retries a failed job with backoff, or gives it up after its last attempt (loudly).
    async fn settle_failure(
        &self,
        row: &JobRow,
        now: i64,
        problem: &str,
    ) -> Result<bool, crate::store::StoreError> {
        let store = &self.data.store;
        match after_failure(row.attempts, now, self.retry_base) {
            AfterFailure::Retry { at_ms } => {
                warn!(job = row.id, kind = %row.kind, guild = %row.guild, attempt = row.attempts + 1, error = %problem, retry_at_ms = at_ms, "job failed; retrying");
                store.retry_job(row.id, &self.worker, at_ms, problem).await
            }
            AfterFailure::GiveUp => match store.give_up_job(row.id, &self.worker, problem).await {
                Ok(Some(given_up)) => {
                    metrics::counter!(names::JOBS_GIVEN_UP, "kind" => row.kind.clone())
                        .increment(1);
                    self.give_up(&given_up, problem).await;
                    Ok(true)
                }
                Ok(None) => Ok(false),
                Err(e) => Err(e),
            },
        }
    }

    /// Runs a job's handler.
    async fn perform(&self, job: &Job, now: i64) -> Result<Outcome, String> {
        match *job {
            Job::LiftBan { guild, user, case } => {
                manual::lift_ban(&self.data, &self.executor, guild, user, case, now).await
            }
            Job::RemindReview { guild, item } => {
                reminders::remind(&self.data, &self.executor.http, guild, item, now).await
            }
            Job::ClosePoll { guild, poll } => {
                poll::close_job(&self.data, &self.executor.http, guild, poll).await
            }
            Job::EndGiveaway { guild, giveaway } => {
                giveaway::end_job(&self.data, &self.executor.http, guild, giveaway, now).await
            }
            Job::QualifyReferral {
                guild,
                user,
                joined_at_ms,
            } => {
                super::referrals::qualify_job(
                    &self.data,
                    &self.executor,
                    guild,
                    user,
                    joined_at_ms,
                    now,
                )
                .await
            }
            Job::AcceptanceReminder { guild, user } => {
                super::acceptance::remind_job(&self.data, &self.executor, guild, user).await
            }
            Job::AcceptanceDeadline { guild, user } => {
                super::acceptance::deadline_job(&self.data, &self.executor, guild, user, now).await
            }
            Job::GiveRoles {
                guild,
                user,
                ref roles,
            } => {
                super::welcome::give_roles_job(&self.data, &self.executor, guild, user, roles).await
            }
            Job::PostReport { guild, ref period } => {
                super::reports::post_job(&self.data, &self.executor, guild, period, now).await
            }
            Job::FoldActivity { guild } => super::reports::fold_job(&self.data, guild, now).await,
            Job::EndRaid { guild } => {
                super::raid_lifecycle::end_job(&self.data, &self.executor, guild, now).await
            }
            Job::ClaimDeadline {
                guild,
                giveaway,
                round,
            } => {
                giveaway::claim_deadline_job(
                    &self.data,
                    &self.executor.http,
                    guild,
                    giveaway,
                    round,
                )
                .await
            }
        }
    }

    /// Says loudly that a job was given up: an error in the log, a notice in the mod log.
    async fn give_up(&self, row: &JobRow, problem: &str) {
        error!(job = row.id, kind = %row.kind, guild = %row.guild, attempts = row.attempts, error = %problem, "job given up");
        match self.data.settings(row.guild).await {
            Ok(settings) => {
                let notice = Notice::JobGivenUp {
                    job: Job::from_payload(&row.payload).ok(),
                    attempts: row.attempts,
                    error: problem.to_string(),
                };
                self.executor
                    .perform(vec![Action::Notice(notice)], &settings)
                    .await;
            }
            Err(e) => warn!(guild = %row.guild, error = %e, "give-up notice not posted"),
        }
    }
}

/// The scheduler's sentences, from the catalogue (`locales/*/schedule.ftl`).
pub(crate) mod texts {
    use crate::i18n::Lang;
    use crate::jobs::{Job, MAX_ATTEMPTS};
    use crate::store::JobRow;
    use crate::tr;

    /// What a job does, in a few words.
    pub(crate) fn describe(lang: Lang, job: Option<&Job>) -> String {
        match job {
            Some(Job::LiftBan { user, case, .. }) => tr!(
                lang,
                "schedule-job-lift-ban",
                user = format!("<@{user}>"),
                case = *case
            ),
            Some(Job::RemindReview { item, .. }) => {
                tr!(lang, "schedule-job-remind-review", item = *item)
            }
            Some(Job::ClosePoll { poll, .. }) => {
                tr!(lang, "schedule-job-close-poll", poll = *poll)
            }
            Some(Job::EndGiveaway { giveaway, .. }) => {
                tr!(lang, "giveaway-job-end", id = *giveaway)
            }
            Some(Job::ClaimDeadline {
                giveaway, round, ..
            }) => tr!(lang, "giveaway-job-claim", id = *giveaway, round = *round),
            Some(Job::QualifyReferral { user, .. }) => {
                tr!(lang, "referral-job-qualify", user = format!("<@{user}>"))
            }
            Some(Job::AcceptanceReminder { user, .. }) => {
                tr!(lang, "acceptance-job-remind", user = format!("<@{user}>"))
            }
            Some(Job::AcceptanceDeadline { user, .. }) => {
                tr!(lang, "acceptance-job-deadline", user = format!("<@{user}>"))
            }
            Some(Job::GiveRoles { user, roles, .. }) => tr!(
                lang,
                "welcome-job-give-roles",
                user = format!("<@{user}>"),
                roles = roles.join(", ")
            ),
            Some(Job::PostReport { period, .. }) => {
                tr!(lang, "stats-job-post", period = period.clone())
            }
            Some(Job::FoldActivity { .. }) => tr!(lang, "stats-job-fold"),
            Some(Job::EndRaid { .. }) => tr!(lang, "raid-job-end"),
            None => tr!(lang, "schedule-job-unreadable"),
        }
    }

    /// The reason of the Unban case that ends the temporary ban of case `case`.
    pub(crate) fn ban_ended_reason(lang: Lang, case: i64) -> String {
        tr!(lang, "schedule-ban-ended-reason", case = case)
    }

    /// The `/schedule list` reply: one line per job (what, when as a Discord relative
    /// timestamp, failed attempts, the last error), then how many more there are.
    pub(crate) fn pending_list(lang: Lang, jobs: &[JobRow], total: i64) -> String {
        if jobs.is_empty() {
            return tr!(lang, "schedule-list-empty");
        }
        let mut lines = vec![tr!(lang, "schedule-list-header", total = total)];
        for row in jobs {
            let job = Job::from_payload(&row.payload).ok();
            let mut line = tr!(
                lang,
                "schedule-list-line",
                job = describe(lang, job.as_ref()),
                due = format!("<t:{}:R>", row.due_at_ms.div_euclid(1000))
            );
            if row.attempts > 0 {
                line.push_str(" · ");
                line.push_str(&tr!(
                    lang,
                    "schedule-list-attempts",
                    attempts = row.attempts,
                    max = MAX_ATTEMPTS
                ));
            }
            if let Some(error) = &row.last_error {
                line.push_str(" · ");
                line.push_str(&tr!(
                    lang,
                    "schedule-list-last-error",
                    error = error.as_str()
                ));
            }
            lines.push(line);
        }
        let more = total - jobs.len() as i64;
        if more > 0 {
            lines.push(tr!(lang, "schedule-list-more", more = more));
        }
        lines.join("\n")
    }

    /// The mod-log notice of a job given up after `attempts` failed runs.
    pub(crate) fn given_up(lang: Lang, job: Option<&Job>, attempts: u32, error: &str) -> String {
        tr!(
            lang,
            "schedule-given-up",
            attempts = attempts,
            max = MAX_ATTEMPTS,
            job = describe(lang, job),
            error = error
        )
    }
}

#[cfg(test)]
mod tests {
    use super::texts;
    use crate::i18n::Lang;
    use crate::ids::{GuildId, UserId};
    use crate::jobs::Job;
    use crate::store::JobRow;

    fn row(job: &Job, due_at_ms: i64, attempts: u32, last_error: Option<&str>) -> JobRow {
        JobRow {
            id: 1,
            kind: job.kind().to_owned(),
            guild: job.guild(),
            dedupe_key: Some(job.dedupe_key()),
            payload: job.to_payload(),
            due_at_ms,
            attempts,
            last_error: last_error.map(str::to_owned),
            claimed_by: None,
            claimed_until_ms: None,
        }
    }

    #[test]
    fn the_list_shows_what_when_failures_and_how_many_more() {
        let ban = Job::LiftBan {
            guild: GuildId(1),
            user: UserId(42),
            case: 3,
        };
        let remind = Job::RemindReview {
            guild: GuildId(1),
            item: 9,
        };
        let jobs = [
            row(&ban, 1_750_000_000_999, 0, None),
            row(&remind, 1_750_000_060_000, 2, Some("Missing Access")),
        ];
        assert_eq!(
            texts::pending_list(Lang::EN, &jobs, 3),
            "Scheduled jobs: 3\n\
             • end of <@42>'s temporary ban (case #3) — <t:1750000000:R>\n\
             • reminder of review item #9 — <t:1750000060:R> · 2 of 5 attempts failed · last error: Missing Access\n\
             … and 1 more."
        );
        assert_eq!(
            texts::pending_list(Lang::FR, &jobs[1..], 1),
            "Tâches planifiées : 1\n\
             • rappel de l'élément d'examen #9 — <t:1750000060:R> · 2 essai(s) échoué(s) sur 5 · dernière erreur : Missing Access"
        );
        assert_eq!(
            texts::pending_list(Lang::FR, &[], 0),
            "Aucune tâche planifiée."
        );
        let mut unreadable = row(&ban, 0, 0, None);
        unreadable.payload = "{}".to_owned();
        assert!(
            texts::pending_list(Lang::EN, &[unreadable], 1).contains("• unreadable job — <t:0:R>")
        );
    }

    #[test]
    fn the_give_up_notice_says_what_how_often_and_why() {
        let ban = Job::LiftBan {
            guild: GuildId(1),
            user: UserId(42),
            case: 3,
        };
        assert_eq!(
            texts::given_up(Lang::EN, Some(&ban), 5, "HTTP 500"),
            "Scheduled job given up after 5 of 5 attempts: end of <@42>'s temporary ban (case #3). Last error: HTTP 500"
        );
        assert_eq!(
            texts::ban_ended_reason(Lang::FR, 3),
            "fin du bannissement temporaire (cas #3)"
        );
    }
}
