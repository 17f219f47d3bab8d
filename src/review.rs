//! The review queue as the crate models it: why a message waits ([`ReviewSource`]), what a
//! moderator decided ([`Decision`]), where an item stands ([`ReviewStatus`]), a message entering
//! the queue ([`NewReviewItem`]), an item of it ([`ReviewItem`]), and what the queue teaches
//! ([`RuleFeedback`], [`QueueHealth`]). The store keeps them
//! (`store::review`, which maps these enums to and from their columns); the adapter posts and
//! decides them.

use crate::ids::{ChannelId, GuildId, MessageId, UserId};

/// Why a message is in the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewSource {
    /// The charter removed it and kept it for review.
    Hold,
    /// The charter left it in place and asked for a look.
    Flag,
    /// Members reported it.
    Report,
}

/// What a moderator decided about an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The message was fine: a held one is restored, a flagged or reported one stays.
    Approve,
    /// The message breaks the charter: removed.
    Remove,
    /// Removed, and the author warned.
    Warn,
    /// Removed, and the author timed out.
    Timeout,
    /// Removed, and the author banned.
    Ban,
    /// Closed without a verdict on the message.
    Dismiss,
}

impl ReviewSource {
    /// Its word, in storage and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewSource::Hold => "hold",
            ReviewSource::Flag => "flag",
            ReviewSource::Report => "report",
        }
    }
}

impl Decision {
    /// Every decision, in declaration order.
    pub const ALL: [Decision; 6] = [
        Decision::Approve,
        Decision::Remove,
        Decision::Warn,
        Decision::Timeout,
        Decision::Ban,
        Decision::Dismiss,
    ];

    /// Its word, in a button's custom id and in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Remove => "remove",
            Decision::Warn => "warn",
            Decision::Timeout => "timeout",
            Decision::Ban => "ban",
            Decision::Dismiss => "dismiss",
        }
    }

    /// The decision a word names.
    pub fn parse(text: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.as_str() == text)
    }

    /// The item's status after this decision.
    pub fn status(self) -> ReviewStatus {
        match self {
            Decision::Approve => ReviewStatus::Approved,
            Decision::Dismiss => ReviewStatus::Dismissed,
            _ => ReviewStatus::Removed,
        }
    }
}

/// Where an item stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewStatus {
    /// Waiting for a decision.
    Open,
    /// Approved: the message was fine.
    Approved,
    /// Removed, with or without a sanction.
    Removed,
    /// Closed without a verdict.
    Dismissed,
}

/// A message entering the queue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewReviewItem {
    pub guild: GuildId,
    pub channel: ChannelId,
    pub message: MessageId,
    pub author: UserId,
    /// The author's name as the server shows it (nickname, else global name, else username):
    /// the name a restored message is reposted under.
    pub author_name: String,
    pub author_avatar: Option<String>,
    pub content: String,
    /// Attachments as (file name, URL).
    pub attachments: Vec<(String, String)>,
    /// Every rule that matched, the deciding one first; empty for a report.
    pub rules: Vec<String>,
    /// The matched text, for moderators.
    pub matched: String,
    /// `None` means [`ReviewSource::Report`].
    pub held: Option<bool>,
    pub created_at_ms: i64,
}

impl NewReviewItem {
    /// Why it enters the queue.
    pub fn source(&self) -> ReviewSource {
        match self.held {
            Some(true) => ReviewSource::Hold,
            Some(false) => ReviewSource::Flag,
            None => ReviewSource::Report,
        }
    }
}

/// An item of the queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewItem {
    /// Its number, shown to moderators and in button ids.
    pub id: i64,
    pub guild: GuildId,
    pub channel: ChannelId,
    pub message: MessageId,
    pub author: UserId,
    /// The author's display name when the item was opened.
    pub author_name: String,
    pub author_avatar: Option<String>,
    pub content: String,
    pub attachments: Vec<(String, String)>,
    pub rules: Vec<String>,
    pub matched: String,
    pub source: ReviewSource,
    pub status: ReviewStatus,
    pub decision: Option<Decision>,
    pub review_channel: Option<ChannelId>,
    pub review_message: Option<MessageId>,
    pub created_at_ms: i64,
    pub decided_at_ms: Option<i64>,
    pub decided_by: Option<UserId>,
    pub report_count: i64,
}

impl ReviewItem {
    /// Whether it still waits for a decision.
    pub fn is_open(&self) -> bool {
        self.status == ReviewStatus::Open
    }
}

/// The outcome of deciding an item (`Store::decide_review`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decided {
    /// This decision was the first: the item as decided.
    Won(ReviewItem),
    /// Someone decided first: the item as they left it.
    Already(ReviewItem),
    /// No such item in this guild.
    Missing,
}

/// Per rule: what the charter sent to review and what moderators made of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleFeedback {
    /// The rule id, or `report` for member reports.
    pub rule: String,
    pub held: i64,
    pub flagged: i64,
    pub reported: i64,
    /// Decided "the message was fine": false positives.
    pub approved: i64,
    pub removed: i64,
    pub dismissed: i64,
    pub open: i64,
}

impl RuleFeedback {
    /// Approved among approved + removed, when anything was decided.
    pub fn approval_rate(&self) -> Option<f64> {
        let decided = self.approved + self.removed;
        (decided > 0).then(|| self.approved as f64 / decided as f64)
    }
}

/// Queue health of a guild.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueHealth {
    pub open: i64,
    /// When the oldest open item entered the queue.
    pub oldest_open_at_ms: Option<i64>,
    /// Median time from entering the queue to a decision.
    pub median_decision_ms: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_round_trip_and_map_to_statuses() {
        for d in Decision::ALL {
            assert_eq!(Decision::parse(d.as_str()), Some(d));
        }
        assert_eq!(Decision::Approve.status(), ReviewStatus::Approved);
        assert_eq!(Decision::Ban.status(), ReviewStatus::Removed);
        assert_eq!(Decision::Dismiss.status(), ReviewStatus::Dismissed);
        assert_eq!(Decision::parse("nope"), None);
    }
}
