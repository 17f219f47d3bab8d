//! The charter files as written: serde structs that mirror the TOML, with spans for error reports.
//! Only [`compile`](super::compile) looks at them; the validated [`Charter`](super::Charter) is
//! what leaves the module.

use serde::Deserialize;
use toml::Spanned;

use super::values::RawText;

/// `charter.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCharterFile {
    pub title: Spanned<RawText>,
    pub languages: Spanned<Vec<String>>,
    pub intro: Option<Spanned<RawText>>,
    pub escalation: Option<RawEscalation>,
    pub raid: Option<super::raid::RawRaid>,
    pub welcome: Option<super::welcome::RawWelcome>,
    pub referrals: Option<super::referrals::RawReferrals>,
    pub acceptance: Option<super::acceptance::RawAcceptance>,
    pub report: Option<super::report::RawReport>,
    #[serde(default)]
    pub section: Vec<RawSection>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEscalation {
    pub window: Spanned<String>,
    #[serde(default)]
    pub step: Vec<RawStep>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStep {
    pub points: Spanned<u32>,
    pub action: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSection {
    pub number: Spanned<u32>,
    pub title: Spanned<RawText>,
    pub text: Spanned<RawText>,
}

/// One `[[rule]]` of a rule file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub id: Spanned<String>,
    pub section: Spanned<u32>,
    pub name: Option<Spanned<RawText>>,
    pub description: Option<String>,
    pub outcome: Spanned<String>,
    pub action: Option<Spanned<String>>,
    pub points: Option<u32>,
    pub dm: Option<Spanned<RawText>>,

    #[serde(default)]
    pub keywords: Vec<Spanned<String>>,
    #[serde(default)]
    pub keyword_files: Vec<Spanned<String>>,
    #[serde(default)]
    pub allow: Vec<Spanned<String>>,
    #[serde(default)]
    pub regex: Vec<Spanned<String>>,
    pub links: Option<Spanned<RawAllowDeny>>,
    pub invites: Option<RawInvites>,
    pub caps: Option<Spanned<RawCaps>>,
    pub mentions: Option<RawMax>,
    pub emoji: Option<RawMax>,
    pub length: Option<Spanned<RawLength>>,
    pub attachments: Option<Spanned<RawAllowDeny>>,
    pub zalgo: Option<RawZalgo>,
    pub rate: Option<RawRate>,
    pub duplicates: Option<RawDuplicates>,
    pub mention_spam: Option<RawMentionSpam>,

    #[serde(default)]
    pub channels: Vec<String>,
    #[serde(default)]
    pub exclude_channels: Vec<String>,
    #[serde(default)]
    pub exempt_roles: Vec<String>,
    pub only_new_members: Option<Spanned<String>>,
    #[serde(default)]
    pub skip_nsfw_channels: bool,

    #[serde(default)]
    pub must_match: Vec<Spanned<String>>,
    #[serde(default)]
    pub must_not_match: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAllowDeny {
    #[serde(default)]
    pub allow: Vec<String>,
    #[serde(default)]
    pub deny: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawInvites {
    #[serde(default)]
    pub allow: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCaps {
    pub min_ratio: f64,
    #[serde(default = "default_caps_letters")]
    pub min_letters: u32,
}

fn default_caps_letters() -> u32 {
    12
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMax {
    pub max: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLength {
    pub max_chars: Option<u32>,
    pub max_lines: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawZalgo {
    pub max_marks: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRate {
    pub messages: u32,
    pub within: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDuplicates {
    pub count: u32,
    pub within: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMentionSpam {
    pub mentions: u32,
    pub within: Spanned<String>,
}
