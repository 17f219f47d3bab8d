//! Attribution from invite use counts: exact, ambiguous, vanity, used-up one-use invites, bursts.

use super::*;

const ALICE: UserId = UserId(1);
const BOB: UserId = UserId(2);

fn invite(code: &str, inviter: UserId, uses: u64, max_uses: u64) -> InviteFacts {
    InviteFacts {
        code: code.into(),
        inviter: Some(inviter),
        uses,
        max_uses,
    }
}

fn snapshot(invites: &[InviteFacts], vanity: Option<u64>) -> InviteSnapshot {
    InviteSnapshot::new(invites.iter().cloned(), vanity)
}

#[test]
fn one_invite_that_rose_is_exact_and_names_its_creator() {
    let before = snapshot(
        &[invite("alice", ALICE, 3, 0), invite("bob", BOB, 0, 0)],
        None,
    );
    let now = snapshot(
        &[invite("alice", ALICE, 4, 0), invite("bob", BOB, 0, 0)],
        None,
    );
    let (found, next) = attribute(&before, now.clone(), 1);
    assert_eq!(found[0].code.as_deref(), Some("alice"));
    assert_eq!(found[0].confidence, Confidence::Exact);
    assert_eq!(found[0].inviter, Some(ALICE));
    assert_eq!(next, now);
}

#[test]
fn two_invites_that_rose_together_are_ambiguous_never_guessed() {
    let before = snapshot(
        &[invite("alice", ALICE, 3, 0), invite("bob", BOB, 0, 0)],
        None,
    );
    let now = snapshot(
        &[invite("alice", ALICE, 4, 0), invite("bob", BOB, 1, 0)],
        None,
    );
    let (found, _) = attribute(&before, now.clone(), 2);
    for a in &found {
        assert_eq!(a.confidence, Confidence::Ambiguous);
        assert_eq!(a.inviter, None);
        assert_eq!(a.candidates, ["alice", "bob"]);
    }
    assert_eq!(found.len(), 2);
}

#[test]
fn the_vanity_url_is_named_when_it_alone_rose() {
    let before = snapshot(&[invite("alice", ALICE, 3, 0)], Some(10));
    let now = snapshot(&[invite("alice", ALICE, 3, 0)], Some(11));
    let (found, _) = attribute(&before, now.clone(), 1);
    assert_eq!(found[0].confidence, Confidence::Vanity);
    assert_eq!(found[0].code, None);
}

#[test]
fn a_one_use_invite_that_vanished_was_used() {
    let before = snapshot(
        &[invite("once", BOB, 0, 1), invite("alice", ALICE, 3, 0)],
        None,
    );
    let now = snapshot(&[invite("alice", ALICE, 3, 0)], None);
    let (found, _) = attribute(&before, now.clone(), 1);
    assert_eq!(found[0].confidence, Confidence::Exact);
    assert_eq!(found[0].code.as_deref(), Some("once"));
    assert_eq!(found[0].inviter, Some(BOB));
}

#[test]
fn an_unlimited_invite_that_vanished_was_deleted_or_expired_not_used() {
    let before = snapshot(&[invite("old", BOB, 5, 0)], None);
    let now = snapshot(&[], None);
    let (found, _) = attribute(&before, now.clone(), 1);
    assert_eq!(found, vec![Attribution::unknown()]);
}

#[test]
fn nothing_rose_means_unknown() {
    let both = snapshot(&[invite("alice", ALICE, 3, 0)], Some(2));
    let (found, _) = attribute(&both, both.clone(), 1);
    assert_eq!(found, vec![Attribution::unknown()]);
}

#[test]
fn an_invite_created_after_the_snapshot_counts_from_zero() {
    let before = snapshot(&[], None);
    let now = snapshot(&[invite("fresh", ALICE, 1, 0)], None);
    let (found, _) = attribute(&before, now.clone(), 1);
    assert_eq!(found[0].code.as_deref(), Some("fresh"));
}

#[test]
fn a_burst_through_one_invite_is_exact_for_every_join() {
    let before = snapshot(
        &[invite("alice", ALICE, 0, 0), invite("bob", BOB, 7, 0)],
        None,
    );
    let now = snapshot(
        &[invite("alice", ALICE, 50, 0), invite("bob", BOB, 7, 0)],
        None,
    );
    let (found, _) = attribute(&before, now.clone(), 50);
    assert_eq!(found.len(), 50);
    assert!(found.iter().all(|a| a.inviter == Some(ALICE)));
}

#[test]
fn uses_of_joins_not_seen_yet_are_kept_for_them() {
    let before = snapshot(&[invite("alice", ALICE, 0, 0)], None);
    let now = snapshot(&[invite("alice", ALICE, 3, 0)], None);
    // Two join events arrived; the third is still on its way.
    let (found, next) = attribute(&before, now.clone(), 2);
    assert!(found.iter().all(|a| a.confidence == Confidence::Exact));
    assert_eq!(next.invites["alice"].uses, 2);
    // It arrives; Discord still says 3.
    let (late, after) = attribute(&next, now.clone(), 1);
    assert_eq!(late[0].inviter, Some(ALICE));
    assert_eq!(after.invites["alice"].uses, 3);
}

#[test]
fn fewer_uses_than_joins_leaves_every_join_of_the_burst_ambiguous() {
    let before = snapshot(&[invite("alice", ALICE, 0, 0)], None);
    let now = snapshot(&[invite("alice", ALICE, 1, 0)], None);
    let (found, _) = attribute(&before, now.clone(), 2);
    assert!(found.iter().all(|a| a.confidence == Confidence::Ambiguous));
    assert_eq!(found[0].candidates, ["alice"]);
}

#[test]
fn an_invite_and_the_vanity_url_rising_together_are_ambiguous() {
    let before = snapshot(&[invite("alice", ALICE, 0, 0)], Some(0));
    let now = snapshot(&[invite("alice", ALICE, 1, 0)], Some(1));
    let (found, _) = attribute(&before, now.clone(), 2);
    assert_eq!(found[0].candidates, ["alice", "vanity"]);
}

#[test]
fn confidences_round_trip_through_storage() {
    for c in [
        Confidence::Exact,
        Confidence::Ambiguous,
        Confidence::Vanity,
        Confidence::Unknown,
    ] {
        assert_eq!(Confidence::parse(c.as_str()), c);
    }
}
