//! Unit tests of the manual planner: each refusal, and the actions of each accepted request,
//! without Discord.

use std::time::Duration;

use super::*;

const GUILD: GuildId = GuildId(1);
const OWNER: UserId = UserId(10);
const BOT: UserId = UserId(11);
const MODERATOR: UserId = UserId(12);
const MEMBER: UserId = UserId(13);

/// A cached server: the moderator's top role at 5, Steward's at 8, the member's at 1; Steward
/// holds every permission; section 1 is "Respect"; in English.
fn facts() -> ManualFacts {
    ManualFacts {
        owner: Some(OWNER),
        bot: BOT,
        bot_permissions: vec![
            Permission::ManageMessages,
            Permission::ModerateMembers,
            Permission::KickMembers,
            Permission::BanMembers,
            Permission::ManageWebhooks,
        ],
        bot_top_role: 8,
        actor_top_role: 5,
        target_top_role: Some(1),
        guild_name: "Test Guild".into(),
        sections: vec![(1, "Respect".into())],
        lang: Lang::EN,
        now_ms: 1_000_000,
    }
}

fn request(action: ManualAction) -> SanctionRequest {
    SanctionRequest::new(GUILD, MEMBER, MODERATOR, action, "spam")
}

fn refusal(request: &SanctionRequest, facts: &ManualFacts) -> Refusal {
    plan(request, facts).expect_err("refused")
}

fn ban(days: u8, duration: Option<Duration>) -> ManualAction {
    ManualAction::Ban {
        delete_message_days: days,
        duration,
    }
}

#[test]
fn the_member_must_not_be_the_moderator_the_bot_or_the_owner() {
    let mut r = request(ManualAction::Warn);
    r.target = MODERATOR;
    assert_eq!(refusal(&r, &facts()), Refusal::SelfTarget);
    r.target = BOT;
    assert_eq!(refusal(&r, &facts()), Refusal::TargetIsBot);
    r.target = OWNER;
    assert_eq!(refusal(&r, &facts()), Refusal::TargetIsOwner);
}

#[test]
fn a_member_at_or_above_the_moderator_is_refused_unless_the_owner_acts() {
    let mut f = facts();
    f.target_top_role = Some(5);
    let r = request(ManualAction::Timeout(Duration::from_secs(60)));
    assert_eq!(refusal(&r, &f), Refusal::AboveModerator { target: MEMBER });
    let mut by_owner = r.clone();
    by_owner.moderator = OWNER;
    assert!(plan(&by_owner, &f).is_ok());
}

#[test]
fn a_timeout_or_kick_needs_a_member_a_ban_does_not() {
    let mut f = facts();
    f.target_top_role = None;
    for action in [
        ManualAction::Timeout(Duration::from_secs(60)),
        ManualAction::Kick,
    ] {
        assert_eq!(
            refusal(&request(action), &f),
            Refusal::NotAMember { target: MEMBER }
        );
    }
    assert!(plan(&request(ban(0, None)), &f).is_ok());
}

#[test]
fn a_member_at_or_above_the_bot_is_refused() {
    let mut f = facts();
    f.actor_top_role = 9;
    f.target_top_role = Some(8);
    let r = request(ban(0, None));
    assert_eq!(refusal(&r, &f), Refusal::AboveBot { target: MEMBER });
    // A warning needs no power of Steward's over the member.
    assert!(plan(&request(ManualAction::Warn), &f).is_ok());
}

#[test]
fn the_bot_must_hold_the_permission_the_action_needs() {
    let mut f = facts();
    f.bot_permissions.retain(|p| *p != Permission::BanMembers);
    assert_eq!(
        refusal(&request(ban(0, None)), &f),
        Refusal::BotLacks {
            permission: Permission::BanMembers
        }
    );
    assert_eq!(
        refusal(&request(ManualAction::Unban), &f),
        Refusal::BotLacks {
            permission: Permission::BanMembers
        }
    );
    f.bot_permissions.clear();
    assert_eq!(
        refusal(&request(ManualAction::Untimeout), &f),
        Refusal::BotLacks {
            permission: Permission::ModerateMembers
        }
    );
    assert!(plan(&request(ManualAction::Note), &f).is_ok());
}

#[test]
fn durations_and_purges_stay_within_discords_limits() {
    let long = Duration::from_secs(29 * 86_400);
    assert_eq!(
        refusal(&request(ManualAction::Timeout(long)), &facts()),
        Refusal::TimeoutTooLong { duration: long }
    );
    assert!(plan(&request(ManualAction::Timeout(MAX_TIMEOUT)), &facts()).is_ok());
    assert_eq!(
        refusal(&request(ManualAction::Timeout(Duration::ZERO)), &facts()),
        Refusal::ZeroDuration
    );
    assert_eq!(
        refusal(&request(ban(0, Some(Duration::ZERO))), &facts()),
        Refusal::ZeroDuration
    );
    assert_eq!(
        refusal(&request(ban(8, None)), &facts()),
        Refusal::PurgeTooLong { days: 8 }
    );
    assert!(plan(&request(ban(MAX_BAN_PURGE_DAYS, None)), &facts()).is_ok());
}

#[test]
fn an_unknown_section_and_an_uncached_server_are_refused() {
    let mut r = request(ManualAction::Note);
    r.section = Some(9);
    assert_eq!(
        refusal(&r, &facts()),
        Refusal::UnknownSection { section: 9 }
    );
    let mut f = facts();
    f.owner = None;
    assert_eq!(
        refusal(&request(ManualAction::Warn), &f),
        Refusal::NotLoaded
    );
}

#[test]
fn a_warning_records_a_case_then_tells_the_member_citing_the_section() {
    let mut r = request(ManualAction::Warn);
    r.section = Some(1);
    let actions = plan(&r, &facts()).unwrap();
    let [
        Action::RecordCase(case),
        Action::DirectMessage { user, text },
    ] = &actions[..]
    else {
        panic!("{actions:?}");
    };
    assert_eq!(case.kind, CaseKind::Warn);
    assert_eq!(case.moderator, Some(MODERATOR));
    assert_eq!(case.reason, "spam — section 1: Respect");
    assert_eq!(case.created_at_ms, 1_000_000);
    assert_eq!(*user, MEMBER);
    assert_eq!(
        text,
        "**Test Guild**: you have been warned.\nReason: spam\nCharter section 1: Respect"
    );
}

#[test]
fn dms_follow_the_servers_language_with_french_typography() {
    let mut r = request(ManualAction::Timeout(Duration::from_secs(5400)));
    r.section = Some(1);
    let mut f = facts();
    f.lang = Lang::FR;
    let actions = plan(&r, &f).unwrap();
    let Some(Action::DirectMessage { text, .. }) = actions.last() else {
        panic!("{actions:?}");
    };
    assert_eq!(
        text,
        "**Test Guild** : vous êtes exclu·e temporairement pour 1h30m.\nMotif : spam\nArticle 1 de la charte : Respect"
    );
}

#[test]
fn a_timeout_is_applied_recorded_then_told() {
    let d = Duration::from_secs(600);
    let actions = plan(&request(ManualAction::Timeout(d)), &facts()).unwrap();
    assert!(
        matches!(
            &actions[..],
            [
                Action::Sanction { sanction: Sanction::Timeout(t), user: MEMBER, .. },
                Action::RecordCase(NewCase { duration_secs: Some(600), .. }),
                Action::DirectMessage { .. },
            ] if *t == d
        ),
        "{actions:?}"
    );
}

#[test]
fn a_kick_or_ban_tells_the_member_first() {
    let actions = plan(&request(ManualAction::Kick), &facts()).unwrap();
    assert!(
        matches!(
            &actions[..],
            [
                Action::DirectMessage { .. },
                Action::Sanction {
                    sanction: Sanction::Kick,
                    ..
                },
                Action::RecordCase(_),
            ]
        ),
        "{actions:?}"
    );
    let week = Duration::from_secs(7 * 86_400);
    let actions = plan(&request(ban(2, Some(week))), &facts()).unwrap();
    assert!(
        matches!(
            &actions[..],
            [
                Action::DirectMessage { .. },
                Action::Ban { delete_message_days: 2, .. },
                Action::RecordCase(NewCase { kind: CaseKind::Ban, .. }),
                Action::ScheduleUnban { at_ms, .. },
            ] if *at_ms == 1_000_000 + 7 * 86_400_000
        ),
        "{actions:?}"
    );
    let actions = plan(&request(ban(0, None)), &facts()).unwrap();
    assert!(matches!(
        actions.last(),
        Some(Action::CancelUnban { user: MEMBER })
    ));
}

#[test]
fn an_unban_lifts_the_ban_records_and_forgets_its_end_without_a_dm() {
    let mut f = facts();
    f.target_top_role = None;
    let actions = plan(&request(ManualAction::Unban), &f).unwrap();
    assert!(
        matches!(
            &actions[..],
            [
                Action::Unban { user: MEMBER },
                Action::RecordCase(NewCase {
                    kind: CaseKind::Unban,
                    ..
                }),
                Action::CancelUnban { user: MEMBER },
            ]
        ),
        "{actions:?}"
    );
}

#[test]
fn an_untimeout_and_a_note_plan_their_own_steps() {
    let actions = plan(&request(ManualAction::Untimeout), &facts()).unwrap();
    assert!(
        matches!(
            &actions[..],
            [
                Action::LiftTimeout { .. },
                Action::RecordCase(_),
                Action::DirectMessage { .. }
            ]
        ),
        "{actions:?}"
    );
    let actions = plan(&request(ManualAction::Note), &facts()).unwrap();
    assert!(matches!(
        &actions[..],
        [Action::RecordCase(NewCase {
            kind: CaseKind::Note,
            ..
        })]
    ));
}

#[test]
fn notes_and_unbans_are_not_sent_by_default() {
    assert!(!request(ManualAction::Note).dm);
    assert!(!request(ManualAction::Unban).dm);
    assert!(request(ManualAction::Warn).dm);
}
