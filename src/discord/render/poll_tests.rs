use super::*;
use crate::community::poll::Ballot;
use crate::ids::{ChannelId, GuildId, UserId};

fn poll(live: bool, open: bool) -> PollRow {
    PollRow {
        id: 4,
        guild: GuildId(1),
        channel: ChannelId(2),
        message: None,
        author: UserId(3),
        question: "Quel jour ?".into(),
        options: vec!["Lundi".into(), "Mardi, ou \"mercredi\"".into()],
        multiple: false,
        anonymous: false,
        live,
        role: None,
        native: false,
        open,
        created_at_ms: 0,
        closes_at_ms: 60_000,
        closed_at_ms: (!open).then_some(61_000),
    }
}

fn tally() -> Tally {
    Tally {
        counts: vec![3, 1],
        voters: 4,
    }
}

#[test]
fn hidden_results_show_no_counts_until_the_close() {
    let hidden =
        serde_json::to_string(&poll_embed(&poll(false, true), &tally(), Lang::EN)).unwrap();
    assert!(!hidden.contains("75 %"), "{hidden}");
    assert!(hidden.contains("4 voters"), "{hidden}");
    assert!(hidden.contains("Results are shown when the poll closes."));
    let live = serde_json::to_string(&poll_embed(&poll(true, true), &tally(), Lang::FR)).unwrap();
    assert!(
        live.contains("3 · 75 %") && live.contains("4 votants"),
        "{live}"
    );
    let closed =
        serde_json::to_string(&poll_embed(&poll(false, false), &tally(), Lang::EN)).unwrap();
    assert!(
        closed.contains("75 %") && closed.contains("Closed <t:61:R>"),
        "{closed}"
    );
}

#[test]
fn components_are_buttons_then_a_select_and_none_when_closed() {
    let buttons = serde_json::to_value(components(&poll(true, true), Lang::EN)).unwrap();
    assert_eq!(buttons[0]["components"][1]["custom_id"], "poll:4:1");
    let mut many = poll(true, true);
    many.options = (0..6).map(|i| format!("o{i}")).collect();
    let select = serde_json::to_value(components(&many, Lang::EN)).unwrap();
    assert_eq!(select[0]["components"][0]["custom_id"], "poll:4");
    assert_eq!(select[0]["components"][0]["max_values"], 1);
    many.multiple = true;
    let several = serde_json::to_value(components(&many, Lang::EN)).unwrap();
    assert_eq!(several[0]["components"][0]["max_values"], 6);
    assert!(components(&poll(true, false), Lang::EN).is_empty());
}

#[test]
fn the_csv_quotes_what_needs_quoting() {
    let votes = [
        VoteRow {
            user: UserId(10),
            ballot: Ballot { choices: vec![1] },
            voted_at_ms: 5,
        },
        VoteRow {
            user: UserId(11),
            ballot: Ballot {
                choices: vec![0, 1],
            },
            voted_at_ms: 6,
        },
    ];
    assert_eq!(
        votes_csv(&poll(true, false), &votes),
        "user_id,choices,voted_at_ms\r\n\
         10,\"Mardi, ou \"\"mercredi\"\"\",5\r\n\
         11,\"Lundi | Mardi, ou \"\"mercredi\"\"\",6\r\n"
    );
}

#[test]
fn results_say_when_nobody_voted() {
    let nobody = Tally {
        counts: vec![0, 0],
        voters: 0,
    };
    let text = results_text(&poll(true, false), &nobody, Lang::FR);
    assert!(text.contains("Personne n'a voté."), "{text}");
    assert!(
        text.starts_with("**Résultats du sondage n° 4 : Quel jour ?**"),
        "{text}"
    );
}
