//! Temporary bans lifted on time, also after a restart: the schedule lives in storage
//! (`scheduled_unbans`), checked once right at start and then every [`UNBAN_CHECK_EVERY`].

use std::sync::Arc;
use std::time::Duration;

use tracing::{info, warn};

use super::now_ms;
use crate::cases::{CaseKind, NewCase};
use crate::discord::executor::ActionError;
use crate::discord::{Data, Executor};
use crate::store::ScheduledUnban;

/// How often scheduled unbans are checked (and once right at start).
pub const UNBAN_CHECK_EVERY: Duration = Duration::from_secs(30);

/// Lifts due temporary bans now and then every `every`, until aborted.
pub(crate) async fn lift_bans_on_time(data: Arc<Data>, executor: Executor, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await; // The first tick is immediate: bans that ended while Steward was off.
        lift_due_bans(&data, &executor, now_ms()).await;
    }
}

/// Lifts every ban due at `now`: unban on Discord, an Unban case by Steward, the schedule
/// cleared. Each row is claimed (deleted) first, so that several processes sharing one database
/// lift a ban once; a failed unban puts the row back to be retried, except when the ban was
/// already lifted by hand.
async fn lift_due_bans(data: &Data, executor: &Executor, now: i64) {
    let due = match data.store.due_unbans(now).await {
        Ok(due) => due,
        Err(e) => {
            warn!(error = %e, "scheduled unbans unavailable");
            return;
        }
    };
    for unban in due {
        match data.store.clear_unban(unban.guild, unban.user).await {
            Ok(true) => {}
            Ok(false) => continue, // Claimed by another process, or lifted by hand meanwhile.
            Err(e) => {
                warn!(guild = %unban.guild, user = %unban.user, error = %e, "scheduled unban not claimed");
                continue;
            }
        }
        let settings = match data.settings(unban.guild).await {
            Ok(settings) => settings,
            Err(e) => {
                warn!(guild = %unban.guild, error = %e, "settings unavailable; unban retried later");
                reschedule(data, &unban).await;
                continue;
            }
        };
        let fr = settings.language == "fr";
        match executor.unban(&settings, unban.user).await {
            Ok(()) => {
                let case = NewCase {
                    guild: unban.guild,
                    user: unban.user,
                    moderator: None,
                    kind: CaseKind::Unban,
                    rule: None,
                    section: None,
                    reason: if fr {
                        format!(
                            "fin du bannissement temporaire (cas #{})",
                            unban.case_number
                        )
                    } else {
                        format!("temporary ban ended (case #{})", unban.case_number)
                    },
                    content: None,
                    channel: None,
                    message: None,
                    duration_secs: None,
                    points: 0,
                    created_at_ms: now,
                };
                if let Err(e) = executor.record_case(case, &settings).await {
                    warn!(guild = %unban.guild, user = %unban.user, error = %e, "unban case not recorded");
                }
            }
            Err(ActionError::UnknownBan) => {
                info!(guild = %unban.guild, user = %unban.user, "temporary ban already lifted");
            }
            Err(e) => {
                warn!(guild = %unban.guild, user = %unban.user, error = %e, "temporary ban not lifted; retrying later");
                reschedule(data, &unban).await;
            }
        }
    }
}

/// Puts a claimed unban back, to be retried at the next check.
async fn reschedule(data: &Data, unban: &ScheduledUnban) {
    if let Err(e) = data
        .store
        .schedule_unban(
            unban.guild,
            unban.user,
            unban.unban_at_ms,
            unban.case_number,
        )
        .await
    {
        warn!(guild = %unban.guild, user = %unban.user, error = %e, "scheduled unban lost");
    }
}
