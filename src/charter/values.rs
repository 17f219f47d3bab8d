//! Small value types of the charter format: translated text, durations and sanctions.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::Deserialize;

/// Discord's longest communication timeout.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(28 * 24 * 3600);

/// The longest window a rule may count over (rate, duplicates, mention storms).
pub const MAX_WINDOW: Duration = Duration::from_secs(7 * 86_400);

/// The longest duration the charter accepts anywhere (ten years): beyond it a duration is a typo,
/// and converting it to milliseconds could overflow.
pub const MAX_DURATION: Duration = Duration::from_secs(3650 * 86_400);

/// Text written once for every language, or once per language.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum RawText {
    Same(String),
    PerLanguage(BTreeMap<String, String>),
}

/// Human-facing text in each of the charter's languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    /// `(language, text)`, in the charter's language order; the first is the default.
    translations: Vec<(String, String)>,
}

impl Text {
    /// Resolves raw text against the charter's languages; names what is missing or unknown.
    pub(crate) fn resolve(raw: &RawText, languages: &[String]) -> Result<Text, String> {
        match raw {
            RawText::Same(text) => Ok(Text {
                translations: languages
                    .iter()
                    .map(|l| (l.clone(), text.clone()))
                    .collect(),
            }),
            RawText::PerLanguage(map) => {
                if let Some(unknown) = map.keys().find(|k| !languages.contains(k)) {
                    return Err(format!(
                        "unknown language \"{unknown}\" (the charter's languages are {})",
                        languages.join(", ")
                    ));
                }
                let missing: Vec<&str> = languages
                    .iter()
                    .filter(|l| !map.contains_key(*l))
                    .map(String::as_str)
                    .collect();
                if !missing.is_empty() {
                    return Err(format!("missing translation: {}", missing.join(", ")));
                }
                Ok(Text {
                    translations: languages
                        .iter()
                        .map(|l| (l.clone(), map[l].clone()))
                        .collect(),
                })
            }
        }
    }

    /// Plain text, the same in every language.
    pub fn plain(text: &str) -> Text {
        Text {
            translations: vec![(String::new(), text.to_string())],
        }
    }

    /// The text in `language`, or in the charter's default language.
    pub fn get(&self, language: &str) -> &str {
        self.translations
            .iter()
            .find(|(l, _)| l == language)
            .or(self.translations.first())
            .map_or("", |(_, t)| t.as_str())
    }

    /// The text in the default language.
    pub fn default_text(&self) -> &str {
        self.get("")
    }
}

/// Parses `90s`, `10m`, `1h30m`, `7d`, `2w`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = || {
        format!(
            "invalid duration \"{text}\": expected a number and a unit (s, m, h, d, w), such as 10m or 1h30m"
        )
    };
    let mut total: u64 = 0;
    let mut number = String::new();
    let mut seen_unit = false;
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return Err(bad()),
        };
        let n: u64 = number.parse().map_err(|_| bad())?;
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(bad)?;
        number.clear();
        seen_unit = true;
    }
    if !number.is_empty() || !seen_unit {
        return Err(bad());
    }
    if total == 0 {
        return Err(format!(
            "invalid duration \"{text}\": must be longer than zero"
        ));
    }
    if total > MAX_DURATION.as_secs() {
        return Err(format!(
            "invalid duration \"{text}\": longer than the limit of 3650d"
        ));
    }
    Ok(Duration::from_secs(total))
}

/// Formats a duration the way the charter writes it.
pub fn format_duration(d: Duration) -> String {
    let mut secs = d.as_secs();
    let mut out = String::new();
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
        if secs >= size {
            out.push_str(&format!("{}{unit}", secs / size));
            secs %= size;
        }
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

/// A sanction applied to a member, beyond what happens to the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Sanction {
    Warn,
    Timeout(Duration),
    Kick,
    Ban,
}

impl Sanction {
    /// Parses `warn`, `timeout 10m`, `kick`, `ban`.
    pub fn parse(text: &str) -> Result<Sanction, String> {
        let mut words = text.split_whitespace();
        let sanction = match (words.next(), words.next(), words.next()) {
            (Some("warn"), None, _) => Sanction::Warn,
            (Some("kick"), None, _) => Sanction::Kick,
            (Some("ban"), None, _) => Sanction::Ban,
            (Some("timeout"), Some(d), None) => {
                let duration = parse_duration(d)?;
                if duration > MAX_TIMEOUT {
                    return Err(format!(
                        "timeout of {d} is longer than Discord's limit of 28 days"
                    ));
                }
                Sanction::Timeout(duration)
            }
            (Some("timeout"), None, _) => {
                return Err("timeout needs a duration, such as \"timeout 10m\"".into());
            }
            _ => {
                return Err(format!(
                    "unknown action \"{text}\": expected warn, timeout <duration>, kick or ban"
                ));
            }
        };
        Ok(sanction)
    }
}

impl fmt::Display for Sanction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Sanction::Warn => f.write_str("warn"),
            Sanction::Timeout(d) => write!(f, "timeout {}", format_duration(*d)),
            Sanction::Kick => f.write_str("kick"),
            Sanction::Ban => f.write_str("ban"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(604_800)));
        for bad in [
            "",
            "10",
            "m",
            "10x",
            "1.5h",
            "0s",
            "-5m",
            "99999999999999999999w",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(format_duration(Duration::from_secs(5400)), "1h30m");
    }

    #[test]
    fn sanctions() {
        assert_eq!(Sanction::parse("warn"), Ok(Sanction::Warn));
        assert_eq!(
            Sanction::parse("timeout 10m"),
            Ok(Sanction::Timeout(Duration::from_secs(600)))
        );
        assert!(Sanction::parse("timeout").is_err());
        assert!(Sanction::parse("timeout 29d").is_err());
        assert!(Sanction::parse("timeout 28d").is_ok());
        assert!(Sanction::parse("mute").is_err());
        assert!(Sanction::Ban > Sanction::Kick && Sanction::Kick > Sanction::Warn);
    }

    #[test]
    fn text_requires_every_language() {
        let langs = vec!["fr".to_string(), "en".to_string()];
        let raw = RawText::PerLanguage([("fr".to_string(), "Bonjour".to_string())].into());
        assert_eq!(
            Text::resolve(&raw, &langs),
            Err("missing translation: en".into())
        );
        let raw = RawText::PerLanguage(
            [("fr", "Bonjour"), ("en", "Hello")]
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .into(),
        );
        let text = Text::resolve(&raw, &langs).unwrap();
        assert_eq!(text.get("en"), "Hello");
        assert_eq!(text.get("de"), "Bonjour");
    }
}
