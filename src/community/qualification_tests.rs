//! Which joins can count as referrals, when they count, and the tiers they reach.

use super::*;

const DAY: i64 = 86_400_000;

fn settings() -> ReferralSettings {
    ReferralSettings {
        stay: Duration::from_secs(7 * 86_400),
        messages: 5,
        min_account_age: Duration::from_secs(30 * 86_400),
        rewards: vec![
            Reward {
                referrals: 1,
                role: "Friend".into(),
            },
            Reward {
                referrals: 3,
                role: "Ambassador".into(),
            },
        ],
    }
}

/// A user whose account was created at `created_ms` (a snowflake carries its creation time).
fn account(created_ms: i64) -> UserId {
    UserId(((created_ms as u64) - crate::ids::DISCORD_EPOCH_MS) << 22)
}

fn exact(inviter: UserId) -> Attribution {
    Attribution {
        confidence: Confidence::Exact,
        code: Some("c".into()),
        inviter: Some(inviter),
        candidates: Vec::new(),
    }
}

const NOW: i64 = 1_800_000_000_000;

#[test]
fn only_exact_first_joins_of_old_enough_accounts_by_someone_else_count() {
    let s = settings();
    let alice = account(NOW - 900 * DAY);
    let old = account(NOW - 365 * DAY);
    let young = account(NOW - 2 * DAY);
    assert_eq!(eligible(&s, old, &exact(alice), false, NOW), Ok(alice));
    assert_eq!(
        eligible(&s, young, &exact(alice), false, NOW),
        Err(Ineligible::YoungAccount)
    );
    assert_eq!(
        eligible(&s, old, &exact(alice), true, NOW),
        Err(Ineligible::Rejoin)
    );
    assert_eq!(
        eligible(&s, old, &exact(old), false, NOW),
        Err(Ineligible::SelfInvite)
    );
    let unsure = Attribution {
        confidence: Confidence::Ambiguous,
        ..exact(alice)
    };
    assert_eq!(
        eligible(&s, old, &unsure, false, NOW),
        Err(Ineligible::NotExact)
    );
}

fn progress(days: i64, present: bool, messages: u64, cases: usize) -> Progress {
    Progress {
        joined_at_ms: NOW,
        present,
        messages,
        cases,
        now_ms: NOW + days * DAY,
    }
}

#[test]
fn a_referral_counts_after_the_stay_with_enough_messages_and_no_case() {
    let s = settings();
    assert_eq!(standing(&s, &progress(7, true, 5, 0)), Standing::Qualified);
    assert_eq!(
        standing(&s, &progress(3, true, 50, 0)),
        Standing::NotYet {
            at_ms: NOW + 7 * DAY
        }
    );
    assert_eq!(
        standing(&s, &progress(8, true, 2, 0)),
        Standing::NotYet {
            at_ms: NOW + 9 * DAY
        }
    );
    assert_eq!(
        standing(&s, &progress(60, true, 2, 0)),
        Standing::Lapsed(Lapse::Inactive)
    );
}

#[test]
fn leaving_or_a_case_before_qualifying_removes_the_credit() {
    let s = settings();
    assert_eq!(
        standing(&s, &progress(1, false, 9, 0)),
        Standing::Lapsed(Lapse::Left)
    );
    assert_eq!(
        standing(&s, &progress(7, true, 9, 1)),
        Standing::Lapsed(Lapse::Sanctioned)
    );
}

#[test]
fn tiers_are_reached_once_each() {
    let s = settings();
    let names = |v: Vec<&Reward>| v.into_iter().map(|r| r.role.clone()).collect::<Vec<_>>();
    assert_eq!(names(rewards_reached(&s, 0, 1)), ["Friend"]);
    assert!(rewards_reached(&s, 1, 2).is_empty());
    assert_eq!(names(rewards_reached(&s, 2, 3)), ["Ambassador"]);
    assert_eq!(tier(&s, 2).0.map(|r| r.role.as_str()), Some("Friend"));
    assert_eq!(tier(&s, 2).1.map(|r| r.referrals), Some(3));
    assert_eq!(tier(&s, 0), (None, Some(&s.rewards[0])));
}
