//! The `steward` command line: `run`, `migrate`, `check`, `doctor`, `replay`, `stats rules`,
//! `report`, `verify-draw`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Steward: a Discord bot that runs a community by its charter.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the bot; without DISCORD_TOKEN, try the charter on sample messages instead.
    Run {
        /// The charter folder (default: $RULES_DIR, or rules).
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Apply the database migrations (DATABASE_URL) and exit.
    Migrate,
    /// Copy the SQLite database, consistent even while the bot runs, to a new file.
    Backup {
        /// Where to write the copy (must not exist yet).
        path: PathBuf,
    },
    /// Validate a charter and run its rules' examples.
    Check {
        /// The charter folder.
        #[arg(default_value = "rules")]
        dir: PathBuf,
    },
    /// Backtest a charter on past messages (JSON Lines or DiscordChatExporter JSON).
    Replay {
        /// The charter folder.
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
        /// Print flagged messages only.
        #[arg(long)]
        only_flagged: bool,
        /// Also judge with this (older) charter folder and print only the messages whose
        /// verdict changes from it to `--rules`, with counts per rule.
        #[arg(long, value_name = "OLD")]
        against: Option<PathBuf>,
        /// Files to replay, in order.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Check everything before going live: configuration, database, charter, and on Discord the
    /// token, the privileged intents, and each server's permissions and role order.
    Doctor,
    /// Re-run a giveaway's draw from its published data and print the winners.
    VerifyDraw {
        /// The revealed seed (hex), from the end announcement.
        #[arg(long)]
        seed: String,
        /// The commitment (hex) published when the giveaway started.
        #[arg(long)]
        commitment: String,
        /// The giveaway's number.
        #[arg(long)]
        giveaway: i64,
        /// The draw's round: 0 for the end, 1 for the first reroll, ...
        #[arg(long, default_value_t = 0)]
        round: u32,
        /// The entrant list: a file with one user id per line (attached to the announcement).
        #[arg(long)]
        entrants: PathBuf,
        /// How many winners were drawn.
        #[arg(long)]
        winners: usize,
        /// Past winners excluded from a reroll (comma-separated ids).
        #[arg(long, value_delimiter = ',')]
        exclude: Vec<u64>,
    },
    /// Write a week's or a month's community report (PNG charts, CSV, HTML page) into a folder.
    Report {
        /// The server's id.
        #[arg(long)]
        guild: u64,
        /// An ISO week, such as 2026-W47.
        #[arg(long, required_unless_present = "month", conflicts_with = "month")]
        week: Option<String>,
        /// A month, such as 2026-11.
        #[arg(long)]
        month: Option<String>,
        /// The folder to write (default: report-GUILD-PERIOD).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The language (fr, en; default: the server's).
        #[arg(long)]
        lang: Option<String>,
        /// The charter folder, for its time zone (default: $RULES_DIR, or rules).
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Figures from the database (DATABASE_URL).
    Stats {
        #[command(subcommand)]
        what: Stats,
    },
}

#[derive(Subcommand)]
enum Stats {
    /// Per charter rule: review items, approved (false positives) vs removed, queue health.
    Rules {
        /// The server's id.
        #[arg(long)]
        guild: u64,
    },
}

fn main() -> ExitCode {
    // A missing .env is normal; a broken one is worth saying.
    if let Err(e) = dotenvy::dotenv()
        && !e.not_found()
    {
        eprintln!("warning: .env: {e}");
    }
    let cli = Cli::parse();
    let config = || {
        steward::config::Config::from_env().map_err(|e| {
            eprintln!("steward: {e}");
            ExitCode::from(steward::cli::UNUSABLE)
        })
    };
    let code = match cli.command {
        Command::Run { rules } => {
            let mut config = match config() {
                Ok(config) => config,
                Err(code) => return code,
            };
            if let Some(rules) = rules {
                config.rules_dir = rules;
            }
            steward::cli::run(&config)
        }
        Command::Migrate => match config() {
            Ok(config) => steward::cli::migrate(&config),
            Err(code) => return code,
        },
        Command::Backup { path } => match config() {
            Ok(config) => steward::cli::backup(&config, &path),
            Err(code) => return code,
        },
        Command::Check { dir } => steward::cli::check(&dir),
        Command::Doctor => {
            steward::cli::doctor(steward::config::Config::from_env().map_err(|e| e.to_string()))
        }
        Command::Replay {
            rules,
            only_flagged,
            against: None,
            files,
        } => steward::cli::replay(&rules, &files, only_flagged),
        Command::Replay {
            rules,
            against: Some(old),
            files,
            ..
        } => steward::cli::replay_diff(&rules, &old, &files),
        Command::VerifyDraw {
            seed,
            commitment,
            giveaway,
            round,
            entrants,
            winners,
            exclude,
        } => steward::cli::verify_draw(
            &seed,
            &commitment,
            giveaway,
            round,
            &entrants,
            winners,
            &exclude,
        ),
        Command::Report {
            guild,
            week,
            month,
            out,
            lang,
            rules,
        } => match config() {
            Ok(mut config) => {
                if let Some(rules) = rules {
                    config.rules_dir = rules;
                }
                let request = steward::cli::ReportRequest {
                    guild,
                    week: week.is_some(),
                    period: week.or(month).unwrap_or_default(),
                    out,
                    lang,
                };
                steward::cli::report(&config, &request)
            }
            Err(code) => return code,
        },
        Command::Stats {
            what: Stats::Rules { guild },
        } => match config() {
            Ok(config) => steward::cli::stats_rules(&config, guild),
            Err(code) => return code,
        },
    };
    ExitCode::from(code)
}
