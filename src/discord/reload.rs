//! Hot reload: the charter folder is checked every few seconds; a change is compiled and, when
//! it is valid, replaces the active charter. A broken charter is refused, the previous one stays
//! active, and its errors (file:line:col) go to the log and to every known mod-log channel, with
//! a notice in each server's language (the located error lines stay as the engine writes them).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tracing::{info, warn};

use super::{Data, Executor};
use crate::charter::Charter;
use crate::moderation::{Action, Notice};
use crate::telemetry::names;

/// How often the charter folder is looked at.
pub const CHECK_EVERY: Duration = Duration::from_secs(2);

/// Names, sizes and modification times of every file under `dir`: any edit changes it.
pub fn fingerprint(dir: &Path) -> Vec<(String, u64, Option<SystemTime>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                pending.push(path);
            } else {
                files.push((path.display().to_string(), meta.len(), meta.modified().ok()));
            }
        }
    }
    files.sort();
    files
}

/// What reloading found.
pub enum Reloaded {
    Replaced { rules: usize },
    Refused { errors: String },
}

/// Loads the charter folder again, off the async runtime (a large charter takes seconds), and
/// swaps it in when it compiles and every example passes, as `steward check` requires.
pub async fn reload(data: &Data) -> Reloaded {
    let dir = data.rules_dir.clone();
    let loaded = tokio::task::spawn_blocking(move || Charter::load_verified(&dir))
        .await
        .unwrap_or_else(|e| Err(format!("the charter could not be loaded: {e}")));
    match loaded {
        Ok(charter) => {
            let rules = charter.stats.rules;
            data.set_charter(charter);
            // A report switched on (or a new cadence) is waited for from now on.
            for settings in data.known_settings() {
                super::reports::ensure_scheduled(data, settings.guild, super::review::now_ms())
                    .await;
            }
            metrics::counter!(names::CHARTER_RELOADS, "result" => "applied").increment(1);
            info!(rules, "charter reloaded");
            Reloaded::Replaced { rules }
        }
        Err(errors) => {
            metrics::counter!(names::CHARTER_RELOADS, "result" => "refused").increment(1);
            warn!(%errors, "charter change refused; the previous charter stays active");
            Reloaded::Refused { errors }
        }
    }
}

/// Tells every known mod-log channel that a charter change was refused.
pub async fn report_refusal(data: &Data, executor: &Executor, errors: &str) {
    for settings in data.known_settings() {
        let notice = Notice::CharterRefused {
            errors: errors.to_string(),
        };
        executor
            .perform(vec![Action::Notice(notice)], &settings)
            .await;
    }
}

/// Watches the charter folder until the task is aborted.
pub async fn watch(data: Arc<Data>, executor: Executor) {
    let mut seen = fingerprint(&data.rules_dir);
    let mut every = tokio::time::interval(CHECK_EVERY);
    loop {
        every.tick().await;
        let now = fingerprint(&data.rules_dir);
        if now == seen {
            continue;
        }
        seen = now;
        if let Reloaded::Refused { errors } = reload(&data).await {
            report_refusal(&data, &executor, &errors).await;
        }
    }
}
