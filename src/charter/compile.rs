//! From files to a [`Charter`]: parse every file, validate every rule, report every problem at
//! once, then build the matchers. Nothing here panics on any input.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use regex::RegexSetBuilder;

use super::diagnostics::{CharterErrors, Diagnostic, SourceFile};
use super::evaluate::Matcher;
use super::files::{MAX_RULE_FILE_BYTES, MAX_WORD_LIST_BYTES, read_text};
use super::header::compile_header;
use super::keyword_index::KeywordIndex;
use super::rule::RuleContext;
use super::rule_file::parse_rule_file;
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
pub(crate) type WordFileReader<'a> = dyn Fn(&str) -> Result<String, String> + 'a;

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
        report: header.report,
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
