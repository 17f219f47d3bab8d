//! The token never reaches the log, even with `LOG_LEVEL=trace`: the real `steward` binary runs
//! against the fake Discord, identifies (so the token did cross the websocket and went into REST
//! headers), handles a message, and stops on SIGTERM; its whole log is then searched for the
//! token, as text and as the list of byte values the websocket library prints frames as.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::fake_discord::{FakeDiscord, World, fixtures};

const SECRET: &str = "MTE5.secret-token-for-the-log-test.Zq9";

#[tokio::test(flavor = "multi_thread")]
async fn the_token_never_appears_in_the_log_even_at_trace_level() {
    let fake = FakeDiscord::start(World::default_guild()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_steward"))
        .arg("run")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DISCORD_TOKEN", format!("Bot {SECRET}"))
        .env("DISCORD_API_URL", fake.base_url())
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/steward.db", dir.path().display()),
        )
        .env("RULES_DIR", "rules")
        .env("LOG_LEVEL", "trace")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("steward starts");
    // Read the log as it comes: a full pipe would stall the bot.
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut log = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut log).unwrap();
        log
    });
    fake.wait_connected().await;
    // IDENTIFY carried the token (the fake keeps it redacted).
    assert!(fake.identify().is_some(), "Steward identified");
    let message = fixtures::message_create(&fake.world(), "alice", "general", "bonjour");
    fake.dispatch("MESSAGE_CREATE", message).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let log = tokio::task::spawn_blocking(move || {
        child.wait().unwrap();
        reader.join().unwrap()
    })
    .await
    .unwrap();
    let log = String::from_utf8_lossy(&log);
    assert!(
        log.contains("TRACE"),
        "the log was not at trace level:\n{log}"
    );
    assert!(!log.contains(SECRET), "the token is in the log");
    let as_bytes = SECRET
        .bytes()
        .map(|b| b.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    assert!(!log.contains(&as_bytes), "the token is in the log as bytes");
    fake.shutdown().await;
}
