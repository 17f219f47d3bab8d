//! The charter gate: the invitation to read the charter (a post or DM with a "Read the charter"
//! button), and what the reader then sees privately in their own language: every section of the
//! charter and an "I accept" button bound to the version shown.

use serenity::all::{
    ButtonStyle, Colour, CreateActionRow, CreateAllowedMentions, CreateButton, CreateEmbed,
    CreateEmbedFooter, CreateMessage,
};

use super::{BUTTON_LABEL_MAX, EMBED_DESCRIPTION_MAX, EMBED_FIELD_MAX, EMBED_TITLE_MAX, fit};
use crate::charter::{Charter, Text};
use crate::i18n::Lang;
use crate::ids::{GuildId, UserId};
use crate::tr;

/// Every custom id of the gate's buttons starts with this.
pub const CHARTER_PREFIX: &str = "charter:";

/// Discord's limit on an embed's fields.
const FIELDS_MAX: usize = 25;

/// The id of the "Read the charter" button of `guild`.
pub fn read_id(guild: GuildId) -> String {
    format!("{CHARTER_PREFIX}read:{guild}")
}

/// The id of the "I accept" button for `version` of `guild`'s charter.
pub fn accept_id(guild: GuildId, version: &str) -> String {
    format!("{CHARTER_PREFIX}accept:{guild}:{version}")
}

/// What a gate button asks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Press {
    Read { guild: GuildId },
    Accept { guild: GuildId, version: String },
}

/// Reads a gate button's custom id.
pub fn parse_press(custom_id: &str) -> Option<Press> {
    let rest = custom_id.strip_prefix(CHARTER_PREFIX)?;
    let mut parts = rest.split(':');
    let kind = parts.next()?;
    let guild = GuildId(parts.next()?.parse().ok()?);
    match (kind, parts.next()) {
        ("read", None) => Some(Press::Read { guild }),
        ("accept", Some(version)) => Some(Press::Accept {
            guild,
            version: version.to_string(),
        }),
        _ => None,
    }
}

/// The invitation, in the server's language, pinging only the newcomer when there is one.
pub fn gate(title: &Text, lang: Lang, guild: GuildId, mention: Option<UserId>) -> CreateMessage {
    let title = title.get(lang.code());
    let text = match mention {
        Some(user) => tr!(
            lang,
            "acceptance-gate-newcomer",
            member = format!("<@{user}>"),
            charter = title
        ),
        None => tr!(lang, "acceptance-gate-everyone", charter = title),
    };
    let button = CreateButton::new(read_id(guild))
        .label(fit(&tr!(lang, "acceptance-read-button"), BUTTON_LABEL_MAX))
        .style(ButtonStyle::Primary);
    CreateMessage::new()
        .content(text)
        .allowed_mentions(
            CreateAllowedMentions::new()
                .users(mention.map(|u| serenity::all::UserId::new(u.0.max(1)))),
        )
        .components(vec![CreateActionRow::Buttons(vec![button])])
}

/// The charter as its reader sees it, in `lang`, with the "I accept" button.
pub fn charter_for_reader(
    charter: &Charter,
    lang: Lang,
    guild: GuildId,
) -> (CreateEmbed, CreateActionRow) {
    let code = lang.code();
    let mut embed = CreateEmbed::new()
        .title(fit(charter.title.get(code), EMBED_TITLE_MAX))
        .colour(Colour::BLURPLE)
        .footer(CreateEmbedFooter::new(tr!(
            lang,
            "acceptance-version",
            version = charter.version.clone()
        )));
    if let Some(intro) = &charter.intro {
        embed = embed.description(fit(intro.get(code), EMBED_DESCRIPTION_MAX));
    }
    for section in charter.sections.iter().take(FIELDS_MAX) {
        embed = embed.field(
            fit(
                &format!("{}. {}", section.number, section.title.get(code)),
                EMBED_TITLE_MAX,
            ),
            fit(section.text.get(code), EMBED_FIELD_MAX),
            false,
        );
    }
    let button = CreateButton::new(accept_id(guild, &charter.version))
        .label(fit(
            &tr!(lang, "acceptance-accept-button"),
            BUTTON_LABEL_MAX,
        ))
        .style(ButtonStyle::Success);
    (embed, CreateActionRow::Buttons(vec![button]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn button_ids_round_trip_within_discords_limit() {
        let guild = GuildId(u64::MAX);
        let read = read_id(guild);
        let accept = accept_id(guild, "0123456789ab");
        assert_eq!(parse_press(&read), Some(Press::Read { guild }));
        assert_eq!(
            parse_press(&accept),
            Some(Press::Accept {
                guild,
                version: "0123456789ab".into()
            })
        );
        // Discord's limit on a custom id.
        assert!(accept.len() <= 100);
        assert_eq!(parse_press("charter:accept:12"), None);
        assert_eq!(parse_press("giveaway:1"), None);
    }
}
