//! `charter.toml` compiled: title, languages, introduction, sections and the charter's version,
//! then its optional sections (`[escalation]`, `[raid]`, `[welcome]`, `[referrals]`,
//! `[acceptance]`, `[report]`), each validated by its own module, every problem located.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::rule_file::field_errors;

use super::acceptance::{AcceptanceSettings, charter_version, compile_acceptance};
use super::diagnostics::{Diagnostic, SourceFile};
use super::model::{Escalation, Section};
use super::raid::{RaidSettings, compile_raid};
use super::raw::RawCharterFile;
use super::referrals::{ReferralSettings, compile_referrals};
use super::report::{ReportSettings, compile_report};
use super::values::{RawText, Sanction, Text, parse_duration};
use super::welcome::{WelcomeSettings, compile_welcome};

/// Stand-ins for `charter.toml`'s required fields, so that each field can be checked alone.
const HEADER_STAND_INS: &str = "title = \"x\"\nlanguages = [\"en\"]\n";

/// What `charter.toml` defines.
pub(crate) struct Header {
    pub(crate) title: Text,
    pub(crate) intro: Option<Text>,
    pub(crate) languages: Vec<String>,
    pub(crate) sections: Vec<Section>,
    pub(crate) escalation: Option<Escalation>,
    pub(crate) raid: Option<RaidSettings>,
    pub(crate) welcome: Option<WelcomeSettings>,
    pub(crate) referrals: Option<ReferralSettings>,
    pub(crate) acceptance: Option<AcceptanceSettings>,
    pub(crate) report: Option<ReportSettings>,
    pub(crate) version: String,
}

pub(crate) fn compile_header(
    file: &SourceFile<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Header> {
    let raw: RawCharterFile = match toml::from_str(file.text) {
        Ok(raw) => raw,
        Err(first) => {
            // A syntax error has nothing more to find; a bad value may have company.
            let mut all = match DeTable::parse(file.text) {
                Ok(table) => {
                    let whole = Spanned::new(table.span(), DeValue::Table(table.into_inner()));
                    field_errors::<RawCharterFile>(&whole, &first, HEADER_STAND_INS)
                }
                Err(_) => Vec::new(),
            };
            all.push(first);
            all.sort_by_key(|e| e.span().map_or(0, |s| s.start));
            for e in &all {
                errors.push(file.toml_error(e, None));
            }
            return None;
        }
    };
    let before = errors.len();
    let languages = raw.languages.get_ref().clone();
    if languages.is_empty() {
        errors.push(file.error(
            Some(raw.languages.span()),
            None,
            "at least one language is needed",
        ));
    }
    for lang in &languages {
        let ok = (2..=3).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_lowercase());
        if !ok {
            errors.push(file.error(
                Some(raw.languages.span()),
                None,
                format!("\"{lang}\" is not a language code such as \"fr\" or \"en\""),
            ));
        }
    }
    let text = |errors: &mut Vec<Diagnostic>, raw: &Spanned<RawText>| -> Option<Text> {
        Text::resolve(raw.get_ref(), &languages)
            .map_err(|m| errors.push(file.error(Some(raw.span()), None, m)))
            .ok()
    };
    let title = text(errors, &raw.title);
    let intro = raw.intro.as_ref().and_then(|i| text(errors, i));
    let mut sections: Vec<Section> = Vec::new();
    for s in &raw.section {
        let (title, body) = (text(errors, &s.title), text(errors, &s.text));
        let number = *s.number.get_ref();
        if sections.iter().any(|x| x.number == number) {
            errors.push(file.error(
                Some(s.number.span()),
                None,
                format!("section {number} is defined twice"),
            ));
        }
        if let (Some(title), Some(text)) = (title, body) {
            sections.push(Section {
                number,
                title,
                text,
            });
        }
    }
    if raw.section.is_empty() {
        errors.push(file.error(None, None, "the charter has no [[section]]"));
    }
    let escalation = raw.escalation.as_ref().and_then(|e| {
        let window = parse_duration(e.window.get_ref())
            .map_err(|m| errors.push(file.error(Some(e.window.span()), None, m)))
            .ok();
        let mut steps: Vec<(u32, Sanction)> = Vec::new();
        for step in &e.step {
            let points = *step.points.get_ref();
            if points == 0 {
                errors.push(file.error(
                    Some(step.points.span()),
                    None,
                    "points must be at least 1",
                ));
            }
            if steps.last().is_some_and(|(p, _)| *p >= points) {
                errors.push(file.error(
                    Some(step.points.span()),
                    None,
                    "escalation steps must have increasing points",
                ));
            }
            match Sanction::parse(step.action.get_ref()) {
                Ok(sanction) => {
                    if let Some((before, milder)) = steps.iter().find(|(_, s)| *s > sanction) {
                        errors.push(file.error(
                            Some(step.action.span()),
                            None,
                            format!(
                                "escalation gets milder: {sanction} at {points} points after {milder} at {before}"
                            ),
                        ));
                    }
                    steps.push((points, sanction));
                }
                Err(m) => errors.push(file.error(Some(step.action.span()), None, m)),
            }
        }
        Some(Escalation {
            window: window?,
            steps,
        })
    });
    let raid = raw
        .raid
        .as_ref()
        .and_then(|r| compile_raid(r, file, errors));
    let welcome = raw
        .welcome
        .as_ref()
        .and_then(|w| compile_welcome(w, &languages, file, errors));
    let referrals = raw
        .referrals
        .as_ref()
        .and_then(|r| compile_referrals(r, file, errors));
    let acceptance = raw
        .acceptance
        .as_ref()
        .and_then(|a| compile_acceptance(a, file, errors));
    let report = raw
        .report
        .as_ref()
        .and_then(|r| compile_report(r, file, errors));
    if errors.len() > before {
        return None;
    }
    let title = title?;
    let version = charter_version(&title, intro.as_ref(), &sections, &languages);
    Some(Header {
        title,
        version,
        intro,
        languages,
        sections,
        escalation,
        raid,
        welcome,
        referrals,
        acceptance,
        report,
    })
}
