//! The one place actions happen: decisions from [`moderation`](crate::moderation) are performed
//! on Discord and in storage. Before each Discord action the bot's permissions and the role
//! hierarchy are checked; what cannot be done is logged and posted to the mod log, never a crash.

use std::sync::Arc;

use serenity::all::{
    Cache, CacheHttp, ChannelId, CreateMessage, EditMember, GuildId, Http, Permissions, Timestamp,
    UserId,
};
use tracing::{info, warn};

use super::embeds;
use crate::charter::Sanction;
use crate::moderation::Action;
use crate::store::{Case, GuildSettings, NewCase, Store};

/// What the executor needs: Discord's HTTP client and cache, and storage.
#[derive(Clone)]
pub struct Executor {
    pub http: Arc<Http>,
    pub cache: Arc<Cache>,
    pub store: Store,
}

impl CacheHttp for &Executor {
    fn http(&self) -> &Http {
        &self.http
    }

    fn cache(&self) -> Option<&Arc<Cache>> {
        Some(&self.cache)
    }
}

impl Executor {
    /// Performs `actions` in order; each failure is reported and the next action still runs.
    pub async fn perform(&self, actions: Vec<Action>, settings: &GuildSettings) {
        for action in actions {
            if let Err(problem) = self.perform_one(action, settings).await {
                warn!(guild = %settings.guild, %problem, "action not performed");
                self.notify(settings, &problem).await;
            }
        }
    }

    async fn perform_one(&self, action: Action, settings: &GuildSettings) -> Result<(), String> {
        let guild = GuildId::new(settings.guild.0.max(1));
        let fr = settings.language == "fr";
        match action {
            Action::DeleteMessage { channel, message } => {
                let channel = ChannelId::new(channel.0.max(1));
                self.check(guild, Some(channel), Permissions::MANAGE_MESSAGES, None, fr)?;
                channel
                    .delete_message(&self.http, message.0.max(1))
                    .await
                    .map_err(|e| failed(fr, "supprimer le message", "delete the message", &e))
            }
            Action::DirectMessage { user, text } => {
                // Members may close their DMs: that is worth a log line, not a mod-log notice.
                let user = UserId::new(user.0.max(1));
                if let Err(e) = user
                    .direct_message(self, CreateMessage::new().content(text))
                    .await
                {
                    info!(%user, error = %e, "direct message not delivered");
                }
                Ok(())
            }
            Action::Sanction {
                user,
                sanction,
                reason,
                ..
            } => {
                self.sanction(guild, UserId::new(user.0.max(1)), sanction, &reason, fr)
                    .await
            }
            Action::RecordCase(case) => self.record_case(case, settings).await.map(|_| ()),
        }
    }

    /// Performs one action and says what went wrong, without posting a notice: for callers that
    /// answer a moderator themselves.
    pub async fn try_perform(
        &self,
        action: Action,
        settings: &GuildSettings,
    ) -> Result<(), String> {
        self.perform_one(action, settings).await
    }

    /// Records a case and posts it to the mod log (what [`Action::RecordCase`] does), returning
    /// the recorded case.
    pub async fn record_case(
        &self,
        case: NewCase,
        settings: &GuildSettings,
    ) -> Result<Case, String> {
        let case = self
            .store
            .create_case(case)
            .await
            .map_err(|e| format!("case not recorded: {e}"))?;
        info!(guild = %case.guild, number = case.number, kind = case.kind.as_str(), user = %case.user, rule = ?case.rule, "case recorded");
        if let Some(channel) = settings.mod_log_channel {
            let channel = ChannelId::new(channel.0.max(1));
            if let Err(e) = channel
                .send_message(&self.http, embeds::case_message(&case, &settings.language))
                .await
            {
                warn!(%channel, error = %e, "mod log not posted");
            }
        }
        Ok(case)
    }

    /// Whether the bot could use `needed` on `user` (permission, owner, role hierarchy), checked
    /// against the cache before anything is sent.
    pub fn may_act_on(
        &self,
        settings: &GuildSettings,
        user: crate::ids::UserId,
        needed: Permissions,
    ) -> Result<(), String> {
        let guild = GuildId::new(settings.guild.0.max(1));
        let fr = settings.language == "fr";
        self.check(guild, None, needed, Some(UserId::new(user.0.max(1))), fr)
    }

    /// Bans `user`, deleting their messages of the last `delete_message_days` (0 to 7).
    pub async fn ban(
        &self,
        settings: &GuildSettings,
        user: crate::ids::UserId,
        delete_message_days: u8,
        reason: &str,
    ) -> Result<(), String> {
        let guild = GuildId::new(settings.guild.0.max(1));
        let fr = settings.language == "fr";
        let user = UserId::new(user.0.max(1));
        self.check(guild, None, Permissions::BAN_MEMBERS, Some(user), fr)?;
        guild
            .ban_with_reason(&self.http, user, delete_message_days.min(7), reason)
            .await
            .map_err(|e| failed(fr, "bannir le membre", "ban the member", &e))
    }

    /// Lifts `user`'s ban.
    pub async fn unban(
        &self,
        settings: &GuildSettings,
        user: crate::ids::UserId,
    ) -> Result<(), String> {
        let guild = GuildId::new(settings.guild.0.max(1));
        let fr = settings.language == "fr";
        self.check(guild, None, Permissions::BAN_MEMBERS, None, fr)?;
        guild
            .unban(&self.http, UserId::new(user.0.max(1)))
            .await
            .map_err(|e| failed(fr, "lever le bannissement", "lift the ban", &e))
    }

    /// Lifts `user`'s timeout.
    pub async fn lift_timeout(
        &self,
        settings: &GuildSettings,
        user: crate::ids::UserId,
        reason: &str,
    ) -> Result<(), String> {
        let guild = GuildId::new(settings.guild.0.max(1));
        let fr = settings.language == "fr";
        let user = UserId::new(user.0.max(1));
        self.check(guild, None, Permissions::MODERATE_MEMBERS, Some(user), fr)?;
        guild
            .edit_member(
                self,
                user,
                EditMember::new()
                    .enable_communication()
                    .audit_log_reason(reason),
            )
            .await
            .map(|_| ())
            .map_err(|e| failed(fr, "lever l'exclusion temporaire", "lift the timeout", &e))
    }

    async fn sanction(
        &self,
        guild: GuildId,
        user: UserId,
        sanction: Sanction,
        reason: &str,
        fr: bool,
    ) -> Result<(), String> {
        match sanction {
            // A warning is its case and its DM, both already actions of their own.
            Sanction::Warn => Ok(()),
            Sanction::Timeout(duration) => {
                self.check(guild, None, Permissions::MODERATE_MEMBERS, Some(user), fr)?;
                let until = Timestamp::from_unix_timestamp(
                    Timestamp::now().unix_timestamp() + duration.as_secs() as i64,
                )
                .map_err(|e| e.to_string())?;
                guild
                    .edit_member(
                        self,
                        user,
                        EditMember::new()
                            .disable_communication_until_datetime(until)
                            .audit_log_reason(reason),
                    )
                    .await
                    .map(|_| ())
                    .map_err(|e| {
                        failed(
                            fr,
                            "exclure temporairement le membre",
                            "time the member out",
                            &e,
                        )
                    })
            }
            Sanction::Kick => {
                self.check(guild, None, Permissions::KICK_MEMBERS, Some(user), fr)?;
                guild
                    .kick_with_reason(&self.http, user, reason)
                    .await
                    .map_err(|e| failed(fr, "expulser le membre", "kick the member", &e))
            }
            Sanction::Ban => {
                self.check(guild, None, Permissions::BAN_MEMBERS, Some(user), fr)?;
                guild
                    .ban_with_reason(&self.http, user, 0, reason)
                    .await
                    .map_err(|e| failed(fr, "bannir le membre", "ban the member", &e))
            }
        }
    }

    /// Whether the bot may do something needing `needed` (in `channel`, or guild-wide), and, for
    /// a sanction, whether `target` is below the bot in the role hierarchy.
    fn check(
        &self,
        guild: GuildId,
        channel: Option<ChannelId>,
        needed: Permissions,
        target: Option<UserId>,
        fr: bool,
    ) -> Result<(), String> {
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
        if !permissions.contains(needed) && !permissions.administrator() {
            let names = needed.get_permission_names().join(", ");
            return Err(if fr {
                format!("Steward n'a pas la permission {names}.")
            } else {
                format!("Steward lacks the {names} permission.")
            });
        }
        let Some(target) = target else { return Ok(()) };
        if target == guild.owner_id {
            return Err(if fr {
                "Le propriétaire du serveur ne peut pas être sanctionné.".into()
            } else {
                "The server owner cannot be sanctioned.".into()
            });
        }
        let position = |member| guild.member_highest_role(member).map_or(0, |r| r.position);
        if let Some(member) = guild.members.get(&target)
            && position(member) >= position(bot)
        {
            return Err(if fr {
                format!(
                    "<@{target}> a un rôle égal ou supérieur à celui de Steward : placez le rôle de Steward au-dessus."
                )
            } else {
                format!("<@{target}> has a role at or above Steward's: move Steward's role higher.")
            });
        }
        Ok(())
    }

    /// Posts a notice to the mod-log channel, when there is one and it can be reached.
    pub async fn notify(&self, settings: &GuildSettings, problem: &str) {
        let Some(channel) = settings.mod_log_channel else {
            return;
        };
        let title = if settings.language == "fr" {
            "Action impossible"
        } else {
            "Action not performed"
        };
        let channel = ChannelId::new(channel.0.max(1));
        if let Err(e) = channel
            .send_message(&self.http, embeds::notice_message(title, problem))
            .await
        {
            warn!(%channel, error = %e, "mod log notice not posted");
        }
    }
}

fn failed(fr: bool, what_fr: &str, what_en: &str, error: &serenity::Error) -> String {
    if fr {
        format!("Steward n'a pas pu {what_fr} : {error}")
    } else {
        format!("Steward could not {what_en}: {error}")
    }
}
