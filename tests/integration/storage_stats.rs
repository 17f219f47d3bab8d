//! Statistics over a fixture database with known answers, on SQLite always and on PostgreSQL
//! when `TEST_POSTGRES_URL` is set: ISO week 13 of 2026 in Europe/Paris, the week summer time
//! starts (167 hours, Monday 00:00 is 23:00 UTC the day before, Sunday 23:30 is 21:30 UTC).
//! Messages on either side of each local boundary land in the right week, day and local hour;
//! an opted-out member is counted and not named; retention, newcomers' first messages and their
//! answers, who answers others, moderation, polls, giveaways and referrals come out as recorded; folding old activity keeps every total and names nobody.

use std::collections::HashSet;

use jiff::civil::date;
use jiff::tz::TimeZone;

use crate::support::{on_postgres, on_sqlite};
use steward::cases::{CaseKind, NewCase};
use steward::charter::report::ReportSettings;
use steward::community::giveaway::commitment;
use steward::community::giveaway_checks::Requirements;
use steward::community::poll::{Ballot, PollSpec};
use steward::community::referrals::{Attribution, Confidence};
use steward::community::welcome::NewJoin;
use steward::first_messages::FirstMessages;
use steward::ids::{ChannelId, GuildId, MessageId, UserId};
use steward::review::{Decision, NewReviewItem};
use steward::stats::Period;
use steward::store::{ActivityDelta, MemberDelta, NewGiveaway, NewPoll, Store, hour_of};

const GUILD: GuildId = GuildId(42);
const GENERAL: ChannelId = ChannelId(1);
const HELP: ChannelId = ChannelId(2);
const ALICE: UserId = UserId(101);
const BOB: UserId = UserId(102);
const CHLOE: UserId = UserId(103);
const DAVID: UserId = UserId(104);
const EMMA: UserId = UserId(105);
const FANNY: UserId = UserId(106);
const MOD: UserId = UserId(900);

fn utc(y: i16, m: i8, d: i8, h: i8, min: i8) -> i64 {
    date(y, m, d)
        .at(h, min, 0, 0)
        .to_zoned_datetime(TimeZone::UTC)
        .unwrap()
        .timestamp()
        .as_millisecond()
}

fn messages(channel: ChannelId, user: UserId, at_ms: i64, n: u32) -> ActivityDelta {
    answers(channel, user, at_ms, n, 0)
}

fn answers(channel: ChannelId, user: UserId, at_ms: i64, n: u32, replies: u32) -> ActivityDelta {
    ActivityDelta {
        guild: GUILD,
        channel,
        user,
        hour: hour_of(at_ms),
        messages: n,
        replies,
    }
}

async fn join(store: &Store, user: UserId, at_ms: i64, inviter: Option<UserId>) {
    let attribution = Attribution {
        confidence: if inviter.is_some() {
            Confidence::Exact
        } else {
            Confidence::Unknown
        },
        code: inviter.map(|_| "abc".to_string()),
        inviter,
        candidates: Vec::new(),
    };
    store
        .record_join(&NewJoin {
            guild: GUILD,
            user,
            joined_at_ms: at_ms,
            attribution,
            rejoin: false,
            referral_pending: inviter.is_some(),
            awaiting_screening: false,
        })
        .await
        .unwrap();
}

fn case(user: UserId, kind: CaseKind, rule: Option<&str>, at_ms: i64) -> NewCase {
    NewCase {
        guild: GUILD,
        user,
        moderator: None,
        kind,
        rule: rule.map(str::to_string),
        section: None,
        reason: "r".into(),
        content: None,
        channel: None,
        message: None,
        duration_secs: None,
        points: 0,
        created_at_ms: at_ms,
    }
}

pub async fn fixture(store: &Store) {
    store
        .add_activity(&[
            // Sunday 22 March 23:30 in Paris (UTC+1): week 12.
            messages(GENERAL, ALICE, utc(2026, 3, 22, 22, 30), 3),
            // Monday 23 March 00:10 in Paris: week 13, Monday, hour 0; one answers someone.
            answers(GENERAL, ALICE, utc(2026, 3, 22, 23, 10), 2, 1),
            // Wednesday 25 March 13:00 in Paris: Chloé, who opted out.
            answers(GENERAL, CHLOE, utc(2026, 3, 25, 12, 0), 10, 4),
            // Thursday 26 March: David, a newcomer of week 12.
            messages(HELP, DAVID, utc(2026, 3, 26, 9, 0), 1),
            // Sunday 29 March 23:30 in Paris, now UTC+2: still week 13, Sunday, hour 23.
            answers(HELP, BOB, utc(2026, 3, 29, 21, 30), 5, 3),
            // Monday 30 March 00:10 in Paris: week 14.
            messages(HELP, BOB, utc(2026, 3, 29, 22, 10), 7),
        ])
        .await
        .unwrap();
    store
        .add_member_events(&[
            MemberDelta {
                guild: GUILD,
                hour: hour_of(utc(2026, 3, 18, 10, 0)),
                joins: 2,
                leaves: 0,
            },
            MemberDelta {
                guild: GUILD,
                hour: hour_of(utc(2026, 3, 24, 10, 0)),
                joins: 3,
                leaves: 1,
            },
        ])
        .await
        .unwrap();
    // Week 12's newcomers: David (who posts in week 13) and Emma (who does not).
    join(store, DAVID, utc(2026, 3, 18, 10, 5), Some(ALICE)).await;
    join(store, EMMA, utc(2026, 3, 18, 10, 6), None).await;
    // Fanny joins in week 13; her first message is answered after the hour, David's within it.
    join(store, FANNY, utc(2026, 3, 24, 11, 0), None).await;
    let mut firsts = FirstMessages::default();
    firsts.message(
        GUILD,
        DAVID,
        Some(utc(2026, 3, 18, 10, 5)),
        utc(2026, 3, 24, 9, 0),
    );
    firsts.message(
        GUILD,
        FANNY,
        Some(utc(2026, 3, 24, 11, 0)),
        utc(2026, 3, 24, 12, 0),
    );
    firsts.reply(GUILD, ALICE, DAVID, utc(2026, 3, 24, 9, 30));
    firsts.reply(GUILD, ALICE, FANNY, utc(2026, 3, 24, 13, 30));
    let batch = firsts.take(utc(2026, 3, 24, 14, 0));
    assert_eq!((batch.first_messages.len(), batch.answers.len()), (2, 1));
    store.record_first_messages(&batch).await.unwrap();
    // Written again (a batch put back after a failure): nothing changes.
    store.record_first_messages(&batch).await.unwrap();
    // Alice's referral of David qualifies in week 13.
    let (id, _) = store
        .pending_referral(GUILD, DAVID, utc(2026, 3, 18, 10, 5))
        .await
        .unwrap()
        .unwrap();
    assert!(
        store
            .settle_referral(id, None, utc(2026, 3, 25, 10, 0))
            .await
            .unwrap()
    );
    for c in [
        case(
            BOB,
            CaseKind::Delete,
            Some("insults"),
            utc(2026, 3, 24, 8, 0),
        ),
        case(BOB, CaseKind::Warn, Some("insults"), utc(2026, 3, 24, 8, 1)),
        case(
            EMMA,
            CaseKind::Delete,
            Some("scam-links"),
            utc(2026, 3, 27, 8, 0),
        ),
        // Week 14: not counted.
        case(
            EMMA,
            CaseKind::Ban,
            Some("scam-links"),
            utc(2026, 3, 29, 22, 30),
        ),
    ] {
        store.create_case(c).await.unwrap();
    }
    // Two flagged items, decided 10 and 30 minutes later: one approved (a false positive).
    for (message, opened, minutes, decision) in [
        (1, utc(2026, 3, 24, 9, 0), 10, Decision::Approve),
        (2, utc(2026, 3, 25, 9, 0), 30, Decision::Remove),
    ] {
        let (item, _) = store
            .open_review_item(&NewReviewItem {
                guild: GUILD,
                channel: GENERAL,
                message: MessageId(message),
                author: BOB,
                author_name: "bob".into(),
                author_avatar: None,
                content: "…".into(),
                attachments: Vec::new(),
                rules: vec!["insults".into()],
                matched: String::new(),
                held: Some(false),
                created_at_ms: opened,
            })
            .await
            .unwrap();
        store
            .decide_review(GUILD, item.id, decision, MOD, opened + minutes * 60_000)
            .await
            .unwrap();
    }
    // A poll of week 13 with three voters (one of them in week 14, still counted: it is the
    // poll's week), one of week 12 with one voter; a giveaway of week 13 with two entries.
    for (opened, voters) in [
        (utc(2026, 3, 25, 8, 0), &[ALICE, BOB, DAVID][..]),
        (utc(2026, 3, 20, 8, 0), &[ALICE][..]),
    ] {
        let spec = PollSpec {
            question: "Quel jour ?".into(),
            options: vec!["Lundi".into(), "Mardi".into()],
            duration: std::time::Duration::from_secs(7 * 86_400),
            multiple: false,
            anonymous: false,
            live: true,
            role: None,
            native: false,
        };
        let poll = store
            .create_poll(&NewPoll {
                guild: GUILD,
                channel: GENERAL,
                author: MOD,
                spec: &spec,
                created_at_ms: opened,
            })
            .await
            .unwrap();
        for (i, voter) in voters.iter().enumerate() {
            let ballot = Ballot {
                choices: vec![i % 2],
            };
            store
                .vote(&poll, *voter, &ballot, opened + 60_000)
                .await
                .unwrap();
        }
    }
    let seed = [7_u8; 32];
    let giveaway = store
        .create_giveaway(&NewGiveaway {
            guild: GUILD,
            channel: GENERAL,
            host: MOD,
            prize: "Un t-shirt".into(),
            winners: 1,
            requirements: Requirements::default(),
            seed,
            commitment: commitment(&seed),
            created_at_ms: utc(2026, 3, 26, 8, 0),
            ends_at_ms: utc(2026, 3, 28, 8, 0),
            claim_secs: None,
        })
        .await
        .unwrap();
    for user in [ALICE, BOB] {
        store
            .enter_giveaway(giveaway.id, user, utc(2026, 3, 26, 9, 0))
            .await
            .unwrap();
    }
    assert!(store.opt_out_of_rankings(GUILD, CHLOE, 0).await.unwrap());
    assert!(!store.opt_out_of_rankings(GUILD, CHLOE, 1).await.unwrap());
}

fn paris_settings() -> ReportSettings {
    ReportSettings {
        timezone: "Europe/Paris".into(),
        ..ReportSettings::default()
    }
}

async fn stats_story(store: Store) {
    fixture(&store).await;
    let paris = TimeZone::get("Europe/Paris").unwrap();
    let week = Period::parse("2026-W13").unwrap();
    let span = week.span(&paris);
    assert_eq!(span.start_ms, utc(2026, 3, 22, 23, 0));
    assert_eq!(span.end_ms, utc(2026, 3, 29, 22, 0));
    let facts = store.report_facts(GUILD, week, &paris).await.unwrap();
    assert_eq!(facts.opted_out, HashSet::from([CHLOE]));
    let report = facts.report(week, &paris_settings());
    let value = |name: &str| report.figure(name).unwrap().value;
    let before = |name: &str| report.figure(name).unwrap().previous;
    assert_eq!(value("messages"), Some(18.0));
    assert_eq!(before("messages"), Some(3.0));
    assert_eq!(
        report.figure("messages").unwrap().change_percent(),
        Some(500.0)
    );
    assert_eq!(value("active_members"), Some(4.0));
    assert_eq!(
        (value("joins"), value("departures"), value("net_growth")),
        (Some(3.0), Some(1.0), Some(2.0))
    );
    assert_eq!(before("joins"), Some(2.0));
    assert_eq!(value("retention"), Some(50.0));
    assert_eq!(value("first_messages"), Some(2.0));
    assert_eq!(value("first_messages_answered"), Some(50.0));
    // Chloé answers most, and is named nowhere.
    assert_eq!(report.top_answerers, [(BOB, 3), (ALICE, 1)]);
    assert_eq!(value("cases"), Some(3.0));
    assert_eq!(value("review_items"), Some(2.0));
    assert_eq!(value("median_decision"), Some(20.0));
    assert_eq!(value("false_positives"), Some(50.0));
    assert_eq!(value("qualified_referrals"), Some(1.0));
    assert_eq!(
        (value("poll_votes"), before("poll_votes")),
        (Some(3.0), Some(1.0))
    );
    assert_eq!(value("giveaway_entries"), Some(2.0));
    assert_eq!(
        (report.engagement.polls, report.engagement.giveaways),
        (1, 1)
    );
    // Fanny came through no known invite; David and Emma joined the week before.
    assert_eq!(
        report.referrals.joins_by_source,
        [("unknown".to_string(), 1)]
    );
    // Seven local days, the messages on the right ones.
    let per_day: Vec<u64> = report.days.iter().map(|d| d.messages).collect();
    assert_eq!(per_day, [2, 0, 10, 1, 0, 0, 5]);
    let active: Vec<u64> = report.days.iter().map(|d| d.active).collect();
    assert_eq!(active, [1, 0, 1, 1, 0, 0, 1]);
    assert_eq!(report.days[1].joins, 3);
    // Local hours: Monday 0 h, Wednesday 13 h, Thursday 10 h, Sunday 23 h.
    assert_eq!(report.heat[0][0], 2);
    assert_eq!(report.heat[2][13], 10);
    assert_eq!(report.heat[3][10], 1);
    assert_eq!(report.heat[6][23], 5);
    assert_eq!(report.heat.iter().flatten().sum::<u64>(), 18);
    // Chloé is the top poster and named nowhere.
    assert_eq!(report.top_contributors, [(BOB, 5), (ALICE, 2), (DAVID, 1)]);
    assert_eq!(report.top_channels, [(GENERAL, 12), (HELP, 6)]);
    assert_eq!(
        report.cases_by_rule,
        [("insults".to_string(), 2), ("scam-links".to_string(), 1)]
    );
    assert_eq!(report.referrals.referrers, [(ALICE, 1)]);
    assert_eq!(report.rule_precision[0].false_positive_percent(), 50.0);
    // A member's own view: Bob posted 5, and Chloé more.
    assert_eq!(
        store
            .member_activity(GUILD, BOB, span.hours())
            .await
            .unwrap(),
        (5, 1)
    );

    // Folding everything before week 14 keeps each channel's totals and names nobody.
    let folded = store
        .fold_old_activity(GUILD, utc(2026, 3, 29, 22, 0))
        .await
        .unwrap();
    assert_eq!(folded, 5);
    let after = store.report_facts(GUILD, week, &paris).await.unwrap();
    let report = after.report(week, &paris_settings());
    assert_eq!(report.figure("messages").unwrap().value, Some(18.0));
    assert_eq!(report.top_channels, [(GENERAL, 12), (HELP, 6)]);
    assert!(report.top_contributors.is_empty());
    assert_eq!(report.figure("active_members").unwrap().value, Some(0.0));
    // Week 14 is untouched.
    let next = store
        .report_facts(GUILD, week.next(), &paris)
        .await
        .unwrap();
    assert_eq!(next.current.contributors, [(BOB, 7)]);
    // A second fold finds nothing more.
    assert_eq!(
        store
            .fold_old_activity(GUILD, utc(2026, 3, 29, 22, 0))
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn statistics_on_sqlite() {
    on_sqlite(stats_story).await;
}

#[tokio::test]
async fn statistics_on_postgres() {
    on_postgres(stats_story).await;
}
