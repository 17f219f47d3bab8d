//! `steward doctor`: the configuration, the database (reachable, migrated), the charter (valid),
//! then Discord (token, intents, and in each server the permissions and the role order), one line
//! each with what to do. Exits 0 only when all is well.

use crate::config::Config;
use crate::doctor::Report;

/// Runs every check and prints the report.
pub fn doctor(config: Result<Config, String>) -> u8 {
    let mut report = Report::default();
    let config = match config {
        Ok(config) => {
            report.ok("configuration: read from the environment");
            config
        }
        Err(e) => {
            report.problem(
                format!("configuration: {e}"),
                "fix the variable named (see .env.example)",
            );
            print!("{report}");
            return super::FAILED;
        }
    };
    let Some(runtime) = super::runtime() else {
        return super::FAILED;
    };
    runtime.block_on(async {
        report.extend(database(&config).await);
        report.extend(charter(&config));
        match &config.discord_token {
            Some(token) => report.extend(
                crate::discord::doctor::check(token.expose(), config.discord_api_url.as_deref())
                    .await,
            ),
            None => report.problem(
                "discord: DISCORD_TOKEN is not set",
                "put the bot's token in .env (see the README, Connect it to your server)",
            ),
        }
    });
    print!("{report}");
    if report.all_ok() {
        super::OK
    } else {
        super::FAILED
    }
}

async fn database(config: &Config) -> Report {
    let mut report = Report::default();
    let url = crate::store::redact_url(&config.database_url);
    let store = match crate::store::Store::connect_existing(&config.database_url).await {
        Ok(store) => store,
        Err(crate::store::StoreError::NoDatabase { .. }) => {
            report.problem(
                format!("database: {url} does not exist yet"),
                "run `steward migrate` (or start the bot, which creates and migrates it)",
            );
            return report;
        }
        Err(e) => {
            report.problem(
                format!("database: {url} cannot be opened ({e})"),
                "check DATABASE_URL, and that the server runs and accepts this user",
            );
            return report;
        }
    };
    match store.pending_migrations().await {
        Ok(pending) if pending.is_empty() => report.ok(format!("database: {url}, migrated")),
        Ok(pending) => report.problem(
            format!(
                "database: {url} lacks {} migration(s): {}",
                pending.len(),
                pending.join(", ")
            ),
            "run `steward migrate` (or start the bot, which migrates)",
        ),
        Err(e) => report.problem(format!("database: {url}: {e}"), "check the database"),
    }
    store.close().await;
    report
}

fn charter(config: &Config) -> Report {
    let mut report = Report::default();
    let dir = config.rules_dir.display();
    match crate::charter::Charter::load_verified(&config.rules_dir) {
        Ok(charter) => report.ok(format!(
            "charter: {dir}, {} rules, valid",
            charter.stats.rules
        )),
        Err(errors) => report.problem(
            format!("charter: {dir} has errors"),
            format!("run `steward check {dir}` to see each one:\n{errors}"),
        ),
    }
    report
}
