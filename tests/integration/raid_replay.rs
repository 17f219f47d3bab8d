//! Raid mode end to end on real chat: the busiest hour of the Ubuntu IRC corpus (found as in
//! `raid_corpus`; about 960 messages from 95 authors, at most the first 3000 replayed) goes through
//! the real Steward with the shipped charter's `[raid]` section, and raid mode never starts: no
//! alert in the mod log, no slow mode, no verification level raised, no invites paused. Once with
//! the authors as regulars who joined 90 days ago, once, more strictly, with every author a
//! newcomer who joins right before their first message of the hour. Accounts are two years old.
//! Messages keep their real spacing: the hour is placed two hours ago and each MESSAGE_CREATE
//! carries its corpus time (minute resolution, the messages of one minute spread evenly over it),
//! so the detector sees the hour as it was, not a replay squeezed into seconds. An IRC "nick:"
//! address becomes a mention of that author. Reads `../shared/data/chat/ubuntu-irc.jsonl` and
//! skips, saying so, when it is missing.

use std::collections::HashMap;
use std::io::BufRead;
use std::time::{Duration, Instant};

use serde_json::json;
use serenity::all::Permissions;

use crate::fake_discord::fixtures::{self, snowflake_at, timestamp_at};
use crate::fake_discord::world::default_bot_permissions;
use crate::fake_discord::{MemberSpec, Recorded, UserSpec, World, ids};
use crate::raid_corpus::busiest_hour;
use crate::steward_support::{RULES, Setup, deletes, mod_log_post};
use crate::support::{root, shared_data};
use steward::ids::GuildId;

const DAY_MS: u64 = 86_400_000;
const HOUR_MS: u64 = 3_600_000;
/// At most this many messages of the hour are replayed.
const MAX_MESSAGES: usize = 3000;
/// Long enough for the whole hour to go through the bot.
const BARRIER: Duration = Duration::from_secs(120);

/// One message of the hour: author, text, mentions of other authors, time since the hour began.
struct Line {
    author: String,
    text: String,
    mentions: u32,
    offset_ms: u64,
}

/// The busiest hour, each message with its offset in the hour: the corpus's own times are found
/// by locating the hour's rows in the file (they are consecutive there).
fn hour() -> Option<Vec<Line>> {
    let mut rows = busiest_hour()?;
    rows.truncate(MAX_MESSAGES);
    let file = std::fs::File::open(shared_data("chat/ubuntu-irc.jsonl")?).ok()?;
    let all: Vec<[String; 3]> = std::io::BufReader::new(file)
        .lines()
        .map_while(Result::ok)
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(&line).ok())
        .map(|v| {
            ["author", "content", "timestamp"].map(|k| v[k].as_str().unwrap_or_default().into())
        })
        .collect();
    let start = (0..=all.len().checked_sub(rows.len())?).find(|&i| {
        rows.iter()
            .zip(&all[i..])
            .all(|((author, text, _), line)| *author == line[0] && *text == line[1])
    })?;
    // "2008-04-27T06:07:00Z": the minute is at 14..16.
    let minutes: Vec<u64> = all[start..start + rows.len()]
        .iter()
        .map(|line| {
            line[2]
                .get(14..16)
                .and_then(|m| m.parse().ok())
                .unwrap_or(0)
        })
        .collect();
    let mut per_minute: HashMap<u64, u64> = HashMap::new();
    for minute in &minutes {
        *per_minute.entry(*minute).or_default() += 1;
    }
    let mut seen: HashMap<u64, u64> = HashMap::new();
    let lines = rows
        .into_iter()
        .zip(minutes)
        .map(|((author, text, mentions), minute)| {
            let nth = seen.entry(minute).or_default();
            let offset_ms = minute * 60_000 + *nth * 60_000 / per_minute[&minute];
            *nth += 1;
            Line {
                author,
                text,
                mentions,
                offset_ms,
            }
        })
        .collect();
    Some(lines)
}

/// Anything raid mode does: its alert, the verification level, paused invites, slow mode.
fn raid_change(r: &Recorded) -> bool {
    let guild = format!("/guilds/{}", ids::GUILD);
    let alert = mod_log_post(r)
        && ["🚨 Raid mode on", "🚨 Mode raid activé"]
            .iter()
            .any(|title| r.body["embeds"][0]["title"] == *title);
    alert
        || r.is("PATCH", &guild)
        || r.is("PUT", &format!("{guild}/incident-actions"))
        || (r.is("PATCH", "/channels/{c}") && r.body.get("rate_limit_per_user").is_some())
}

/// Replays the hour through a fresh Steward; `newcomers`: each author joins at their first
/// message instead of being a member for 90 days.
async fn replay(lines: &[Line], newcomers: bool) {
    let began = Instant::now();
    let start_ms = fixtures::now_ms() - 2 * HOUR_MS;
    let created_ms = start_ms - 730 * DAY_MS;
    let mut members: HashMap<&str, MemberSpec> = HashMap::new();
    let mut authors: Vec<&str> = Vec::new();
    for line in lines {
        if members.contains_key(line.author.as_str()) {
            continue;
        }
        let joined_ms = if newcomers {
            start_ms + line.offset_ms
        } else {
            start_ms - 90 * DAY_MS
        };
        let id = snowflake_at(created_ms, 1000 + authors.len() as u64);
        let user = UserSpec::new(id, &line.author);
        members.insert(
            &line.author,
            MemberSpec::new(user, Vec::new(), &timestamp_at(joined_ms)),
        );
        authors.push(&line.author);
    }
    let mut world = World::default_guild().with_bot_permissions(
        default_bot_permissions() | Permissions::MANAGE_CHANNELS | Permissions::MANAGE_GUILD,
    );
    if !newcomers {
        let regulars = authors.iter().map(|a| members[a].clone());
        world.guild_mut().members.extend(regulars);
    }
    let charter = std::fs::read_to_string(root().join("rules/charter.toml")).unwrap();
    let bot = Setup::new(world.clone())
        .charter(charter, RULES)
        .settings(|s| s.language = "en".to_string())
        .start()
        .await;

    let (mut sent, mut mentioned) = (0, 0);
    for line in lines {
        let member = &members[line.author.as_str()];
        if newcomers && world.guild().member_by_id(member.user.id).is_none() {
            let join = fixtures::member_add(&world, member);
            bot.fake.dispatch("GUILD_MEMBER_ADD", join).await;
            world.guild_mut().members.push(member.clone());
        }
        let mut text = line.text.clone();
        if line.mentions > 0 {
            // The addressed author ("nick: ..."), as raid_corpus counts it, becomes a mention.
            let lowered = text.to_lowercase();
            let addressed = authors
                .iter()
                .find(|a| a.len() > 2 && lowered.starts_with(&format!("{}:", a.to_lowercase())));
            if let Some(addressed) = addressed
                && let Some(rest) = text.get(addressed.len()..)
            {
                text = format!("<@{}>{rest}", members[addressed].user.id);
                mentioned += 1;
            }
        }
        let mut message = fixtures::message_create_by(world.guild(), member, ids::GENERAL, &text);
        message["timestamp"] = json!(timestamp_at(start_ms + line.offset_ms));
        bot.fake.dispatch("MESSAGE_CREATE", message).await;
        sent += 1;
    }
    // The barrier: alice's insult, sent last, is deleted once the bot got that far; any raid
    // change an earlier message set off would follow within moments.
    let last = bot.say("alice", "espèce de connard").await;
    bot.fake.wait_for(deletes(&last), BARRIER).await;
    // (Not `assert_no_request`: it deadlocks on the log's lock when it finds a match.)
    tokio::time::sleep(Duration::from_secs(2)).await;
    let changes: Vec<String> = bot
        .fake
        .requests()
        .iter()
        .filter(|r| raid_change(r))
        .map(|r| r.to_string())
        .collect();
    assert!(
        changes.is_empty(),
        "raid mode started:\n{}",
        changes.join("\n")
    );

    let (store, fake, _dir) = bot.stop().await;
    let guild = GuildId(ids::GUILD);
    assert_eq!(sent, lines.len(), "every message was dispatched");
    let counted = store.messages_in(guild, 0, i64::MAX / 2).await.unwrap();
    assert_eq!(
        counted,
        sent as u64 + 1,
        "Steward saw every message and alice's"
    );
    if newcomers {
        let (joins, _) = store
            .member_events_in(guild, 0, i64::MAX / 2)
            .await
            .unwrap();
        assert_eq!(joins, authors.len() as u64, "every author joined");
    }
    assert!(store.raid(guild).await.unwrap().is_none());
    fake.assert_no_unknown_requests();
    eprintln!(
        "raid_replay: {sent} messages ({mentioned} with a mention) from {} authors over {} min, \
         newcomers: {newcomers}, in {:?}",
        authors.len(),
        lines.last().map_or(0, |l| l.offset_ms / 60_000 + 1),
        began.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_busy_hour_of_regulars_never_starts_raid_mode() {
    let Some(lines) = hour() else {
        return;
    };
    replay(&lines, false).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_busy_hour_of_newcomers_joining_as_they_speak_never_starts_raid_mode() {
    let Some(lines) = hour() else {
        return;
    };
    replay(&lines, true).await;
}
