//! Raid mode's plan: only stricter settings are changed, each undone to exactly what was there,
//! newcomers' messages held, and only the raid's own members sanctioned.

use super::*;
use crate::charter::raid::{JoinWave, RaidSettings};
use crate::ids::MessageId;

const NOW: i64 = 1_800_000_000_000;
const MIN: i64 = 60_000;

fn steps() -> Vec<RaidStep> {
    vec![
        RaidStep::SlowMode(Duration::from_secs(30)),
        RaidStep::Verification(3),
        RaidStep::PauseInvites(Duration::from_secs(2 * 3600)),
        RaidStep::PauseDms(Duration::from_secs(3600)),
        RaidStep::HoldNewerThan(Duration::from_secs(600)),
        RaidStep::TimeoutMatching(Duration::from_secs(3600)),
    ]
}

fn settings() -> RaidSettings {
    RaidSettings {
        joins: Some(JoinWave {
            count: 10,
            window: Duration::from_secs(30),
            young: None,
        }),
        repeated: None,
        mentions: None,
        steps: steps(),
        quiet: Duration::from_secs(900),
    }
}

fn server() -> ServerState {
    ServerState {
        public_channels: vec![(ChannelId(1), 0), (ChannelId(2), 5), (ChannelId(3), 120)],
        verification: 1,
        invites_paused_until_ms: None,
        dms_paused_until_ms: None,
    }
}

#[test]
fn each_step_becomes_a_change_that_remembers_what_was_there() {
    let changes = changes(&steps(), &server(), NOW);
    assert_eq!(
        changes,
        vec![
            Change {
                before: Setting::SlowMode {
                    channel: ChannelId(1),
                    secs: 0
                },
                during: Setting::SlowMode {
                    channel: ChannelId(1),
                    secs: 30
                },
            },
            Change {
                before: Setting::SlowMode {
                    channel: ChannelId(2),
                    secs: 5
                },
                during: Setting::SlowMode {
                    channel: ChannelId(2),
                    secs: 30
                },
            },
            Change {
                before: Setting::Verification(1),
                during: Setting::Verification(3),
            },
            Change {
                before: Setting::InvitesPausedUntil(None),
                during: Setting::InvitesPausedUntil(Some(NOW + 120 * MIN)),
            },
            Change {
                before: Setting::DmsPausedUntil(None),
                during: Setting::DmsPausedUntil(Some(NOW + 60 * MIN)),
            },
        ],
        "channel 3 is slower than 30 s already and stays as it is"
    );
}

#[test]
fn a_server_already_stricter_is_left_alone() {
    let strict = ServerState {
        public_channels: vec![(ChannelId(1), 60)],
        verification: 4,
        invites_paused_until_ms: Some(NOW + 5 * 3600 * 1000),
        dms_paused_until_ms: Some(NOW + 5 * 3600 * 1000),
    };
    assert_eq!(changes(&steps(), &strict, NOW), vec![]);
}

#[test]
fn ending_puts_back_exactly_what_was_there() {
    for change in changes(&steps(), &server(), NOW) {
        assert_eq!(restoring(&change, NOW + 10 * MIN), change.before);
    }
    // A pause from before that is over by the end is not put back: invites reopen.
    let paused = ServerState {
        invites_paused_until_ms: Some(NOW + 5 * MIN),
        ..server()
    };
    let change = changes(
        &[RaidStep::PauseInvites(Duration::from_secs(3600))],
        &paused,
        NOW,
    )[0];
    assert_eq!(
        change.before,
        Setting::InvitesPausedUntil(Some(NOW + 5 * MIN))
    );
    assert_eq!(
        restoring(&change, NOW + 3 * MIN),
        Setting::InvitesPausedUntil(Some(NOW + 5 * MIN))
    );
    assert_eq!(
        restoring(&change, NOW + 6 * MIN),
        Setting::InvitesPausedUntil(None)
    );
}

fn message(member_since_ms: Option<i64>) -> MessageFacts {
    MessageFacts {
        guild: GuildId(9),
        channel: ChannelId(1),
        message: MessageId(77),
        author: UserId(5),
        author_name: "raider".into(),
        content: "free nitro".into(),
        timestamp_ms: NOW,
        member_since_ms,
        ..MessageFacts::default()
    }
}

#[test]
fn newcomers_messages_are_held_for_review_under_the_raid_rule() {
    let ten_minutes = hold_newer_than(&settings()).expect("hold step");
    assert!(is_held(&message(Some(NOW - 9 * MIN)), ten_minutes));
    assert!(is_held(&message(None), ten_minutes), "unknown join: held");
    assert!(!is_held(&message(Some(NOW - 11 * MIN)), ten_minutes));
    let actions = hold(&message(Some(NOW - MIN)));
    assert_eq!(
        actions[0],
        Action::DeleteMessage {
            channel: ChannelId(1),
            message: MessageId(77)
        }
    );
    let Action::EnqueueReview(item) = &actions[1] else {
        panic!("{actions:?}")
    };
    assert_eq!(item.rules, vec![RAID_RULE.to_string()]);
    assert_eq!(item.held, Some(true));
    assert_eq!(item.author_name, "raider");
}

fn candidate(id: u64, joined_ms_ago: Option<i64>) -> Candidate {
    Candidate {
        user: UserId(id),
        names: vec![],
        joined_at_ms: joined_ms_ago.map(|ago| NOW - ago),
        is_bot: false,
        protected: false,
    }
}

#[test]
fn only_members_who_joined_during_the_raid_are_sanctioned() {
    let raid = RaidContext {
        guild: GuildId(9),
        started_at_ms: NOW,
        lookback: lookback(&settings()),
        reason: "raid".into(),
    };
    assert_eq!(raid.lookback, Duration::from_secs(30));
    let members = vec![
        candidate(1, Some(20_000)),
        candidate(2, Some(40_000)),
        candidate(3, None),
        Candidate {
            is_bot: true,
            ..candidate(4, Some(1_000))
        },
        Candidate {
            protected: true,
            ..candidate(5, Some(1_000))
        },
        candidate(6, Some(-5_000)),
    ];
    let sanction = sanction(&settings()).expect("timeout step");
    let users = eligible(&raid, &members);
    assert_eq!(users, vec![UserId(1), UserId(6)]);
    let actions = sanctions(sanction, &raid, &users, NOW + 10_000);
    assert_eq!(actions.len(), 4);
    let Action::RecordCase(case) = &actions[1] else {
        panic!("{actions:?}")
    };
    assert_eq!(case.kind, crate::cases::CaseKind::Timeout);
    assert_eq!(case.duration_secs, Some(3600));
    assert_eq!(case.rule.as_deref(), Some(RAID_RULE));
    assert_eq!(case.moderator, None);
}

#[test]
fn a_kick_wins_over_a_timeout_and_no_step_means_no_sanction() {
    let mut s = settings();
    s.steps.push(RaidStep::KickMatching);
    assert_eq!(sanction(&s), Some(Sanction::Kick));
    s.steps.clear();
    assert_eq!(sanction(&s), None);
    assert_eq!(hold_newer_than(&s), None);
}

#[test]
fn newcomers_are_recorded_but_not_greeted_during_a_raid() {
    let actions = vec![
        Action::Post {
            channel: ChannelId(1),
            text: "Bienvenue !".into(),
            mention: UserId(5),
        },
        Action::DirectMessage {
            user: UserId(5),
            text: "Bienvenue !".into(),
        },
        Action::GiveRoles {
            user: UserId(5),
            roles: vec!["Membre".into()],
        },
    ];
    assert_eq!(
        quiet_welcome(actions),
        vec![Action::GiveRoles {
            user: UserId(5),
            roles: vec!["Membre".into()],
        },]
    );
}

#[test]
fn raid_mode_ends_a_quiet_period_after_the_last_signal() {
    assert_eq!(ends_at(&settings(), NOW), NOW + 15 * MIN);
}

#[test]
fn invites_and_dms_go_in_one_request_that_keeps_the_other_as_it_is() {
    let state = ServerState {
        dms_paused_until_ms: Some(NOW + MIN),
        ..server()
    };
    let only_invites = [Setting::InvitesPausedUntil(Some(NOW + 60 * MIN))];
    assert_eq!(
        incident_request(&only_invites, &state),
        Some((Some(NOW + 60 * MIN), Some(NOW + MIN)))
    );
    let both = [
        Setting::InvitesPausedUntil(None),
        Setting::DmsPausedUntil(None),
    ];
    assert_eq!(incident_request(&both, &state), Some((None, None)));
    let slow = [Setting::Verification(2)];
    assert_eq!(incident_request(&slow, &state), None);
}
