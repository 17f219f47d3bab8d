//! Referral commands (parrainage): `/invite` gives a member their personal invite (made once,
//! reused while it lives), `/referrals me` shows their own referrals and tier, `/referrals top`
//! the members who brought the most newcomers who stayed, `/referrals member` (moderators) who
//! a member brought, each join with how sure its attribution is. Every answer is private, in the
//! invoker's language.

use serenity::all::{ChannelId, CreateInvite, User};

use super::{Context, guards, invoker_lang, private};
use crate::community::qualification::tier;
use crate::community::referrals::Confidence;
use crate::discord::Error;
use crate::discord::manual::now_ms;
use crate::i18n::Lang;
use crate::ids::UserId;
use crate::store::JoinRow;
use crate::tr;

/// How many referrers `/referrals top` lists.
const TOP: u32 = 10;
/// How many joins `/referrals member` lists.
const LISTED: usize = 20;

/// Your personal invite link: members who join through it are counted as yours.
#[poise::command(slash_command, guild_only)]
pub async fn invite(ctx: Context<'_>) -> Result<(), Error> {
    ctx.defer_ephemeral().await?;
    let guild = guards::guild(ctx)?;
    let lang = invoker_lang(ctx);
    let user = UserId(ctx.author().id.get());
    let store = &ctx.data().store;
    if let Some(code) = store.personal_invite(guild, user).await?
        && ctx
            .http()
            .get_invite(&code, false, false, None)
            .await
            .is_ok()
    {
        return private(ctx, tr!(lang, "referral-invite", url = invite_url(&code))).await;
    }
    let settings = ctx.data().settings(guild).await?;
    let channel = settings
        .welcome_channel
        .map_or(ctx.channel_id(), |c| ChannelId::new(c.0.max(1)));
    let reason = format!("personal invite of {}", ctx.author().name);
    let made = channel
        .create_invite(
            ctx,
            CreateInvite::new()
                .max_age(0)
                .unique(true)
                .audit_log_reason(&reason),
        )
        .await;
    match made {
        Ok(invite) => {
            store
                .save_personal_invite(guild, user, &invite.code, now_ms())
                .await?;
            private(
                ctx,
                tr!(lang, "referral-invite", url = invite_url(&invite.code)),
            )
            .await
        }
        Err(e) => {
            tracing::warn!(%guild, error = %e, "personal invite not created");
            private(ctx, tr!(lang, "referral-invite-failed")).await
        }
    }
}

fn invite_url(code: &str) -> String {
    format!("https://discord.gg/{code}")
}

/// Referrals: the members you brought who stayed.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("referrals_me", "referrals_top", "referrals_member"),
    subcommand_required
)]
pub async fn referrals(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Your referrals: who stayed, who is still new, and your tier.
#[poise::command(slash_command, rename = "me")]
async fn referrals_me(ctx: Context<'_>) -> Result<(), Error> {
    let guild = guards::guild(ctx)?;
    let lang = invoker_lang(ctx);
    let user = UserId(ctx.author().id.get());
    let (qualified, pending) = ctx.data().store.referral_counts(guild, user).await?;
    let mut lines = vec![tr!(
        lang,
        "referral-me",
        qualified = qualified,
        pending = pending
    )];
    if let Some(settings) = ctx.data().charter().referrals.as_ref() {
        let (held, next) = tier(settings, qualified);
        if let Some(held) = held {
            lines.push(tr!(lang, "referral-me-tier", role = held.role.clone()));
        }
        if let Some(next) = next {
            lines.push(tr!(
                lang,
                "referral-me-next",
                role = next.role.clone(),
                missing = next.referrals - qualified
            ));
        }
        lines.push(tr!(
            lang,
            "referral-me-rule",
            days = settings.stay.as_secs() / 86_400,
            messages = settings.messages
        ));
    }
    private(ctx, lines.join("\n")).await
}

/// When `/referrals top` counts from.
#[derive(Clone, Copy, Debug, poise::ChoiceParameter)]
pub enum Period {
    #[name = "week"]
    Week,
    #[name = "month"]
    Month,
    #[name = "all"]
    All,
}

/// The members who brought the most newcomers who stayed.
#[poise::command(slash_command, rename = "top")]
async fn referrals_top(
    ctx: Context<'_>,
    #[description = "Since when (default: this month)"] period: Option<Period>,
) -> Result<(), Error> {
    let guild = guards::guild(ctx)?;
    let lang = invoker_lang(ctx);
    let day = 86_400_000;
    let since = match period.unwrap_or(Period::Month) {
        Period::Week => now_ms() - 7 * day,
        Period::Month => now_ms() - 30 * day,
        Period::All => 0,
    };
    let top = ctx.data().store.top_referrers(guild, since, TOP).await?;
    if top.is_empty() {
        return private(ctx, tr!(lang, "referral-top-none")).await;
    }
    let mut lines = vec![tr!(lang, "referral-top-title")];
    for (rank, (user, count)) in top.iter().enumerate() {
        lines.push(format!("{}. <@{user}> — {count}", rank + 1));
    }
    private(ctx, lines.join("\n")).await
}

/// Who a member brought, with how sure each attribution is (moderators).
#[poise::command(slash_command, rename = "member")]
async fn referrals_member(
    ctx: Context<'_>,
    #[description = "The member"] member: User,
) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    let inviter = UserId(member.id.get());
    let joins = ctx.data().store.joins_by_inviter(guild, inviter).await?;
    if joins.is_empty() {
        return private(
            ctx,
            tr!(
                lang,
                "referral-member-none",
                member = format!("<@{inviter}>")
            ),
        )
        .await;
    }
    let mut lines = vec![tr!(
        lang,
        "referral-member-title",
        member = format!("<@{inviter}>"),
        count = joins.len()
    )];
    for join in joins.iter().rev().take(LISTED) {
        lines.push(join_line(join, lang));
    }
    private(ctx, lines.join("\n")).await
}

/// One join as a moderator reads it: who, when, how sure, and where the referral stands.
fn join_line(join: &JoinRow, lang: Lang) -> String {
    let confidence = match join.attribution.confidence {
        Confidence::Exact => tr!(lang, "referral-confidence-exact"),
        Confidence::Ambiguous => tr!(lang, "referral-confidence-ambiguous"),
        Confidence::Vanity => tr!(lang, "referral-confidence-vanity"),
        Confidence::Unknown => tr!(lang, "referral-confidence-unknown"),
    };
    let status = match (join.referral.as_str(), join.lapse.as_deref()) {
        ("qualified", _) => tr!(lang, "referral-status-qualified"),
        ("pending", _) => tr!(lang, "referral-status-pending"),
        ("lapsed", Some(why)) => tr!(lang, "referral-status-lapsed", why = why),
        _ if join.rejoin => tr!(lang, "referral-status-rejoin"),
        _ => tr!(lang, "referral-status-none"),
    };
    format!(
        "<@{}> · <t:{}:d> · {confidence} · {status}",
        join.user,
        join.joined_at_ms / 1000
    )
}
