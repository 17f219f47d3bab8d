//! The `[acceptance]` section of `charter.toml`: newcomers accept the charter with a button before
//! they get the member role; optionally they are reminded, then removed, when they do not. Also
//! the charter's version: a hash of its text (title, introduction, sections, every language), so
//! that who accepted what is recorded exactly and a changed text can be accepted again.

use std::time::Duration;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::diagnostics::{Diagnostic, SourceFile};
use super::model::Section;
use super::values::{MAX_TIMEOUT, Text, parse_duration};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAcceptance {
    pub role: Spanned<String>,
    pub remind_after: Option<Spanned<String>>,
    pub kick_after: Option<Spanned<String>>,
}

/// How the charter is accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceptanceSettings {
    /// Given on acceptance (by name or id, as the charter writes it).
    pub role: String,
    /// A newcomer who has not accepted is reminded this long after joining.
    pub remind_after: Option<Duration>,
    /// ... and removed from the server this long after joining (off unless set).
    pub kick_after: Option<Duration>,
}

/// Validates an `[acceptance]` section, pushing every problem found; `None` when there was one.
pub(crate) fn compile_acceptance(
    raw: &RawAcceptance,
    file: &SourceFile<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Option<AcceptanceSettings> {
    let before = errors.len();
    let mut error = |span: std::ops::Range<usize>, message: String| {
        errors.push(file.error(Some(span), None, format!("[acceptance]: {message}")));
    };
    let role = raw.role.get_ref().trim().to_string();
    if role.is_empty() {
        error(raw.role.span(), "role cannot be empty".into());
    }
    let mut delay = |raw: &Option<Spanned<String>>| {
        let raw = raw.as_ref()?;
        match parse_duration(raw.get_ref()) {
            Ok(d) if d > MAX_TIMEOUT => {
                error(raw.span(), "at most 28d".into());
                None
            }
            Ok(d) => Some((d, raw.span())),
            Err(m) => {
                error(raw.span(), m);
                None
            }
        }
    };
    let remind_after = delay(&raw.remind_after);
    let kick_after = delay(&raw.kick_after);
    if let (Some((remind, _)), Some((kick, span))) = (&remind_after, &kick_after)
        && kick <= remind
    {
        error(
            span.clone(),
            "kick_after must be later than remind_after".into(),
        );
    }
    (errors.len() == before).then(|| AcceptanceSettings {
        role,
        remind_after: remind_after.map(|(d, _)| d),
        kick_after: kick_after.map(|(d, _)| d),
    })
}

/// The charter's version: the first 12 hex digits of a SHA-256 of its text in every language.
pub(crate) fn charter_version(
    title: &Text,
    intro: Option<&Text>,
    sections: &[Section],
    languages: &[String],
) -> String {
    let mut hash = Sha256::new();
    for lang in languages {
        hash.update(lang.as_bytes());
        hash.update([0]);
        hash.update(title.get(lang).as_bytes());
        hash.update([0]);
        if let Some(intro) = intro {
            hash.update(intro.get(lang).as_bytes());
        }
        for section in sections {
            hash.update(section.number.to_be_bytes());
            hash.update(section.title.get(lang).as_bytes());
            hash.update([0]);
            hash.update(section.text.get(lang).as_bytes());
            hash.update([0]);
        }
    }
    hex::encode(hash.finalize())[..12].to_string()
}
