//! Past messages to replay: JSON Lines (one object a line, at least `content`) or a
//! DiscordChatExporter JSON export, told apart automatically.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use serde::Deserialize;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::facts::{AttachmentFacts, MessageFacts};
use crate::ids::{ChannelId, RoleId, UserId};

/// One message read from a replay file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReplayMessage {
    pub id: Option<String>,
    /// A stable number for the author: their id, or a hash of their name.
    pub author_key: u64,
    pub channel_id: u64,
    pub channel: String,
    pub nsfw_channel: bool,
    /// Milliseconds since the Unix epoch; 0 when the file gives none.
    pub timestamp_ms: i64,
    pub roles: Vec<String>,
    pub content: String,
    pub attachments: Vec<String>,
}

impl ReplayMessage {
    /// The facts the bot would have built from this message on Discord. Roles given by number
    /// are role ids; by name, they match rules by name only.
    pub fn facts(&self) -> MessageFacts {
        MessageFacts {
            channel: ChannelId(self.channel_id),
            channel_name: self.channel.clone(),
            nsfw_channel: self.nsfw_channel,
            author: UserId(self.author_key),
            author_roles: self
                .roles
                .iter()
                .map(|r| (RoleId(r.parse().unwrap_or(0)), r.clone()))
                .collect(),
            // Discord never delivers more: a longer text is not a message the bot could see.
            content: self
                .content
                .chars()
                .take(DISCORD_MESSAGE_MAX_CHARS)
                .collect(),
            attachments: self
                .attachments
                .iter()
                .map(|filename| AttachmentFacts {
                    filename: filename.clone(),
                    url: String::new(),
                })
                .collect(),
            timestamp_ms: self.timestamp_ms,
            ..MessageFacts::default()
        }
    }
}

/// A line or file that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// 1-based line, when the problem is on one line.
    pub line: Option<usize>,
    pub message: String,
}

/// The messages of a file, and the problems met on the way.
#[derive(Debug, Default)]
pub struct ReplayInput {
    pub messages: Vec<ReplayMessage>,
    pub errors: Vec<InputError>,
}

/// The longest message Discord delivers (with Nitro), in characters: what is judged of a longer
/// replayed text.
pub const DISCORD_MESSAGE_MAX_CHARS: usize = 4000;

/// The longest line read: far above any Discord message (4,000 characters), far below what
/// would exhaust memory once normalised.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Reads the messages of a replay file's bytes. A byte-order mark is skipped; a line that is
/// not UTF-8, or longer than [`MAX_LINE_BYTES`], is reported with its number and skipped, the
/// rest of the file is still read.
pub fn parse_bytes(bytes: &[u8]) -> ReplayInput {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(_) => {
            // Keep every readable line; blank out the others (line numbers stay true).
            let mut errors = Vec::new();
            let lines: Vec<&str> = bytes
                .split(|b| *b == b'\n')
                .enumerate()
                .map(|(n, line)| {
                    std::str::from_utf8(line).unwrap_or_else(|e| {
                        errors.push(InputError {
                            line: Some(n + 1),
                            message: format!("not UTF-8 (byte {})", e.valid_up_to() + 1),
                        });
                        ""
                    })
                })
                .collect();
            let mut input = parse(&lines.join("\n"));
            input.errors.extend(errors);
            input.errors.sort_by_key(|e| e.line);
            input
        }
    }
}

/// Reads the messages of a replay file's contents.
pub fn parse(text: &str) -> ReplayInput {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if looks_like_dce(text) {
        super::dce::parse(text)
    } else {
        parse_jsonl(text)
    }
}

/// A DiscordChatExporter export is one JSON document with a `messages` array: pretty-printed
/// (its first line, `{`, is not a document on its own) or on one line that is the whole file.
/// JSON Lines have one document per line, whatever keys the first one has.
fn looks_like_dce(text: &str) -> bool {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let Some(first) = lines.next() else {
        return false;
    };
    match serde_json::from_str::<Value>(first) {
        Ok(v) => lines.next().is_none() && v.get("messages").is_some_and(Value::is_array),
        Err(_) => first.trim_start().starts_with('{') && text.contains("\"messages\""),
    }
}

/// One JSON Lines record; extra fields are ignored.
#[derive(Deserialize)]
struct Line {
    content: String,
    id: Option<Value>,
    author: Option<String>,
    author_id: Option<Value>,
    channel: Option<Value>,
    timestamp: Option<Value>,
    #[serde(default)]
    roles: Vec<Value>,
    #[serde(default)]
    attachments: Vec<Value>,
}

fn parse_jsonl(text: &str) -> ReplayInput {
    let mut input = ReplayInput::default();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if line.len() > MAX_LINE_BYTES {
            input.errors.push(InputError {
                line: Some(n + 1),
                message: format!(
                    "line of {} bytes, longer than the limit of {MAX_LINE_BYTES}",
                    line.len()
                ),
            });
            continue;
        }
        let record: Line = match serde_json::from_str(line) {
            Ok(record) => record,
            Err(e) => {
                input.errors.push(InputError {
                    line: Some(n + 1),
                    message: e.to_string(),
                });
                continue;
            }
        };
        let timestamp_ms = match record.timestamp.as_ref().map(timestamp) {
            Some(Err(message)) => {
                input.errors.push(InputError {
                    line: Some(n + 1),
                    message,
                });
                continue;
            }
            Some(Ok(ms)) => ms,
            None => 0,
        };
        let channel = record.channel.as_ref().map(scalar).unwrap_or_default();
        input.messages.push(ReplayMessage {
            id: record.id.as_ref().map(scalar),
            author_key: author_key(
                record.author_id.as_ref().map(scalar).as_deref(),
                record.author.as_deref(),
            ),
            channel_id: channel.parse().unwrap_or(0),
            channel,
            nsfw_channel: false,
            timestamp_ms,
            roles: record.roles.iter().map(name_or_scalar).collect(),
            content: record.content,
            attachments: record.attachments.iter().map(name_or_scalar).collect(),
        });
    }
    input
}

/// A string or number as text.
pub(super) fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A role or attachment given as a string or as an object with a `name` or `fileName`.
pub(super) fn name_or_scalar(v: &Value) -> String {
    v.get("name")
        .or_else(|| v.get("fileName"))
        .or_else(|| v.get("filename"))
        .map_or_else(|| scalar(v), scalar)
}

pub(super) fn author_key(id: Option<&str>, name: Option<&str>) -> u64 {
    if let Some(id) = id.and_then(|i| i.parse::<u64>().ok()) {
        return id;
    }
    let mut h = DefaultHasher::new();
    id.or(name).unwrap_or("").hash(&mut h);
    h.finish()
}

/// An RFC 3339 timestamp, or a number of milliseconds since the epoch.
fn timestamp(v: &Value) -> Result<i64, String> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| format!("timestamp {n} is not a whole number of milliseconds")),
        Value::String(s) => parse_time(s),
        other => Err(format!("timestamp {other} is neither a date nor a number")),
    }
}

pub(super) fn parse_time(s: &str) -> Result<i64, String> {
    OffsetDateTime::parse(s, &Rfc3339)
        .map(|t| (t.unix_timestamp_nanos() / 1_000_000) as i64)
        .map_err(|e| format!("timestamp \"{s}\" is not an RFC 3339 date: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_with_a_malformed_line() {
        let text = concat!(
            r#"{"id": "1", "author": "ann", "channel": "ubuntu", "timestamp": "2004-12-25T09:14:00Z", "content": "hi", "label": "x"}"#,
            "\n{not json\n",
            r#"{"content": "bare", "timestamp": 1000, "author_id": 42, "roles": ["Mod"]}"#,
            "\n"
        );
        let input = parse(text);
        assert_eq!(input.messages.len(), 2);
        assert_eq!(input.errors.len(), 1);
        assert_eq!(input.errors[0].line, Some(2));
        let first = &input.messages[0];
        assert_eq!(first.id.as_deref(), Some("1"));
        assert_eq!(first.timestamp_ms, 1_103_966_040_000);
        assert_eq!(first.channel, "ubuntu");
        assert_eq!(input.messages[1].author_key, 42);
        assert_eq!(input.messages[1].roles, ["Mod"]);
    }

    #[test]
    fn bad_timestamps_are_reported_not_guessed() {
        let input = parse(r#"{"content": "x", "timestamp": "yesterday"}"#);
        assert!(input.messages.is_empty());
        assert!(input.errors[0].message.contains("yesterday"));
    }

    #[test]
    fn a_line_that_is_not_utf8_is_skipped_with_its_number_and_the_rest_is_read() {
        let mut bytes = Vec::new();
        for n in 1..=1000 {
            if n == 500 {
                bytes.extend_from_slice(b"{\"content\": \"caf\xE9\"}\n");
            } else {
                bytes.extend_from_slice(format!("{{\"content\": \"line {n}\"}}\n").as_bytes());
            }
        }
        let input = parse_bytes(&bytes);
        assert_eq!(input.messages.len(), 999);
        assert_eq!(input.errors.len(), 1);
        assert_eq!(input.errors[0].line, Some(500));
        assert!(input.errors[0].message.contains("not UTF-8"));
    }

    #[test]
    fn a_byte_order_mark_does_not_lose_line_one() {
        let input =
            parse_bytes(b"\xEF\xBB\xBF{\"content\": \"first\"}\n{\"content\": \"second\"}\n");
        assert_eq!(input.messages.len(), 2, "{:?}", input.errors);
        assert_eq!(input.messages[0].content, "first");
    }

    #[test]
    fn json_lines_whose_first_line_has_a_messages_key_stay_json_lines() {
        let text =
            "{\"messages\": 3, \"content\": \"a\"}\n{\"messages\": [], \"content\": \"b\"}\n";
        assert_eq!(parse(text).messages.len(), 2);
        let no_content = "{\"messages\": [1]}\n{\"content\": \"b\"}\n";
        let input = parse(no_content);
        assert_eq!(input.messages.len(), 1);
        assert_eq!(input.errors[0].line, Some(1));
        // A one-line export is still an export.
        let export =
            r#"{"channel": {"id": "1", "name": "c"}, "messages": [{"id": "9", "content": "hi"}]}"#;
        assert_eq!(parse(export).messages[0].content, "hi");
    }

    #[test]
    fn an_over_long_line_is_skipped_before_it_is_read() {
        let long = format!(
            "{{\"content\": \"{}\"}}\n{{\"content\": \"ok\"}}\n",
            "a".repeat(MAX_LINE_BYTES)
        );
        let input = parse(&long);
        assert_eq!(input.messages.len(), 1);
        assert_eq!(input.errors[0].line, Some(1));
        assert!(input.errors[0].message.contains("longer than the limit"));
    }

    #[test]
    fn a_message_is_judged_on_what_discord_would_deliver() {
        let message = ReplayMessage {
            content: "é".repeat(DISCORD_MESSAGE_MAX_CHARS + 10),
            ..ReplayMessage::default()
        };
        assert_eq!(
            message.facts().content.chars().count(),
            DISCORD_MESSAGE_MAX_CHARS
        );
    }
}
