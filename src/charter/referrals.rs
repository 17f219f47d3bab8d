//! The `[referrals]` section of `charter.toml`: when a join through a member's invite counts as
//! a referral (the newcomer stayed long enough, took part, and had no case), which accounts never
//! count, and the reward roles at thresholds. Raw TOML in, validated [`ReferralSettings`] out,
//! every problem located; the decisions are [`crate::community::qualification`].

use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::diagnostics::{Diagnostic, SourceFile};
use super::values::parse_duration;

/// The longest a newcomer may be asked to stay before their referral counts.
pub const MAX_STAY: Duration = Duration::from_secs(90 * 86_400);

/// The most reward tiers.
pub const MAX_REWARDS: usize = 20;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReferrals {
    pub stay: Spanned<String>,
    #[serde(default)]
    pub messages: Option<Spanned<u32>>,
    pub min_account_age: Option<Spanned<String>>,
    #[serde(default)]
    pub reward: Vec<RawReward>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReward {
    pub referrals: Spanned<u32>,
    pub role: Spanned<String>,
}

/// When a referral counts, and what it earns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferralSettings {
    /// How long the newcomer must stay.
    pub stay: Duration,
    /// How many messages they must post meanwhile.
    pub messages: u32,
    /// Accounts younger than this when they join never count (0: any).
    pub min_account_age: Duration,
    /// Roles earned at a number of qualified referrals, in increasing order.
    pub rewards: Vec<Reward>,
}

/// A reward tier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reward {
    pub referrals: u32,
    /// By name or id, as the charter writes it.
    pub role: String,
}

/// Validates a `[referrals]` section, pushing every problem found; `None` when there was one.
pub(crate) fn compile_referrals(
    raw: &RawReferrals,
    file: &SourceFile<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Option<ReferralSettings> {
    let before = errors.len();
    let mut error = |span: std::ops::Range<usize>, message: String| {
        errors.push(file.error(Some(span), None, format!("[referrals]: {message}")));
    };
    let duration =
        |raw: &Spanned<String>, what: &str, error: &mut dyn FnMut(_, String)| match parse_duration(
            raw.get_ref(),
        ) {
            Ok(d) if d > MAX_STAY => {
                error(raw.span(), format!("{what} is at most 90d"));
                Duration::ZERO
            }
            Ok(d) => d,
            Err(m) => {
                error(raw.span(), m);
                Duration::ZERO
            }
        };
    let stay = duration(&raw.stay, "stay", &mut error);
    let min_account_age = raw.min_account_age.as_ref().map_or(Duration::ZERO, |a| {
        duration(a, "min_account_age", &mut error)
    });
    let messages = raw.messages.as_ref().map_or(0, |m| *m.get_ref());
    if raw.reward.len() > MAX_REWARDS {
        error(
            raw.reward[MAX_REWARDS].referrals.span(),
            format!("at most {MAX_REWARDS} rewards"),
        );
    }
    let mut rewards: Vec<Reward> = Vec::new();
    for reward in &raw.reward {
        let referrals = *reward.referrals.get_ref();
        if referrals == 0 {
            error(
                reward.referrals.span(),
                "referrals must be at least 1".into(),
            );
        } else if rewards.last().is_some_and(|r| r.referrals >= referrals) {
            error(
                reward.referrals.span(),
                "rewards must be listed by increasing referrals".into(),
            );
        }
        let role = reward.role.get_ref().trim();
        if role.is_empty() {
            error(reward.role.span(), "a reward needs a role".into());
        }
        rewards.push(Reward {
            referrals,
            role: role.to_string(),
        });
    }
    (errors.len() == before).then_some(ReferralSettings {
        stay,
        messages,
        min_account_age,
        rewards,
    })
}
