//! From files to a [`Charter`]: parse every file, validate every rule, report every problem at
//! once, then build the matchers. Nothing here panics on any input.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

use regex::{RegexBuilder, RegexSetBuilder};
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::diagnostics::{CharterErrors, Diagnostic, SourceFile};
use super::evaluate::Matcher;
use super::files::{MAX_RULE_FILE_BYTES, MAX_WORD_LIST_BYTES, read_text};
use super::header::{Header, compile_header};
use super::keyword_index::KeywordIndex;
use super::keywords::{Keyword, KeywordOwner};
use super::model::{
    Example, MessageTriggers, Outcome, Rule, Scope, Selector, WindowTriggers, unknown_placeholders,
};
use super::raw::{RawAllowDeny, RawRule};
use super::triggers::{DomainList, ExtensionList, valid_domain};
use super::values::{MAX_WINDOW, RawText, Sanction, Text, format_duration, parse_duration};
use super::{Charter, CharterStats};

/// The file holding the charter text.
pub const CHARTER_FILE: &str = "charter.toml";
/// The most keywords a charter may list (rules and word lists together, allow-lists included):
/// beyond it the automaton's memory is no longer small.
pub const MAX_KEYWORDS: usize = 200_000;
/// Compiled size limit of one regex.
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// Lazy DFA cache for the set of all regexes (see BENCHMARKS.md).
pub const REGEX_SET_DFA_LIMIT: usize = 64 << 20;
/// Compiled size limit of the set of all regexes.
pub const REGEX_SET_SIZE_LIMIT: usize = 256 << 20;

/// Reads a word list, given its path relative to the charter folder.
type WordFileReader<'a> = dyn Fn(&str) -> Result<String, String> + 'a;

pub(crate) fn load_dir(dir: &Path) -> Result<Charter, CharterErrors> {
    let fail = |message: String| {
        CharterErrors(vec![Diagnostic {
            path: dir.to_path_buf(),
            line: 0,
            column: 0,
            rule: None,
            message,
        }])
    };
    let entries =
        std::fs::read_dir(dir).map_err(|e| fail(format!("cannot read the charter folder: {e}")))?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    names.sort();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for name in names {
        match read_text(&dir.join(&name), MAX_RULE_FILE_BYTES) {
            Ok(text) => files.push((name, text)),
            Err(e) => errors.push(Diagnostic {
                path: dir.join(&name),
                line: e.line,
                column: e.column,
                rule: None,
                message: format!("cannot read: {}", e.message),
            }),
        }
    }
    if errors.iter().any(|e| e.path.ends_with(CHARTER_FILE)) {
        // charter.toml is there but unreadable: not "missing", and nothing to compile against.
        return Err(CharterErrors(errors));
    }
    let read = |relative: &str| {
        read_text(&dir.join(relative), MAX_WORD_LIST_BYTES).map_err(|e| match e.line {
            0 => e.message,
            line => format!("line {line}, column {}: {}", e.column, e.message),
        })
    };
    let result = compile(dir, &files, &read);
    match result {
        Ok(charter) if errors.is_empty() => Ok(charter),
        Ok(_) => Err(CharterErrors(errors)),
        Err(CharterErrors(more)) => {
            errors.extend(more);
            Err(CharterErrors(errors))
        }
    }
}

pub(crate) fn parse_files(dir: &Path, files: &[(&str, &str)]) -> Result<Charter, CharterErrors> {
    let tomls: Vec<(String, String)> = files
        .iter()
        .filter(|(name, _)| name.ends_with(".toml"))
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let read = |relative: &str| {
        files
            .iter()
            .find(|(name, _)| *name == relative)
            .map(|(_, text)| text.to_string())
            .ok_or_else(|| "No such file or directory".to_string())
    };
    compile(dir, &tomls, &read)
}

fn compile(
    dir: &Path,
    files: &[(String, String)],
    read: &WordFileReader<'_>,
) -> Result<Charter, CharterErrors> {
    let started = Instant::now();
    let mut errors = Vec::new();
    let charter_path = dir.join(CHARTER_FILE);
    let Some((_, charter_text)) = files.iter().find(|(n, _)| n == CHARTER_FILE) else {
        return Err(CharterErrors(vec![Diagnostic {
            path: charter_path,
            line: 0,
            column: 0,
            rule: None,
            message: "missing: a charter folder needs charter.toml with the charter text".into(),
        }]));
    };
    let header = compile_header(&SourceFile::new(&charter_path, charter_text), &mut errors);

    let mut rules = Vec::new();
    let mut seen_ids: HashMap<String, String> = HashMap::new();
    let mut keywords = Vec::new();
    let mut regexes = Vec::new();
    for (name, text) in files.iter().filter(|(n, _)| n != CHARTER_FILE) {
        let path = dir.join(name);
        let file = SourceFile::new(&path, text);
        for (raw, span) in parse_rule_file(&file, &mut errors) {
            let ctx = RuleContext {
                file: &file,
                header: header.as_ref(),
                read,
                index: rules.len(),
            };
            let id = raw.id.get_ref().clone();
            let (line, col) = file.line_col(span.start);
            if let Some(first) = seen_ids.get(&id) {
                errors.push(file.error(
                    Some(raw.id.span()),
                    Some(&id),
                    format!("duplicate rule id (first defined at {first})"),
                ));
                continue;
            }
            seen_ids.insert(id, format!("{}:{line}:{col}", path.display()));
            if let Some(compiled) = ctx.compile(raw, &mut keywords, &mut regexes, &mut errors) {
                rules.push(compiled);
            }
        }
    }

    let keyword_total = keywords.len();
    if keyword_total > MAX_KEYWORDS {
        errors.push(Diagnostic {
            path: dir.to_path_buf(),
            line: 0,
            column: 0,
            rule: None,
            message: format!(
                "the charter lists {keyword_total} keywords (word lists included), more than the limit of {MAX_KEYWORDS}"
            ),
        });
        return Err(CharterErrors(errors));
    }
    let keyword_index = KeywordIndex::build(keywords).map_err(|message| {
        errors.push(Diagnostic {
            path: dir.to_path_buf(),
            line: 0,
            column: 0,
            rule: None,
            message,
        })
    });
    let regex_set = if regexes.is_empty() {
        None
    } else {
        RegexSetBuilder::new(
            regexes
                .iter()
                .map(|(_, r): &(usize, regex::Regex)| r.as_str()),
        )
        .case_insensitive(true)
        .size_limit(REGEX_SET_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SET_DFA_LIMIT)
        .build()
        .map_err(|e| {
            errors.push(Diagnostic {
                path: dir.to_path_buf(),
                line: 0,
                column: 0,
                rule: None,
                message: format!("the charter's regexes together are too large: {e}"),
            })
        })
        .ok()
    };

    let Some(header) = header else {
        return Err(CharterErrors(errors));
    };
    if !errors.is_empty() {
        return Err(CharterErrors(errors));
    }
    let Ok(keywords) = keyword_index else {
        return Err(CharterErrors(errors));
    };
    let message_rules = (0..rules.len())
        .filter(|&i| !rules[i].message_triggers.is_empty())
        .collect();
    let window_rules: Vec<usize> = (0..rules.len())
        .filter(|&i| !rules[i].window_triggers.is_empty())
        .collect();
    let horizon = rules
        .iter()
        .map(|r| r.window_triggers.longest_window())
        .max()
        .unwrap_or_default();
    let stats = CharterStats {
        rules: rules.len(),
        sections: header.sections.len(),
        keywords: keyword_total,
        keyword_patterns: keywords.len(),
        regexes: regexes.len(),
        compile_time: started.elapsed(),
    };
    Ok(Charter {
        dir: dir.to_path_buf(),
        title: header.title,
        intro: header.intro,
        languages: header.languages,
        sections: header.sections,
        rules,
        escalation: header.escalation,
        raid: header.raid,
        welcome: header.welcome,
        referrals: header.referrals,
        acceptance: header.acceptance,
        version: header.version,
        stats,
        matcher: Matcher {
            keywords,
            regex_set,
            regexes,
            message_rules,
            window_rules,
            horizon,
        },
    })
}

/// The `[[rule]]` entries of a rule file, each deserialized on its own so that one bad rule does
/// not hide the others.
fn parse_rule_file(
    file: &SourceFile<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(RawRule, Range<usize>)> {
    let table = match DeTable::parse(file.text) {
        Ok(table) => table.into_inner(),
        Err(e) => {
            errors.push(file.toml_error(&e, None));
            return Vec::new();
        }
    };
    let mut rules = Vec::new();
    for (key, value) in table {
        if key.get_ref() != "rule" {
            errors.push(file.error(
                Some(key.span()),
                None,
                format!(
                    "unknown key `{}`: a rule file holds [[rule]] entries",
                    key.get_ref()
                ),
            ));
            continue;
        }
        let span = value.span();
        let DeValue::Array(items) = value.into_inner() else {
            errors.push(file.error(Some(span), None, "`rule` must be written [[rule]]"));
            continue;
        };
        for item in items {
            let span = item.span();
            let id = item
                .get_ref()
                .get("id")
                .and_then(|v| v.get_ref().as_str())
                .map(str::to_string);
            match RawRule::deserialize(ValueDeserializer::from(item.clone())) {
                Ok(rule) => rules.push((rule, span)),
                Err(first) => {
                    let mut all = field_errors::<RawRule>(&item, &first, RULE_STAND_INS);
                    all.push(first);
                    all.sort_by_key(|e| e.span().map_or(0, |s| s.start));
                    for e in &all {
                        errors.push(file.toml_error(e, id.as_deref()));
                    }
                }
            }
        }
    }
    if rules.is_empty() && errors.is_empty() {
        errors.push(file.error(None, None, "no [[rule]] in this file"));
    }
    rules
}

/// Stand-ins for a rule's required fields, so that each field can be checked alone.
const RULE_STAND_INS: &str = "id = \"x\"\nsection = 1\noutcome = \"flag\"\n";

/// serde stops at the first bad field of a table; every other field is checked alone (beside
/// `stand_ins` for the required ones), so that every bad field is reported at once.
pub(crate) fn field_errors<T: serde::de::DeserializeOwned>(
    item: &Spanned<DeValue<'_>>,
    first: &toml::de::Error,
    stand_ins: &str,
) -> Vec<toml::de::Error> {
    let DeValue::Table(table) = item.get_ref() else {
        return Vec::new();
    };
    let Ok(stand_ins) = DeTable::parse(stand_ins) else {
        return Vec::new();
    };
    let stand_ins = stand_ins.into_inner();
    let mut found: Vec<toml::de::Error> = Vec::new();
    for (key, value) in table.iter() {
        let mut alone = stand_ins.clone();
        alone.insert(key.clone(), value.clone());
        let probe = Spanned::new(item.span(), DeValue::Table(alone));
        let Err(e) = T::deserialize(ValueDeserializer::from(probe)) else {
            continue;
        };
        // The stand-ins are valid: an error located anywhere but the whole table is this field's
        // (a table's span may be its header only, so the value's own span is not a bound).
        let inside = e.span().is_some_and(|s| s != item.span());
        let seen = e.span() == first.span() || found.iter().any(|f| f.span() == e.span());
        if inside && !seen {
            found.push(e);
        }
    }
    found
}

struct RuleContext<'a> {
    file: &'a SourceFile<'a>,
    header: Option<&'a Header>,
    read: &'a WordFileReader<'a>,
    index: usize,
}

impl RuleContext<'_> {
    fn compile(
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
