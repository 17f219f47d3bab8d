//! The one way a moderator's decision is carried out, from a command or a review button:
//! [`sanction_member`] checks the moderator's place in the role hierarchy, performs the action
//! through the [`Executor`] (which checks the bot's own permissions and place), records the case,
//! posts it to the mod log, schedules or clears a temporary ban and tells the member.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serenity::all::Permissions;
use tracing::warn;

use crate::charter::{MAX_TIMEOUT, Sanction, format_duration};
use crate::discord::{Data, Executor};
use crate::ids::{ChannelId, GuildId, MessageId, UserId};
use crate::moderation::Action;
use crate::store::{Case, CaseKind, GuildSettings, NewCase};

/// Discord's longest message purge on a ban, in days.
pub const MAX_BAN_PURGE_DAYS: u8 = 7;

/// Discord's limit on an audit-log reason.
const AUDIT_REASON_MAX: usize = 512;

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

    fn duration(self) -> Option<Duration> {
        match self {
            ManualAction::Timeout(d) => Some(d),
            ManualAction::Ban { duration, .. } => duration,
            _ => None,
        }
    }

    /// Whether it acts on a member, so that the role hierarchy applies.
    fn needs_hierarchy(self) -> bool {
        !matches!(self, ManualAction::Unban | ManualAction::Note)
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

/// Why a request was not carried out: a text in the guild's language, safe to show the
/// moderator. Nothing was recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal(pub String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Carries out a moderator's request: checks it (section, durations, the moderator's place in
/// the hierarchy, then the bot's), performs it on Discord, records the case (moderator = the
/// requester), posts it to the mod log, schedules or clears a temporary ban, and DMs the member
/// when asked (before a kick or ban, while they still share a server with Steward). Returns the
/// case, or the refusal to show the moderator.
pub async fn sanction_member(
    ctx: &serenity::all::Context,
    data: &Data,
    request: SanctionRequest,
) -> Result<Case, Refusal> {
    let settings = data
        .settings(request.guild)
        .await
        .map_err(|e| Refusal(e.to_string()))?;
    let fr = settings.language == "fr";
    let say = |fr_text: String, en_text: String| Refusal(if fr { fr_text } else { en_text });
    let charter = data.charter();
    let section_title = match request.section {
        Some(number) => match charter.section(number) {
            Some(s) => Some(s.title.get(&settings.language).to_string()),
            None => {
                return Err(say(
                    format!("La charte n'a pas d'article {number}."),
                    format!("The charter has no section {number}."),
                ));
            }
        },
        None => None,
    };
    match request.action {
        ManualAction::Timeout(d) if d > MAX_TIMEOUT => {
            return Err(say(
                format!(
                    "Discord limite une exclusion temporaire à 28 jours : {} est trop long. Aucune action.",
                    format_duration(d)
                ),
                format!(
                    "Discord limits a timeout to 28 days: {} is too long. Nothing was done.",
                    format_duration(d)
                ),
            ));
        }
        ManualAction::Timeout(d)
        | ManualAction::Ban {
            duration: Some(d), ..
        } if d.is_zero() => {
            return Err(say(
                "La durée doit être positive.".into(),
                "The duration must be longer than zero.".into(),
            ));
        }
        ManualAction::Ban {
            delete_message_days,
            ..
        } if delete_message_days > MAX_BAN_PURGE_DAYS => {
            return Err(say(
                format!("La purge des messages va de 0 à {MAX_BAN_PURGE_DAYS} jours."),
                format!("Message deletion goes from 0 to {MAX_BAN_PURGE_DAYS} days."),
            ));
        }
        _ => {}
    }
    if request.action.needs_hierarchy() {
        moderator_may_act(ctx, &request, fr).await?;
    }
    let executor = Executor {
        http: ctx.http.clone(),
        cache: ctx.cache.clone(),
        store: data.store.clone(),
    };
    let needed = match request.action {
        ManualAction::Timeout(_) | ManualAction::Untimeout => Some(Permissions::MODERATE_MEMBERS),
        ManualAction::Kick => Some(Permissions::KICK_MEMBERS),
        ManualAction::Ban { .. } => Some(Permissions::BAN_MEMBERS),
        _ => None,
    };
    if let Some(needed) = needed {
        executor
            .may_act_on(&settings, request.target, needed)
            .map_err(Refusal)?;
    }
    let guild_name = ctx
        .cache
        .guild(serenity::all::GuildId::new(request.guild.0.max(1)))
        .map(|g| g.name.clone())
        .unwrap_or_default();
    let dm = request.dm.then(|| {
        dm_text(
            &request,
            &guild_name,
            section_title.as_deref(),
            &settings.language,
        )
    });
    let leaves = matches!(
        request.action,
        ManualAction::Kick | ManualAction::Ban { .. }
    );
    if leaves && let Some(text) = &dm {
        send_dm(&executor, &settings, request.target, text).await;
    }
    let audit_reason = crate::discord::embeds::fit(&request.reason, AUDIT_REASON_MAX);
    let target = request.target;
    let done = match request.action {
        ManualAction::Warn | ManualAction::Note => Ok(()),
        ManualAction::Timeout(d) => {
            executor
                .try_perform(
                    Action::Sanction {
                        guild: request.guild,
                        user: target,
                        sanction: Sanction::Timeout(d),
                        reason: audit_reason,
                    },
                    &settings,
                )
                .await
        }
        ManualAction::Untimeout => {
            executor
                .lift_timeout(&settings, target, &audit_reason)
                .await
        }
        ManualAction::Kick => {
            executor
                .try_perform(
                    Action::Sanction {
                        guild: request.guild,
                        user: target,
                        sanction: Sanction::Kick,
                        reason: audit_reason,
                    },
                    &settings,
                )
                .await
        }
        ManualAction::Ban {
            delete_message_days,
            ..
        } => {
            executor
                .ban(&settings, target, delete_message_days, &audit_reason)
                .await
        }
        ManualAction::Unban => executor.unban(&settings, target).await,
    };
    done.map_err(Refusal)?;

    let now = now_ms();
    let case = executor
        .record_case(
            NewCase {
                guild: request.guild,
                user: target,
                moderator: Some(request.moderator),
                kind: request.action.case_kind(),
                rule: request.rule.clone(),
                section: request.section,
                reason: match (&request.section, &section_title) {
                    (Some(n), Some(title)) => format!(
                        "{} — {} {n}: {title}",
                        request.reason,
                        if fr { "article" } else { "section" }
                    ),
                    _ => request.reason.clone(),
                },
                content: request.content.clone(),
                channel: request.channel,
                message: request.message,
                duration_secs: request.action.duration().map(|d| d.as_secs() as i64),
                points: request.points,
                created_at_ms: now,
            },
            &settings,
        )
        .await
        .map_err(Refusal)?;
    let schedule = match request.action {
        ManualAction::Ban {
            duration: Some(d), ..
        } => {
            let at = now.saturating_add(d.as_millis() as i64);
            super::tempbans::schedule_ban_end(&data.store, request.guild, target, at, case.number)
                .await
        }
        ManualAction::Ban { duration: None, .. } | ManualAction::Unban => {
            super::tempbans::cancel_ban_end(&data.store, request.guild, target)
                .await
                .map(|_| ())
        }
        _ => Ok(()),
    };
    if let Err(e) = schedule {
        warn!(guild = %request.guild, user = %target, error = %e, "temporary ban not scheduled");
        executor
            .notify(
                &settings,
                &if fr {
                    format!(
                        "Levée du bannissement du cas #{} non programmée : {e}",
                        case.number
                    )
                } else {
                    format!(
                        "The end of case #{}'s ban was not scheduled: {e}",
                        case.number
                    )
                },
            )
            .await;
    }
    if !leaves && let Some(text) = &dm {
        send_dm(&executor, &settings, target, text).await;
    }
    Ok(case)
}

/// Refuses when the moderator may not act on the target: the target is Steward, the moderator
/// themselves, the owner, or has a highest role at or above the moderator's.
async fn moderator_may_act(
    ctx: &serenity::all::Context,
    request: &SanctionRequest,
    fr: bool,
) -> Result<(), Refusal> {
    let say =
        |fr_text: &str, en_text: &str| Err(Refusal(if fr { fr_text } else { en_text }.to_string()));
    if request.target.0 == ctx.cache.current_user().id.get() {
        return say(
            "Steward ne peut pas être sanctionné.",
            "Steward cannot be sanctioned.",
        );
    }
    if request.target == request.moderator {
        return say(
            "Vous ne pouvez pas vous sanctionner vous-même.",
            "You cannot sanction yourself.",
        );
    }
    let guild_id = serenity::all::GuildId::new(request.guild.0.max(1));
    let owner = ctx.cache.guild(guild_id).map(|g| g.owner_id.get());
    let Some(owner) = owner else {
        return say(
            "Le serveur n'est pas encore chargé ; réessayez dans un instant.",
            "The server is not loaded yet; try again in a moment.",
        );
    };
    if request.target.0 == owner {
        return say(
            "Le propriétaire du serveur ne peut pas être sanctionné.",
            "The server owner cannot be sanctioned.",
        );
    }
    if request.moderator.0 == owner {
        return Ok(());
    }
    let roles_of = async |user: UserId| {
        guild_id
            .member(ctx, serenity::all::UserId::new(user.0.max(1)))
            .await
            .ok()
            .map(|m| m.roles)
    };
    let moderator_roles = roles_of(request.moderator).await.unwrap_or_default();
    let Some(target_roles) = roles_of(request.target).await else {
        return Ok(()); // Not a member: no hierarchy (a ban by id).
    };
    let top = |roles: &[serenity::all::RoleId]| {
        ctx.cache.guild(guild_id).map_or(0, |g| {
            roles
                .iter()
                .filter_map(|r| g.roles.get(r))
                .map(|r| r.position)
                .max()
                .unwrap_or(0)
        })
    };
    if top(&target_roles) >= top(&moderator_roles) {
        return Err(Refusal(if fr {
            format!(
                "<@{}> a un rôle égal ou supérieur au vôtre : vous ne pouvez pas agir sur ce membre.",
                request.target
            )
        } else {
            format!(
                "<@{}> has a role at or above yours: you cannot act on this member.",
                request.target
            )
        }));
    }
    Ok(())
}

/// The private message telling the member what a moderator did, in the guild's language.
fn dm_text(
    request: &SanctionRequest,
    guild_name: &str,
    section_title: Option<&str>,
    language: &str,
) -> String {
    let fr = language == "fr";
    let what = match (request.action, fr) {
        (ManualAction::Warn, true) => "vous avez reçu un avertissement".to_string(),
        (ManualAction::Warn, false) => "you have been warned".to_string(),
        (ManualAction::Timeout(d), true) => {
            format!(
                "vous êtes exclu·e temporairement pour {}",
                format_duration(d)
            )
        }
        (ManualAction::Timeout(d), false) => {
            format!("you have been timed out for {}", format_duration(d))
        }
        (ManualAction::Untimeout, true) => "votre exclusion temporaire est levée".to_string(),
        (ManualAction::Untimeout, false) => "your timeout has been lifted".to_string(),
        (ManualAction::Kick, true) => "vous avez été expulsé·e".to_string(),
        (ManualAction::Kick, false) => "you have been kicked".to_string(),
        (ManualAction::Ban { duration, .. }, true) => match duration {
            Some(d) => format!("vous avez été banni·e pour {}", format_duration(d)),
            None => "vous avez été banni·e".to_string(),
        },
        (ManualAction::Ban { duration, .. }, false) => match duration {
            Some(d) => format!("you have been banned for {}", format_duration(d)),
            None => "you have been banned".to_string(),
        },
        (ManualAction::Unban, true) => "votre bannissement est levé".to_string(),
        (ManualAction::Unban, false) => "your ban has been lifted".to_string(),
        (ManualAction::Note, true) => "une note a été ajoutée à votre dossier".to_string(),
        (ManualAction::Note, false) => "a note was added to your record".to_string(),
    };
    let mut text = if guild_name.is_empty() {
        format!(
            "{}{what}.",
            if fr { "Modération : " } else { "Moderation: " }
        )
    } else {
        format!("**{guild_name}** : {what}.")
    };
    if !fr {
        text = text.replacen(" : ", ": ", 1);
    }
    text.push_str(&if fr {
        format!("\nMotif : {}", request.reason)
    } else {
        format!("\nReason: {}", request.reason)
    });
    if let (Some(n), Some(title)) = (request.section, section_title) {
        text.push_str(&if fr {
            format!("\nArticle {n} de la charte : {title}")
        } else {
            format!("\nCharter section {n}: {title}")
        });
    }
    crate::discord::embeds::fit(&text, 2000)
}

async fn send_dm(executor: &Executor, settings: &GuildSettings, user: UserId, text: &str) {
    let _ = executor
        .try_perform(
            Action::DirectMessage {
                user,
                text: text.to_string(),
            },
            settings,
        )
        .await;
}

/// Milliseconds since the epoch, now.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dms_cite_the_section_in_the_guild_language() {
        let mut request = SanctionRequest::new(
            GuildId(1),
            UserId(2),
            UserId(3),
            ManualAction::Timeout(Duration::from_secs(5400)),
            "spam",
        );
        request.section = Some(4);
        let fr = dm_text(&request, "Test", Some("Spam"), "fr");
        assert_eq!(
            fr,
            "**Test** : vous êtes exclu·e temporairement pour 1h30m.\nMotif : spam\nArticle 4 de la charte : Spam"
        );
        let en = dm_text(&request, "Test", Some("Spam"), "en");
        assert_eq!(
            en,
            "**Test**: you have been timed out for 1h30m.\nReason: spam\nCharter section 4: Spam"
        );
    }

    #[test]
    fn notes_and_unbans_are_not_sent_by_default() {
        let new = |action| SanctionRequest::new(GuildId(1), UserId(2), UserId(3), action, "x");
        assert!(!new(ManualAction::Note).dm);
        assert!(!new(ManualAction::Unban).dm);
        assert!(new(ManualAction::Warn).dm);
    }
}
