//! The one scheduler: every tick (and once right at start, to catch up after downtime) it claims
//! the due rows of the `jobs` table ([`crate::store::jobs`]) and runs each [`Job`] through its
//! handler: the end of a temporary ban (`manual::lift_ban`, through the [`Executor`]) or a review
//! reminder (`reminders::remind`). A failed run is retried with exponential backoff
//! ([`crate::jobs::after_failure`]); after [`crate::jobs::MAX_ATTEMPTS`] failures the job is given up with an
//! `error!` log and a notice in the guild's mod log. Several processes on one database each run
//! a scheduler: a claim gives a job to one of them, for [`LEASE`].

use std::sync::Arc;
use std::time::Duration;

use tracing::{error, info, warn};

use super::{Data, Executor, manual, reminders};
use crate::jobs::{AfterFailure, Job, Outcome, after_failure};
use crate::store::JobRow;

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
            let jobs = match store.claim_due(now, BATCH, lease, &self.worker).await {
                Ok(jobs) => jobs,
                Err(e) => {
                    warn!(error = %e, "due jobs not claimed; trying again at the next tick");
                    return;
                }
            };
            if jobs.is_empty() {
                match store.has_due_jobs(now).await {
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
        let outcome = match Job::from_payload(&row.payload) {
            Ok(job) => self.perform(&job, now).await,
            Err(e) => Err(format!("unreadable job: {e}")),
        };
        let store = &self.data.store;
        let settled = match outcome {
            Ok(Outcome::Done) => store.complete_job(row.id, &self.worker).await,
            Ok(Outcome::Later { at_ms }) => store.postpone_job(row.id, &self.worker, at_ms).await,
            Err(problem) => match after_failure(row.attempts, now, self.retry_base) {
                AfterFailure::Retry { at_ms } => {
                    warn!(job = row.id, kind = %row.kind, guild = %row.guild, attempt = row.attempts + 1, error = %problem, retry_at_ms = at_ms, "job failed; retrying");
                    store.retry_job(row.id, &self.worker, at_ms, &problem).await
                }
                AfterFailure::GiveUp => {
                    match store.give_up_job(row.id, &self.worker, &problem).await {
                        Ok(Some(given_up)) => {
                            self.give_up(&given_up, &problem).await;
                            Ok(true)
                        }
                        Ok(None) => Ok(false),
                        Err(e) => Err(e),
                    }
                }
            },
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

    /// Runs a job's handler.
    async fn perform(&self, job: &Job, now: i64) -> Result<Outcome, String> {
        match *job {
            Job::LiftBan { guild, user, case } => {
                manual::lift_ban(&self.data, &self.executor, guild, user, case, now).await
            }
            Job::RemindReview { guild, item } => {
                reminders::remind(&self.data, &self.executor.http, guild, item, now).await
            }
        }
    }

    /// Says loudly that a job was given up: an error in the log, a notice in the mod log.
    async fn give_up(&self, row: &JobRow, problem: &str) {
        error!(job = row.id, kind = %row.kind, guild = %row.guild, attempts = row.attempts, error = %problem, "job given up");
        match self.data.settings(row.guild).await {
            Ok(settings) => {
                let job = Job::from_payload(&row.payload).ok();
                let text = texts::given_up(&settings.language, job.as_ref(), row.attempts, problem);
                self.executor.notify(&settings, &text).await;
            }
            Err(e) => warn!(guild = %row.guild, error = %e, "give-up notice not posted"),
        }
    }
}

/// The scheduler's sentences, in the guild's or the member's language (`fr` or `en`).
pub(crate) mod texts {
    use crate::jobs::{Job, MAX_ATTEMPTS};
    use crate::store::JobRow;

    /// What a job does, in a few words.
    pub(crate) fn describe(language: &str, job: Option<&Job>) -> String {
        let fr = language == "fr";
        match (job, fr) {
            (Some(Job::LiftBan { user, case, .. }), true) => {
                format!("fin du bannissement temporaire de <@{user}> (cas #{case})")
            }
            (Some(Job::LiftBan { user, case, .. }), false) => {
                format!("end of <@{user}>'s temporary ban (case #{case})")
            }
            (Some(Job::RemindReview { item, .. }), true) => {
                format!("rappel de l'élément d'examen #{item}")
            }
            (Some(Job::RemindReview { item, .. }), false) => {
                format!("reminder of review item #{item}")
            }
            (None, true) => "tâche illisible".to_owned(),
            (None, false) => "unreadable job".to_owned(),
        }
    }

    /// The `/schedule list` reply: one line per job (what, when as a Discord relative
    /// timestamp, failed attempts, the last error), then how many more there are.
    pub(crate) fn pending_list(language: &str, jobs: &[JobRow], total: i64) -> String {
        let fr = language == "fr";
        if jobs.is_empty() {
            return if fr {
                "Aucune tâche planifiée.".to_owned()
            } else {
                "No scheduled jobs.".to_owned()
            };
        }
        let mut lines = vec![if fr {
            format!("Tâches planifiées : {total}")
        } else {
            format!("Scheduled jobs: {total}")
        }];
        for row in jobs {
            let job = Job::from_payload(&row.payload).ok();
            let mut line = format!(
                "• {} — <t:{}:R>",
                describe(language, job.as_ref()),
                row.due_at_ms.div_euclid(1000)
            );
            if row.attempts > 0 {
                line.push_str(&if fr {
                    format!(" · {} essai(s) échoué(s) sur {MAX_ATTEMPTS}", row.attempts)
                } else {
                    format!(" · {} of {MAX_ATTEMPTS} attempts failed", row.attempts)
                });
            }
            if let Some(error) = &row.last_error {
                line.push_str(&if fr {
                    format!(" · dernière erreur : {error}")
                } else {
                    format!(" · last error: {error}")
                });
            }
            lines.push(line);
        }
        let more = total - jobs.len() as i64;
        if more > 0 {
            lines.push(if fr {
                format!("… et {more} de plus.")
            } else {
                format!("… and {more} more.")
            });
        }
        lines.join("\n")
    }

    /// The mod-log notice of a job given up after `attempts` failed runs.
    pub(crate) fn given_up(
        language: &str,
        job: Option<&Job>,
        attempts: u32,
        error: &str,
    ) -> String {
        let what = describe(language, job);
        if language == "fr" {
            format!(
                "Tâche planifiée abandonnée après {attempts} essais sur {MAX_ATTEMPTS} : {what}. \
                 Dernière erreur : {error}"
            )
        } else {
            format!(
                "Scheduled job given up after {attempts} of {MAX_ATTEMPTS} attempts: {what}. \
                 Last error: {error}"
            )
        }
    }
}
