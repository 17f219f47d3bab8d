//! `/schedule list` end to end: an administrator sees the server's pending jobs (the daily
//! folding of old activity every server has, a temporary ban's end, when), in the language of
//! their client; a moderator without Manage Server is refused.

use serde_json::{Value, json};

use crate::fake_discord::{World, ids};
use crate::steward_support::*;

fn list() -> Value {
    json!([{"name": "list", "type": 1, "options": []}])
}

#[tokio::test(flavor = "multi_thread")]
async fn schedule_list_shows_a_pending_temporary_ban_to_an_admin_only() {
    // A French server, administrators with English clients: the list follows the client.
    let mut world = World::default_guild();
    world.locale = Some("en-US".into());
    let bot = Steward::start(world).await;
    // Every server gets the daily folding of old activity once Steward has seen it.
    let store = steward::store::Store::connect(&bot.database_url())
        .await
        .unwrap();
    for _ in 0..200 {
        let (jobs, _) = store
            .pending_jobs(steward::ids::GuildId(ids::GUILD), 10)
            .await
            .unwrap();
        if !jobs.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    store.close().await;
    let first = bot.slash("owner", "schedule", list()).await;
    let folding = "• folding of old per-member activity into totals — <t:";
    let listed = first.content().unwrap_or_default();
    assert!(
        listed.starts_with(&format!("Scheduled jobs: 1\n{folding}")),
        "{first}"
    );

    let ban = json!([
        user("member", ids::ALICE),
        text("reason", "raid"),
        text("duration", "2w"),
        {"name": "dm", "type": 5, "value": false}
    ]);
    bot.slash("bob", "ban", ban).await;
    let reply = bot.slash("owner", "schedule", list()).await;
    assert!(ephemeral(&reply), "{reply}");
    let content = reply.content().unwrap_or_default();
    let mut lines = content.lines();
    assert_eq!(lines.next(), Some("Scheduled jobs: 2"), "{reply}");
    assert!(
        lines.next().unwrap_or_default().starts_with(folding),
        "{reply}"
    );
    let line = lines.next().unwrap_or_default();
    let prefix = format!("• end of <@{}>'s temporary ban (case #1) — <t:", ids::ALICE);
    assert!(line.starts_with(&prefix), "{line}");
    // Due in two weeks, as a Discord relative timestamp (seconds).
    let due: i64 = line[prefix.len()..]
        .strip_suffix(":R>")
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{line}"));
    let in_two_weeks = crate::fake_discord::fixtures::now_ms() as i64 / 1000 + 14 * 86_400;
    assert!((in_two_weeks - 60..=in_two_weeks).contains(&due), "{line}");
    assert_eq!(lines.next(), None, "{reply}");

    let refused = bot.slash("bob", "schedule", list()).await;
    assert!(ephemeral(&refused), "{refused}");
    let text = refused.content().unwrap_or_default();
    assert!(!text.contains("temporary ban"), "{refused}");
    assert_eq!(
        text, "For administrators only (Manage Server).",
        "{refused}"
    );
    bot.stop().await;
}
