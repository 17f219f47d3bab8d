//! The raid detector on real chat: the Ubuntu corpus's busiest hour replayed with its authors as
//! members never triggers it, whether they are regulars or, more strictly, newcomers who joined
//! at their first message of the hour (a wave of joins then comes with every first message). The
//! detector's signals are the shipped charter's. Reads
//! `../shared/data/chat/ubuntu-irc.jsonl` and says so when it is missing.

use std::collections::HashMap;
use std::io::BufRead;

use steward::charter::Charter;
use steward::charter::raid::RaidSettings;
use steward::ids::{GuildId, UserId};
use steward::moderation::raid::{RaidDetector, RaidJoin, RaidMessage};

use crate::support::{root, shared_data};

const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;
const HOUR_START_MS: i64 = 1_800_000_000_000;

/// The shipped charter's `[raid]` section: what a server gets out of the box.
fn settings() -> RaidSettings {
    let charter = Charter::load(&root().join("rules")).expect("the shipped charter loads");
    charter
        .raid
        .expect("the shipped charter has a [raid] section")
}

/// The busiest hour of the corpus: (author, text, mentions of other authors) in order.
pub(crate) fn busiest_hour() -> Option<Vec<(String, String, u32)>> {
    let path = shared_data("chat/ubuntu-irc.jsonl")?;
    let file = std::fs::File::open(path).ok()?;
    let mut hours: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for line in std::io::BufReader::new(file).lines().map_while(Result::ok) {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let field = |k: &str| value[k].as_str().unwrap_or_default().to_string();
        let hour: String = field("timestamp").chars().take(13).collect();
        hours
            .entry(hour)
            .or_default()
            .push((field("author"), field("content")));
    }
    let (_, rows) = hours
        .into_iter()
        .max_by_key(|(hour, rows)| (rows.len(), hour.clone()))?;
    let authors: Vec<String> = rows.iter().map(|(a, _)| a.to_lowercase()).collect();
    Some(
        rows.into_iter()
            .map(|(author, text)| {
                // IRC addresses someone as "nick:": count those as mentions.
                let lowered = text.to_lowercase();
                let mentions = authors
                    .iter()
                    .filter(|a| a.len() > 2 && lowered.starts_with(&format!("{a}:")))
                    .count()
                    .min(1) as u32;
                (author, text, mentions)
            })
            .collect(),
    )
}

/// Replays the hour; `newcomers`: each author joins at their first message. Returns the signals.
fn replay(rows: &[(String, String, u32)], newcomers: bool) -> Vec<String> {
    let settings = settings();
    let mut detector = RaidDetector::new();
    let mut members: HashMap<&str, (UserId, i64)> = HashMap::new();
    let step = 3_600_000 / rows.len().max(1) as i64;
    let mut signals = Vec::new();
    for (i, (author, text, mentions)) in rows.iter().enumerate() {
        let at_ms = HOUR_START_MS + i as i64 * step;
        let next = members.len() as u64;
        let (member, since) = *members.entry(author.as_str()).or_insert_with(|| {
            let since = if newcomers {
                at_ms
            } else {
                at_ms - 90 * 86_400_000
            };
            // Accounts two years old.
            let created = at_ms - 730 * 86_400_000 - DISCORD_EPOCH_MS;
            (UserId(((created as u64) << 22) | next), since)
        });
        if newcomers && since == at_ms {
            let join = RaidJoin {
                guild: GuildId(1),
                member,
                at_ms,
            };
            if let Some(found) = detector.join(&settings, join) {
                signals.push(format!("{:?}", found.signal));
            }
        }
        let message = RaidMessage {
            guild: GuildId(1),
            author: member,
            at_ms,
            member_since_ms: Some(since),
            content: text,
            mentions: *mentions,
        };
        if let Some(found) = detector.message(&settings, &message) {
            signals.push(format!("{:?} on {text:?}", found.signal));
        }
    }
    signals
}

#[test]
fn the_busiest_hour_of_real_chat_never_looks_like_a_raid() {
    let Some(rows) = busiest_hour() else {
        return;
    };
    assert!(
        rows.len() > 500,
        "the busiest hour has {} messages",
        rows.len()
    );
    assert_eq!(replay(&rows, false), Vec::<String>::new());
    let authors = rows
        .iter()
        .map(|(a, _, _)| a)
        .collect::<std::collections::HashSet<_>>();
    let signals = replay(&rows, true);
    assert_eq!(signals, Vec::<String>::new(), "{} authors", authors.len());
}
