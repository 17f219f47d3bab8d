//! A moderator's request, planned: [`plan`] checks a [`SanctionRequest`] against the
//! [`ManualFacts`] of the server (who is who, the role order, Steward's permissions, the
//! charter's sections, Discord's limits) and returns the actions that carry it out, or the
//! [`Refusal`] that says why not. Every refusal is found here, before anything is claimed, sent
//! or deleted. Used by the slash commands and the review buttons alike.

use std::time::Duration;

use crate::cases::{CaseKind, NewCase};
use crate::charter::{MAX_TIMEOUT, Sanction, format_duration};
use crate::facts::{ManualFacts, Permission};
use crate::i18n::Lang;
use crate::ids::{ChannelId, GuildId, MessageId, UserId};
use crate::moderation::{Action, Refusal, fit};
use crate::tr;

/// Discord's longest message purge on a ban, in days.
pub const MAX_BAN_PURGE_DAYS: u8 = 7;
/// Discord's limit on an audit-log reason.
pub const AUDIT_REASON_MAX: usize = 512;
/// Discord's limit on a message's content (a DM).
pub const DM_MAX: usize = 2000;

/// What a moderator does to a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManualAction {
    /// A warning: a case and a DM.
    Warn,
    /// A timeout of this length (at most [`MAX_TIMEOUT`]).
    Timeout(Duration),
    /// Lift a timeout.
    Untimeout,
    /// Remove from the server.
    Kick,
    /// Ban, deleting the last `delete_message_days` (0 to 7) of messages; lifted after
    /// `duration` when one is given.
    Ban {
        delete_message_days: u8,
        duration: Option<Duration>,
    },
    /// Lift a ban.
    Unban,
    /// A note for moderators: a case, nothing else.
    Note,
}

impl ManualAction {
    /// The kind of case it records.
    pub fn case_kind(self) -> CaseKind {
        match self {
            ManualAction::Warn => CaseKind::Warn,
            ManualAction::Timeout(_) => CaseKind::Timeout,
            ManualAction::Untimeout => CaseKind::Untimeout,
            ManualAction::Kick => CaseKind::Kick,
            ManualAction::Ban { .. } => CaseKind::Ban,
            ManualAction::Unban => CaseKind::Unban,
            ManualAction::Note => CaseKind::Note,
        }
    }

    /// How long it lasts, when it is temporary.
    pub fn duration(self) -> Option<Duration> {
        match self {
            ManualAction::Timeout(d) => Some(d),
            ManualAction::Ban { duration, .. } => duration,
            _ => None,
        }
    }

    /// Whether it acts on a member, so that who they are and the role order matter.
    fn acts_on_member(self) -> bool {
        !matches!(self, ManualAction::Unban | ManualAction::Note)
    }

    /// The permission Steward needs for it.
    fn needs(self) -> Option<Permission> {
        match self {
            ManualAction::Timeout(_) | ManualAction::Untimeout => Some(Permission::ModerateMembers),
            ManualAction::Kick => Some(Permission::KickMembers),
            ManualAction::Ban { .. } | ManualAction::Unban => Some(Permission::BanMembers),
            ManualAction::Warn | ManualAction::Note => None,
        }
    }

    /// Whether it only makes sense on a member of the server.
    fn needs_membership(self) -> bool {
        matches!(
            self,
            ManualAction::Timeout(_) | ManualAction::Untimeout | ManualAction::Kick
        )
    }

    /// Whether the member leaves the server, so that the DM must go first.
    fn leaves(self) -> bool {
        matches!(self, ManualAction::Kick | ManualAction::Ban { .. })
    }
}

/// A moderator's request to act on a member: what the commands and the review buttons build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SanctionRequest {
    pub guild: GuildId,
    /// The member acted on.
    pub target: UserId,
    /// The moderator acting (recorded in the case).
    pub moderator: UserId,
    pub action: ManualAction,
    /// Why, shown in the case, the mod log, the audit log and the DM.
    pub reason: String,
    /// A charter section, checked against the active charter and cited in the DM and the case.
    pub section: Option<u32>,
    /// Whether to tell the member privately.
    pub dm: bool,
    /// The charter rule concerned, when acting on a flagged message.
    pub rule: Option<String>,
    /// The message text concerned, already cut by the caller.
    pub content: Option<String>,
    pub channel: Option<ChannelId>,
    pub message: Option<MessageId>,
    /// Escalation points the case carries (0 for a command).
    pub points: u32,
}

impl SanctionRequest {
    /// A request with no message attached, a DM (except for notes and unbans) and no points.
    pub fn new(
        guild: GuildId,
        target: UserId,
        moderator: UserId,
        action: ManualAction,
        reason: impl Into<String>,
    ) -> SanctionRequest {
        SanctionRequest {
            guild,
            target,
            moderator,
            action,
            reason: reason.into(),
            section: None,
            dm: !matches!(action, ManualAction::Note | ManualAction::Unban),
            rule: None,
            content: None,
            channel: None,
            message: None,
            points: 0,
        }
    }
}

/// Checks `request` against `facts` and plans it: a DM first when the member leaves (kick, ban),
/// the action on Discord, the case (moderator = the requester), the scheduled end of a temporary
/// ban (or the cancelling of one), and the DM after otherwise.
pub fn plan(request: &SanctionRequest, facts: &ManualFacts) -> Result<Vec<Action>, Refusal> {
    let section_title = check(request, facts)?;
    let lang = facts.lang;
    let target = request.target;
    let audit_reason = fit(&request.reason, AUDIT_REASON_MAX);
    let dm = request.dm.then(|| Action::DirectMessage {
        user: target,
        text: dm_text(request, &facts.guild_name, section_title, lang),
    });
    let mut actions = Vec::new();
    if request.action.leaves() {
        actions.extend(dm.clone());
    }
    let sanction = |sanction| Action::Sanction {
        guild: request.guild,
        user: target,
        sanction,
        reason: audit_reason.clone(),
    };
    match request.action {
        ManualAction::Warn | ManualAction::Note => {}
        ManualAction::Timeout(d) => actions.push(sanction(Sanction::Timeout(d))),
        ManualAction::Kick => actions.push(sanction(Sanction::Kick)),
        ManualAction::Untimeout => actions.push(Action::LiftTimeout {
            user: target,
            reason: audit_reason.clone(),
        }),
        ManualAction::Ban {
            delete_message_days,
            ..
        } => actions.push(Action::Ban {
            user: target,
            delete_message_days,
            reason: audit_reason.clone(),
        }),
        ManualAction::Unban => actions.push(Action::Unban { user: target }),
    }
    let reason = match (request.section, section_title) {
        (Some(section), Some(title)) => tr!(
            lang,
            "manual-case-reason",
            reason = request.reason.as_str(),
            section = section,
            title = title
        ),
        _ => request.reason.clone(),
    };
    actions.push(Action::RecordCase(NewCase {
        guild: request.guild,
        user: target,
        moderator: Some(request.moderator),
        kind: request.action.case_kind(),
        rule: request.rule.clone(),
        section: request.section,
        reason,
        content: request.content.clone(),
        channel: request.channel,
        message: request.message,
        duration_secs: request.action.duration().map(|d| d.as_secs() as i64),
        points: request.points,
        created_at_ms: facts.now_ms,
    }));
    match request.action {
        ManualAction::Ban {
            duration: Some(d), ..
        } => actions.push(Action::ScheduleUnban {
            user: target,
            at_ms: facts.now_ms.saturating_add(d.as_millis() as i64),
        }),
        ManualAction::Ban { duration: None, .. } | ManualAction::Unban => {
            actions.push(Action::CancelUnban { user: target })
        }
        _ => {}
    }
    if !request.action.leaves() {
        actions.extend(dm);
    }
    Ok(actions)
}

/// Every reason to refuse `request`, in the order a moderator would want to hear them; the
/// title of the cited section when it is accepted.
fn check<'f>(
    request: &SanctionRequest,
    facts: &'f ManualFacts,
) -> Result<Option<&'f str>, Refusal> {
    let section_title = match request.section {
        Some(section) => Some(
            facts
                .section_title(section)
                .ok_or(Refusal::UnknownSection { section })?,
        ),
        None => None,
    };
    match request.action {
        ManualAction::Timeout(d) if d > MAX_TIMEOUT => {
            return Err(Refusal::TimeoutTooLong { duration: d });
        }
        ManualAction::Timeout(d)
        | ManualAction::Ban {
            duration: Some(d), ..
        } if d.is_zero() => return Err(Refusal::ZeroDuration),
        ManualAction::Ban {
            delete_message_days: days,
            ..
        } if days > MAX_BAN_PURGE_DAYS => return Err(Refusal::PurgeTooLong { days }),
        _ => {}
    }
    let needs = request.action.needs();
    if !request.action.acts_on_member() && needs.is_none() {
        return Ok(section_title);
    }
    if request.action.acts_on_member() {
        if request.target == facts.bot {
            return Err(Refusal::TargetIsBot);
        }
        if request.target == request.moderator {
            return Err(Refusal::SelfTarget);
        }
    }
    let Some(owner) = facts.owner else {
        return Err(Refusal::NotLoaded);
    };
    if request.action.acts_on_member() {
        if request.target == owner {
            return Err(Refusal::TargetIsOwner);
        }
        if request.action.needs_membership() && facts.target_top_role.is_none() {
            return Err(Refusal::NotAMember {
                target: request.target,
            });
        }
        if let Some(target_top) = facts.target_top_role
            && request.moderator != owner
            && target_top >= facts.actor_top_role
        {
            return Err(Refusal::AboveModerator {
                target: request.target,
            });
        }
    }
    if let Some(permission) = needs {
        if !facts.bot_may(permission) {
            return Err(Refusal::BotLacks { permission });
        }
        if request.action.acts_on_member()
            && let Some(target_top) = facts.target_top_role
            && target_top >= facts.bot_top_role
        {
            return Err(Refusal::AboveBot {
                target: request.target,
            });
        }
    }
    Ok(section_title)
}

/// The private message telling the member what a moderator did, in the server's language.
fn dm_text(
    request: &SanctionRequest,
    guild_name: &str,
    section_title: Option<&str>,
    lang: Lang,
) -> String {
    let what = match request.action {
        ManualAction::Warn => tr!(lang, "manual-dm-warn"),
        ManualAction::Timeout(d) => tr!(lang, "manual-dm-timeout", duration = format_duration(d)),
        ManualAction::Untimeout => tr!(lang, "manual-dm-untimeout"),
        ManualAction::Kick => tr!(lang, "manual-dm-kick"),
        ManualAction::Ban {
            duration: Some(d), ..
        } => tr!(lang, "manual-dm-ban-for", duration = format_duration(d)),
        ManualAction::Ban { duration: None, .. } => tr!(lang, "manual-dm-ban"),
        ManualAction::Unban => tr!(lang, "manual-dm-unban"),
        ManualAction::Note => tr!(lang, "manual-dm-note"),
    };
    let mut text = if guild_name.is_empty() {
        tr!(lang, "manual-dm-head-anonymous", what = what)
    } else {
        tr!(lang, "manual-dm-head", guild = guild_name, what = what)
    };
    text.push('\n');
    text.push_str(&tr!(
        lang,
        "manual-dm-reason",
        reason = request.reason.as_str()
    ));
    if let (Some(section), Some(title)) = (request.section, section_title) {
        text.push('\n');
        text.push_str(&tr!(
            lang,
            "manual-dm-section",
            section = section,
            title = title
        ));
    }
    fit(&text, DM_MAX)
}

#[cfg(test)]
#[path = "manual_tests.rs"]
mod tests;
