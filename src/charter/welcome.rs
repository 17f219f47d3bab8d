//! The `[welcome]` section of `charter.toml`: what a newcomer is told (a post in the welcome
//! channel, a DM, both per language, with placeholders) and which roles they get, at once or
//! after a delay. Raw TOML in, validated [`WelcomeSettings`] out, every problem located; the
//! decisions that use it are [`crate::community::welcome`].

use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::diagnostics::{Diagnostic, SourceFile};
use super::model::unknown_placeholders;
use super::values::{MAX_TIMEOUT, RawText, Text, parse_duration};

/// What a welcome text may name. `{member}` mentions the newcomer; `{member_count}` and
/// `{inviter}` are not always known: a line that names an unknown value is left out.
pub const WELCOME_PLACEHOLDERS: [&str; 6] = [
    "member",
    "member_name",
    "server",
    "member_count",
    "inviter",
    "charter",
];

/// The most roles a newcomer can be given on join.
pub const MAX_WELCOME_ROLES: usize = 10;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWelcome {
    pub message: Option<Spanned<RawText>>,
    pub dm: Option<Spanned<RawText>>,
    pub roles: Option<Spanned<Vec<String>>>,
    pub roles_after: Option<Spanned<String>>,
    pub keep_roles: Option<Spanned<Vec<String>>>,
}

/// How newcomers are welcomed.
#[derive(Clone, Debug, PartialEq)]
pub struct WelcomeSettings {
    /// Posted in the welcome channel (`/setup welcome`), in the server's language.
    pub message: Option<Text>,
    /// Sent to the newcomer, in the server's language.
    pub dm: Option<Text>,
    /// Roles given on join, by name or id as written.
    pub roles: Vec<String>,
    /// How long after joining the roles are given; `None`: at once.
    pub roles_after: Option<Duration>,
    /// Sanction roles (a "muted" role...) a member who leaves holding them gets back when they
    /// return: leaving is no way out.
    pub keep_roles: Vec<String>,
}

/// Validates a `[welcome]` section, pushing every problem found; `None` when there was one.
pub(crate) fn compile_welcome(
    raw: &RawWelcome,
    languages: &[String],
    file: &SourceFile<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Option<WelcomeSettings> {
    let before = errors.len();
    let located = |span: std::ops::Range<usize>, message: String| {
        file.error(Some(span), None, format!("[welcome]: {message}"))
    };
    let message = raw
        .message
        .as_ref()
        .and_then(|m| welcome_text(m, languages, &located, errors));
    let dm = raw
        .dm
        .as_ref()
        .and_then(|d| welcome_text(d, languages, &located, errors));
    let roles = role_list(raw.roles.as_ref(), "roles", &located, errors);
    let keep_roles = role_list(raw.keep_roles.as_ref(), "keep_roles", &located, errors);
    let roles_after = raw.roles_after.as_ref().and_then(|after| {
        let problem = match parse_duration(after.get_ref()) {
            Ok(d) if d > MAX_TIMEOUT => "roles_after is at most 28d".to_string(),
            Ok(_) if roles.is_empty() => "roles_after needs roles".to_string(),
            Ok(d) => return Some(d),
            Err(m) => m,
        };
        errors.push(located(after.span(), problem));
        None
    });
    (errors.len() == before).then_some(WelcomeSettings {
        message,
        dm,
        roles,
        roles_after,
        keep_roles,
    })
}

/// A list of role names or ids, each non-empty, at most [`MAX_WELCOME_ROLES`].
fn role_list(
    raw: Option<&Spanned<Vec<String>>>,
    what: &str,
    located: &dyn Fn(std::ops::Range<usize>, String) -> Diagnostic,
    errors: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let Some(raw) = raw else {
        return Vec::new();
    };
    let roles = raw.get_ref();
    if roles.len() > MAX_WELCOME_ROLES {
        errors.push(located(
            raw.span(),
            format!("{what}: at most {MAX_WELCOME_ROLES} roles"),
        ));
    }
    if roles.iter().any(|r| r.trim().is_empty()) {
        errors.push(located(
            raw.span(),
            format!("{what}: a role name cannot be empty"),
        ));
    }
    roles.iter().map(|r| r.trim().to_string()).collect()
}

/// A welcome text in every language, its placeholders checked.
fn welcome_text(
    raw: &Spanned<RawText>,
    languages: &[String],
    located: &dyn Fn(std::ops::Range<usize>, String) -> Diagnostic,
    errors: &mut Vec<Diagnostic>,
) -> Option<Text> {
    let text = match Text::resolve(raw.get_ref(), languages) {
        Ok(text) => text,
        Err(m) => {
            errors.push(located(raw.span(), m));
            return None;
        }
    };
    let unknown: Vec<String> = languages
        .iter()
        .flat_map(|l| unknown_placeholders(text.get(l), &WELCOME_PLACEHOLDERS))
        .collect();
    if let Some(first) = unknown.first() {
        let known: Vec<String> = WELCOME_PLACEHOLDERS
            .iter()
            .map(|p| format!("{{{p}}}"))
            .collect();
        errors.push(located(
            raw.span(),
            format!("unknown placeholder {{{first}}}: use {}", known.join(", ")),
        ));
        return None;
    }
    Some(text)
}
