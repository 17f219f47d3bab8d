//! Integration tests, one binary: the shipped charter, and the `steward` command line.

mod bot;
mod cases;
mod cli;
mod evasion_gen;
mod evasion_recall;
mod fake_discord;
mod fake_discord_smoke;
mod manual;
mod replay_backtest;
mod review;
mod shipped_charter;
mod steward_support;
mod storage;
mod storage_review;
mod storage_unbans;
mod support;
