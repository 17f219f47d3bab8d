//! The `steward` command line: `run`, `check`, `replay`.

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
        /// Files to replay, in order.
        #[arg(required = true)]
        files: Vec<PathBuf>,
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
    let code = match cli.command {
        Command::Run { rules } => {
            let rules = rules
                .or_else(|| std::env::var_os("RULES_DIR").map(PathBuf::from))
                .unwrap_or_else(|| PathBuf::from("rules"));
            steward::cli::run(&rules)
        }
        Command::Check { dir } => steward::cli::check(&dir),
        Command::Replay {
            rules,
            only_flagged,
            files,
        } => steward::cli::replay(&rules, &files, only_flagged),
    };
    ExitCode::from(code)
}
