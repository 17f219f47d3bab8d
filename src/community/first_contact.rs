//! First contact: when Steward joins a server, or starts in one that was never set up, it posts
//! once a short checklist in the server's language: the channels still to set with `/setup`, the
//! permissions its role lacks and the privileged intents not enabled (as checked, not assumed),
//! and how to try the charter. A server that is not set up never looks like a silent bot.

use crate::facts::Permission;
use crate::i18n::Lang;
use crate::moderation::permission_key;
use crate::store::GuildSettings;
use crate::tr;

/// What was checked about a server Steward is in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupFacts {
    pub settings: GuildSettings,
    /// The permissions Steward's role lacks.
    pub missing_permissions: Vec<Permission>,
    /// The privileged intents not enabled for the application, by their portal names.
    pub missing_intents: Vec<&'static str>,
}

/// Whether a server was never set up: no channel chosen with `/setup`.
pub fn never_set_up(settings: &GuildSettings) -> bool {
    settings.mod_log_channel.is_none()
        && settings.review_channel.is_none()
        && settings.welcome_channel.is_none()
        && settings.stats_channel.is_none()
}

/// The checklist: a title and its lines, in `lang`.
pub fn checklist(facts: &SetupFacts, lang: Lang) -> (String, Vec<String>) {
    let s = &facts.settings;
    let channels = [
        (
            "mod_log",
            s.mod_log_channel.is_some(),
            "first-contact-mod-log",
        ),
        ("review", s.review_channel.is_some(), "first-contact-review"),
        (
            "welcome",
            s.welcome_channel.is_some(),
            "first-contact-welcome",
        ),
        ("stats", s.stats_channel.is_some(), "first-contact-stats"),
    ];
    let mut lines = vec![tr!(lang, "first-contact-channels")];
    for (option, set, key) in channels {
        let what = tr!(lang, key);
        lines.push(if set {
            tr!(lang, "first-contact-channel-set", what = what)
        } else {
            tr!(
                lang,
                "first-contact-channel-missing",
                what = what,
                option = option
            )
        });
    }
    if facts.missing_permissions.is_empty() {
        lines.push(tr!(lang, "first-contact-permissions-ok"));
    } else {
        let names: Vec<String> = facts
            .missing_permissions
            .iter()
            .map(|p| tr!(lang, permission_key(*p)))
            .collect();
        lines.push(tr!(
            lang,
            "first-contact-permissions-missing",
            list = names.join(", ")
        ));
    }
    if !facts.missing_intents.is_empty() {
        lines.push(tr!(
            lang,
            "first-contact-intents-missing",
            list = facts.missing_intents.join(", ")
        ));
    }
    lines.push(tr!(lang, "first-contact-try"));
    (tr!(lang, "first-contact-title"), lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ChannelId, GuildId};

    #[test]
    fn the_checklist_names_what_is_missing_in_the_servers_language() {
        let mut settings = GuildSettings::defaults(GuildId(1));
        assert!(never_set_up(&settings));
        settings.mod_log_channel = Some(ChannelId(2));
        assert!(!never_set_up(&settings));
        let facts = SetupFacts {
            settings,
            missing_permissions: vec![Permission::BanMembers, Permission::ManageGuild],
            missing_intents: vec!["Message Content Intent"],
        };
        let (title, lines) = checklist(&facts, Lang::FR);
        assert!(title.starts_with("Steward est là"), "{title}");
        let text = lines.join("\n");
        assert!(text.contains("✓ journal de modération"), "{text}");
        assert!(
            text.contains("✗ file d'examen : `/setup review:#salon`"),
            "{text}"
        );
        assert!(
            text.contains("Bannir des membres, Gérer le serveur"),
            "{text}"
        );
        assert!(text.contains("Message Content Intent"), "{text}");
        assert!(text.contains("/charter test"), "{text}");
        let (_, english) = checklist(&facts, Lang::EN);
        assert!(
            english
                .join("\n")
                .contains("✗ review queue: `/setup review:#channel`")
        );
    }
}
