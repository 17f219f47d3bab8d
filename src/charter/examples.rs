//! A charter's inline examples: every rule's `must_match` and `must_not_match` messages, judged
//! as `steward check` runs them.

use super::{Charter, Message};

/// A rule example that does not behave as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleFailure {
    pub rule: String,
    pub file: std::path::PathBuf,
    pub line: usize,
    pub column: usize,
    pub example: String,
    /// `true` for a `must_match` that did not match, `false` for a `must_not_match` that did.
    pub expected_match: bool,
    /// What matched instead, for a `must_not_match`.
    pub matched: Vec<String>,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: rule \"{}\": ",
            self.file.display(),
            self.line,
            self.column,
            self.rule
        )?;
        if self.expected_match {
            write!(f, "must_match example does not match: {:?}", self.example)
        } else {
            write!(
                f,
                "must_not_match example matches: {:?} (matched {})",
                self.example,
                self.matched.join(", ")
            )
        }
    }
}

/// How many times a `must_match` example is sent for a rule with only stateful triggers.
const BURST: i64 = 50;

/// Runs every rule's examples, ignoring scopes. A rule with only stateful triggers sees its
/// `must_match` examples as a burst of identical messages, 100 ms apart, from one member.
pub(crate) fn check_examples(charter: &Charter) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    let matcher = &charter.matcher;
    for (index, rule) in charter.rules.iter().enumerate() {
        let stateful_only = !rule.window_triggers.is_empty()
            && rule.keyword_count == 0
            && rule.regex_count == 0
            && rule.message_triggers.is_empty();
        for (expected, examples) in [(true, &rule.must_match), (false, &rule.must_not_match)] {
            for example in examples {
                let matched_rules: Vec<usize> = if stateful_only && expected {
                    let mut tracker = charter.tracker();
                    let mut seen = Vec::new();
                    for i in 0..BURST {
                        let msg = Message {
                            content: &example.text,
                            author: 1,
                            timestamp_ms: i * 100,
                            ..Message::default()
                        };
                        seen.extend(
                            matcher
                                .evaluate(&charter.rules, &msg, Some(&mut tracker), true)
                                .rules(),
                        );
                    }
                    seen
                } else {
                    let mut tracker = charter.tracker();
                    matcher
                        .evaluate(
                            &charter.rules,
                            &Message::text(&example.text),
                            Some(&mut tracker),
                            true,
                        )
                        .rules()
                };
                let hit = matched_rules.contains(&index);
                if hit != expected {
                    failures.push(ExampleFailure {
                        rule: rule.id.clone(),
                        file: rule.file.clone(),
                        line: example.line,
                        column: example.column,
                        example: example.text.clone(),
                        expected_match: expected,
                        matched: matched_rules
                            .iter()
                            .map(|&r| charter.rules[r].id.clone())
                            .collect(),
                    });
                }
            }
        }
    }
    failures
}
