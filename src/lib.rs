//! Steward: a Discord bot that helps a community manager run a server by its charter.
//!
//! - [`charter`] compiles the community charter (rule files) and judges messages;
//!   [`replay`] backtests it on past messages.
//! - [`moderation`] turns a verdict, a moderator's request or a review decision into actions, or a
//!   typed refusal (pure); [`discord`], the only module that speaks serenity, turns gateway
//!   events into [`facts`] and performs the actions.
//! - [`community`] decides what members take part in: polls (pure).
//! - [`cases`] and [`review`] model the case history and the review queue (enums, not strings).
//! - [`community`] decides giveaways: provably fair draws, start and entry checks (pure).
//! - [`jobs`] says what must happen later (pure); the scheduler in [`discord`] runs them.
//! - [`store`] is the only place SQL lives; [`activity`] counts in memory and flushes in batches.
//! - [`config`] reads the environment; [`cli`] is what the `steward` binary does.

pub mod activity;
pub mod cases;
pub mod charter;
pub mod cli;
pub mod community;
pub mod config;
pub mod discord;
pub mod doctor;
pub mod facts;
pub mod first_messages;
pub mod i18n;
pub mod ids;
pub mod jobs;
pub mod moderation;
pub mod picture;
pub mod replay;
pub mod review;
pub mod shards;
pub mod stats;
pub mod store;
pub mod telemetry;
