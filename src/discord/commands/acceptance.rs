//! `/charter ask` (administrators: post the invitation to read and accept the charter, after its
//! text changed) and `/charter accepted member` (moderators: which version a member accepted, and
//! when). Answers are private, in the invoker's language.

use serenity::all::User;

use super::{Context, guards, invoker_lang, private};
use crate::community::acceptance::GateTarget;
use crate::discord::{Error, Executor};
use crate::i18n::Lang;
use crate::ids::{ChannelId, UserId};
use crate::moderation::Action;
use crate::tr;

/// Ask members to read and accept the charter, here (administrators).
#[poise::command(
    slash_command,
    rename = "ask",
    default_member_permissions = "MANAGE_GUILD"
)]
pub async fn charter_ask(ctx: Context<'_>) -> Result<(), Error> {
    let (_, settings) = guards::admin(ctx).await?;
    let lang = invoker_lang(ctx);
    let charter = ctx.data().charter();
    if charter.acceptance.is_none() {
        return private(ctx, tr!(lang, "acceptance-not-asked")).await;
    }
    let gate = Action::CharterGate {
        target: GateTarget::Channel {
            channel: ChannelId(ctx.channel_id().get()),
            mention: None,
        },
        title: charter.title.clone(),
    };
    let executor = Executor::new(
        ctx.serenity_context().http.clone(),
        ctx.serenity_context().cache.clone(),
        ctx.data(),
    );
    if let Err(e) = executor.carry_out(vec![gate], &settings).await {
        return private(ctx, e.refusal().text(lang)).await;
    }
    private(
        ctx,
        tr!(lang, "acceptance-asked", version = charter.version.clone()),
    )
    .await
}

/// Which version of the charter a member accepted, and when (moderators).
#[poise::command(slash_command, rename = "accepted")]
pub async fn charter_accepted(
    ctx: Context<'_>,
    #[description = "The member"] member: User,
) -> Result<(), Error> {
    let (guild, _) = guards::moderator(ctx).await?;
    let lang = invoker_lang(ctx);
    let user = UserId(member.id.get());
    let acceptance = ctx.data().store.acceptance(guild, user).await?;
    private(
        ctx,
        describe(lang, user, acceptance, &ctx.data().charter().version),
    )
    .await
}

fn describe(
    lang: Lang,
    user: UserId,
    acceptance: Option<crate::store::Acceptance>,
    current: &str,
) -> String {
    let member = format!("<@{user}>");
    match acceptance {
        None => tr!(lang, "acceptance-of-none", member = member),
        Some(a) => {
            let at = format!("<t:{}:f>", a.accepted_at_ms / 1000);
            if a.version == current {
                tr!(
                    lang,
                    "acceptance-of",
                    member = member,
                    version = a.version,
                    at = at
                )
            } else {
                tr!(
                    lang,
                    "acceptance-of-outdated",
                    member = member,
                    version = a.version,
                    at = at,
                    current = current.to_string()
                )
            }
        }
    }
}
