//! The raid detector and the `[raid]` section, from inline TOML: each signal fires at its
//! threshold and not below, windows slide, memory stays bounded, and bad values are located.

use super::*;
use crate::charter::Charter;
use crate::charter::raid::RaidStep;
use crate::ids::DISCORD_EPOCH_MS;

const HEADER: &str = r#"
title = "Charter"
languages = ["en"]

[[section]]
number = 1
title = "Respect"
text = "Be kind."
"#;

const RAID: &str = r#"
[raid]
joins = { count = 10, window = "30s", young_accounts = "7d", young_share = 0.5 }
repeated = { members = 5, window = "60s", newer_than = "1d" }
mentions = { count = 30, members = 3, window = "30s" }
steps = ["slowmode 30s", "verification high", "pause_invites 2h", "hold_newer_than 10m", "timeout_matching 1h"]
quiet = "15m"
"#;

fn parse(raid: &str) -> Result<Charter, Vec<String>> {
    let text = format!("{HEADER}\n{raid}");
    Charter::parse(&[("charter.toml", text.as_str())])
        .map_err(|e| e.0.iter().map(ToString::to_string).collect())
}

fn settings() -> RaidSettings {
    parse(RAID).expect("valid").raid.expect("raid section")
}

const NOW: i64 = 1_800_000_000_000;
const DAY: i64 = 86_400_000;
const GUILD: GuildId = GuildId(1);

/// A member whose account was created `age_ms` before [`NOW`].
fn account(n: u64, age_ms: i64) -> UserId {
    let created = (NOW - age_ms) as u64 - DISCORD_EPOCH_MS;
    UserId((created << 22) + n)
}

fn join(member: UserId, at_ms: i64) -> RaidJoin {
    RaidJoin {
        guild: GUILD,
        member,
        at_ms,
    }
}

fn message(author: u64, at_ms: i64, content: &str) -> RaidMessage<'_> {
    RaidMessage {
        guild: GUILD,
        author: UserId(author),
        at_ms,
        member_since_ms: Some(at_ms - 60_000),
        content,
        mentions: 0,
    }
}

#[test]
fn the_raid_section_compiles_with_its_steps() {
    let s = settings();
    assert_eq!(s.joins.as_ref().map(|j| j.count), Some(10));
    assert_eq!(s.steps.len(), 5);
    assert_eq!(s.steps[1], RaidStep::Verification(3));
    assert_eq!(s.quiet, Duration::from_secs(900));
    assert!(parse("").expect("valid").raid.is_none());
}

#[test]
fn bad_raid_values_are_each_located() {
    let errors = parse(
        r#"
[raid]
joins = { count = 0, window = "2h", young_share = 1.5 }
mentions = { count = 30, members = 3, window = "soon" }
steps = ["slowmode 30s", "slowmode 1m", "verification extreme", "pause_invites 3d", "dance"]
quiet = "5s"
"#,
    )
    .expect_err("invalid");
    let all = errors.join("\n");
    for expected in [
        "charter.toml:12:19: [raid]: 0 must be between 2 and 1000",
        "charter.toml:12:31: [raid]: \"2h\" must be between 1s and 3600s",
        "young_share needs young_accounts",
        "charter.toml:13:48: [raid]: invalid duration \"soon\"",
        "this step is listed twice",
        "the verification level is low, medium, high or highest",
        "\"pause_invites 3d\": the duration must be between 1s and 86400s",
        "\"dance\" is not a raid step",
        "charter.toml:15:9: [raid]: \"5s\" must be between 60s and 86400s",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
    }
    assert_eq!(errors.len(), 9, "{all}");
}

#[test]
fn ten_young_accounts_joining_within_the_window_are_a_wave() {
    let s = settings();
    let mut d = RaidDetector::new();
    for n in 0..9 {
        assert_eq!(
            d.join(&s, join(account(n, DAY), NOW + n as i64 * 1000)),
            None
        );
    }
    let wave = d.join(&s, join(account(9, DAY), NOW + 9000)).expect("wave");
    assert_eq!(
        wave.signal,
        RaidSignal::JoinWave {
            joins: 10,
            young: 10,
            window: Duration::from_secs(30)
        }
    );
    assert_eq!(wave.members.len(), 10);
    // The wave is reported once, not again at the eleventh join.
    assert_eq!(d.join(&s, join(account(10, DAY), NOW + 9500)), None);
}

#[test]
fn joins_spread_wider_than_the_window_are_not_a_wave() {
    let s = settings();
    let mut d = RaidDetector::new();
    for n in 0..50 {
        assert_eq!(
            d.join(&s, join(account(n, DAY), NOW + n as i64 * 4000)),
            None
        );
    }
}

#[test]
fn a_wave_of_old_accounts_is_not_a_raid_when_young_ones_are_required() {
    let s = settings();
    let mut d = RaidDetector::new();
    for n in 0..10 {
        let age = if n < 6 { 400 * DAY } else { DAY };
        assert_eq!(
            d.join(&s, join(account(n, age), NOW + n as i64 * 100)),
            None
        );
    }
    // Four young out of ten were not enough; five out of the last ten reach the share (0.5).
    let wave = d.join(&s, join(account(10, DAY), NOW + 1100));
    assert!(matches!(
        wave.map(|w| w.signal),
        Some(RaidSignal::JoinWave { young: 5, .. })
    ));
}

#[test]
fn five_new_members_posting_the_same_text_are_a_raid_whatever_its_case_and_numbers() {
    let s = settings();
    let mut d = RaidDetector::new();
    let texts = [
        "FREE NITRO for everyone here",
        "free nitro for everyone here!!",
        "Free Nitro for everyone here 123",
        "free  nitro  for  everyone  here",
    ];
    for (n, text) in texts.iter().enumerate() {
        assert_eq!(
            d.message(&s, &message(n as u64, NOW + n as i64, text)),
            None
        );
    }
    let raid = d
        .message(&s, &message(9, NOW + 10, "free nitro for everyone HERE"))
        .expect("repeated");
    assert_eq!(raid.members.len(), 5);
    assert!(matches!(
        raid.signal,
        RaidSignal::RepeatedContent {
            members: 5,
            link: None,
            ..
        }
    ));
}

#[test]
fn the_same_link_in_different_words_is_repeated_content() {
    let s = settings();
    let mut d = RaidDetector::new();
    let mut last = None;
    for n in 0..5 {
        let text = format!("look {n}: https://scam.example/gift.");
        last = d.message(&s, &message(n, NOW + n as i64, &text));
    }
    let raid = last.expect("the fifth completes it");
    assert!(matches!(
        raid.signal,
        RaidSignal::RepeatedContent { link: Some(ref l), .. } if l == "https://scam.example/gift"
    ));
}

#[test]
fn a_few_newcomers_saying_hello_is_a_welcome_not_a_raid() {
    let s = settings();
    let mut d = RaidDetector::new();
    for n in 0..20 {
        assert_eq!(d.message(&s, &message(n, NOW + n as i64, "hello!")), None);
    }
}

#[test]
fn one_member_repeating_themselves_or_old_members_agreeing_is_not_a_raid() {
    let s = settings();
    let mut d = RaidDetector::new();
    for n in 0..10 {
        let msg = message(1, NOW + n, "this is the same long sentence");
        assert_eq!(d.message(&s, &msg), None);
    }
    for n in 0..10 {
        let mut msg = message(100 + n, NOW + n as i64, "this is the same long sentence");
        msg.member_since_ms = Some(NOW - 30 * DAY);
        assert_eq!(d.message(&s, &msg), None);
    }
}

#[test]
fn mentions_from_several_members_within_the_window_are_a_storm() {
    let s = settings();
    let mut d = RaidDetector::new();
    let with = |author: u64, at: i64, mentions: u32| RaidMessage {
        mentions,
        ..message(author, at, "hey")
    };
    // One member alone, however many mentions, is the mention-spam rule's business.
    assert_eq!(d.message(&s, &with(1, NOW, 40)), None);
    assert_eq!(d.message(&s, &with(2, NOW + 31_000, 10)), None);
    assert_eq!(d.message(&s, &with(3, NOW + 32_000, 10)), None);
    let storm = d.message(&s, &with(4, NOW + 33_000, 10)).expect("storm");
    assert_eq!(
        storm.signal,
        RaidSignal::MentionStorm {
            mentions: 30,
            members: 3,
            window: Duration::from_secs(30)
        }
    );
}

#[test]
fn memory_stays_bounded_under_a_flood_of_distinct_messages_and_joins() {
    let s = settings();
    let mut d = RaidDetector::new();
    for n in 0..100_000u64 {
        let text = format!("a distinct message number {}", n.wrapping_mul(0x9E37_79B9));
        let text: String = text
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from(b'a' + d as u8),
                None => c,
            })
            .collect();
        let at = NOW + n as i64;
        d.message(&s, &message(n, at, &text));
        d.join(&s, join(account(n, 400 * DAY), at));
    }
    let bound = 10 + MAX_TRACKED_CONTENTS * 5 + MAX_RAID_COUNT as usize;
    assert!(d.events(GUILD) <= bound, "{} events", d.events(GUILD));
    assert_eq!(d.guilds(), 1);
}

#[test]
fn servers_are_watched_apart() {
    let s = settings();
    let mut d = RaidDetector::new();
    for n in 0..9 {
        d.join(&s, join(account(n, DAY), NOW + n as i64));
    }
    let other = RaidJoin {
        guild: GuildId(2),
        ..join(account(99, DAY), NOW + 10)
    };
    assert_eq!(d.join(&s, other), None);
}
