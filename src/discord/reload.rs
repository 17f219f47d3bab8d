//! Hot reload: the charter folder is checked every few seconds; a change is compiled and, when
//! it is valid, replaces the active charter. A broken charter is refused, the previous one stays
//! active, and its errors (file:line:col) go to the log and to every known mod-log channel.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serenity::all::{ChannelId, Http};
use tracing::{info, warn};

use super::Data;
use super::render::notice as embeds;
use crate::charter::Charter;

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

/// Loads the charter folder again and swaps it in when valid.
pub fn reload(data: &Data) -> Reloaded {
    match Charter::load(&data.rules_dir) {
        Ok(charter) => {
            let rules = charter.stats.rules;
            data.set_charter(charter);
            info!(rules, "charter reloaded");
            Reloaded::Replaced { rules }
        }
        Err(errors) => {
            warn!(%errors, "charter change refused; the previous charter stays active");
            Reloaded::Refused {
                errors: errors.to_string(),
            }
        }
    }
}

/// Tells every known mod-log channel that a charter change was refused.
pub async fn report_refusal(data: &Data, http: &Http, errors: &str) {
    for settings in data.known_settings() {
        let Some(channel) = settings.mod_log_channel else {
            continue;
        };
        let (title, intro) = if settings.language == "fr" {
            (
                "Charte non rechargée",
                "La charte précédente reste active. Erreurs :",
            )
        } else {
            (
                "Charter not reloaded",
                "The previous charter stays active. Errors:",
            )
        };
        let body = format!("{intro}\n```\n{errors}\n```");
        let channel = ChannelId::new(channel.0.max(1));
        if let Err(e) = channel
            .send_message(http, embeds::notice_message(title, &body))
            .await
        {
            warn!(%channel, error = %e, "reload notice not posted");
        }
    }
}

/// Watches the charter folder until the task is aborted.
pub async fn watch(data: Arc<Data>, http: Arc<Http>) {
    let mut seen = fingerprint(&data.rules_dir);
    let mut every = tokio::time::interval(CHECK_EVERY);
    loop {
        every.tick().await;
        let now = fingerprint(&data.rules_dir);
        if now == seen {
            continue;
        }
        seen = now;
        if let Reloaded::Refused { errors } = reload(&data) {
            report_refusal(&data, &http, &errors).await;
        }
    }
}
