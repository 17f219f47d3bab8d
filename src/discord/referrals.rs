//! The referral job ([`Job::QualifyReferral`](crate::jobs::Job::QualifyReferral)): gathers what a
//! pending referral's newcomer did since joining (still here, messages, cases), lets
//! [`qualification::standing`](crate::community::qualification::standing) judge, settles it, and
//! when it qualifies gives the inviter any reward tier reached, announced in the welcome channel.

use tracing::info;

use super::welcome::still_member;
use super::{Data, Executor};
use crate::cases::CaseKind;
use crate::community::qualification::{Progress, Standing, rewards_reached, standing};
use crate::i18n::Lang;
use crate::ids::{GuildId, UserId};
use crate::jobs::Outcome;
use crate::moderation::Action;
use crate::store::hour_of;
use crate::tr;

/// How many of the newcomer's latest cases are read.
const CASES_READ: u32 = 50;

/// Looks at the referral the join of `user` at `joined_at_ms` may earn.
pub async fn qualify_job(
    data: &Data,
    executor: &Executor,
    guild: GuildId,
    user: UserId,
    joined_at_ms: i64,
    now_ms: i64,
) -> Result<Outcome, String> {
    let charter = data.charter();
    let Some(settings) = charter.referrals.as_ref() else {
        return Ok(Outcome::Done); // Referrals switched off since: nothing to count.
    };
    let store = &data.store;
    let text = |e: crate::store::StoreError| e.to_string();
    let Some((id, inviter)) = store
        .pending_referral(guild, user, joined_at_ms)
        .await
        .map_err(text)?
    else {
        return Ok(Outcome::Done); // Settled already (the member left).
    };
    let present = still_member(&executor.http, guild, user).await?;
    // Messages of the last minutes are still in memory: write them before counting.
    data.flush_activity().await;
    let messages = store
        .user_messages_in(guild, user, hour_of(joined_at_ms), hour_of(now_ms) + 1)
        .await
        .map_err(text)?;
    let cases = store
        .cases_for(guild, user, CASES_READ)
        .await
        .map_err(text)?
        .iter()
        .filter(|c| c.created_at_ms >= joined_at_ms && c.kind != CaseKind::Untimeout)
        .count();
    let progress = Progress {
        joined_at_ms,
        present,
        messages,
        cases,
        now_ms,
    };
    match standing(settings, &progress) {
        Standing::NotYet { at_ms } => Ok(Outcome::Later { at_ms }),
        Standing::Lapsed(lapse) => {
            store
                .settle_referral(id, Some(lapse.as_str()), now_ms)
                .await
                .map_err(text)?;
            info!(%guild, %user, %inviter, lapse = lapse.as_str(), "referral lapsed");
            Ok(Outcome::Done)
        }
        Standing::Qualified => {
            if !store
                .settle_referral(id, None, now_ms)
                .await
                .map_err(text)?
            {
                return Ok(Outcome::Done);
            }
            let (count, _) = store.referral_counts(guild, inviter).await.map_err(text)?;
            info!(%guild, %user, %inviter, count, "referral qualified");
            let settings_of_guild = data.settings(guild).await.map_err(|e| e.to_string())?;
            let lang = Lang::of(&settings_of_guild.language);
            let mut actions = Vec::new();
            for reward in rewards_reached(settings, count.saturating_sub(1), count) {
                actions.push(Action::GiveRoles {
                    user: inviter,
                    roles: vec![reward.role.clone()],
                });
                if let Some(channel) = settings_of_guild.welcome_channel {
                    actions.push(Action::Post {
                        channel,
                        text: tr!(
                            lang,
                            "referral-tier-reached",
                            member = format!("<@{inviter}>"),
                            count = count,
                            role = reward.role.clone()
                        ),
                        mention: inviter,
                    });
                }
            }
            executor.perform(actions, &settings_of_guild).await;
            Ok(Outcome::Done)
        }
    }
}
