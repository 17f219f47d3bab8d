//! Carrying out a moderator's decision: [`sanction_member`] (in [`sanction`]) is the one way a
//! warning, timeout, kick, ban, unban or note happens, for the commands (`commands/moderation.rs`)
//! as for the review queue's buttons. Temporary bans are lifted on time by the scheduler ([`tempbans`]), also
//! after a restart.

mod sanction;
mod tempbans;

pub(crate) use sanction::now_ms;
// The API of carrying out a decision, for the review buttons as for the commands.
#[allow(unused_imports)]
pub use sanction::{MAX_BAN_PURGE_DAYS, ManualAction, Refusal, SanctionRequest, sanction_member};
pub(crate) use tempbans::lift_ban;
