use std::time::Duration;

use super::*;

fn request(options: &str) -> PollRequest {
    PollRequest {
        question: "  Quel jour ?  ".into(),
        options: options.into(),
        duration: Duration::from_secs(3600),
        multiple: false,
        anonymous: false,
        live: true,
        role: None,
        native: false,
    }
}

fn ballot(choices: &[usize]) -> Ballot {
    Ballot {
        choices: choices.to_vec(),
    }
}

#[test]
fn a_request_is_trimmed_and_split_on_semicolons() {
    let spec = validate(&request(" Lundi ; Mardi;;  Mercredi ;"), MIN_DURATION).unwrap();
    assert_eq!(spec.question, "Quel jour ?");
    assert_eq!(spec.options, ["Lundi", "Mardi", "Mercredi"]);
}

#[test]
fn option_counts_are_refused_outside_two_to_ten() {
    assert_eq!(
        validate(&request("Seul"), MIN_DURATION),
        Err(PollRefusal::TooFewOptions)
    );
    let ten: Vec<String> = (1..=10).map(|i| format!("o{i}")).collect();
    assert!(validate(&request(&ten.join(";")), MIN_DURATION).is_ok());
    let eleven = format!("{};o11", ten.join(";"));
    assert_eq!(
        validate(&request(&eleven), MIN_DURATION),
        Err(PollRefusal::TooManyOptions { count: 11 })
    );
}

#[test]
fn long_questions_and_options_and_duplicates_are_refused() {
    let mut long = request("a;b");
    long.question = "é".repeat(QUESTION_MAX + 1);
    assert_eq!(
        validate(&long, MIN_DURATION),
        Err(PollRefusal::QuestionTooLong)
    );
    long.question = "é".repeat(QUESTION_MAX);
    assert!(validate(&long, MIN_DURATION).is_ok());
    long.question = "   ".into();
    assert_eq!(
        validate(&long, MIN_DURATION),
        Err(PollRefusal::EmptyQuestion)
    );
    let option = "ç".repeat(OPTION_MAX + 1);
    assert_eq!(
        validate(&request(&format!("a;{option}")), MIN_DURATION),
        Err(PollRefusal::OptionTooLong { option })
    );
    assert!(
        validate(
            &request(&format!("a;{}", "ç".repeat(OPTION_MAX))),
            MIN_DURATION
        )
        .is_ok()
    );
    assert_eq!(
        validate(&request("Été;b;été"), MIN_DURATION),
        Err(PollRefusal::DuplicateOption {
            option: "été".into()
        })
    );
}

#[test]
fn durations_are_bounded_by_the_minimum_given_and_32_days() {
    let mut r = request("a;b");
    r.duration = Duration::from_secs(59);
    assert_eq!(
        validate(&r, MIN_DURATION),
        Err(PollRefusal::TooShort { min: MIN_DURATION })
    );
    assert!(validate(&r, Duration::from_secs(1)).is_ok());
    r.duration = MAX_DURATION;
    assert!(validate(&r, MIN_DURATION).is_ok());
    r.duration = MAX_DURATION + Duration::from_secs(1);
    assert_eq!(validate(&r, MIN_DURATION), Err(PollRefusal::TooLong));
}

#[test]
fn a_native_poll_has_no_extras_and_lasts_whole_hours() {
    let mut native = request("a;b");
    native.native = true;
    assert!(validate(&native, MIN_DURATION).unwrap().native);
    native.duration = Duration::from_secs(5400);
    assert_eq!(
        validate(&native, MIN_DURATION),
        Err(PollRefusal::NativeHours)
    );
    native.duration = Duration::from_secs(7200);
    for extra in [
        |r: &mut PollRequest| r.anonymous = true,
        |r: &mut PollRequest| r.live = false,
        |r: &mut PollRequest| r.role = Some(RoleId(1)),
        |r: &mut PollRequest| r.multiple = true,
    ] {
        let mut with = native.clone();
        extra(&mut with);
        assert_eq!(
            validate(&with, MIN_DURATION),
            Err(PollRefusal::NativeExtras)
        );
    }
}

#[test]
fn refusals_read_in_both_languages() {
    let refusal = PollRefusal::TooManyOptions { count: 12 };
    assert!(
        refusal.text(Lang::EN).contains("12"),
        "{}",
        refusal.text(Lang::EN)
    );
    assert_ne!(refusal.text(Lang::EN), refusal.text(Lang::FR));
    assert!(VoteRefusal::Closed.text(Lang::FR).len() > 5);
}

fn facts() -> PollFacts {
    PollFacts {
        options: 3,
        multiple: false,
        open: true,
        closes_at_ms: 10_000,
        role: None,
    }
}

#[test]
fn a_vote_is_checked_against_the_poll() {
    assert_eq!(check_vote(&facts(), &[], &[2], 0), Ok(ballot(&[2])));
    assert_eq!(
        check_vote(&facts(), &[], &[3], 0),
        Err(VoteRefusal::InvalidChoice)
    );
    assert_eq!(
        check_vote(&facts(), &[], &[], 0),
        Err(VoteRefusal::InvalidChoice)
    );
    assert_eq!(
        check_vote(&facts(), &[], &[0, 1], 0),
        Err(VoteRefusal::InvalidChoice)
    );
    assert_eq!(
        check_vote(&facts(), &[], &[0], 10_000),
        Err(VoteRefusal::Closed)
    );
    let closed = PollFacts {
        open: false,
        ..facts()
    };
    assert_eq!(check_vote(&closed, &[], &[0], 0), Err(VoteRefusal::Closed));
    let multiple = PollFacts {
        multiple: true,
        ..facts()
    };
    assert_eq!(
        check_vote(&multiple, &[], &[2, 0, 2], 0),
        Ok(ballot(&[0, 2]))
    );
}

#[test]
fn a_role_restricted_poll_needs_the_role() {
    let restricted = PollFacts {
        role: Some(RoleId(7)),
        ..facts()
    };
    assert_eq!(
        check_vote(&restricted, &[RoleId(3)], &[0], 0),
        Err(VoteRefusal::RoleRequired { role: RoleId(7) })
    );
    assert!(check_vote(&restricted, &[RoleId(3), RoleId(7)], &[0], 0).is_ok());
}

#[test]
fn the_tally_counts_votes_and_voters_apart() {
    let ballots = [ballot(&[0, 2]), ballot(&[2]), ballot(&[9])];
    let tally = Tally::of(3, &ballots);
    assert_eq!(tally.counts, [1, 0, 2]);
    assert_eq!(tally.voters, 3);
    assert_eq!(tally.percent(2), 67);
    assert_eq!(tally.percent(1), 0);
    assert_eq!(tally.leaders(), [2]);
    let nobody = Tally::of(2, []);
    assert_eq!(nobody.percent(0), 0);
    assert!(nobody.leaders().is_empty());
}

#[test]
fn bars_fill_in_proportion_to_voters() {
    let tally = Tally {
        counts: vec![2, 1, 0],
        voters: 2,
    };
    assert_eq!(bar(&tally, 0), "█".repeat(BAR_WIDTH));
    assert_eq!(
        bar(&tally, 1),
        format!("{}{}", "█".repeat(6), "░".repeat(6))
    );
    assert_eq!(bar(&tally, 2), "░".repeat(BAR_WIDTH));
    let empty = Tally {
        counts: vec![0, 0],
        voters: 0,
    };
    assert_eq!(bar(&empty, 0), "░".repeat(BAR_WIDTH));
}

#[test]
fn ballots_round_trip_and_selects_are_used_past_five_or_for_several() {
    assert_eq!(ballot(&[0, 3]).encode(), "0,3");
    assert_eq!(Ballot::decode("0,3"), ballot(&[0, 3]));
    assert_eq!(Ballot::decode(""), ballot(&[]));
    assert!(!uses_select(5, false));
    assert!(uses_select(6, false));
    assert!(uses_select(2, true));
}
