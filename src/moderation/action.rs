//! What the core asks the executor to do: [`Action`], one step on Discord or in storage each
//! ([`Notice`]: what moderators are told), and [`Step`], the name of a step that can fail (for
//! error texts).

use crate::cases::NewCase;
use crate::charter::Sanction;
use crate::ids::{ChannelId, GuildId, MessageId, UserId};
use crate::jobs::Job;
use crate::review::NewReviewItem;

/// Something the executor does on Discord or in storage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Remove the message.
    DeleteMessage {
        channel: ChannelId,
        message: MessageId,
    },
    /// Remove these messages of `channel` (2 to 100 at once in one bulk deletion, all younger
    /// than 14 days; one alone is deleted singly).
    DeleteMessages {
        channel: ChannelId,
        messages: Vec<MessageId>,
    },
    /// Tell the member privately (a closed DM is not a failure).
    DirectMessage { user: UserId, text: String },
    /// Apply a sanction to the member (a ban deletes no messages).
    Sanction {
        guild: GuildId,
        user: UserId,
        sanction: Sanction,
        reason: String,
    },
    /// Ban `user`, deleting their messages of the last `delete_message_days` (0 to 7).
    Ban {
        user: UserId,
        delete_message_days: u8,
        reason: String,
    },
    /// Lift `user`'s ban.
    Unban { user: UserId },
    /// Lift `user`'s timeout.
    LiftTimeout { user: UserId, reason: String },
    /// Record a case and post it to the mod log.
    RecordCase(NewCase),
    /// Lift `user`'s ban at `at_ms`, citing the case recorded just before in the same plan.
    ScheduleUnban { user: UserId, at_ms: i64 },
    /// Forget a scheduled end of `user`'s ban (a new permanent ban, or an unban).
    CancelUnban { user: UserId },
    /// Put a message in the review queue and post it for moderators (or update its post when
    /// it merges into an open item).
    EnqueueReview(NewReviewItem),
    /// Repost a held message through a channel webhook under its author's name.
    RestoreMessage(Restore),
    /// Tell moderators something in the mod log, in the server's language.
    Notice(Notice),
    /// Post `text` in `channel`, pinging only `mention` (a welcome).
    Post {
        channel: ChannelId,
        text: String,
        mention: UserId,
    },
    /// Give `user` the roles named (by name or id, as the charter writes them); a role the server
    /// does not have is reported to moderators.
    GiveRoles { user: UserId, roles: Vec<String> },
    /// Run `job` at `at_ms`.
    Schedule { job: Job, at_ms: i64 },
    /// Record a member's join and which invite brought them.
    RecordJoin(crate::community::welcome::NewJoin),
    /// Invite a member (or everyone in a channel) to read the charter and accept it: a post or
    /// DM, in the server's language, with a button that shows the charter in the reader's own.
    CharterGate {
        target: crate::community::acceptance::GateTarget,
        /// The charter's title, named in the invitation.
        title: crate::charter::Text,
    },
    /// Record that `user` accepted `version` of the charter.
    RecordAcceptance {
        guild: GuildId,
        user: UserId,
        version: String,
        at_ms: i64,
    },
}

impl Action {
    /// The action's name, as metrics label it.
    pub fn name(&self) -> &'static str {
        match self {
            Action::DeleteMessage { .. } => "delete_message",
            Action::DeleteMessages { .. } => "delete_messages",
            Action::DirectMessage { .. } => "direct_message",
            Action::Sanction { .. } => "sanction",
            Action::Ban { .. } => "ban",
            Action::Unban { .. } => "unban",
            Action::LiftTimeout { .. } => "lift_timeout",
            Action::RecordCase(_) => "record_case",
            Action::ScheduleUnban { .. } => "schedule_unban",
            Action::CancelUnban { .. } => "cancel_unban",
            Action::EnqueueReview(_) => "enqueue_review",
            Action::RestoreMessage(_) => "restore_message",
            Action::Notice(_) => "notice",
            Action::Post { .. } => "post",
            Action::GiveRoles { .. } => "give_roles",
            Action::Schedule { .. } => "schedule",
            Action::RecordJoin(_) => "record_join",
            Action::CharterGate { .. } => "charter_gate",
            Action::RecordAcceptance { .. } => "record_acceptance",
        }
    }
}

/// What moderators are told in the mod log ([`Action::Notice`]), rendered in the server's
/// language by the adapter. (An action that could not be performed is reported by the executor
/// itself, from its typed error.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A change of the charter files was refused: `errors` lists every problem, located
    /// (`rules/file.toml:LINE:COL: ...`), as the engine wrote them; the previous charter stays.
    CharterRefused { errors: String },
    /// A scheduled job was given up after `attempts` failed runs; `job` is `None` when its
    /// payload could not be read.
    JobGivenUp {
        job: Option<Job>,
        attempts: u32,
        error: String,
    },
    /// A bot was added to the server (bots are not welcomed).
    BotJoined { bot: UserId, name: String },
    /// Steward cannot list the server's invites (it lacks Manage Server): joins cannot be
    /// attributed to whoever invited them, and welcomes go on without the inviter.
    InvitesHidden,
    /// The report of `period` could not be posted in the stats channel: Steward may not post
    /// there. Not retried; the report can still be read with `/stats` or `steward report`.
    ReportNotPosted { channel: ChannelId, period: String },
    /// `moderator` banned `banned` members at once with `/massban`, for `reason`.
    MassBan {
        moderator: UserId,
        banned: usize,
        reason: String,
    },
}

/// A held message to repost: [`Action::RestoreMessage`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restore {
    /// The review item it comes from.
    pub item: i64,
    pub channel: ChannelId,
    /// The text to post, the restore note included, within Discord's limit.
    pub content: String,
    /// The name to post under (the author's display name).
    pub username: String,
    pub avatar: Option<String>,
}

/// A step of carrying out actions, named in error texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    DeleteMessage,
    Timeout,
    LiftTimeout,
    Kick,
    Ban,
    Unban,
    RecordCase,
    ScheduleUnban,
    Enqueue,
    Webhook,
    Restore,
    Settings,
    Welcome,
    GiveRoles,
    RecordJoin,
    Schedule,
    RecordAcceptance,
}

impl Step {
    /// Every step, in declaration order.
    pub const ALL: [Step; 17] = [
        Step::DeleteMessage,
        Step::Timeout,
        Step::LiftTimeout,
        Step::Kick,
        Step::Ban,
        Step::Unban,
        Step::RecordCase,
        Step::ScheduleUnban,
        Step::Enqueue,
        Step::Webhook,
        Step::Restore,
        Step::Settings,
        Step::Welcome,
        Step::GiveRoles,
        Step::RecordJoin,
        Step::Schedule,
        Step::RecordAcceptance,
    ];

    /// Its catalogue key (`action-error-step-...`).
    pub fn key(self) -> &'static str {
        match self {
            Step::DeleteMessage => "action-error-step-delete-message",
            Step::Timeout => "action-error-step-timeout",
            Step::LiftTimeout => "action-error-step-lift-timeout",
            Step::Kick => "action-error-step-kick",
            Step::Ban => "action-error-step-ban",
            Step::Unban => "action-error-step-unban",
            Step::RecordCase => "action-error-step-record-case",
            Step::ScheduleUnban => "action-error-step-schedule-unban",
            Step::Enqueue => "action-error-step-enqueue",
            Step::Webhook => "action-error-step-webhook",
            Step::Restore => "action-error-step-restore",
            Step::Settings => "action-error-step-settings",
            Step::Welcome => "action-error-step-welcome",
            Step::GiveRoles => "action-error-step-give-roles",
            Step::RecordJoin => "action-error-step-record-join",
            Step::Schedule => "action-error-step-schedule",
            Step::RecordAcceptance => "action-error-step-record-acceptance",
        }
    }
}
