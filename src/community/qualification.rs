//! Referral quality: whether a join through a member's invite can count (an exact attribution, a
//! first join, not a self-invite, an account old enough), whether it has counted yet (the newcomer
//! stayed, took part, and had no case), and which reward tiers the referrer reached. Pure: the
//! scheduler gathers the facts, this decides.

use std::time::Duration;

use crate::charter::referrals::{ReferralSettings, Reward};
use crate::community::referrals::{Attribution, Confidence};
use crate::ids::UserId;

/// How long after joining a newcomer who has not taken part yet is given up on.
pub const GIVE_UP_AFTER: Duration = Duration::from_secs(60 * 86_400);

/// How often a newcomer who stayed but has not posted enough is looked at again.
pub const CHECK_AGAIN_EVERY: Duration = Duration::from_secs(86_400);

/// Why a join never counts as a referral.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ineligible {
    /// Not known exactly who invited them.
    NotExact,
    /// They used their own invite.
    SelfInvite,
    /// They had been a member before.
    Rejoin,
    /// Their account was younger than the charter's `min_account_age`.
    YoungAccount,
}

/// The inviter to credit once the join qualifies, or why there is none.
pub fn eligible(
    settings: &ReferralSettings,
    newcomer: UserId,
    attribution: &Attribution,
    rejoin: bool,
    joined_at_ms: i64,
) -> Result<UserId, Ineligible> {
    let inviter = match (attribution.confidence, attribution.inviter) {
        (Confidence::Exact, Some(inviter)) => inviter,
        _ => return Err(Ineligible::NotExact),
    };
    if inviter == newcomer {
        return Err(Ineligible::SelfInvite);
    }
    if rejoin {
        return Err(Ineligible::Rejoin);
    }
    let age_ms = joined_at_ms - newcomer.created_at_ms();
    if age_ms < settings.min_account_age.as_millis() as i64 {
        return Err(Ineligible::YoungAccount);
    }
    Ok(inviter)
}

/// What is known about a pending referral's newcomer when it is looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub joined_at_ms: i64,
    /// They are still a member.
    pub present: bool,
    /// Messages they posted since joining.
    pub messages: u64,
    /// Cases recorded about them since joining.
    pub cases: usize,
    pub now_ms: i64,
}

/// Where a pending referral stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// It counts from now on.
    Qualified,
    /// It never will.
    Lapsed(Lapse),
    /// Look again at `at_ms`.
    NotYet { at_ms: i64 },
}

/// Why a pending referral will never count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lapse {
    Left,
    Sanctioned,
    Inactive,
}

impl Lapse {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Lapse::Left => "left",
            Lapse::Sanctioned => "sanctioned",
            Lapse::Inactive => "inactive",
        }
    }
}

/// Judges a pending referral.
pub fn standing(settings: &ReferralSettings, progress: &Progress) -> Standing {
    if !progress.present {
        return Standing::Lapsed(Lapse::Left);
    }
    if progress.cases > 0 {
        return Standing::Lapsed(Lapse::Sanctioned);
    }
    let stayed_until = progress.joined_at_ms + settings.stay.as_millis() as i64;
    if progress.now_ms < stayed_until {
        return Standing::NotYet {
            at_ms: stayed_until,
        };
    }
    if progress.messages >= u64::from(settings.messages) {
        return Standing::Qualified;
    }
    if progress.now_ms >= progress.joined_at_ms + GIVE_UP_AFTER.as_millis() as i64 {
        return Standing::Lapsed(Lapse::Inactive);
    }
    Standing::NotYet {
        at_ms: progress.now_ms + CHECK_AGAIN_EVERY.as_millis() as i64,
    }
}

/// The tiers reached when a referrer goes from `before` to `after` qualified referrals.
pub fn rewards_reached(settings: &ReferralSettings, before: u32, after: u32) -> Vec<&Reward> {
    settings
        .rewards
        .iter()
        .filter(|r| r.referrals > before && r.referrals <= after)
        .collect()
}

/// The highest tier held with `count` qualified referrals, and the next one.
pub fn tier(settings: &ReferralSettings, count: u32) -> (Option<&Reward>, Option<&Reward>) {
    let held = settings.rewards.iter().rfind(|r| r.referrals <= count);
    let next = settings.rewards.iter().find(|r| r.referrals > count);
    (held, next)
}

#[cfg(test)]
#[path = "qualification_tests.rs"]
mod tests;
