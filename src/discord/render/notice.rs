//! Mod-log notices: something Steward could not do, a job given up, or a charter problem
//! ([`notice_message`] with a title and a body the caller wrote).

use serenity::all::{Colour, CreateEmbed, CreateMessage};

use super::{EMBED_DESCRIPTION_MAX, EMBED_TITLE_MAX, fit};

/// A notice for moderators, titled `title`.
pub fn notice_message(title: &str, body: &str) -> CreateMessage {
    CreateMessage::new().embed(
        CreateEmbed::new()
            .title(fit(title, EMBED_TITLE_MAX))
            .description(fit(body, EMBED_DESCRIPTION_MAX))
            .colour(Colour::LIGHT_GREY),
    )
}
