//! First contact: in a server that was never set up, Steward sends its checklist once (here to
//! the owner, the server having no system channel), naming the permissions it lacks, in the
//! server's language; a restart does not send it again.

use std::time::Duration;

use steward::discord::RunOptions;

use crate::fake_discord::{World, ids};
use crate::steward_support::{Setup, Steward, WAIT};

fn checklist(r: &crate::fake_discord::Recorded) -> bool {
    r.is("POST", "/channels/{c}/messages")
        && r.body["embeds"][0]["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("Steward est là"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_never_set_up_gets_the_checklist_once_naming_what_is_missing() {
    let bot = Setup::new(World::default_guild())
        .settings(|s| s.mod_log_channel = None)
        .start()
        .await;
    let post = bot.fake.wait_for(checklist, WAIT).await;
    let channel = post.path.split('/').nth(4).unwrap().to_string();
    assert_eq!(
        bot.fake.dm_channel(ids::OWNER).map(|c| c.to_string()),
        Some(channel),
        "sent to the owner"
    );
    let text = post.body["embeds"][0]["description"].as_str().unwrap();
    for expected in [
        "✗ journal de modération : `/setup mod_log:#salon`",
        "✗ salon d'accueil : `/setup welcome:#salon`",
        "Gérer les rôles, Gérer le serveur, Créer une invitation",
        "`/charter test`",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(!text.contains("Intents privilégiés"), "{text}");

    let (fake, dir) = bot.halt().await;
    let bot = Steward::launch(fake, dir, RunOptions::default()).await;
    bot.fake
        .assert_no_request(
            |r| checklist(r) && r.at > Duration::ZERO && r.index > post.index,
            Duration::from_millis(500),
        )
        .await;
    bot.stop().await;
}
