//! DiscordChatExporter JSON exports, read as the bot sees the same messages on Discord.
//!
//! DCE renders a message for people: a mention `<@400000000000000001>` becomes `@Alice` and a
//! custom emoji `<:pog:123>` becomes `:pog:`, with the members in `mentions` and the emoji in
//! `inlineEmojis`. The bot reads the raw text, where mention and emoji rules count them, so each
//! rendered mention and custom emoji is written back in its raw form; a mentioned member whose name
//! is not in the text is added at the end (except the author of the message replied to, whom a
//! reply pings without writing a mention). Embeds and stickers are not part of what the bot judges
//! (the content and the attachments are), so they are not judged here either.

use std::collections::HashMap;

use serde::Deserialize;

use super::input::{
    InputError, ReplayInput, ReplayMessage, author_key, name_or_scalar, parse_time,
};
use serde_json::Value;

/// A DiscordChatExporter export (most fields optional: exports differ across versions).
#[derive(Deserialize)]
struct DceExport {
    #[serde(default)]
    channel: DceChannel,
    /// Read one by one: a message of an unexpected shape is skipped, not the whole export.
    messages: Vec<Value>,
}

#[derive(Deserialize, Default)]
struct DceChannel {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default, rename = "isNsfw")]
    is_nsfw: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DceMessage {
    #[serde(default)]
    id: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    timestamp: Option<String>,
    #[serde(default)]
    content: String,
    author: Option<DceAuthor>,
    #[serde(default)]
    attachments: Vec<DceAttachment>,
    #[serde(default)]
    mentions: Vec<DceMention>,
    #[serde(default, deserialize_with = "null_as_empty")]
    inline_emojis: Vec<DceEmoji>,
    reference: Option<DceReference>,
}

/// A member the message mentions.
#[derive(Deserialize)]
struct DceMention {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    nickname: Option<String>,
}

/// An emoji used in the message; custom ones have an id.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DceEmoji {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    is_animated: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DceReference {
    message_id: Option<String>,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

#[derive(Deserialize)]
struct DceAuthor {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    roles: Vec<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DceAttachment {
    #[serde(default)]
    file_name: String,
}

pub(super) fn parse(text: &str) -> ReplayInput {
    let mut input = ReplayInput::default();
    let export: DceExport = match serde_json::from_str(text) {
        Ok(export) => export,
        Err(e) => {
            input.errors.push(InputError {
                line: Some(e.line()),
                message: format!("not a DiscordChatExporter export: {e}"),
            });
            return input;
        }
    };
    let channel_id = export.channel.id.parse().unwrap_or(0);
    let mut messages: Vec<DceMessage> = Vec::with_capacity(export.messages.len());
    for (n, raw) in export.messages.into_iter().enumerate() {
        match serde_json::from_value::<DceMessage>(raw) {
            Ok(m) => messages.push(m),
            Err(e) => input.errors.push(InputError {
                line: None,
                message: format!("message #{} of the export: {e}", n + 1),
            }),
        }
    }
    let authors: HashMap<String, String> = messages
        .iter()
        .filter_map(|m| Some((m.id.clone(), m.author.as_ref()?.id.clone())))
        .collect();
    for m in messages {
        // Joins, pins and other system messages are not written by members.
        if !matches!(m.kind.as_deref(), None | Some("Default" | "Reply")) {
            continue;
        }
        let timestamp_ms = match m.timestamp.as_deref().map(parse_time) {
            Some(Ok(ms)) => ms,
            Some(Err(message)) => {
                input.errors.push(InputError {
                    line: None,
                    message: format!("message {}: {message}", m.id),
                });
                continue;
            }
            None => 0,
        };
        let (author_id, author_name, roles) = match &m.author {
            Some(a) => (
                Some(a.id.as_str()),
                Some(a.name.as_str()),
                a.roles.iter().map(name_or_scalar).collect(),
            ),
            None => (None, None, Vec::new()),
        };
        input.messages.push(ReplayMessage {
            id: Some(m.id.clone()),
            author_key: author_key(author_id, author_name),
            channel_id,
            channel: export.channel.name.clone(),
            nsfw_channel: export.channel.is_nsfw,
            timestamp_ms,
            roles,
            content: raw_content(&m, &authors),
            attachments: m.attachments.into_iter().map(|a| a.file_name).collect(),
        });
    }
    input
}

/// The message text as Discord sends it to the bot: raw mentions and custom emoji.
fn raw_content(m: &DceMessage, authors: &HashMap<String, String>) -> String {
    let mut content = m.content.clone();
    for emoji in &m.inline_emojis {
        if emoji.id.parse::<u64>().is_err() || emoji.name.is_empty() {
            continue;
        }
        let prefix = if emoji.is_animated { "a" } else { "" };
        let raw = format!("<{prefix}:{}:{}>", emoji.name, emoji.id);
        content = replace_rendered(&content, &format!(":{}:", emoji.name), &raw);
    }
    let replied_to = m
        .reference
        .as_ref()
        .and_then(|r| r.message_id.as_ref())
        .and_then(|id| authors.get(id));
    for mention in &m.mentions {
        if mention.id.parse::<u64>().is_err() {
            continue;
        }
        let raw = format!("<@{}>", mention.id);
        if content.contains(&raw) || content.contains(&format!("<@!{}>", mention.id)) {
            continue;
        }
        let names = [mention.nickname.as_deref(), Some(mention.name.as_str())];
        let rendered = names
            .into_iter()
            .flatten()
            .filter(|n| !n.is_empty())
            .map(|n| format!("@{n}"))
            .find(|n| content.contains(n.as_str()));
        match rendered {
            Some(rendered) => content = replace_rendered(&content, &rendered, &raw),
            None if replied_to == Some(&mention.id) => {}
            None => {
                content.push(' ');
                content.push_str(&raw);
            }
        }
    }
    content
}

/// Replaces each `rendered` in `text` that is not followed by a letter or digit (`@Al` must not
/// eat `@Alice`) with `raw`.
fn replace_rendered(text: &str, rendered: &str, raw: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(rendered) {
        let after = &rest[at + rendered.len()..];
        out.push_str(&rest[..at]);
        if after.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            out.push_str(rendered);
        } else {
            out.push_str(raw);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::super::input::parse;
    use super::*;

    #[test]
    fn dce_export_skips_system_messages() {
        let text = r#"{
          "guild": {"id": "1", "name": "G"},
          "channel": {"id": "22", "type": 0, "name": "general"},
          "messages": [
            {"id": "5", "type": "GuildMemberJoin", "timestamp": "2024-01-10T08:00:00+00:00", "content": "", "author": {"id": "7", "name": "c"}},
            {"id": "6", "type": "Default", "timestamp": "2024-01-10T08:00:01+01:00", "content": "hello",
             "author": {"id": "7", "name": "c", "roles": [{"id": "9", "name": "Member"}]},
             "attachments": [{"id": "1", "fileName": "a.png", "url": "x"}]}
          ]
        }"#;
        let input = parse(text);
        assert!(input.errors.is_empty(), "{:?}", input.errors);
        assert_eq!(input.messages.len(), 1);
        let m = &input.messages[0];
        assert_eq!(
            (m.channel_id, m.channel.as_str(), m.author_key),
            (22, "general", 7)
        );
        assert_eq!(m.roles, ["Member"]);
        assert_eq!(m.attachments, ["a.png"]);
        assert_eq!(m.timestamp_ms, 1_704_870_001_000);
    }

    #[test]
    fn a_wrongly_typed_message_skips_only_itself() {
        let export = r#"{"channel": {"id": "1", "name": "general"}, "messages": [
            {"id": "1", "type": "Default", "content": "first"},
            {"id": "2", "type": "Default", "content": 42},
            {"id": "3", "type": "Default", "content": "third"}
        ]}"#;
        let input = parse(export);
        let texts: Vec<&str> = input.messages.iter().map(|m| m.content.as_str()).collect();
        assert_eq!(texts, ["first", "third"]);
        assert_eq!(input.errors.len(), 1);
        assert!(
            input.errors[0]
                .message
                .starts_with("message #2 of the export")
        );
    }

    #[test]
    fn broken_dce_is_reported_with_its_line() {
        let input = parse("{\n  \"messages\": [\n    {\"id\": 1,,}\n  ]\n}");
        assert!(input.messages.is_empty());
        assert_eq!(input.errors[0].line, Some(3));
    }

    /// Twelve members mentioned in a DCE export rendered for people (`@name`), one of them by a
    /// nickname, one not written in the text at all.
    fn mass_mention_export() -> String {
        let mut mentions = Vec::new();
        let mut names = Vec::new();
        for k in 1..=12u64 {
            let id = 400_000_000_000_000_000 + k;
            let nickname = if k == 3 {
                "\"Third One\"".to_string()
            } else {
                "null".into()
            };
            mentions.push(format!(
                r#"{{"id": "{id}", "name": "member{k}", "discriminator": "0000", "nickname": {nickname}}}"#
            ));
            match k {
                3 => names.push("@Third One".to_string()),
                12 => {}
                _ => names.push(format!("@member{k}")),
            }
        }
        format!(
            r#"{{"guild": {{"id": "1", "name": "G"}},
              "channel": {{"id": "22", "type": "GuildTextChat", "name": "general"}},
              "messages": [
                {{"id": "1", "type": "Default", "timestamp": "2024-01-10T08:00:00+00:00",
                  "content": "look {} :pog:", "author": {{"id": "7", "name": "spammer"}},
                  "mentions": [{}], "inlineEmojis": [{{"id": "99", "name": "pog", "isAnimated": false}}],
                  "embeds": [{{"title": "x", "url": "https://example.com"}}],
                  "stickers": [{{"id": "8", "name": "wave", "format": "png"}}]}},
                {{"id": "2", "type": "Reply", "timestamp": "2024-01-10T08:00:05+00:00",
                  "content": "thanks @member1", "author": {{"id": "8", "name": "member1"}},
                  "mentions": [{{"id": "7", "name": "spammer"}}, {{"id": "400000000000000001", "name": "member1"}}],
                  "reference": {{"messageId": "1"}}}}
              ]}}"#,
            names.join(" "),
            mentions.join(", ")
        )
    }

    #[test]
    fn dce_mentions_are_read_raw_as_the_bot_sees_them() {
        let input = parse(&mass_mention_export());
        assert!(input.errors.is_empty(), "{:?}", input.errors);
        let first = &input.messages[0].content;
        assert!(
            first.starts_with(
                "look <@400000000000000001> <@400000000000000002> <@400000000000000003> "
            ),
            "{first}"
        );
        assert!(
            first.ends_with("<:pog:99> <@400000000000000012>"),
            "{first}"
        );
        assert_eq!(first.matches("<@").count(), 12);
        // A reply pings the author replied to without writing a mention.
        assert_eq!(input.messages[1].content, "thanks <@400000000000000001>");
    }

    #[test]
    fn rendered_names_only_match_whole() {
        assert_eq!(
            replace_rendered("@Al @Alice @Al.", "@Al", "<@1>"),
            "<@1> @Alice <@1>."
        );
    }
}
