//! Raid detection, pure: joins and messages (with their time) in, [`RaidSignal`]s out. Three
//! signals, each configured in the charter's `[raid]` section ([`RaidSettings`]): a wave of joins
//! (optionally mostly from young accounts), the same text or link posted by many new members, and
//! mentions storming in from several members. Every window is bounded in memory whatever the
//! traffic: joins and mentions keep at most [`MAX_RAID_COUNT`] events per server, repeated content
//! at most [`MAX_TRACKED_CONTENTS`] distinct texts per server with at most `members` authors each.

use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::sync::LazyLock;
use std::time::Duration;

use regex::Regex;

use crate::charter::raid::{MAX_RAID_COUNT, RaidSettings};
use crate::ids::{GuildId, UserId};

/// Distinct texts and links followed per server for the repeated-content signal; past it, those
/// not seen within the window are forgotten, then all of them.
pub const MAX_TRACKED_CONTENTS: usize = 4096;

/// A member joining, as the detector sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RaidJoin {
    pub guild: GuildId,
    pub member: UserId,
    /// When they joined (ms since the Unix epoch).
    pub at_ms: i64,
}

/// A message, as the detector sees it.
#[derive(Clone, Copy, Debug)]
pub struct RaidMessage<'a> {
    pub guild: GuildId,
    pub author: UserId,
    pub at_ms: i64,
    /// When the author joined, when known.
    pub member_since_ms: Option<i64>,
    pub content: &'a str,
    pub mentions: u32,
}

/// Why raid mode should start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RaidSignal {
    /// `joins` members joined within `window`, `young` of them with accounts younger than the
    /// charter's limit.
    JoinWave {
        joins: u32,
        young: u32,
        window: Duration,
    },
    /// `members` new members posted the same text or link within `window`.
    RepeatedContent {
        members: u32,
        window: Duration,
        /// The repeated link, when a link is what they share.
        link: Option<String>,
    },
    /// `mentions` mentions from `members` members within `window`.
    MentionStorm {
        mentions: u32,
        members: u32,
        window: Duration,
    },
}

/// A signal and the members it concerns (the raid's signature).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detection {
    pub signal: RaidSignal,
    pub members: Vec<UserId>,
}

/// The recent joins and messages of every server.
#[derive(Debug, Default)]
pub struct RaidDetector {
    guilds: HashMap<GuildId, GuildWindows>,
}

#[derive(Debug, Default)]
struct GuildWindows {
    joins: VecDeque<(i64, UserId)>,
    mentions: VecDeque<(i64, UserId, u32)>,
    contents: HashMap<u64, Authors>,
}

/// The latest distinct authors of one text or link, oldest first.
#[derive(Debug, Default)]
struct Authors {
    recent: VecDeque<(i64, UserId)>,
}

impl RaidDetector {
    /// A detector with nothing seen yet.
    pub fn new() -> RaidDetector {
        RaidDetector::default()
    }

    /// Records a join; a signal when it completes a wave.
    pub fn join(&mut self, settings: &RaidSettings, join: RaidJoin) -> Option<Detection> {
        let wave = settings.joins.as_ref()?;
        let windows = self.guilds.entry(join.guild).or_default();
        let joins = &mut windows.joins;
        joins.push_back((join.at_ms, join.member));
        while joins.len() > wave.count as usize {
            joins.pop_front();
        }
        let oldest = joins.front().map_or(join.at_ms, |(at, _)| *at);
        if joins.len() < wave.count as usize || join.at_ms - oldest > millis(wave.window) {
            return None;
        }
        let young = match wave.young {
            Some((age, _)) => joins
                .iter()
                .filter(|(at, member)| at - member.created_at_ms() < millis(age))
                .count() as u32,
            None => 0,
        };
        if let Some((_, share)) = wave.young
            && f64::from(young) < share * f64::from(wave.count)
        {
            return None;
        }
        let members = joins.iter().map(|(_, member)| *member).collect();
        joins.clear();
        Some(Detection {
            signal: RaidSignal::JoinWave {
                joins: wave.count,
                young,
                window: wave.window,
            },
            members,
        })
    }

    /// Records a message; a signal when it completes repeated content or a mention storm.
    pub fn message(&mut self, settings: &RaidSettings, msg: &RaidMessage<'_>) -> Option<Detection> {
        let windows = self.guilds.entry(msg.guild).or_default();
        let repeated = settings.repeated.as_ref().and_then(|rule| {
            let new = msg
                .member_since_ms
                .is_some_and(|since| msg.at_ms - since < millis(rule.newer_than));
            if !new {
                return None;
            }
            let keys = content_keys(msg);
            windows.forget_old_contents(msg.at_ms - millis(rule.window));
            let mut complete = None;
            for (key, link) in keys {
                let authors = windows.contents.entry(key).or_default();
                authors.record(msg.at_ms, msg.author, rule.members as usize);
                let full = authors.recent.len() >= rule.members as usize
                    && authors
                        .recent
                        .front()
                        .is_some_and(|(oldest, _)| msg.at_ms - oldest <= millis(rule.window));
                if full && complete.is_none() {
                    complete = Some((key, link));
                }
            }
            let (key, link) = complete?;
            let authors = windows.contents.remove(&key)?;
            Some(Detection {
                signal: RaidSignal::RepeatedContent {
                    members: rule.members,
                    window: rule.window,
                    link,
                },
                members: authors.recent.into_iter().map(|(_, a)| a).collect(),
            })
        });
        if repeated.is_some() {
            return repeated;
        }
        let storm = settings.mentions.as_ref()?;
        if msg.mentions == 0 {
            return None;
        }
        let mentions = &mut windows.mentions;
        mentions.push_back((msg.at_ms, msg.author, msg.mentions));
        let since = msg.at_ms - millis(storm.window);
        while mentions
            .front()
            .is_some_and(|(at, _, _)| *at < since || mentions.len() > MAX_RAID_COUNT as usize)
        {
            mentions.pop_front();
        }
        let total: u32 = mentions.iter().map(|(_, _, n)| n).sum();
        let mut members: Vec<UserId> = mentions.iter().map(|(_, a, _)| *a).collect();
        members.sort_unstable();
        members.dedup();
        if total < storm.count || (members.len() as u32) < storm.members {
            return None;
        }
        mentions.clear();
        Some(Detection {
            signal: RaidSignal::MentionStorm {
                mentions: total,
                members: members.len() as u32,
                window: storm.window,
            },
            members,
        })
    }

    /// Servers with something in their windows.
    pub fn guilds(&self) -> usize {
        self.guilds.len()
    }

    /// Everything followed for one server, in events (for memory bounds in tests and benches).
    pub fn events(&self, guild: GuildId) -> usize {
        self.guilds.get(&guild).map_or(0, |w| {
            w.joins.len()
                + w.mentions.len()
                + w.contents.values().map(|a| a.recent.len()).sum::<usize>()
        })
    }
}

impl GuildWindows {
    /// Keeps the number of followed texts bounded: past [`MAX_TRACKED_CONTENTS`], those with no
    /// author since `since` go; if that is not enough, all go.
    fn forget_old_contents(&mut self, since: i64) {
        if self.contents.len() < MAX_TRACKED_CONTENTS {
            return;
        }
        self.contents
            .retain(|_, a| a.recent.back().is_some_and(|(at, _)| *at >= since));
        if self.contents.len() >= MAX_TRACKED_CONTENTS {
            self.contents.clear();
        }
    }
}

impl Authors {
    /// Records that `author` posted it at `at_ms`, keeping the latest `keep` distinct authors.
    fn record(&mut self, at_ms: i64, author: UserId, keep: usize) {
        self.recent.retain(|(_, a)| *a != author);
        self.recent.push_back((at_ms, author));
        while self.recent.len() > keep {
            self.recent.pop_front();
        }
    }
}

static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bhttps?://[^\s<>]+").expect("link pattern"));

/// Letters a text needs to count as repeated content: "hi" or "thanks" from several newcomers
/// is a welcome, not a raid.
pub const MIN_REPEATED_LETTERS: usize = 12;

/// The keys a message counts under: each link it carries, then its text (its letters,
/// lowercased, so that case, spacing, punctuation and appended numbers do not make two copies
/// differ).
fn content_keys(msg: &RaidMessage<'_>) -> Vec<(u64, Option<String>)> {
    let mut keys = Vec::new();
    for link in LINK.find_iter(msg.content) {
        let link = link.as_str().trim_end_matches(['.', ',', ')', '!', '?']);
        let mut h = std::collections::hash_map::DefaultHasher::new();
        ("link", link.to_lowercase()).hash(&mut h);
        keys.push((h.finish() | 1, Some(link.to_string())));
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let mut letters = 0;
    for c in msg.content.chars().filter(|c| c.is_alphabetic()) {
        c.to_lowercase().for_each(|l| l.hash(&mut h));
        letters += 1;
    }
    if letters >= MIN_REPEATED_LETTERS {
        keys.push((h.finish() & !1, None));
    }
    keys
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
#[path = "raid_tests.rs"]
mod tests;
