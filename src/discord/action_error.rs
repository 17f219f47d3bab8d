//! What can go wrong when the executor performs an action: [`ActionError`], typed, so that
//! callers decide by variant (never by text) and the mod log renders it through the catalogue.

use serenity::all::HttpError;

use crate::facts::Permission;
use crate::i18n::Lang;
use crate::ids::UserId;
use crate::moderation::{Refusal, Step, permission_key};
use crate::store::StoreError;
use crate::telemetry::names;
use crate::tr;

/// Discord's JSON error code for "Unknown Ban".
const UNKNOWN_BAN: isize = 10026;

/// Why an action was not performed.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    /// Steward lacks a permission.
    #[error("missing permission {permission:?}")]
    MissingPermission { permission: Permission },
    /// The member's highest role is at or above Steward's.
    #[error("{target} has a role at or above Steward's")]
    Hierarchy { target: UserId },
    /// The member owns the server.
    #[error("the server owner cannot be sanctioned")]
    Owner,
    /// Lifting a ban that does not exist (any more).
    #[error("no such ban")]
    UnknownBan,
    /// A time outside what Discord accepts.
    #[error("a time out of range")]
    OutOfRange,
    /// Scheduling a ban's end without a case recorded before it in the plan.
    #[error("no case recorded before scheduling")]
    NoCase,
    /// A role the charter names does not exist in the server.
    #[error("no role {name:?} in the server")]
    UnknownRole { name: String },
    /// Discord refused or failed.
    #[error("could not {what:?}: {source}")]
    Discord {
        what: Step,
        #[source]
        source: Box<serenity::Error>,
    },
    /// Storage failed.
    #[error("could not {what:?}: {source}")]
    Storage {
        what: Step,
        #[source]
        source: StoreError,
    },
}

impl ActionError {
    /// A Discord error of `what`, for `map_err`: an unknown ban is told apart by its code.
    pub fn discord(what: Step) -> impl FnOnce(serenity::Error) -> ActionError {
        move |source| {
            if let serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) = &source {
                let status = response.status_code.as_u16().to_string();
                metrics::counter!(names::REST_ERRORS, "step" => format!("{what:?}"), "status" => status)
                    .increment(1);
                if response.error.code == UNKNOWN_BAN {
                    return ActionError::UnknownBan;
                }
            }
            ActionError::Discord {
                what,
                source: Box::new(source),
            }
        }
    }

    /// A storage error of `what`, for `map_err`.
    pub fn storage(what: Step) -> impl FnOnce(StoreError) -> ActionError {
        move |source| ActionError::Storage { what, source }
    }

    /// The error in `lang`, from the catalogue.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            ActionError::MissingPermission { permission } => tr!(
                lang,
                "action-error-missing-permission",
                permission = tr!(lang, permission_key(*permission))
            ),
            ActionError::Hierarchy { target } => {
                tr!(lang, "action-error-hierarchy", target = target.to_string())
            }
            ActionError::Owner => tr!(lang, "action-error-owner"),
            ActionError::UnknownBan => tr!(lang, "action-error-unknown-ban"),
            ActionError::OutOfRange => tr!(lang, "action-error-out-of-range"),
            ActionError::NoCase => tr!(lang, "action-error-no-case"),
            ActionError::UnknownRole { name } => {
                tr!(lang, "action-error-unknown-role", role = name.clone())
            }
            ActionError::Discord { what, source } => tr!(
                lang,
                "action-error-discord",
                step = tr!(lang, what.key()),
                detail = source.to_string()
            ),
            ActionError::Storage { what, source } => tr!(
                lang,
                "action-error-storage",
                step = tr!(lang, what.key()),
                detail = source.to_string()
            ),
        }
    }

    /// What to tell the moderator whose request failed at this step.
    pub fn refusal(&self) -> Refusal {
        match self {
            ActionError::MissingPermission { permission } => Refusal::BotLacks {
                permission: *permission,
            },
            ActionError::Hierarchy { target } => Refusal::AboveBot { target: *target },
            ActionError::Owner => Refusal::TargetIsOwner,
            ActionError::Discord { what, source } => Refusal::Failed {
                step: *what,
                detail: source.to_string(),
            },
            ActionError::Storage { what, source } => Refusal::Failed {
                step: *what,
                detail: source.to_string(),
            },
            ActionError::UnknownBan => Refusal::Failed {
                step: Step::Unban,
                detail: self.to_string(),
            },
            ActionError::OutOfRange => Refusal::Failed {
                step: Step::Timeout,
                detail: self.to_string(),
            },
            ActionError::NoCase => Refusal::Failed {
                step: Step::ScheduleUnban,
                detail: self.to_string(),
            },
            ActionError::UnknownRole { .. } => Refusal::Failed {
                step: Step::GiveRoles,
                detail: self.to_string(),
            },
        }
    }
}
