//! Steward: a Discord bot that helps a community manager run a server by its charter.
//!
//! The [`charter`] module compiles the community charter (rule files) and judges messages;
//! [`replay`] backtests a charter on past messages.

pub mod charter;
pub mod cli;
pub mod config;
pub mod facts;
pub mod ids;
pub mod moderation;
pub mod replay;
pub mod store;
