//! The one place actions happen: decisions from [`moderation`](crate::moderation) are performed
//! on Discord and in storage. Before each Discord action the bot's permissions and the role
//! hierarchy are checked against the cache (the planners checked them already; automatic
//! moderation relies on this); what cannot be done is a typed [`ActionError`], logged and posted
//! to the mod log in the server's language, never a crash.

use std::sync::Arc;
use std::time::Duration;

use serenity::all::{
    Cache, CacheHttp, ChannelId, CreateAllowedMentions, CreateMessage, EditMember, GuildId, Http,
    MessageId, Timestamp, UserId,
};
use tracing::{info, warn};

pub use super::action_error::ActionError;

#[path = "executor_community.rs"]
mod community;
use super::render::notice;
use crate::cases::{Case, NewCase};
use crate::charter::Sanction;
use crate::facts::Permission;
use crate::i18n::Lang;
use crate::moderation::{Action, Step};
use crate::store::{GuildSettings, Store};
use crate::telemetry::names;

/// What the executor needs: Discord's HTTP client and cache, and storage.
#[derive(Clone)]
pub struct Executor {
    pub http: Arc<Http>,
    pub cache: Arc<Cache>,
    pub store: Store,
    /// When an item entering the review queue is recalled (`None`: never).
    pub review_remind_after: Option<Duration>,
}

impl CacheHttp for &Executor {
    fn http(&self) -> &Http {
        &self.http
    }

    fn cache(&self) -> Option<&Arc<Cache>> {
        Some(&self.cache)
    }
}

/// A serenity id from one of ours (snowflakes are never 0).
fn user(id: crate::ids::UserId) -> UserId {
    UserId::new(id.0.max(1))
}

impl Executor {
    /// The executor of a client's HTTP and cache, with the runtime's storage and settings.
    pub fn new(http: Arc<Http>, cache: Arc<Cache>, data: &super::Data) -> Executor {
        Executor {
            http,
            cache,
            store: data.store.clone(),
            review_remind_after: data.review_remind_after,
        }
    }

    /// Performs `actions` in order; each failure is reported and the next action still runs
    /// (automatic moderation).
    pub async fn perform(&self, actions: Vec<Action>, settings: &GuildSettings) {
        let mut last_case = None;
        for action in actions {
            match self.perform_one(action, settings, last_case).await {
                Ok(Some(case)) => last_case = Some(case.number),
                Ok(None) => {}
                Err(error) => self.report(settings, &error).await,
            }
        }
    }

    /// Carries out a plan (a moderator's request): stops at the first sanction, case or restore
    /// that fails and returns its error; a message that cannot be deleted (often: already gone)
    /// and the scheduling of a ban's end are reported and do not stop the rest, as before a
    /// plan existed. Returns the case the plan recorded.
    pub async fn carry_out(
        &self,
        actions: Vec<Action>,
        settings: &GuildSettings,
    ) -> Result<Option<Case>, ActionError> {
        let mut recorded: Option<Case> = None;
        for action in actions {
            let bookkeeping = matches!(
                action,
                Action::DeleteMessage { .. }
                    | Action::ScheduleUnban { .. }
                    | Action::CancelUnban { .. }
            );
            let number = recorded.as_ref().map(|c| c.number);
            match self.perform_one(action, settings, number).await {
                Ok(Some(case)) => recorded = Some(case),
                Ok(None) => {}
                Err(error) if bookkeeping => self.report(settings, &error).await,
                Err(error) => return Err(error),
            }
        }
        Ok(recorded)
    }

    /// Logs `error` and posts it to the mod log.
    pub async fn report(&self, settings: &GuildSettings, error: &ActionError) {
        warn!(guild = %settings.guild, %error, "action not performed");
        self.notify(settings, error).await;
    }

    /// Performs one action and counts it by name and result; `last_case` is the number of the
    /// case recorded before it in the same plan (for [`Action::ScheduleUnban`]). Returns the case
    /// when it recorded one.
    async fn perform_one(
        &self,
        action: Action,
        settings: &GuildSettings,
        last_case: Option<i64>,
    ) -> Result<Option<Case>, ActionError> {
        let name = action.name();
        let done = self.act(action, settings, last_case).await;
        let result = if done.is_ok() { "ok" } else { "error" };
        metrics::counter!(names::ACTIONS, "action" => name, "result" => result).increment(1);
        done
    }

    async fn act(
        &self,
        action: Action,
        settings: &GuildSettings,
        last_case: Option<i64>,
    ) -> Result<Option<Case>, ActionError> {
        let guild = GuildId::new(settings.guild.0.max(1));
        match action {
            Action::DeleteMessage { channel, message } => {
                let channel = ChannelId::new(channel.0.max(1));
                self.check(guild, Some(channel), Permission::ManageMessages, None)?;
                channel
                    .delete_message(&self.http, message.0.max(1))
                    .await
                    .map_err(ActionError::discord(Step::DeleteMessage))?;
            }
            Action::DeleteMessages { channel, messages } => {
                let channel = ChannelId::new(channel.0.max(1));
                self.check(guild, Some(channel), Permission::ManageMessages, None)?;
                let ids: Vec<MessageId> = messages
                    .iter()
                    .map(|m| MessageId::new(m.0.max(1)))
                    .collect();
                let deleted = match ids.as_slice() {
                    [one] => channel.delete_message(&self.http, *one).await,
                    _ => channel.delete_messages(&self.http, &ids).await,
                };
                deleted.map_err(ActionError::discord(Step::DeleteMessage))?;
            }
            Action::DirectMessage { user: to, text } => {
                // Members may close their DMs: that is worth a log line, not a mod-log notice.
                let to = user(to);
                if let Err(e) = to
                    .direct_message(self, CreateMessage::new().content(text))
                    .await
                {
                    info!(user = %to, error = %e, "direct message not delivered");
                }
            }
            Action::Sanction {
                user: target,
                sanction,
                reason,
                ..
            } => {
                self.sanction(guild, user(target), sanction, &reason)
                    .await?
            }
            Action::Ban {
                user: target,
                delete_message_days,
                reason,
            } => {
                self.ban(guild, user(target), delete_message_days, &reason)
                    .await?
            }
            Action::Unban { user: target } => self.unban(settings, target).await?,
            Action::LiftTimeout {
                user: target,
                reason,
            } => {
                let target = user(target);
                self.check(guild, None, Permission::ModerateMembers, Some(target))?;
                let edit = EditMember::new()
                    .enable_communication()
                    .audit_log_reason(&reason);
                guild
                    .edit_member(self, target, edit)
                    .await
                    .map_err(ActionError::discord(Step::LiftTimeout))?;
            }
            Action::RecordCase(case) => return self.record_case(case, settings).await.map(Some),
            Action::ScheduleUnban {
                user: target,
                at_ms,
            } => {
                let case = last_case.ok_or(ActionError::NoCase)?;
                super::manual::schedule_ban_end(&self.store, settings.guild, target, at_ms, case)
                    .await
                    .map_err(ActionError::storage(Step::ScheduleUnban))?;
            }
            Action::CancelUnban { user: target } => {
                super::manual::cancel_ban_end(&self.store, settings.guild, target)
                    .await
                    .map_err(ActionError::storage(Step::ScheduleUnban))?;
            }
            Action::EnqueueReview(item) => super::review::enqueue(self, settings, &item).await?,
            Action::RestoreMessage(restore) => super::review::restore(self, &restore).await?,
            Action::Post {
                channel,
                text,
                mention,
            } => {
                let post = CreateMessage::new()
                    .content(text)
                    .allowed_mentions(CreateAllowedMentions::new().users([user(mention)]));
                ChannelId::new(channel.0.max(1))
                    .send_message(&self.http, post)
                    .await
                    .map_err(ActionError::discord(Step::Welcome))?;
            }
            Action::GiveRoles {
                user: member,
                roles,
            } => self.give_roles(guild, user(member), &roles).await?,
            Action::Schedule { job, at_ms } => {
                self.store
                    .schedule(
                        job.kind(),
                        job.guild(),
                        &job.to_payload(),
                        at_ms,
                        Some(&job.dedupe_key()),
                    )
                    .await
                    .map_err(ActionError::storage(Step::Schedule))?;
            }
            Action::CharterGate { target, title } => {
                let lang = Lang::of(&settings.language);
                self.charter_gate(target, &title, lang, settings.guild)
                    .await?
            }
            Action::RecordAcceptance {
                guild,
                user: member,
                version,
                at_ms,
            } => self
                .store
                .record_acceptance(guild, member, &version, at_ms)
                .await
                .map_err(ActionError::storage(Step::RecordAcceptance))?,
            Action::RecordJoin(join) => self
                .store
                .record_join(&join)
                .await
                .map_err(ActionError::storage(Step::RecordJoin))?,
            Action::Notice(notice) => {
                let lang = Lang::of(&settings.language);
                self.post_to_mod_log(settings, notice::notice(&notice, lang))
                    .await;
            }
        }
        Ok(None)
    }

    /// Records a case and posts it to the mod log (what [`Action::RecordCase`] does), returning
    /// the recorded case.
    pub async fn record_case(
        &self,
        case: NewCase,
        settings: &GuildSettings,
    ) -> Result<Case, ActionError> {
        let case = self
            .store
            .create_case(case)
            .await
            .map_err(ActionError::storage(Step::RecordCase))?;
        info!(guild = %case.guild, number = case.number, kind = case.kind.as_str(), user = %case.user, rule = ?case.rule, "case recorded");
        if let Some(channel) = settings.mod_log_channel {
            let channel = ChannelId::new(channel.0.max(1));
            let lang = Lang::of(&settings.language);
            let post = super::render::case::case_message(&case, lang);
            if let Err(e) = channel.send_message(&self.http, post).await {
                warn!(%channel, error = %e, "mod log not posted");
            }
        }
        Ok(case)
    }

    /// Lifts `target`'s ban; `ActionError::UnknownBan` when there is none.
    pub async fn unban(
        &self,
        settings: &GuildSettings,
        target: crate::ids::UserId,
    ) -> Result<(), ActionError> {
        let guild = GuildId::new(settings.guild.0.max(1));
        self.check(guild, None, Permission::BanMembers, None)?;
        guild
            .unban(&self.http, user(target))
            .await
            .map_err(ActionError::discord(Step::Unban))
    }

    async fn ban(
        &self,
        guild: GuildId,
        target: UserId,
        delete_message_days: u8,
        reason: &str,
    ) -> Result<(), ActionError> {
        self.check(guild, None, Permission::BanMembers, Some(target))?;
        guild
            .ban_with_reason(&self.http, target, delete_message_days.min(7), reason)
            .await
            .map_err(ActionError::discord(Step::Ban))
    }

    async fn sanction(
        &self,
        guild: GuildId,
        target: UserId,
        sanction: Sanction,
        reason: &str,
    ) -> Result<(), ActionError> {
        match sanction {
            // A warning is its case and its DM, both already actions of their own.
            Sanction::Warn => Ok(()),
            Sanction::Timeout(duration) => {
                self.check(guild, None, Permission::ModerateMembers, Some(target))?;
                let end = Timestamp::now().unix_timestamp() + duration.as_secs() as i64;
                let until =
                    Timestamp::from_unix_timestamp(end).map_err(|_| ActionError::OutOfRange)?;
                let edit = EditMember::new()
                    .disable_communication_until_datetime(until)
                    .audit_log_reason(reason);
                guild
                    .edit_member(self, target, edit)
                    .await
                    .map(|_| ())
                    .map_err(ActionError::discord(Step::Timeout))
            }
            Sanction::Kick => {
                self.check(guild, None, Permission::KickMembers, Some(target))?;
                guild
                    .kick_with_reason(&self.http, target, reason)
                    .await
                    .map_err(ActionError::discord(Step::Kick))
            }
            Sanction::Ban => self.ban(guild, target, 0, reason).await,
        }
    }

    /// Whether the bot may do something needing `needed` (in `channel`, or guild-wide), and, for
    /// a sanction, whether `target` is below the bot in the role hierarchy.
    /// Whether Steward holds `needed` in `channel` of `guild` (as far as the cache knows), before
    /// a request reads or changes anything.
    pub fn can(
        &self,
        guild: crate::ids::GuildId,
        channel: crate::ids::ChannelId,
        needed: Permission,
    ) -> Result<(), ActionError> {
        self.check(
            GuildId::new(guild.0.max(1)),
            Some(ChannelId::new(channel.0.max(1))),
            needed,
            None,
        )
    }

    fn check(
        &self,
        guild: GuildId,
        channel: Option<ChannelId>,
        needed: Permission,
        target: Option<UserId>,
    ) -> Result<(), ActionError> {
        let Some(guild) = self.cache.guild(guild) else {
            return Ok(()); // Not cached: let Discord decide.
        };
        let me = self.cache.current_user().id;
        let Some(bot) = guild.members.get(&me) else {
            return Ok(());
        };
        let permissions = match channel.and_then(|c| guild.channels.get(&c)) {
            Some(channel) => guild.user_permissions_in(channel, bot),
            None => guild.member_permissions(bot),
        };
        if !super::convert::holds(permissions, needed) {
            return Err(ActionError::MissingPermission { permission: needed });
        }
        let Some(target) = target else { return Ok(()) };
        if target == guild.owner_id {
            return Err(ActionError::Owner);
        }
        let position = |member| guild.member_highest_role(member).map_or(0, |r| r.position);
        if let Some(member) = guild.members.get(&target)
            && position(member) >= position(bot)
        {
            return Err(ActionError::Hierarchy {
                target: crate::ids::UserId(target.get()),
            });
        }
        Ok(())
    }

    /// Posts `error` as a notice to the mod-log channel, in the server's language, when there is
    /// one and it can be reached.
    pub async fn notify(&self, settings: &GuildSettings, error: &ActionError) {
        let lang = Lang::of(&settings.language);
        let title = crate::tr!(lang, "notice-title");
        self.post_to_mod_log(settings, notice::notice_message(&title, &error.text(lang)))
            .await;
    }

    /// Posts `message` to the mod-log channel, when there is one and it can be reached.
    async fn post_to_mod_log(&self, settings: &GuildSettings, message: CreateMessage) {
        let Some(channel) = settings.mod_log_channel else {
            return;
        };
        let channel = ChannelId::new(channel.0.max(1));
        if let Err(e) = channel.send_message(&self.http, message).await {
            warn!(%channel, error = %e, "mod log notice not posted");
        }
    }
}
