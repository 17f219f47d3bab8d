//! `/purge` planned: Discord-sized batches, the 14-day limit, filters, pinned messages kept,
//! one case per member.

use super::purge::*;
use crate::cases::CaseKind;
use crate::ids::{ChannelId, GuildId, MessageId, UserId};
use crate::moderation::Action;

const NOW: i64 = 1_800_000_000_000;
const RAIDER: UserId = UserId(7);
const MEMBER: UserId = UserId(8);

fn request(count: u32, author: Option<UserId>, contains: Option<&str>) -> PurgeRequest {
    PurgeRequest {
        guild: GuildId(1),
        channel: ChannelId(2),
        moderator: UserId(3),
        count,
        author,
        contains: contains.map(str::to_string),
    }
}

/// `n` messages, newest first, one a minute, every third by the member, the rest by the raider.
fn seen(n: u64) -> Vec<SeenMessage> {
    (0..n)
        .map(|i| SeenMessage {
            id: MessageId(10_000 - i),
            author: if i % 3 == 0 { MEMBER } else { RAIDER },
            content: if i % 3 == 0 {
                "hello".into()
            } else {
                "FREE NITRO here".into()
            },
            pinned: false,
            at_ms: NOW - i as i64 * 60_000,
        })
        .collect()
}

fn batches(plan: &PurgePlan) -> Vec<usize> {
    plan.actions
        .iter()
        .filter_map(|a| match a {
            Action::DeleteMessages { messages, .. } => Some(messages.len()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_purge_deletes_in_batches_of_100_and_records_a_case_per_member() {
    let plan = plan(&request(250, None, None), &seen(400), NOW, "purge");
    assert_eq!(batches(&plan), [100, 100, 50]);
    assert_eq!(plan.removed, 250);
    let cases: Vec<(UserId, CaseKind)> = plan
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::RecordCase(c) => Some((c.user, c.kind)),
            _ => None,
        })
        .collect();
    assert_eq!(
        cases,
        [(RAIDER, CaseKind::Delete), (MEMBER, CaseKind::Delete)]
    );
    assert_eq!(plan.authors, [(RAIDER, 166), (MEMBER, 84)]);
}

#[test]
fn filters_keep_what_does_not_match_and_pinned_messages() {
    let mut messages = seen(30);
    messages[1].pinned = true;
    let by_raider = plan(&request(100, Some(RAIDER), None), &messages, NOW, "purge");
    assert_eq!(by_raider.removed, 19);
    assert_eq!(by_raider.authors, [(RAIDER, 19)]);
    let by_text = plan(
        &request(100, None, Some("free nitro")),
        &messages,
        NOW,
        "purge",
    );
    assert_eq!(by_text.removed, 19);
    let none = plan(
        &request(100, Some(UserId(99)), None),
        &messages,
        NOW,
        "purge",
    );
    assert!(none.actions.is_empty());
}

#[test]
fn nothing_older_than_14_days_is_taken_and_the_search_stops_there() {
    let mut messages = seen(10);
    for (i, m) in messages.iter_mut().enumerate().skip(5) {
        m.at_ms = NOW - BULK_DELETE_MAX_AGE_MS - i as i64;
    }
    let plan = plan(&request(100, None, None), &messages, NOW, "purge");
    assert_eq!(plan.removed, 5);
    assert!(plan.reached_age_limit);
    assert!(done(&request(100, None, None), &messages, NOW));
    assert!(!done(&request(100, None, None), &seen(10), NOW));
    assert!(done(&request(3, None, None), &seen(10), NOW));
}

#[test]
fn requests_out_of_bounds_are_refused_before_anything_is_read() {
    assert_eq!(
        check(&request(0, None, None)),
        Err(PurgeRefusal::Count { max: PURGE_MAX })
    );
    assert_eq!(
        check(&request(PURGE_MAX + 1, None, None)),
        Err(PurgeRefusal::Count { max: PURGE_MAX })
    );
    assert_eq!(
        check(&request(5, None, Some("  "))),
        Err(PurgeRefusal::EmptyText)
    );
    assert_eq!(check(&request(PURGE_MAX, None, Some("x"))), Ok(()));
}
