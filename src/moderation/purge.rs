//! `/purge`, planned (pure): which of a channel's recent messages go (a member's, or those
//! containing a text, or any), within Discord's limits: bulk deletion takes 2 to 100 messages at
//! a time, none older than 14 days. The request is checked first ([`check`]); the messages seen
//! (newest first) are then chosen ([`plan`]) into batches to delete and one case per member whose
//! messages were removed, as actions for the executor.

use crate::cases::{CaseKind, NewCase};
use crate::i18n::Lang;
use crate::ids::{ChannelId, GuildId, MessageId, UserId};
use crate::moderation::Action;
use crate::tr;

/// Discord's most messages in one bulk deletion.
pub const BULK_DELETE_MAX: usize = 100;
/// Discord's oldest message a bulk deletion takes: 14 days.
pub const BULK_DELETE_MAX_AGE_MS: i64 = 14 * 86_400_000;
/// The most messages one `/purge` removes.
pub const PURGE_MAX: u32 = 1_000;
/// The most messages one `/purge` looks through to find them.
pub const SCAN_MAX: usize = 5_000;

/// What a moderator asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurgeRequest {
    pub guild: GuildId,
    pub channel: ChannelId,
    pub moderator: UserId,
    /// How many messages to remove at most.
    pub count: u32,
    /// Only this member's.
    pub author: Option<UserId>,
    /// Only those containing this text (case-insensitive).
    pub contains: Option<String>,
}

/// Why a purge was refused (before anything was read or deleted).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PurgeRefusal {
    /// `count` out of 1 to [`PURGE_MAX`].
    Count { max: u32 },
    /// `contains` given but empty.
    EmptyText,
}

impl PurgeRefusal {
    /// The refusal in the moderator's language.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            PurgeRefusal::Count { max } => tr!(lang, "purge-refusal-count", max = *max),
            PurgeRefusal::EmptyText => tr!(lang, "purge-refusal-empty-text"),
        }
    }
}

/// Checks a request before anything is read.
pub fn check(request: &PurgeRequest) -> Result<(), PurgeRefusal> {
    if request.count == 0 || request.count > PURGE_MAX {
        return Err(PurgeRefusal::Count { max: PURGE_MAX });
    }
    if request
        .contains
        .as_deref()
        .is_some_and(|t| t.trim().is_empty())
    {
        return Err(PurgeRefusal::EmptyText);
    }
    Ok(())
}

/// A message of the channel, as the purge sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeenMessage {
    pub id: MessageId,
    pub author: UserId,
    pub content: String,
    pub pinned: bool,
    pub at_ms: i64,
}

/// What a purge does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PurgePlan {
    /// The deletions (batches of at most [`BULK_DELETE_MAX`]), then one case per member.
    pub actions: Vec<Action>,
    /// How many messages go.
    pub removed: usize,
    /// Whose, and how many each, most first.
    pub authors: Vec<(UserId, usize)>,
    /// Whether the search stopped at the 14-day limit (older messages stay).
    pub reached_age_limit: bool,
}

/// Whether the search through `seen` (newest first) may stop: enough chosen, or past 14 days.
pub fn done(request: &PurgeRequest, seen: &[SeenMessage], now_ms: i64) -> bool {
    chosen(request, seen, now_ms).0.len() >= request.count as usize
        || seen
            .last()
            .is_some_and(|m| now_ms - m.at_ms >= BULK_DELETE_MAX_AGE_MS)
        || seen.len() >= SCAN_MAX
}

fn chosen<'a>(
    request: &PurgeRequest,
    seen: &'a [SeenMessage],
    now_ms: i64,
) -> (Vec<&'a SeenMessage>, bool) {
    let needle = request.contains.as_deref().map(str::to_lowercase);
    let mut out = Vec::new();
    let mut too_old = false;
    for message in seen {
        if now_ms - message.at_ms >= BULK_DELETE_MAX_AGE_MS {
            too_old = true;
            break;
        }
        let matches = !message.pinned
            && request.author.is_none_or(|a| a == message.author)
            && needle
                .as_deref()
                .is_none_or(|n| message.content.to_lowercase().contains(n));
        if matches {
            out.push(message);
            if out.len() == request.count as usize {
                break;
            }
        }
    }
    (out, too_old)
}

/// The deletions and cases of a purge over `seen` (newest first); `reason` heads each case.
pub fn plan(request: &PurgeRequest, seen: &[SeenMessage], now_ms: i64, reason: &str) -> PurgePlan {
    let (messages, reached_age_limit) = chosen(request, seen, now_ms);
    let mut actions: Vec<Action> = messages
        .chunks(BULK_DELETE_MAX)
        .map(|batch| Action::DeleteMessages {
            channel: request.channel,
            messages: batch.iter().map(|m| m.id).collect(),
        })
        .collect();
    let mut authors: Vec<(UserId, usize)> = Vec::new();
    for message in &messages {
        match authors.iter_mut().find(|(a, _)| *a == message.author) {
            Some((_, n)) => *n += 1,
            None => authors.push((message.author, 1)),
        }
    }
    authors.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for &(author, n) in &authors {
        let reason = format!("{reason} ({n})");
        actions.push(Action::RecordCase(NewCase {
            moderator: Some(request.moderator),
            channel: Some(request.channel),
            ..NewCase::new(request.guild, author, CaseKind::Delete, reason, now_ms)
        }));
    }
    PurgePlan {
        actions,
        removed: messages.len(),
        authors,
        reached_age_limit,
    }
}
