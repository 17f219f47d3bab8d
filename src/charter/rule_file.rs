//! A rule file's `[[rule]]` entries as written, each deserialized on its own, every bad field of
//! each reported at once (serde stops at the first: the others are checked one by one).

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::diagnostics::{Diagnostic, SourceFile};
use super::raw::RawRule;

/// The `[[rule]]` entries of a rule file, each deserialized on its own so that one bad rule does
/// not hide the others.
pub(crate) fn parse_rule_file(
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
