//! `/setup`: a server's channels, moderator roles and language; unset options keep their value.
//! The answer lists the settings as saved, in the invoker's language.

use serenity::all::{AutocompleteChoice, CreateAutocompleteResponse, GuildChannel, Role};

use super::{Context, UserError, guards, invoker_lang, private};
use crate::discord::Error;
use crate::i18n::Lang;
use crate::ids::{ChannelId, RoleId};
use crate::tr;

/// Shown for a setting left empty.
const UNSET: &str = "—";

/// The languages a server can choose: every language of the catalogue, by its own name, the
/// code as the value.
async fn languages(_ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    let partial = partial.to_lowercase();
    let choices = Lang::all()
        .map(|lang| (lang.endonym(), lang.code()))
        .filter(|(name, code)| {
            name.to_lowercase().starts_with(&partial) || code.starts_with(&partial)
        })
        .map(|(name, code)| AutocompleteChoice::new(format!("{name} ({code})"), code))
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
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
    #[description = "The language of the bot's messages"]
    #[autocomplete = "languages"]
    language: Option<String>,
) -> Result<(), Error> {
    let (_, mut settings) = guards::admin(ctx).await?;
    // Checked before anything changes: an unknown language refuses the whole request.
    let language = match language {
        Some(code) => Some(Lang::known(code.trim()).ok_or(UserError::UnknownLanguage(code))?),
        None => None,
    };
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
    // A stats channel just chosen: the reports are waited for from now on.
    crate::discord::reports::ensure_scheduled(
        ctx.data(),
        settings.guild,
        crate::discord::review::now_ms(),
    )
    .await;
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
