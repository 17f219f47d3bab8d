//! Temporary bans lifted on time, also after a restart: a ban with a duration schedules a
//! [`Job::LiftBan`] (one per member: banning again replaces it, `/unban` cancels it), which the
//! scheduler (`discord::scheduler`) runs when it falls due, retrying a failed unban.

use tracing::{info, warn};

use crate::cases::{CaseKind, NewCase};
use crate::discord::executor::ActionError;
use crate::discord::scheduler::texts;
use crate::discord::{Data, Executor};
use crate::i18n::Lang;
use crate::ids::{GuildId, UserId};
use crate::jobs::{Job, Outcome, lift_ban_key};
use crate::store::{Store, StoreError};

/// Schedules the end of `user`'s ban in `guild` (case `case`) at `at_ms`, replacing any earlier
/// one.
pub(crate) async fn schedule_ban_end(
    store: &Store,
    guild: GuildId,
    user: UserId,
    at_ms: i64,
    case: i64,
) -> Result<(), StoreError> {
    let job = Job::LiftBan { guild, user, case };
    store
        .schedule(
            job.kind(),
            guild,
            &job.to_payload(),
            at_ms,
            Some(&job.dedupe_key()),
        )
        .await
        .map(|_| ())
}

/// Forgets the scheduled end of `user`'s ban in `guild`; whether there was one.
pub(crate) async fn cancel_ban_end(
    store: &Store,
    guild: GuildId,
    user: UserId,
) -> Result<bool, StoreError> {
    store
        .cancel_job(Job::LIFT_BAN, &lift_ban_key(guild, user))
        .await
}

/// Runs a due [`Job::LiftBan`] at `now`: unban on Discord, then an Unban case by Steward citing
/// the ban's case. A ban already lifted by hand is done; any other failure is the job's error,
/// to be retried.
pub(crate) async fn lift_ban(
    data: &Data,
    executor: &Executor,
    guild: GuildId,
    user: UserId,
    case: i64,
    now: i64,
) -> Result<Outcome, String> {
    let settings = data
        .settings(guild)
        .await
        .map_err(|e| format!("settings unavailable: {e}"))?;
    match executor.unban(&settings, user).await {
        Ok(()) => {
            let reason = texts::ban_ended_reason(Lang::of(&settings.language), case);
            let case = NewCase::new(guild, user, CaseKind::Unban, reason, now);
            if let Err(e) = executor.record_case(case, &settings).await {
                warn!(%guild, %user, error = %e, "unban case not recorded");
            }
            Ok(Outcome::Done)
        }
        Err(ActionError::UnknownBan) => {
            info!(%guild, %user, "temporary ban already lifted");
            Ok(Outcome::Done)
        }
        // The job's last error, shown in the mod log: in the server's language.
        Err(e) => Err(e.text(Lang::of(&settings.language))),
    }
}
