//! Carrying out a moderator's decision: [`sanction_member`] (in [`sanction`]) gathers the facts,
//! has the core plan the request (`moderation::manual`) and performs the plan, for the commands
//! (`commands/moderation.rs`). Temporary bans are lifted on time by the scheduler
//! ([`tempbans`]), also after a restart.

mod sanction;
mod tempbans;

pub use sanction::sanction_member;
pub(crate) use sanction::{manual_facts, now_ms};
pub(crate) use tempbans::{cancel_ban_end, lift_ban, schedule_ban_end};
