//! One `[[rule]]` validated and compiled: texts in every language, outcome and sanction,
//! keywords (and word lists), regexes, message and window triggers, scope, examples; every problem
//! pushed as a located error.

use std::ops::Range;
use std::path::{Path, PathBuf};

use regex::RegexBuilder;
use toml::Spanned;

use super::compile::{REGEX_SIZE_LIMIT, WordFileReader};
use super::diagnostics::{Diagnostic, SourceFile};
use super::header::Header;
use super::keywords::{Keyword, KeywordOwner};
use super::model::{
    Example, MessageTriggers, Outcome, Rule, Scope, Selector, WindowTriggers, unknown_placeholders,
};
use super::raw::{RawAllowDeny, RawRule};
use super::triggers::{DomainList, ExtensionList, valid_domain};
use super::values::{MAX_WINDOW, RawText, Sanction, Text, format_duration, parse_duration};

/// What compiling one rule needs: its file, the compiled `charter.toml` (for sections and
/// languages; `None` when it had errors), how to read word lists, and the rule's index.
pub(crate) struct RuleContext<'a> {
    pub(crate) file: &'a SourceFile<'a>,
    pub(crate) header: Option<&'a Header>,
    pub(crate) read: &'a WordFileReader<'a>,
    pub(crate) index: usize,
}

impl RuleContext<'_> {
    /// Validates and compiles `raw`, adding its keywords and regexes to the charter's; `None`
    /// when it had an error (each pushed to `errors`).
    pub(crate) fn compile(
        &self,
        raw: RawRule,
        keywords: &mut Vec<KeywordOwner>,
        regexes: &mut Vec<(usize, regex::Regex)>,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Rule> {
        let before = errors.len();
        let id = raw.id.get_ref().clone();
        let err = |errors: &mut Vec<Diagnostic>, span: Range<usize>, message: String| {
            errors.push(self.file.error(Some(span), Some(&id), message));
        };
        let valid_id = !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid_id {
            err(
                errors,
                raw.id.span(),
                "ids are 1 to 64 lowercase letters, digits or '-'".into(),
            );
        }
        let section = *raw.section.get_ref();
        if let Some(header) = self.header
            && !header.sections.iter().any(|s| s.number == section)
        {
            let known: Vec<String> = header
                .sections
                .iter()
                .map(|s| s.number.to_string())
                .collect();
            err(
                errors,
                raw.section.span(),
                format!(
                    "section {section} is not in charter.toml (sections: {})",
                    known.join(", ")
                ),
            );
        }
        let languages: &[String] = self.header.map_or(&[], |h| &h.languages);
        let text = |errors: &mut Vec<Diagnostic>, raw: &Spanned<RawText>| -> Option<Text> {
            if languages.is_empty() {
                return None;
            }
            Text::resolve(raw.get_ref(), languages)
                .map_err(|m| err(errors, raw.span(), m))
                .ok()
        };
        let name = match &raw.name {
            Some(n) => text(errors, n),
            None => Some(Text::plain(&id)),
        };
        let dm = raw.dm.as_ref().and_then(|d| {
            let t = text(errors, d)?;
            let unknown: Vec<String> = languages
                .iter()
                .flat_map(|l| unknown_placeholders(t.get(l), &super::DM_PLACEHOLDERS))
                .collect();
            if let Some(first) = unknown.first() {
                err(
                    errors,
                    d.span(),
                    format!(
                        "unknown placeholder {{{first}}}: use {}",
                        super::DM_PLACEHOLDERS
                            .map(|p| format!("{{{p}}}"))
                            .join(", ")
                    ),
                );
            }
            Some(t)
        });
        let outcome = Outcome::parse(raw.outcome.get_ref())
            .map_err(|m| err(errors, raw.outcome.span(), m))
            .ok();
        let sanction = raw.action.as_ref().and_then(|a| {
            Sanction::parse(a.get_ref())
                .map_err(|m| err(errors, a.span(), m))
                .ok()
        });
        let duration = |errors: &mut Vec<Diagnostic>, d: &Spanned<String>| {
            parse_duration(d.get_ref())
                .map_err(|m| err(errors, d.span(), m))
                .ok()
        };

        // Keywords, from the rule and its word lists.
        let mut keyword_count = 0;
        let mut add_keyword =
            |errors: &mut Vec<Diagnostic>, text: &str, allow: bool, at: &dyn Fn() -> Diagnostic| {
                match Keyword::parse(text) {
                    Ok(keyword) => {
                        keyword_count += usize::from(!allow);
                        // A phrase also matches when its words are glued or hyphenated
                        // ("tue-toi", "tuetoi" for "tue toi").
                        let glued = keyword
                            .pattern
                            .contains(' ')
                            .then(|| Keyword::parse(&text.replace(char::is_whitespace, "")).ok())
                            .flatten();
                        for keyword in std::iter::once(keyword).chain(glued) {
                            keywords.push(KeywordOwner {
                                rule: self.index,
                                allow,
                                keyword,
                            });
                        }
                    }
                    Err(message) => errors.push(Diagnostic { message, ..at() }),
                }
            };
        for (list, allow) in [(&raw.keywords, false), (&raw.allow, true)] {
            for k in list {
                // Located only on error: finding a line is a scan of the file.
                let at = || self.file.error(Some(k.span()), Some(&id), String::new());
                add_keyword(errors, k.get_ref(), allow, &at);
            }
        }
        for f in &raw.keyword_files {
            let relative = f.get_ref();
            let bad_path =
                Path::new(relative).is_absolute() || relative.split('/').any(|p| p == "..");
            if bad_path {
                err(
                    errors,
                    f.span(),
                    format!("word list \"{relative}\" must be a path inside the charter folder"),
                );
                continue;
            }
            let content = match (self.read)(relative) {
                Ok(content) => content,
                Err(e) => {
                    err(
                        errors,
                        f.span(),
                        format!("cannot read word list \"{relative}\": {e}"),
                    );
                    continue;
                }
            };
            let list_path: PathBuf = self
                .file
                .path
                .parent()
                .unwrap_or(Path::new(""))
                .join(relative);
            let mut entries = 0;
            for (n, line) in content.lines().enumerate() {
                let entry = line.trim();
                if entry.is_empty() || entry.starts_with('#') {
                    continue;
                }
                entries += 1;
                let column = line.find(entry).unwrap_or(0) + 1;
                let at = || Diagnostic {
                    path: list_path.clone(),
                    line: n + 1,
                    column,
                    rule: Some(id.clone()),
                    message: String::new(),
                };
                add_keyword(errors, entry, false, &at);
            }
            if entries == 0 {
                err(
                    errors,
                    f.span(),
                    format!("word list \"{relative}\" is empty"),
                );
            }
        }

        // Regexes.
        let mut regex_count = 0;
        for r in &raw.regex {
            match RegexBuilder::new(r.get_ref())
                .case_insensitive(true)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
            {
                Ok(regex) => {
                    regex_count += 1;
                    regexes.push((self.index, regex));
                }
                Err(e) => err(errors, r.span(), regex_error(&e)),
            }
        }

        // Message triggers.
        let mut triggers = MessageTriggers::default();
        if let Some(links) = &raw.links {
            triggers.links = self
                .allow_deny(errors, &id, links, "domain", valid_domain)
                .map(|(allow, deny)| DomainList::new(allow, deny));
        }
        if let Some(invites) = &raw.invites {
            triggers.invites = Some(invites.allow.clone());
        }
        if let Some(caps) = &raw.caps {
            let c = caps.get_ref();
            if !(c.min_ratio > 0.0 && c.min_ratio <= 1.0) {
                err(
                    errors,
                    caps.span(),
                    "caps.min_ratio must be between 0 (excluded) and 1".into(),
                );
            }
            if c.min_letters == 0 {
                err(
                    errors,
                    caps.span(),
                    "caps.min_letters must be at least 1".into(),
                );
            }
            triggers.caps = Some((c.min_ratio, c.min_letters));
        }
        triggers.mentions = raw.mentions.as_ref().map(|m| m.max);
        triggers.emoji = raw.emoji.as_ref().map(|m| m.max);
        if let Some(length) = &raw.length {
            let l = length.get_ref();
            if l.max_chars.is_none() && l.max_lines.is_none() {
                err(
                    errors,
                    length.span(),
                    "length needs max_chars or max_lines".into(),
                );
            }
            triggers.max_chars = l.max_chars;
            triggers.max_lines = l.max_lines;
        }
        if let Some(attachments) = &raw.attachments {
            triggers.attachments = self
                .allow_deny(errors, &id, attachments, "extension", |e| {
                    !e.is_empty() && !e.contains('.') && e.chars().all(char::is_alphanumeric)
                })
                .map(|(allow, deny)| ExtensionList { allow, deny });
        }
        triggers.zalgo = raw.zalgo.as_ref().map(|z| z.max_marks);

        // Window triggers.
        let window_duration = |errors: &mut Vec<Diagnostic>, d: &Spanned<String>| {
            let within = duration(errors, d)?;
            if within > MAX_WINDOW {
                err(
                    errors,
                    d.span(),
                    format!(
                        "a window of {} is longer than the limit of {}",
                        d.get_ref(),
                        format_duration(MAX_WINDOW)
                    ),
                );
                return None;
            }
            Some(within)
        };
        // A count below `least` would trip on ordinary use; above the bound it could never trip.
        let count = |errors: &mut Vec<Diagnostic>, what: &str, value: u32, least: u32| {
            if value < least {
                err(
                    errors,
                    raw.id.span(),
                    format!("{what} must be at least {least}"),
                );
                None
            } else if value as usize > super::MAX_EVENTS_PER_MEMBER {
                err(
                    errors,
                    raw.id.span(),
                    format!(
                        "{what} is above the limit of {}",
                        super::MAX_EVENTS_PER_MEMBER
                    ),
                );
                None
            } else {
                Some(value)
            }
        };
        let window = WindowTriggers {
            rate: raw.rate.as_ref().and_then(|r| {
                let n = count(errors, "rate.messages", r.messages, 2);
                Some((n?, window_duration(errors, &r.within)?))
            }),
            duplicates: raw.duplicates.as_ref().and_then(|d| {
                let n = count(errors, "duplicates.count", d.count, 2);
                Some((n?, window_duration(errors, &d.within)?))
            }),
            mention_spam: raw.mention_spam.as_ref().and_then(|m| {
                let n = count(errors, "mention_spam.mentions", m.mentions, 1);
                Some((n?, window_duration(errors, &m.within)?))
            }),
        };

        let has_trigger = keyword_count > 0
            || regex_count > 0
            || !triggers.is_empty()
            || !window.is_empty()
            || raw.rate.is_some()
            || raw.duplicates.is_some()
            || raw.mention_spam.is_some()
            || !raw.keyword_files.is_empty()
            || !raw.keywords.is_empty()
            || !raw.regex.is_empty();
        if !has_trigger {
            err(
                errors,
                raw.id.span(),
                "the rule has no trigger (keywords, regex, links, invites, caps, ...)".into(),
            );
        }

        let scope = Scope {
            channels: raw.channels.iter().map(|c| Selector::parse(c)).collect(),
            exclude_channels: raw
                .exclude_channels
                .iter()
                .map(|c| Selector::parse(c))
                .collect(),
            exempt_roles: raw
                .exempt_roles
                .iter()
                .map(|c| Selector::parse(c))
                .collect(),
            only_new_members: raw
                .only_new_members
                .as_ref()
                .and_then(|d| duration(errors, d)),
            skip_nsfw_channels: raw.skip_nsfw_channels,
        };
        let examples = |list: &[Spanned<String>]| -> Vec<Example> {
            list.iter()
                .map(|e| {
                    let (line, column) = self.file.line_col(e.span().start);
                    Example {
                        text: e.get_ref().clone(),
                        line,
                        column,
                    }
                })
                .collect()
        };

        if errors.len() > before {
            return None;
        }
        Some(Rule {
            id,
            section,
            name: name?,
            description: raw.description,
            outcome: outcome?,
            sanction,
            points: raw.points.unwrap_or(1),
            dm,
            file: self.file.path.to_path_buf(),
            keyword_count,
            regex_count,
            scope,
            message_triggers: triggers,
            window_triggers: window,
            must_match: examples(&raw.must_match),
            must_not_match: examples(&raw.must_not_match),
        })
    }

    /// Validates an allow/deny table: one of the two lists, non-empty, entries valid.
    fn allow_deny(
        &self,
        errors: &mut Vec<Diagnostic>,
        id: &str,
        table: &Spanned<RawAllowDeny>,
        what: &str,
        valid: impl Fn(&str) -> bool,
    ) -> Option<(Vec<String>, Vec<String>)> {
        let t = table.get_ref();
        let clean = |list: &[String]| -> Vec<String> {
            list.iter()
                .map(|e| e.trim().trim_start_matches('.').to_lowercase())
                .collect()
        };
        let (allow, deny) = (clean(&t.allow), clean(&t.deny));
        let before = errors.len();
        if allow.is_empty() && deny.is_empty() {
            errors.push(self.file.error(
                Some(table.span()),
                Some(id),
                format!("give an `allow` or a `deny` list of {what}s"),
            ));
        }
        for entry in allow.iter().chain(&deny).filter(|e| !valid(e)) {
            errors.push(self.file.error(
                Some(table.span()),
                Some(id),
                format!("\"{entry}\" is not a valid {what}"),
            ));
        }
        (errors.len() == before).then_some((allow, deny))
    }
}

/// The last line of a regex error: the message without the pattern echo.
fn regex_error(e: &regex::Error) -> String {
    match e {
        regex::Error::CompiledTooBig(limit) => {
            format!("regex is too large once compiled (limit {limit} bytes)")
        }
        other => {
            let text = other.to_string();
            let last = text
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            format!(
                "invalid regex: {}",
                last.trim().trim_start_matches("error: ")
            )
        }
    }
}
