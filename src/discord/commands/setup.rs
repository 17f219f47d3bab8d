//! `/setup`: a server's channels, moderator roles and language; unset options keep their value.
//! The answer lists the settings as saved, in the invoker's language.

use serenity::all::{GuildChannel, Role};

use super::{Context, guards, invoker_lang, private};
use crate::discord::Error;
use crate::ids::{ChannelId, RoleId};
use crate::tr;

/// Shown for a setting left empty.
const UNSET: &str = "—";

/// The languages a server can choose.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum Language {
    #[name = "Français"]
    Fr,
    #[name = "English"]
    En,
}

impl Language {
    /// The code saved in the settings.
    fn code(self) -> &'static str {
        match self {
            Language::Fr => "fr",
            Language::En => "en",
        }
    }
}

/// Configure Steward for this server: channels, moderator role, language.
#[poise::command(slash_command, guild_only, default_member_permissions = "MANAGE_GUILD")]
pub async fn setup(
    ctx: Context<'_>,
    #[description = "Where cases and notices are posted"] mod_log: Option<GuildChannel>,
    #[description = "Where messages wait for review"] review: Option<GuildChannel>,
    #[description = "Where newcomers are greeted"] welcome: Option<GuildChannel>,
    #[description = "Where the weekly report goes"] stats: Option<GuildChannel>,
    #[description = "A role whose members moderate (added to the list)"] moderator_role: Option<
        Role,
    >,
    #[description = "The language of the bot's messages"] language: Option<Language>,
) -> Result<(), Error> {
    let (_, mut settings) = guards::admin(ctx).await?;
    let channel = |c: Option<GuildChannel>| c.map(|c| ChannelId(c.id.get()));
    settings.mod_log_channel = channel(mod_log).or(settings.mod_log_channel);
    settings.review_channel = channel(review).or(settings.review_channel);
    settings.welcome_channel = channel(welcome).or(settings.welcome_channel);
    settings.stats_channel = channel(stats).or(settings.stats_channel);
    if let Some(role) = moderator_role {
        let role = RoleId(role.id.get());
        if !settings.moderator_roles.contains(&role) {
            settings.moderator_roles.push(role);
        }
    }
    if let Some(language) = language {
        settings.language = language.code().into();
    }
    ctx.data().save_settings(settings.clone()).await?;
    let show = |c: Option<ChannelId>| c.map_or_else(|| UNSET.to_string(), |c| format!("<#{c}>"));
    let roles: Vec<String> = settings
        .moderator_roles
        .iter()
        .map(|r| format!("<@&{r}>"))
        .collect();
    let summary = tr!(
        invoker_lang(ctx),
        "setup-saved",
        mod_log = show(settings.mod_log_channel),
        review = show(settings.review_channel),
        welcome = show(settings.welcome_channel),
        stats = show(settings.stats_channel),
        roles = if roles.is_empty() {
            UNSET.to_string()
        } else {
            roles.join(", ")
        },
        language = settings.language.clone(),
    );
    private(ctx, summary).await
}
