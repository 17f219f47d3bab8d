//! Everything Steward posts that is more than a sentence: embeds and components for cases
//! ([`case`]), the charter gate ([`acceptance`]), giveaways ([`giveaway`]), polls ([`poll`]), review items ([`review`]) and mod-log notices ([`notice`]), in a given language,
//! within Discord's limits (named here, tested at the boundary).

pub mod acceptance;
pub mod case;
pub mod giveaway;
pub mod notice;
pub mod poll;
pub mod raid;
pub mod report;
pub mod review;

pub use crate::moderation::fit;

/// Discord's limit on an embed title.
pub const EMBED_TITLE_MAX: usize = 256;
/// Discord's limit on an embed field value.
pub const EMBED_FIELD_MAX: usize = 1024;
/// Discord's limit on an embed description.
pub const EMBED_DESCRIPTION_MAX: usize = 4096;
/// Discord's limit on a message's content.
pub const MESSAGE_CONTENT_MAX: usize = crate::moderation::review::MESSAGE_CONTENT_MAX;
/// Discord's limit on a button's label.
pub const BUTTON_LABEL_MAX: usize = 80;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_respects_the_limit_at_the_boundary() {
        let exact = "a".repeat(EMBED_FIELD_MAX);
        assert_eq!(fit(&exact, EMBED_FIELD_MAX), exact);
        let over = "é".repeat(EMBED_FIELD_MAX + 1);
        let cut = fit(&over, EMBED_FIELD_MAX);
        assert_eq!(cut.chars().count(), EMBED_FIELD_MAX);
        assert!(cut.ends_with('…'));
    }
}
