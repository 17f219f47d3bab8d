//! The `steward` binary: `check` on good and broken charters, `replay` on JSON Lines and on a
//! DiscordChatExporter export, `run` without a token.

use std::fs;

use crate::support::{shared_data, stderr, stdout, steward};

#[test]
fn check_passes_on_the_shipped_charter() {
    let out = steward(&["check", "rules"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for line in [
        "rules ",
        "keywords",
        "regexes",
        "sections",
        "compiled in",
        "ok",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
}

/// A temporary charter folder with a one-section `charter.toml` and no rules yet.
fn charter_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let charter = "title = \"T\"\nlanguages = [\"en\"]\n[[section]]\nnumber = 1\ntitle = \"S\"\ntext = \"x\"\n";
    fs::write(dir.path().join("charter.toml"), charter).unwrap();
    dir
}

#[test]
fn check_reports_every_error_of_a_broken_charter() {
    let dir = charter_folder();
    fs::write(
        dir.path().join("bad.toml"),
        "[[rule]]\nid = \"a\"\nsection = 2\noutcome = \"delete\"\nkeywords = [\"x\"]\n\n[[rule]]\nid = \"b\"\nsection = 1\noutcome = \"delete\"\nregex = [\"(\"]\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("typo.toml"),
        "[[rule]]\nid = \"c\"\nsection = 1\noutcome = \"delete\"\nkeywordz = [\"y\"]\n",
    )
    .unwrap();
    let out = steward(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let bad = dir.path().join("bad.toml");
    let typo = dir.path().join("typo.toml");
    assert!(
        err.contains(&format!(
            "{}:3:11: rule \"a\": section 2 is not in charter.toml",
            bad.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}:11:10: rule \"b\": invalid regex",
            bad.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}:5:1: rule \"c\": unknown field `keywordz`",
            typo.display()
        )),
        "{err}"
    );
    assert!(err.contains("3 errors"), "{err}");
}

#[test]
fn check_fails_on_a_failing_example() {
    let dir = charter_folder();
    fs::write(
        dir.path().join("r.toml"),
        "[[rule]]\nid = \"a\"\nsection = 1\noutcome = \"delete\"\nkeywords = [\"spam\"]\nmust_not_match = [\"no spam please\"]\n",
    )
    .unwrap();
    let out = steward(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("must_not_match example matches: \"no spam please\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn replay_reports_malformed_lines_and_keeps_going() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.jsonl");
    fs::write(
        &file,
        "{\"id\": \"1\", \"content\": \"hello there\"}\nnot json\n{\"id\": 2, \"content\": \"espèce de connard\", \"extra\": true}\n",
    )
    .unwrap();
    let out = steward(&["replay", file.to_str().unwrap()]);
    // Replayed, but a line was skipped: the exit code says so.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "1");
    assert_eq!(lines[0]["flagged"], false);
    assert_eq!(lines[0]["outcome"], "allow");
    assert_eq!(lines[1]["id"], "2");
    assert_eq!(lines[1]["flagged"], true);
    let m = &lines[1]["matches"][0];
    assert_eq!(m["text"], "connard");
    assert_eq!(
        (m["start"].as_u64(), m["end"].as_u64()),
        (Some(11), Some(18))
    );
    assert!(lines[1]["rules"].as_array().is_some_and(|r| !r.is_empty()));
    assert!(
        stderr(&out).contains(&format!("{}:2: skipped", file.display())),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("messages 2"), "{}", stderr(&out));

    let only = steward(&["replay", "--only-flagged", file.to_str().unwrap()]);
    assert_eq!(stdout(&only).lines().count(), 1);
}

#[test]
fn replay_says_by_its_exit_code_when_a_file_could_not_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.jsonl");
    fs::write(&good, "{\"content\": \"hello\"}\n").unwrap();
    let clean = steward(&["replay", good.to_str().unwrap()]);
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));
    let missing = dir.path().join("missing.jsonl");
    for other in [missing.as_path(), dir.path()] {
        let out = steward(&["replay", good.to_str().unwrap(), other.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stderr(&out).contains("cannot read"), "{}", stderr(&out));
        assert_eq!(
            stdout(&out).lines().count(),
            1,
            "the readable file was replayed"
        );
    }
}

#[test]
fn replay_reads_a_discord_chat_exporter_export() {
    let Some(export) = shared_data("dce/ferry-dce2.48-captured-Cool-Thread.json") else {
        return;
    };
    let out = steward(&["replay", export.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&export).unwrap()).unwrap();
    let user_messages = text["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| matches!(m["type"].as_str(), Some("Default" | "Reply")))
        .count();
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), user_messages);
    assert!(
        lines
            .iter()
            .all(|l| l["id"].is_string() && l["flagged"].is_boolean())
    );
}

#[test]
fn replay_reads_every_shared_export() {
    let Some(dir) = shared_data("dce") else {
        return;
    };
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let out = steward(&["replay", path.to_str().unwrap()]);
        assert!(out.status.success(), "{}: {}", path.display(), stderr(&out));
        assert!(
            stderr(&out).contains("skipped 0"),
            "{}: {}",
            path.display(),
            stderr(&out)
        );
    }
}

#[test]
fn run_without_a_token_tries_the_charter() {
    let out = steward(&["run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("DISCORD_TOKEN is not set"));
    assert!(text.contains("→ allowed"));
    assert!(text.contains("by rule"));
}
