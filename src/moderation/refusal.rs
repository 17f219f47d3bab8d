//! Why a moderator's request or decision is not carried out: [`Refusal`], typed, rendered in
//! the reader's language through the catalogue. A refusal found by a planner changes nothing;
//! [`Refusal::Failed`] is the one kind that comes after a step was tried.

use std::time::Duration;

use crate::charter::format_duration;
use crate::facts::Permission;
use crate::i18n::Lang;
use crate::ids::UserId;
use crate::moderation::Step;
use crate::tr;

/// Why nothing (more) was done, safe to show the moderator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The moderator acts on themselves.
    SelfTarget,
    /// The member is Steward.
    TargetIsBot,
    /// The member owns the server.
    TargetIsOwner,
    /// The user is not a member of the server (a timeout or a kick needs one).
    NotAMember { target: UserId },
    /// The member's highest role is at or above the moderator's.
    AboveModerator { target: UserId },
    /// The member's highest role is at or above Steward's.
    AboveBot { target: UserId },
    /// Steward lacks a permission the action needs.
    BotLacks { permission: Permission },
    /// A timeout longer than Discord's 28 days.
    TimeoutTooLong { duration: Duration },
    /// A timeout or temporary ban of no length.
    ZeroDuration,
    /// A ban purging more than Discord's 7 days of messages.
    PurgeTooLong { days: u8 },
    /// The charter has no such section.
    UnknownSection { section: u32 },
    /// The server is not in the cache yet (just after a start).
    NotLoaded,
    /// A step was tried and failed (Discord or storage); `detail` is its error, for the reader.
    Failed { step: Step, detail: String },
}

/// The catalogue key of a permission's name.
pub fn permission_key(permission: Permission) -> &'static str {
    match permission {
        Permission::ManageMessages => "permission-manage-messages",
        Permission::ModerateMembers => "permission-moderate-members",
        Permission::KickMembers => "permission-kick-members",
        Permission::BanMembers => "permission-ban-members",
        Permission::ManageWebhooks => "permission-manage-webhooks",
        Permission::ManageRoles => "permission-manage-roles",
        Permission::ManageGuild => "permission-manage-guild",
        Permission::CreateInvite => "permission-create-invite",
    }
}

impl Refusal {
    /// The refusal in `lang`, from the catalogue.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Refusal::SelfTarget => tr!(lang, "refusal-self"),
            Refusal::TargetIsBot => tr!(lang, "refusal-bot"),
            Refusal::TargetIsOwner => tr!(lang, "refusal-owner"),
            Refusal::NotAMember { target } => {
                tr!(lang, "refusal-not-a-member", target = target.to_string())
            }
            Refusal::AboveModerator { target } => {
                tr!(lang, "refusal-above-moderator", target = target.to_string())
            }
            Refusal::AboveBot { target } => {
                tr!(lang, "refusal-above-bot", target = target.to_string())
            }
            Refusal::BotLacks { permission } => tr!(
                lang,
                "refusal-bot-lacks",
                permission = tr!(lang, permission_key(*permission))
            ),
            Refusal::TimeoutTooLong { duration } => tr!(
                lang,
                "refusal-timeout-too-long",
                duration = format_duration(*duration)
            ),
            Refusal::ZeroDuration => tr!(lang, "refusal-zero-duration"),
            Refusal::PurgeTooLong { .. } => tr!(
                lang,
                "refusal-purge-too-long",
                max = u32::from(super::manual::MAX_BAN_PURGE_DAYS)
            ),
            Refusal::UnknownSection { section } => {
                tr!(lang, "refusal-unknown-section", section = *section)
            }
            Refusal::NotLoaded => tr!(lang, "refusal-not-loaded"),
            Refusal::Failed { step, detail } => tr!(
                lang,
                "refusal-failed",
                step = tr!(lang, step.key()),
                detail = detail.as_str()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_and_permissions_have_a_text_in_every_language() {
        let permissions = Permission::ALL;
        let keys = Step::ALL
            .iter()
            .map(|s| s.key())
            .chain(permissions.into_iter().map(permission_key));
        for key in keys {
            for lang in [Lang::EN, Lang::FR] {
                assert_ne!(tr!(lang, key), key, "{key} in {lang}");
            }
        }
    }

    #[test]
    fn refusals_read_in_the_readers_language() {
        let above = Refusal::AboveModerator { target: UserId(7) };
        assert_eq!(
            above.text(Lang::EN),
            "<@7> has a role at or above yours: you cannot act on this member."
        );
        assert_eq!(
            above.text(Lang::FR),
            "<@7> a un rôle égal ou supérieur au vôtre : vous ne pouvez pas agir sur ce membre."
        );
        let lacks = Refusal::BotLacks {
            permission: Permission::BanMembers,
        };
        assert_eq!(
            lacks.text(Lang::EN),
            "Steward lacks the Ban Members permission."
        );
        let long = Refusal::TimeoutTooLong {
            duration: Duration::from_secs(29 * 86_400),
        };
        assert!(
            long.text(Lang::FR).contains("28 jours : 29d"),
            "{}",
            long.text(Lang::FR)
        );
    }
}
