//! Integration tests, one binary: the shipped charter, and the `steward` command line.

mod bot;
mod cases;
mod cli;
mod commands;
mod doctor;
mod evasion_gen;
mod evasion_recall;
mod fake_discord;
mod fake_discord_smoke;
mod giveaway_load;
mod giveaways;
mod manual;
mod metrics;
mod polls;
mod replay_backtest;
mod review;
mod schedule;
mod shipped_charter;
mod steward_support;
mod storage;
mod storage_files;
mod storage_giveaways;
mod storage_jobs;
mod storage_polls;
mod storage_review;
mod support;
