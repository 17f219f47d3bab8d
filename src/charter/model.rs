//! The compiled charter: sections members read, rules that enforce them, escalation steps.

use std::time::Duration;

use super::values::{Sanction, Text};

/// What happens to a message that breaks a rule, from mildest to strictest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Outcome {
    /// Nothing matched.
    #[default]
    Allow,
    /// Left in place and queued for review.
    Flag,
    /// Removed and queued for review.
    Hold,
    /// Removed.
    Delete,
}

impl Outcome {
    pub(crate) fn parse(text: &str) -> Result<Outcome, String> {
        match text {
            "delete" => Ok(Outcome::Delete),
            "hold" => Ok(Outcome::Hold),
            "flag" => Ok(Outcome::Flag),
            other => Err(format!(
                "unknown outcome \"{other}\": expected delete, hold or flag"
            )),
        }
    }

    /// The name used in rule files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allow => "allow",
            Outcome::Flag => "flag",
            Outcome::Hold => "hold",
            Outcome::Delete => "delete",
        }
    }
}

/// A numbered section of the charter text.
#[derive(Clone, Debug)]
pub struct Section {
    pub number: u32,
    pub title: Text,
    pub text: Text,
}

/// Escalation: points accumulated within `window` lead to sanctions.
#[derive(Clone, Debug)]
pub struct Escalation {
    pub window: Duration,
    /// `(points, sanction)`, by increasing points.
    pub steps: Vec<(u32, Sanction)>,
}

impl Escalation {
    /// The sanction for a member who now has `points` within the window.
    pub fn sanction_for(&self, points: u32) -> Option<Sanction> {
        self.steps
            .iter()
            .rev()
            .find(|(needed, _)| points >= *needed)
            .map(|(_, s)| *s)
    }
}

/// A channel or role named in a rule's scope, by id or by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Selector {
    Id(u64),
    Name(String),
}

impl Selector {
    pub(crate) fn parse(text: &str) -> Selector {
        let trimmed = text.trim().trim_start_matches('#');
        match trimmed.parse() {
            Ok(id) => Selector::Id(id),
            Err(_) => Selector::Name(trimmed.to_lowercase()),
        }
    }

    pub(crate) fn matches(&self, place: &super::Place<'_>) -> bool {
        match self {
            Selector::Id(id) => place.id == *id,
            Selector::Name(name) => place
                .name
                .trim_start_matches('#')
                .eq_ignore_ascii_case(name),
        }
    }
}

/// Where and to whom a rule applies.
#[derive(Clone, Debug, Default)]
pub(crate) struct Scope {
    pub channels: Vec<Selector>,
    pub exclude_channels: Vec<Selector>,
    pub exempt_roles: Vec<Selector>,
    pub only_new_members: Option<Duration>,
    pub skip_nsfw_channels: bool,
}

impl Scope {
    pub(crate) fn applies(&self, msg: &super::Message<'_>) -> bool {
        if !self.channels.is_empty() && !self.channels.iter().any(|s| s.matches(&msg.channel)) {
            return false;
        }
        if self
            .exclude_channels
            .iter()
            .any(|s| s.matches(&msg.channel))
        {
            return false;
        }
        if self.skip_nsfw_channels && msg.nsfw_channel {
            return false;
        }
        if self
            .exempt_roles
            .iter()
            .any(|s| msg.roles.iter().any(|r| s.matches(r)))
        {
            return false;
        }
        match (self.only_new_members, msg.member_for) {
            (Some(limit), Some(age)) => age < limit,
            // Without a join date (replays, DMs) the member is not known to be new.
            (Some(_), None) => false,
            (None, _) => true,
        }
    }
}

/// Triggers evaluated on one message alone, beyond keywords and regexes.
#[derive(Clone, Debug, Default)]
pub(crate) struct MessageTriggers {
    pub links: Option<super::triggers::DomainList>,
    pub invites: Option<Vec<String>>,
    pub caps: Option<(f64, u32)>,
    pub mentions: Option<u32>,
    pub emoji: Option<u32>,
    pub max_chars: Option<u32>,
    pub max_lines: Option<u32>,
    pub attachments: Option<super::triggers::ExtensionList>,
    pub zalgo: Option<u32>,
}

impl MessageTriggers {
    pub(crate) fn is_empty(&self) -> bool {
        self.links.is_none()
            && self.invites.is_none()
            && self.caps.is_none()
            && self.mentions.is_none()
            && self.emoji.is_none()
            && self.max_chars.is_none()
            && self.max_lines.is_none()
            && self.attachments.is_none()
            && self.zalgo.is_none()
    }
}

/// Triggers over a member's recent messages.
#[derive(Clone, Debug, Default)]
pub(crate) struct WindowTriggers {
    pub rate: Option<(u32, Duration)>,
    pub duplicates: Option<(u32, Duration)>,
    pub mention_spam: Option<(u32, Duration)>,
}

impl WindowTriggers {
    pub(crate) fn is_empty(&self) -> bool {
        self.rate.is_none() && self.duplicates.is_none() && self.mention_spam.is_none()
    }

    pub(crate) fn longest_window(&self) -> Duration {
        [self.rate, self.duplicates, self.mention_spam]
            .iter()
            .flatten()
            .map(|(_, w)| *w)
            .max()
            .unwrap_or_default()
    }
}

/// An example from a rule file, with where it was written.
#[derive(Clone, Debug)]
pub(crate) struct Example {
    pub text: String,
    pub line: usize,
    pub column: usize,
}

/// A compiled rule.
#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    /// The number of the charter section it enforces.
    pub section: u32,
    pub name: Text,
    pub description: Option<String>,
    pub outcome: Outcome,
    pub sanction: Option<Sanction>,
    pub points: u32,
    /// Message to the member; see [`Rule::render_dm`].
    pub dm: Option<Text>,
    /// The file the rule was written in.
    pub file: std::path::PathBuf,
    pub(crate) keyword_count: usize,
    pub(crate) regex_count: usize,
    pub(crate) scope: Scope,
    pub(crate) message_triggers: MessageTriggers,
    pub(crate) window_triggers: WindowTriggers,
    pub(crate) must_match: Vec<Example>,
    pub(crate) must_not_match: Vec<Example>,
}

/// Placeholders a DM template may use.
pub const DM_PLACEHOLDERS: [&str; 5] = ["rule", "section", "section_title", "matched", "channel"];

/// Values for a DM template's placeholders.
pub struct DmContext<'a> {
    pub language: &'a str,
    pub section_title: &'a str,
    pub matched: &'a str,
    pub channel: &'a str,
}

impl Rule {
    /// The DM for a member who broke this rule, in `ctx.language`.
    pub fn render_dm(&self, ctx: &DmContext<'_>) -> Option<String> {
        let template = self.dm.as_ref()?.get(ctx.language);
        Some(fill_placeholders(template, |name| match name {
            "rule" => Some(self.name.get(ctx.language).to_string()),
            "section" => Some(self.section.to_string()),
            "section_title" => Some(ctx.section_title.to_string()),
            "matched" => Some(ctx.matched.to_string()),
            "channel" => Some(ctx.channel.to_string()),
            _ => None,
        }))
    }
}

/// Replaces `{name}` in `template`; unknown names are left as written.
pub(crate) fn fill_placeholders(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| Some((close, value(&after[..close])?)))
        {
            Some((close, v)) => {
                out.push_str(&v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Placeholders used in `template` that are not in `allowed`.
pub(crate) fn unknown_placeholders(template: &str, allowed: &[&str]) -> Vec<String> {
    let mut unknown = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !allowed.contains(&name) {
            unknown.push(name.to_string());
        }
        rest = &after[close + 1..];
    }
    unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_checked() {
        let out = fill_placeholders("{rule} in {channel} {x}", |n| match n {
            "rule" => Some("Spam".into()),
            "channel" => Some("#general".into()),
            _ => None,
        });
        assert_eq!(out, "Spam in #general {x}");
        assert_eq!(
            unknown_placeholders("{rule} {nope} {section}", &DM_PLACEHOLDERS),
            ["nope"]
        );
    }

    #[test]
    fn escalation_picks_the_highest_step_reached() {
        let e = Escalation {
            window: Duration::from_secs(60),
            steps: vec![
                (3, Sanction::Warn),
                (6, Sanction::Kick),
                (10, Sanction::Ban),
            ],
        };
        assert_eq!(e.sanction_for(2), None);
        assert_eq!(e.sanction_for(7), Some(Sanction::Kick));
        assert_eq!(e.sanction_for(99), Some(Sanction::Ban));
    }
}
