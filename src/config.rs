//! Settings from the environment (and `.env`), validated once at start. Every problem names the
//! variable and what to do; the token never appears in logs or `Debug` output.

use std::fmt;
use std::path::PathBuf;

/// Where the database is when `DATABASE_URL` is not set: a file beside the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://steward.db";
/// Where the charter is when `RULES_DIR` is not set.
pub const DEFAULT_RULES_DIR: &str = "rules";

/// A secret value: shown as `***` everywhere but where it is used.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Everything Steward reads from its environment.
#[derive(Clone, Debug)]
pub struct Config {
    /// The bot token; required to connect to Discord.
    pub discord_token: Option<Secret>,
    pub database_url: String,
    pub rules_dir: PathBuf,
    /// A Discord-compatible base URL (rate-limit proxy, test fake); `None` for discord.com.
    pub discord_api_url: Option<String>,
    /// A `tracing` filter such as `info` or `steward=debug,serenity=warn`.
    pub log_level: String,
    pub log_format: LogFormat,
    /// Where `/metrics`, `/healthz` and `/readyz` are served; `None` (the default) for nowhere.
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// The shards this process runs (`SHARDS` of `SHARD_COUNT`); `None`: all of them, as
    /// many as Discord recommends (autosharded).
    pub shards: Option<crate::shards::ShardRange>,
}

/// A setting that is missing or wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {problem} (see .env.example)")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

fn error(variable: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        problem: problem.into(),
    }
}

/// How long a review item may wait before a reminder, unless `REVIEW_REMIND_AFTER` says.
pub const DEFAULT_REVIEW_REMIND_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// `REVIEW_REMIND_AFTER`: how long a review item may wait before it is recalled in the review
/// channel (`30m`, `2h`, `1d`...; `off` for no reminders). Read by `steward run`.
pub fn review_remind_after(
    var: impl Fn(&str) -> Option<String>,
) -> Result<Option<std::time::Duration>, ConfigError> {
    match var("REVIEW_REMIND_AFTER").map(|v| v.trim().to_string()) {
        None => Ok(Some(DEFAULT_REVIEW_REMIND_AFTER)),
        Some(v) if v.is_empty() => Ok(Some(DEFAULT_REVIEW_REMIND_AFTER)),
        Some(v) if v.eq_ignore_ascii_case("off") => Ok(None),
        Some(v) => match crate::charter::parse_duration(&v) {
            Ok(d) if !d.is_zero() => Ok(Some(d)),
            _ => Err(error(
                "REVIEW_REMIND_AFTER",
                format!("\"{v}\" is not a duration such as 30m, 2h or 1d (or off)"),
            )),
        },
    }
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_vars(|name| std::env::var(name).ok())
    }

    /// Reads settings through `var`; empty values count as unset.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let get = |name: &str| {
            var(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };

        let discord_token = match get("DISCORD_TOKEN") {
            None => None,
            Some(token) => Some(Secret(bot_token(&token)?.to_string())),
        };

        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        check_database_url(&database_url)?;

        let discord_api_url = get("DISCORD_API_URL")
            .map(|url| api_base_url(&url))
            .transpose()?;

        let log_level = get("LOG_LEVEL").unwrap_or_else(|| "info".into());
        let is_level =
            ["error", "warn", "info", "debug", "trace", "off"].contains(&log_level.as_str());
        let is_filter = log_level.contains(['=', ','])
            && tracing_subscriber::EnvFilter::try_new(&log_level).is_ok();
        if !is_level && !is_filter {
            return Err(error(
                "LOG_LEVEL",
                format!(
                    "\"{log_level}\" is not a level (error, warn, info, debug, trace) or filter"
                ),
            ));
        }
        let log_format = match get("LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(error(
                    "LOG_FORMAT",
                    format!("\"{other}\" is not a format: use text or json"),
                ));
            }
        };

        let metrics_addr = match get("METRICS_ADDR") {
            None => None,
            Some(addr) => Some(addr.parse().map_err(|_| {
                error(
                    "METRICS_ADDR",
                    format!("\"{addr}\" is not an address: use host:port, such as 127.0.0.1:9100"),
                )
            })?),
        };

        let shards = match (get("SHARDS"), get("SHARD_COUNT")) {
            (None, None) => None,
            (Some(shards), Some(count)) => Some(
                crate::shards::ShardRange::parse(&shards, &count)
                    .map_err(|problem| error("SHARDS", problem))?,
            ),
            (Some(_), None) => {
                return Err(error(
                    "SHARD_COUNT",
                    "is needed with SHARDS: the total number of shards across all processes",
                ));
            }
            (None, Some(_)) => {
                return Err(error(
                    "SHARDS",
                    "is needed with SHARD_COUNT: the shards this process runs, such as 0-3",
                ));
            }
        };

        Ok(Config {
            discord_token,
            database_url,
            rules_dir: get("RULES_DIR").map_or_else(|| DEFAULT_RULES_DIR.into(), PathBuf::from),
            discord_api_url,
            log_level,
            log_format,
            metrics_addr,
            shards,
        })
    }

    /// The token, or the error telling how to get one.
    pub fn require_token(&self) -> Result<&Secret, ConfigError> {
        self.discord_token.as_ref().ok_or_else(|| {
            error(
                "DISCORD_TOKEN",
                "is not set: create a bot in the Discord developer portal and put its token in .env",
            )
        })
    }
}

/// The token without the `Bot ` prefix some guides put in front of it.
fn bot_token(value: &str) -> Result<&str, ConfigError> {
    let token = value.strip_prefix("Bot ").unwrap_or(value).trim();
    if token.contains(char::is_whitespace) || token.len() < 20 {
        return Err(error(
            "DISCORD_TOKEN",
            "does not look like a bot token: copy it from the developer portal (Bot > Reset Token)",
        ));
    }
    Ok(token)
}

/// A database URL Steward can open: a SQLite file (not an unnamed temporary database) or a
/// PostgreSQL server.
fn check_database_url(url: &str) -> Result<(), ConfigError> {
    let known_scheme = ["sqlite:", "postgres://", "postgresql://"]
        .iter()
        .any(|scheme| url.starts_with(scheme));
    if !known_scheme {
        return Err(error(
            "DATABASE_URL",
            "must start with sqlite:// (a file) or postgres:// (a server)",
        ));
    }
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let path = rest.trim_start_matches("//");
        let path = path.split('?').next().unwrap_or_default();
        if path.is_empty() {
            return Err(error(
                "DATABASE_URL",
                "names no file: use sqlite://steward.db (a temporary database would lose everything at exit)",
            ));
        }
    }
    Ok(())
}

/// The REST base URL without a trailing slash, checked: http or https, a host, and no
/// `/api` path (serenity adds `/api/v10` itself).
fn api_base_url(value: &str) -> Result<String, ConfigError> {
    let parsed = url::Url::parse(value).map_err(|_| {
        error(
            "DISCORD_API_URL",
            "must be an http:// or https:// base URL, such as http://127.0.0.1:8080",
        )
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none_or(str::is_empty) {
        return Err(error(
            "DISCORD_API_URL",
            "must be an http:// or https:// base URL with a host, such as http://127.0.0.1:8080",
        ));
    }
    if parsed.path().trim_end_matches('/').ends_with("/api") || parsed.path().contains("/api/") {
        return Err(error(
            "DISCORD_API_URL",
            "must not end in /api or /api/v10: give the base URL only, Steward adds the API path",
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(error(
            "DISCORD_API_URL",
            "must be a base URL without ?query or #fragment",
        ));
    }
    Ok(value.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const TOKEN: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123";

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_vars(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_without_anything_set() {
        let c = config(&[]).unwrap();
        assert!(c.discord_token.is_none());
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.rules_dir, PathBuf::from("rules"));
        assert_eq!(c.log_format, LogFormat::Text);
        assert_eq!(c.metrics_addr, None);
        assert_eq!(c.require_token().unwrap_err().variable, "DISCORD_TOKEN");
        let c = config(&[("METRICS_ADDR", "127.0.0.1:9100")]).unwrap();
        assert_eq!(c.metrics_addr, Some("127.0.0.1:9100".parse().unwrap()));
        assert_eq!(c.shards, None);
        let c = config(&[("SHARDS", "0-3"), ("SHARD_COUNT", "8")]).unwrap();
        assert_eq!(c.shards.map(|s| s.to_string()).as_deref(), Some("0-3 of 8"));
    }

    #[test]
    fn the_token_never_shows_in_debug() {
        let c = config(&[("DISCORD_TOKEN", TOKEN)]).unwrap();
        assert_eq!(c.require_token().unwrap().expose(), TOKEN);
        let debug = format!("{c:?}");
        assert!(
            !debug.contains(TOKEN) && debug.contains("Secret(***)"),
            "{debug}"
        );
    }

    #[test]
    fn each_bad_setting_names_its_variable() {
        for (vars, variable) in [
            (vec![("DISCORD_TOKEN", "not a token")], "DISCORD_TOKEN"),
            (vec![("METRICS_ADDR", "localhost")], "METRICS_ADDR"),
            (vec![("DATABASE_URL", "mysql://x")], "DATABASE_URL"),
            (vec![("DISCORD_API_URL", "127.0.0.1:80")], "DISCORD_API_URL"),
            (vec![("DISCORD_API_URL", "http://")], "DISCORD_API_URL"),
            (vec![("DISCORD_API_URL", "ftp://proxy")], "DISCORD_API_URL"),
            (
                vec![("DISCORD_API_URL", "http://127.0.0.1:9000/api/v10")],
                "DISCORD_API_URL",
            ),
            (
                vec![("DISCORD_API_URL", "http://proxy/api/")],
                "DISCORD_API_URL",
            ),
            (vec![("DATABASE_URL", "sqlite://")], "DATABASE_URL"),
            (vec![("DATABASE_URL", "sqlite://?mode=rwc")], "DATABASE_URL"),
            (vec![("DISCORD_TOKEN", "Bot ")], "DISCORD_TOKEN"),
            (vec![("LOG_LEVEL", "loud")], "LOG_LEVEL"),
            (vec![("LOG_FORMAT", "xml")], "LOG_FORMAT"),
            (vec![("SHARDS", "0-1")], "SHARD_COUNT"),
            (vec![("SHARD_COUNT", "2")], "SHARDS"),
            (vec![("SHARDS", "2"), ("SHARD_COUNT", "2")], "SHARDS"),
        ] {
            let e = config(&vars).unwrap_err();
            assert_eq!(e.variable, variable);
            assert!(
                e.to_string().starts_with(variable)
                    && e.to_string().ends_with("(see .env.example)")
            );
            assert!(!e.to_string().contains(TOKEN));
        }
    }

    #[test]
    fn a_token_written_with_the_bot_prefix_is_accepted() {
        let prefixed = format!("Bot {TOKEN}");
        let c = config(&[("DISCORD_TOKEN", prefixed.as_str())]).unwrap();
        assert_eq!(c.require_token().unwrap().expose(), TOKEN);
    }

    #[test]
    fn an_api_url_behind_a_proxy_path_is_kept() {
        let c = config(&[("DISCORD_API_URL", "https://proxy.internal/discord/")]).unwrap();
        assert_eq!(
            c.discord_api_url.as_deref(),
            Some("https://proxy.internal/discord")
        );
    }

    #[test]
    fn urls_are_kept_tidy() {
        let c = config(&[
            ("DISCORD_API_URL", "http://127.0.0.1:9000/"),
            ("DATABASE_URL", "postgres://steward@db/steward"),
            ("LOG_FORMAT", "json"),
        ])
        .unwrap();
        assert_eq!(c.discord_api_url.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(c.log_format, LogFormat::Json);
    }

    #[test]
    fn review_reminders_default_to_an_hour_and_can_be_turned_off() {
        let with = |v: &'static str| {
            move |name: &str| (name == "REVIEW_REMIND_AFTER").then(|| v.to_string())
        };
        assert_eq!(
            review_remind_after(|_| None),
            Ok(Some(DEFAULT_REVIEW_REMIND_AFTER))
        );
        assert_eq!(
            review_remind_after(with("30m")),
            Ok(Some(std::time::Duration::from_secs(1800)))
        );
        assert_eq!(review_remind_after(with("OFF")), Ok(None));
        let e = review_remind_after(with("soon")).unwrap_err();
        assert_eq!(e.variable, "REVIEW_REMIND_AFTER");
        assert!(review_remind_after(with("0s")).is_err());
    }
}
