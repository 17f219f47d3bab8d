//! A moderator's decision on a review item, planned before the item is claimed: Warn, Timeout
//! and Ban go through the manual planner ([`super::manual::plan`]) like `/warn`, `/timeout` and
//! `/ban`, after removing the message; Remove deletes it; Approve restores a held message;
//! Dismiss does nothing. A refusal leaves the item open and the message untouched. Also what a
//! held or flagged message puts in the queue ([`enqueue`]).

use std::time::Duration;

use crate::charter::{Charter, Outcome, Verdict};
use crate::facts::{ManualFacts, MessageFacts, Permission};
use crate::ids::UserId;
use crate::moderation::manual::{self, ManualAction, SanctionRequest};
use crate::moderation::{Action, Refusal, Restore, excerpt, fit};
use crate::review::{Decision, NewReviewItem, ReviewItem, ReviewSource};
use crate::tr;

/// Discord's limit on a message's content (a restored message).
pub const MESSAGE_CONTENT_MAX: usize = 2000;
/// Discord's limit on a webhook's username.
pub const WEBHOOK_USERNAME_MAX: usize = 80;

/// A decision pressed under an item.
#[derive(Clone, Copy, Debug)]
pub struct ReviewDecision<'a> {
    pub item: &'a ReviewItem,
    pub decision: Decision,
    /// How long a [`Decision::Timeout`] lasts.
    pub timeout: Duration,
    /// Who decides (recorded in the case).
    pub moderator: UserId,
    /// The reasons members gave when reporting the message, oldest first.
    pub report_reasons: &'a [String],
}

/// The actions of `decision`, or why it cannot be carried out. `facts` are those of the item's
/// author and the deciding moderator, Steward's permissions in the item's channel.
pub fn plan_decision(
    decision: &ReviewDecision<'_>,
    charter: &Charter,
    facts: &ManualFacts,
) -> Result<Vec<Action>, Refusal> {
    let item = decision.item;
    let sanction = match decision.decision {
        Decision::Dismiss => return Ok(Vec::new()),
        Decision::Approve => return restore(item, facts),
        Decision::Remove => None,
        Decision::Warn => Some(ManualAction::Warn),
        Decision::Timeout => Some(ManualAction::Timeout(decision.timeout)),
        Decision::Ban => Some(ManualAction::Ban {
            delete_message_days: 0,
            duration: None,
        }),
    };
    let mut actions = Vec::new();
    if item.source != ReviewSource::Hold {
        if !facts.bot_may(Permission::ManageMessages) {
            return Err(Refusal::BotLacks {
                permission: Permission::ManageMessages,
            });
        }
        actions.push(Action::DeleteMessage {
            channel: item.channel,
            message: item.message,
        });
    }
    if let Some(action) = sanction {
        let request = sanction_request(decision, action, charter, facts);
        actions.extend(manual::plan(&request, facts)?);
    }
    Ok(actions)
}

/// The request a sanction from the queue makes: the rule's name (or the first report's reason)
/// as the reason, the rule's charter section, the message's excerpt and place.
fn sanction_request(
    decision: &ReviewDecision<'_>,
    action: ManualAction,
    charter: &Charter,
    facts: &ManualFacts,
) -> SanctionRequest {
    let item = decision.item;
    let lang = facts.lang;
    let rule = item
        .rules
        .first()
        .and_then(|id| charter.rules.iter().find(|r| &r.id == id));
    let reason = match (rule, decision.report_reasons.first()) {
        (Some(rule), _) => rule.name.get(lang.code()).to_string(),
        (None, Some(reported)) => tr!(lang, "review-reported-reason", reason = reported.as_str()),
        (None, None) => tr!(lang, "review-item-reason", id = item.id),
    };
    let mut request =
        SanctionRequest::new(item.guild, item.author, decision.moderator, action, reason);
    request.section = rule
        .map(|r| r.section)
        .filter(|s| facts.section_title(*s).is_some());
    request.rule = item.rules.first().cloned();
    request.content = Some(excerpt(&item.content));
    request.channel = Some(item.channel);
    request.message = Some(item.message);
    request
}

/// Approving: a held message is reposted under its author's name with a discreet note; a
/// flagged or reported one stays where it is.
fn restore(item: &ReviewItem, facts: &ManualFacts) -> Result<Vec<Action>, Refusal> {
    if item.source != ReviewSource::Hold {
        return Ok(Vec::new());
    }
    if !facts.bot_may(Permission::ManageWebhooks) {
        return Err(Refusal::BotLacks {
            permission: Permission::ManageWebhooks,
        });
    }
    let note = tr!(facts.lang, "review-restored-note");
    let mut body = item.content.clone();
    for (_, url) in &item.attachments {
        body.push('\n');
        body.push_str(url);
    }
    let room = MESSAGE_CONTENT_MAX - note.chars().count() - 1;
    Ok(vec![Action::RestoreMessage(Restore {
        item: item.id,
        channel: item.channel,
        content: format!("{}\n{note}", fit(&body, room)),
        username: fit(&item.author_name, WEBHOOK_USERNAME_MAX),
        avatar: item.author_avatar.clone(),
    })])
}

/// Longest matched text of one match kept in a review item.
const MATCHED_MAX: usize = 100;

/// The review item a held or flagged message makes: [`Action::EnqueueReview`], after the
/// verdict's other actions; `None` for other outcomes.
pub fn enqueue(charter: &Charter, verdict: &Verdict, facts: &MessageFacts) -> Option<Action> {
    let held = match verdict.outcome {
        Outcome::Hold => true,
        Outcome::Flag => false,
        _ => return None,
    };
    let matched: Vec<String> = verdict
        .matches
        .iter()
        .map(|m| fit(&m.text, MATCHED_MAX))
        .collect();
    let rules = verdict
        .rules()
        .into_iter()
        .map(|r| charter.rules[r].id.clone())
        .collect();
    Some(Action::EnqueueReview(review_item(
        facts,
        rules,
        matched.join(" · "),
        held,
    )))
}

/// The review item of a message removed (`held`) or left in place, for `rules` having matched
/// `matched`.
pub fn review_item(
    facts: &MessageFacts,
    rules: Vec<String>,
    matched: String,
    held: bool,
) -> NewReviewItem {
    let name = if facts.author_display_name.is_empty() {
        &facts.author_name
    } else {
        &facts.author_display_name
    };
    NewReviewItem {
        guild: facts.guild,
        channel: facts.channel,
        message: facts.message,
        author: facts.author,
        author_name: name.clone(),
        author_avatar: facts.author_avatar.clone(),
        content: facts.content.clone(),
        attachments: facts
            .attachments
            .iter()
            .map(|a| (a.filename.clone(), a.url.clone()))
            .collect(),
        rules,
        matched,
        held: Some(held),
        created_at_ms: facts.timestamp_ms,
    }
}

#[cfg(test)]
#[path = "review_tests.rs"]
mod tests;
