//! `/stats` end to end, as a moderator and as members would use it, in English and in French:
//! a member sees their own activity, leaves the rankings and is then counted but not named in a
//! moderator's `/stats week` (an ephemeral report with its four charts); a member who is not a
//! moderator is refused the report privately; a reply counts its author among those who answer
//! others; a channel's activity reads in French.

use serde_json::{Value, json};

use crate::fake_discord::{Recorded, World, fixtures, ids};
use crate::steward_support::{Setup, Steward, embed_field, ephemeral, followup};

fn sub(name: &str, options: Value) -> Value {
    json!([{"type": 1, "name": name, "options": options}])
}

async fn start(language: &str) -> Steward {
    Setup::new(World::default_guild())
        .settings(|s| s.language = language.into())
        .start()
        .await
}

fn text(reply: &Recorded) -> String {
    reply.content().unwrap_or_default().to_string()
}

async fn posts(bot: &Steward, author: &str, n: usize) {
    for i in 0..n {
        bot.say(author, &format!("message {i} from {author}")).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn members_see_their_activity_and_leave_rankings_moderators_see_the_week() {
    let bot = start("en").await;
    posts(&bot, "alice", 2).await;
    let asked = bot
        .say("alice", "does anyone know how to set up the bot?")
        .await;
    // Bob answers Alice: a reply, as Discord sends it, with the message it replies to.
    let mut answer = fixtures::message_create(
        &bot.fake.world(),
        "bob",
        "general",
        "yes: /setup, then /charter",
    );
    answer["referenced_message"] = asked.clone();
    answer["message_reference"] = json!({"message_id": asked["id"], "channel_id": asked["channel_id"], "guild_id": asked["guild_id"]});
    answer["type"] = json!(19);
    bot.fake.dispatch("MESSAGE_CREATE", answer).await;
    // Messages are counted as they arrive; give the last one a moment.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let me = bot.slash("alice", "stats", sub("me", json!([]))).await;
    assert!(ephemeral(&me));
    let mine = text(&me);
    assert!(
        mine.contains("This week: 3 messages (rank 1 among posters)."),
        "{mine}"
    );
    assert!(
        mine.contains("You appear in the community's rankings"),
        "{mine}"
    );

    let out = bot.slash("alice", "stats", sub("optout", json!([]))).await;
    assert!(
        text(&out).starts_with("Done: you no longer appear in rankings"),
        "{}",
        text(&out)
    );

    let refused = bot.slash("alice", "stats", sub("week", json!([]))).await;
    assert!(ephemeral(&refused));
    assert!(
        text(&refused).to_lowercase().contains("moderator"),
        "{}",
        text(&refused)
    );

    let deferred = bot.slash("bob", "stats", sub("week", json!([]))).await;
    let report = followup(&bot, &deferred).await;
    assert_eq!(report.body["flags"], json!(64), "ephemeral: {report}");
    let embed = &report.body["embeds"][0];
    assert!(
        embed["title"]
            .as_str()
            .unwrap()
            .starts_with("Community report: Week "),
        "{embed}"
    );
    let field = |name: &str| embed_field(embed, name);
    assert!(
        field("Messages").starts_with("**4**"),
        "{}",
        field("Messages")
    );
    assert!(field("Active members").starts_with("**2**"));
    let answerers = field("Members who answer others most");
    assert_eq!(answerers, format!("<@{}> — 1 answer", ids::BOB));
    let top = field("Top contributors");
    assert!(
        top.contains(&format!("<@{}> — 1 message", ids::BOB)),
        "{top}"
    );
    assert!(
        !top.contains(&ids::ALICE.to_string()),
        "alice opted out: {top}"
    );
    for chart in ["activity.png", "members.png", "heatmap.png", "cases.png"] {
        let png = report
            .part(&format!("filename=\"{chart}\""))
            .unwrap_or_else(|| panic!("{chart} not attached"));
        assert_eq!(&png[..4], b"\x89PNG", "{chart}");
    }

    // Back in the rankings.
    let back = bot.slash("alice", "stats", sub("optout", json!([]))).await;
    assert_eq!(text(&back), "Welcome back: you appear in rankings again.");
    bot.halt().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_french_server_reads_its_activity_in_french() {
    let bot = start("fr").await;
    posts(&bot, "alice", 2).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let me = bot.slash("alice", "stats", sub("me", json!([]))).await;
    let mine = text(&me);
    assert!(
        mine.contains("Cette semaine : 2 messages (1ᵉʳ parmi les membres qui ont écrit)."),
        "{mine}"
    );
    let channel = bot
        .slash(
            "bob",
            "stats",
            sub(
                "channel",
                json!([{"name": "channel", "type": 7, "value": ids::GENERAL.to_string()}]),
            ),
        )
        .await;
    let listed = text(&channel);
    assert!(
        listed.contains(&format!("Activité dans <#{}>", ids::GENERAL)),
        "{listed}"
    );
    assert!(
        listed.contains("Cette semaine : 2 messages de 1 membre."),
        "{listed}"
    );
    let none = bot.slash("bob", "stats", sub("me", json!([]))).await;
    assert!(
        text(&none).contains("Cette semaine : aucun message pour l’instant."),
        "{}",
        text(&none)
    );
    bot.halt().await;
}
