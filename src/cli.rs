//! What the command line does, as functions returning an exit code: `check`, `doctor`, `replay`
//! (and its charter diff, `replay --against`), `stats rules`, `report`, `verify-draw`, and `run` (which,
//! without a Discord token, tries the charter on sample messages).

mod doctor;
mod report;
mod verify_draw;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::charter::Charter;
use crate::config::{Config, LogFormat};
use crate::facts::MessageFacts;
use crate::ids::UserId;
use crate::moderation;
use crate::replay;

pub use doctor::doctor;
pub use report::{ReportRequest, report, write as write_report};
pub use verify_draw::verify_draw;

/// Exit code when everything is fine.
pub const OK: u8 = 0;
/// Exit code when the charter or the input has errors.
pub const FAILED: u8 = 1;
/// Exit code when the command cannot run as asked (configuration).
pub const UNUSABLE: u8 = 2;

/// Loads a charter, printing every error on stderr.
fn load(dir: &Path) -> Option<Charter> {
    match Charter::load(dir) {
        Ok(charter) => Some(charter),
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!(
                "{}: {} error{}",
                dir.display(),
                errors.0.len(),
                if errors.0.len() == 1 { "" } else { "s" }
            );
            None
        }
    }
}

/// `steward check DIR`: validate, run the examples, print a one-screen summary.
pub fn check(dir: &Path) -> u8 {
    let Some(charter) = load(dir) else {
        return FAILED;
    };
    let failures = charter.check_examples();
    for failure in &failures {
        eprintln!("{failure}");
    }
    let examples: usize = charter
        .rules
        .iter()
        .map(|r| r.must_match.len() + r.must_not_match.len())
        .sum();
    let s = &charter.stats;
    println!("{} — {}", dir.display(), charter.title.default_text());
    println!(
        "  languages  {}\n  sections   {}\n  rules      {}\n  keywords   {} ({} patterns)\n  regexes    {}\n  examples   {} ({} failed)\n  compiled in {:.1} ms",
        charter.languages.join(", "),
        s.sections,
        s.rules,
        s.keywords,
        s.keyword_patterns,
        s.regexes,
        examples,
        failures.len(),
        s.compile_time.as_secs_f64() * 1000.0
    );
    if let Some(escalation) = &charter.escalation {
        let steps: Vec<String> = escalation
            .steps
            .iter()
            .map(|(points, sanction)| format!("{points} pts → {sanction}"))
            .collect();
        println!(
            "  escalation within {}: {}",
            crate::charter::format_duration(escalation.window),
            steps.join(", ")
        );
    }
    if failures.is_empty() {
        println!("ok");
        OK
    } else {
        println!("{} example(s) failed", failures.len());
        FAILED
    }
}

/// `steward replay --rules DIR FILE...`: JSON lines on stdout, summary on stderr.
pub fn replay(rules: &Path, files: &[PathBuf], only_flagged: bool) -> u8 {
    let Some(charter) = load(rules) else {
        return FAILED;
    };
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut log = io::stderr();
    match replay::replay(&charter, &paths, only_flagged, &mut out, &mut log) {
        Ok(summary) => {
            let _ = summary.write_table(&mut log);
            // Something could not be read (each reported): the rest was replayed, but say so.
            if summary.malformed > 0 { FAILED } else { OK }
        }
        // `steward replay ... | head` closes the pipe early: that is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => OK,
        Err(e) => {
            eprintln!("replay: {e}");
            FAILED
        }
    }
}

/// `steward replay --rules NEW --against OLD FILE...`: the messages whose verdict changes, as
/// JSON lines on stdout; counts per rule on stderr.
pub fn replay_diff(new: &Path, old: &Path, files: &[PathBuf]) -> u8 {
    let (Some(new), Some(old)) = (load(new), load(old)) else {
        return FAILED;
    };
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut log = io::stderr();
    match replay::diff::diff(&new, &old, &paths, &mut out, &mut log) {
        Ok(summary) => {
            let _ = summary.write_table(&mut log);
            // Something could not be read (each reported): the rest was replayed, but say so.
            if summary.malformed > 0 { FAILED } else { OK }
        }
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => OK,
        Err(e) => {
            eprintln!("replay: {e}");
            FAILED
        }
    }
}

/// Messages to try a charter on when no Discord token is configured.
pub const SAMPLES: [&str; 12] = [
    "Hello everyone, glad to be here!",
    "Bonjour à tous, ravi de vous rejoindre !",
    "Does anyone know how to reset the router?",
    "what an 4sshole, seriously",
    "t'es vraiment un c.o.n.n.a.r.d",
    "FREE NITRO here: https://discord-gift.example/claim",
    "join my server discord.gg/abc123 it's better",
    "WHY DOES NOTHING EVER WORK IN THIS STUPID GAME AAAAAAA",
    "My classic cocktail recipe from Scunthorpe",
    "call me at 06 12 34 56 78 or mail jean.dupont@gmail.com",
    "I love this community, you're all great",
    "the assassin's creed soundtrack is amazing",
];

/// `steward run`: connects to Discord with `DISCORD_TOKEN`; without one, tries the charter on
/// sample messages.
pub fn run(config: &Config) -> u8 {
    if config.discord_token.is_some() {
        return run_bot(config.clone());
    }
    let rules = &config.rules_dir;
    let Some(charter) = load(rules) else {
        return FAILED;
    };
    println!(
        "DISCORD_TOKEN is not set: trying the charter in {} on sample messages.\n",
        rules.display()
    );
    let mut out = io::stdout().lock();
    let mut tracker = charter.tracker();
    for (i, sample) in SAMPLES.iter().enumerate() {
        let facts = MessageFacts {
            content: sample.to_string(),
            author: UserId(i as u64),
            ..MessageFacts::default()
        };
        let verdict = moderation::judge(&charter, &facts, &mut tracker);
        let _ = writeln!(out, "{sample}");
        if !verdict.is_flagged() {
            let _ = writeln!(out, "  → allowed\n");
            continue;
        }
        let language = &charter.languages[0];
        for rule in verdict.rules() {
            let rule = &charter.rules[rule];
            let section = charter
                .section(rule.section)
                .map_or("", |s| s.title.get(language));
            let matched: Vec<&str> = verdict
                .matches
                .iter()
                .filter(|m| charter.rules[m.rule].id == rule.id)
                .map(|m| m.text.as_str())
                .collect();
            let _ = writeln!(
                out,
                "  → {} by rule \"{}\" (article {} — {}): {:?}",
                rule.outcome.as_str(),
                rule.id,
                rule.section,
                section,
                matched
            );
        }
        let _ = writeln!(out);
    }
    OK
}

/// Log targets kept quiet whatever `LOG_LEVEL` says: the websocket library prints every frame
/// at trace level, IDENTIFY (and so the token) included; serenity opens an info span on every
/// gateway event that formats the whole event, a third of the CPU a busy bot spends (see
/// BENCHMARKS.md, "Whole bot, end to end"), so its shard logs only warnings.
const NEVER_VERBOSE: &str = "tungstenite=info,tokio_tungstenite=info,serenity::gateway::shard=warn";

/// Sends log lines to stderr, as text or JSON, filtered by `LOG_LEVEL` (appended with
/// [`NEVER_VERBOSE`], which wins over the same targets named in it).
pub fn init_logging(config: &Config) {
    let filter =
        tracing_subscriber::EnvFilter::new(format!("{},{NEVER_VERBOSE}", config.log_level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr);
    let installed = match config.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    if let Err(e) = installed {
        eprintln!("logging not set up: {e}");
    }
}

fn runtime() -> Option<tokio::runtime::Runtime> {
    tokio::runtime::Runtime::new()
        .map_err(|e| eprintln!("cannot start the async runtime: {e}"))
        .ok()
}

/// Runs the bot until SIGINT or SIGTERM.
fn run_bot(config: Config) -> u8 {
    init_logging(&config);
    let review_remind_after = match crate::config::review_remind_after(|n| std::env::var(n).ok()) {
        Ok(after) => after,
        Err(e) => {
            eprintln!("steward: {e}");
            return UNUSABLE;
        }
    };
    let Some(runtime) = runtime() else {
        return FAILED;
    };
    let options = crate::discord::RunOptions {
        review_remind_after,
        ..crate::discord::RunOptions::default()
    };
    let outcome = runtime.block_on(crate::discord::run_with(config, options, shutdown_signal()));
    // A charter reload still compiling on a blocking thread is abandoned, not waited for: it
    // only ever replaces the charter of a process that is stopping.
    runtime.shutdown_timeout(SHUTDOWN_GRACE);
    match outcome {
        Ok(()) => OK,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("steward: {e:#}");
            FAILED
        }
    }
}

/// How long background work may take to finish once the bot has stopped.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

/// `steward migrate`: applies the database migrations and exits.
pub fn migrate(config: &Config) -> u8 {
    let Some(runtime) = runtime() else {
        return FAILED;
    };
    let url = &config.database_url;
    let result = runtime.block_on(async {
        let store = crate::store::Store::connect(url).await?;
        store.migrate().await?;
        store.close().await;
        Ok::<_, crate::store::StoreError>(())
    });
    match result {
        Ok(()) => {
            println!("{}: migrations applied", crate::store::redact_url(url));
            OK
        }
        Err(e) => {
            eprintln!("steward migrate: {e}");
            FAILED
        }
    }
}

/// `steward backup PATH`: a consistent copy of the SQLite database (`VACUUM INTO`), safe while
/// the bot runs; restoring is putting the copy in place of the file while Steward is stopped.
pub fn backup(config: &Config, path: &Path) -> u8 {
    let Some(runtime) = runtime() else {
        return FAILED;
    };
    if path.exists() {
        eprintln!(
            "steward backup: {} exists already; choose a new file",
            path.display()
        );
        return FAILED;
    }
    let url = &config.database_url;
    let result = runtime.block_on(async {
        let store = crate::store::Store::connect_existing(url).await?;
        let copied = store.backup_to(path).await;
        store.close().await;
        copied
    });
    match result {
        Ok(()) => {
            println!(
                "{} copied to {}",
                crate::store::redact_url(url),
                path.display()
            );
            OK
        }
        Err(e) => {
            eprintln!("steward backup: {e}");
            FAILED
        }
    }
}

/// Completes on Ctrl-C or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// `steward stats rules --guild ID`: per rule, what the charter sent to review and what
/// moderators decided (approved = false positives), then queue health.
pub fn stats_rules(config: &Config, guild: u64) -> u8 {
    let Some(runtime) = runtime() else {
        return FAILED;
    };
    let url = &config.database_url;
    let guild = crate::ids::GuildId(guild);
    let result = runtime.block_on(async {
        let store = crate::store::Store::connect_existing(url).await?;
        store.migrate().await?;
        let feedback = store.rule_feedback(guild).await?;
        let health = store.queue_health(guild).await?;
        store.close().await;
        Ok::<_, crate::store::StoreError>((feedback, health))
    });
    match result {
        Ok((feedback, health)) => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64);
            print!("{}", rule_table(&feedback, &health, now));
            OK
        }
        Err(e) => {
            eprintln!("steward stats rules: {e}");
            FAILED
        }
    }
}

/// The table `steward stats rules` prints; `now_ms` dates the oldest open item.
pub fn rule_table(
    feedback: &[crate::review::RuleFeedback],
    health: &crate::review::QueueHealth,
    now_ms: i64,
) -> String {
    let width = feedback
        .iter()
        .map(|f| f.rule.chars().count())
        .max()
        .unwrap_or(0)
        .max(4);
    let mut out = format!(
        "{:<width$}  {:>5}  {:>7}  {:>8}  {:>8}  {:>7}  {:>9}  {:>4}  {:>8}\n",
        "rule",
        "held",
        "flagged",
        "reported",
        "approved",
        "removed",
        "dismissed",
        "open",
        "approval"
    );
    for f in feedback {
        let rate = f
            .approval_rate()
            .map_or_else(|| "-".to_string(), |r| format!("{:.0}%", r * 100.0));
        out.push_str(&format!(
            "{:<width$}  {:>5}  {:>7}  {:>8}  {:>8}  {:>7}  {:>9}  {:>4}  {:>8}\n",
            f.rule, f.held, f.flagged, f.reported, f.approved, f.removed, f.dismissed, f.open, rate
        ));
    }
    let minutes = |ms: i64| format!("{:.1} min", ms as f64 / 60_000.0);
    out.push_str(&format!(
        "\nopen items: {}; oldest waiting: {}; median time to decision: {}\n",
        health.open,
        health
            .oldest_open_at_ms
            .map_or_else(|| "-".into(), |at| minutes(now_ms - at)),
        health
            .median_decision_ms
            .map_or_else(|| "-".into(), minutes),
    ));
    out
}

#[cfg(test)]
mod stats_tests {
    use super::*;
    use crate::review::{QueueHealth, RuleFeedback};

    #[test]
    fn the_rule_table_shows_rates_and_health() {
        let feedback = [RuleFeedback {
            rule: "links".into(),
            flagged: 4,
            approved: 3,
            removed: 1,
            ..RuleFeedback::default()
        }];
        let health = QueueHealth {
            open: 2,
            oldest_open_at_ms: Some(0),
            median_decision_ms: Some(90_000),
        };
        let table = rule_table(&feedback, &health, 120_000);
        let row = table.lines().nth(1).unwrap();
        assert_eq!(
            row.split_whitespace().collect::<Vec<_>>(),
            ["links", "0", "4", "0", "3", "1", "0", "0", "75%"]
        );
        assert!(
            table.contains(
                "open items: 2; oldest waiting: 2.0 min; median time to decision: 1.5 min"
            ),
            "{table}"
        );
    }
}
