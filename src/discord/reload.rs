//! Hot reload: the charter folder is checked every few seconds; a change is compiled and, when
//! it is valid, replaces the active charter. A broken charter is refused, the previous one stays
//! active, and its errors (file:line:col) go to the log and to every known mod-log channel, with
//! a notice in each server's language (the located error lines stay as the engine writes them).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serenity::all::{ChannelId, Http};
use tracing::{info, warn};

use super::Data;
use super::render::notice as embeds;
use crate::charter::Charter;
use crate::i18n::Lang;
use crate::tr;

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
        let (title, body) = refusal_notice(Lang::of(&settings.language), errors);
        let channel = ChannelId::new(channel.0.max(1));
        if let Err(e) = channel
            .send_message(http, embeds::notice_message(&title, &body))
            .await
        {
            warn!(%channel, error = %e, "reload notice not posted");
        }
    }
}

/// The title and text of the notice of a refused charter, in `lang`.
pub fn refusal_notice(lang: Lang, errors: &str) -> (String, String) {
    let intro = tr!(lang, "reload-refused-intro");
    (
        tr!(lang, "reload-refused-title"),
        format!("{intro}\n```\n{errors}\n```"),
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_notice_speaks_the_server_language_and_quotes_errors_as_written() {
        let errors = "rules/a.toml:3:11: rule \"x\": section 7 is not in the charter";
        let (title, body) = refusal_notice(Lang::FR, errors);
        assert_eq!(title, "Charte non rechargée");
        assert!(body.starts_with("La charte précédente reste active. Erreurs :"));
        assert!(body.contains(errors), "{body}");
        let (title, _) = refusal_notice(Lang::EN, errors);
        assert_eq!(title, "Charter not reloaded");
    }
}
