//! Backtests as the bot would judge: a DiscordChatExporter export with mass mentions, and
//! `steward replay --rules NEW --against OLD` listing only the verdicts a charter change alters.

use std::fs;

use crate::support::{shared_data, stderr, stdout, steward};

/// A temporary charter folder with a one-section `charter.toml` and the given rule file.
fn charter_with(rules: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let charter = "title = \"T\"\nlanguages = [\"en\"]\n[[section]]\nnumber = 1\ntitle = \"S\"\ntext = \"x\"\n";
    fs::write(dir.path().join("charter.toml"), charter).unwrap();
    fs::write(dir.path().join("rules.toml"), rules).unwrap();
    dir
}

/// A DiscordChatExporter export whose first message mentions 12 members, rendered for people
/// (`@name`, as DCE writes them) with the members in `mentions`.
fn mass_mention_export() -> String {
    let mentions: Vec<String> = (1..=12)
        .map(|k| {
            format!(r#"{{"id": "4000000000000000{k:02}", "name": "member{k}", "nickname": null}}"#)
        })
        .collect();
    let names: Vec<String> = (1..=12).map(|k| format!("@member{k}")).collect();
    format!(
        r#"{{"guild": {{"id": "1", "name": "G"}},
          "channel": {{"id": "22", "type": "GuildTextChat", "name": "general"}},
          "messages": [
            {{"id": "1", "type": "Default", "timestamp": "2024-01-10T08:00:00+00:00",
              "content": "wake up {}", "author": {{"id": "7", "name": "spammer"}},
              "mentions": [{}], "embeds": [], "stickers": []}},
            {{"id": "2", "type": "Default", "timestamp": "2024-01-10T08:00:09+00:00",
              "content": "hi @member1", "author": {{"id": "8", "name": "member2"}},
              "mentions": [{{"id": "400000000000000001", "name": "member1"}}]}}
          ]}}"#,
        names.join(" "),
        mentions.join(", ")
    )
}

#[test]
fn replay_of_a_dce_export_ignored_its_mentions() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.json");
    fs::write(&file, mass_mention_export()).unwrap();
    let out = steward(&["replay", "--only-flagged", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{}", stdout(&out));
    assert_eq!(lines[0]["id"], "1");
    assert!(
        lines[0]["rules"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("mass-mentions")),
        "{}",
        stdout(&out)
    );
}

const RULE: &str =
    "[[rule]]\nid = \"ID\"\nsection = 1\nname = \"N\"\noutcome = \"OUTCOME\"\nkeywords = [WORDS]\n";

fn rule(id: &str, outcome: &str, words: &[&str]) -> String {
    let words: Vec<String> = words.iter().map(|w| format!("{w:?}")).collect();
    RULE.replace("ID", id)
        .replace("OUTCOME", outcome)
        .replace("WORDS", &words.join(", "))
}

#[test]
fn replay_against_an_older_charter_lists_only_changed_verdicts() {
    // Old: insults {idiot} delete, ads {buy} delete. New: insults {idiot, moron} flag, ads gone,
    // spam {casino} delete.
    let old = charter_with(&format!(
        "{}{}",
        rule("insults", "delete", &["idiot"]),
        rule("ads", "delete", &["buy"])
    ));
    let new = charter_with(&format!(
        "{}{}",
        rule("insults", "flag", &["idiot", "moron"]),
        rule("spam", "delete", &["casino"])
    ));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.jsonl");
    let messages = [
        "hello there",  // 1: clean in both
        "you idiot",    // 2: insults, delete -> flag: different
        "you moron",    // 3: newly flagged by insults
        "buy now",      // 4: no longer flagged (ads removed)
        "casino idiot", // 5: insults delete -> insults + spam: different
        "thanks a lot", // 6: clean in both
    ];
    let jsonl: Vec<String> = messages
        .iter()
        .enumerate()
        .map(|(i, m)| format!(r#"{{"id": "{}", "content": "{m}"}}"#, i + 1))
        .collect();
    fs::write(&file, jsonl.join("\n")).unwrap();
    let out = steward(&[
        "replay",
        "--rules",
        new.path().to_str().unwrap(),
        "--against",
        old.path().to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let changes: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| (l["id"].as_str().unwrap(), l["change"].as_str().unwrap()))
        .collect();
    assert_eq!(
        changes,
        [
            ("2", "different"),
            ("3", "newly_flagged"),
            ("4", "no_longer_flagged"),
            ("5", "different"),
        ]
    );
    assert_eq!(lines[0]["old"]["outcome"], "delete");
    assert_eq!(lines[0]["new"]["outcome"], "flag");
    assert_eq!(
        lines[3]["new"]["rules"],
        serde_json::json!(["insults", "spam"])
    );
    let log = stderr(&out);
    assert!(
        log.contains(
            "messages 6   changed 4   newly flagged 1   no longer flagged 1   flagged differently 2"
        ),
        "{log}"
    );
    for row in [("ads", 0, 1), ("insults", 1, 0), ("spam", 1, 0)] {
        let line = format!("{:<32} {:>8} {:>8}", row.0, row.1, row.2);
        assert!(log.contains(&line), "missing {line:?} in\n{log}");
    }
}

#[test]
fn replay_against_on_the_ubuntu_corpus_lists_exactly_the_changed_messages() {
    let Some(corpus) = shared_data("chat/ubuntu-irc.jsonl") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("u.jsonl");
    let text = fs::read_to_string(corpus).unwrap();
    fs::write(
        &file,
        text.lines().take(10_000).collect::<Vec<_>>().join("\n"),
    )
    .unwrap();
    // The new charter is the shipped one plus a rule that flags "kernel".
    let new = tempfile::tempdir().unwrap();
    let rules = crate::support::root().join("rules");
    copy_dir(&rules, new.path());
    fs::write(
        new.path().join("kernel.toml"),
        rule("kernel-talk", "flag", &["kernel*"]).replace("section = 1", "section = 8"),
    )
    .unwrap();
    // Known answer: the messages whose new verdict includes the added rule (it is stateless, so
    // the member windows of the other rules agree in both charters).
    let charter = steward::charter::Charter::load(new.path()).unwrap();
    let input = steward::replay::input::parse(&fs::read_to_string(&file).unwrap());
    let mut tracker = charter.tracker();
    tracker.set_resolution(steward::replay::timestamp_resolution(&input.messages));
    let kernel = charter
        .rules
        .iter()
        .position(|r| r.id == "kernel-talk")
        .unwrap();
    let expected: Vec<String> = input
        .messages
        .iter()
        .filter(|m| {
            steward::replay::judge(&charter, m, &mut tracker)
                .rules()
                .contains(&kernel)
        })
        .map(|m| m.id.clone().unwrap())
        .collect();
    assert!(expected.len() > 20, "{} kernel messages", expected.len());
    let out = steward(&[
        "replay",
        "--rules",
        new.path().to_str().unwrap(),
        "--against",
        rules.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let ids: Vec<String> = stdout(&out)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids, expected);
    let log = stderr(&out);
    let row = format!("{:<32} {:>8} {:>8}", "kernel-talk", expected.len(), 0);
    assert!(log.contains(&row), "missing {row:?} in\n{log}");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}
