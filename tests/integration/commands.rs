//! Commands end to end: the localisations registered with Discord, and answers in the invoker's
//! language (their interaction locale), whatever the server's language, for a command's answer,
//! a command's refusal and poise's own refusals.

use serde_json::{Value, json};

use crate::fake_discord::{Recorded, World, fixtures, ids};
use crate::steward_support::*;

/// Runs a slash command as `invoker` whose client sends `locale`.
async fn slash_in(
    bot: &Steward,
    locale: &str,
    invoker: &str,
    name: &str,
    options: Value,
) -> Recorded {
    let mut command = fixtures::slash_command(&bot.fake.world(), invoker, "general", name, options);
    command["locale"] = json!(locale);
    bot.interact(command).await
}

fn embed_title(reply: &Recorded) -> String {
    reply.body["data"]["embeds"][0]["title"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Every name and description of `command` (and its options, choices and subcommands) that
/// lacks a French localisation.
fn missing_french(command: &Value, path: &str, missing: &mut Vec<String>) {
    let path = format!("{path}/{}", command["name"].as_str().unwrap_or("?"));
    if !command["name_localizations"]["fr"].is_string() {
        missing.push(format!("{path}: name"));
    }
    // Context menus (types 2 and 3) have no description.
    let menu = command["type"] == 2 || command["type"] == 3;
    if !menu && !command["description_localizations"]["fr"].is_string() {
        missing.push(format!("{path}: description"));
    }
    for choice in command["choices"].as_array().into_iter().flatten() {
        if !choice["name_localizations"]["fr"].is_string() {
            missing.push(format!("{path}: choice {}", choice["name"]));
        }
    }
    for option in command["options"].as_array().into_iter().flatten() {
        missing_french(option, &path, missing);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn registered_commands_carry_french_names_and_descriptions() {
    let bot = Steward::start(World::default_guild()).await;
    let put = bot
        .fake
        .requests()
        .into_iter()
        .find(|r| r.is("PUT", "/applications/{a}/commands"))
        .expect("commands registered");
    let commands = put.body.as_array().expect("an array of commands");
    let names: Vec<&str> = commands.iter().filter_map(|c| c["name"].as_str()).collect();
    for expected in [
        "setup",
        "charter",
        "warn",
        "ban",
        "case",
        "review",
        "Report to moderators",
    ] {
        assert!(names.contains(&expected), "{names:?}");
    }
    let mut missing = Vec::new();
    for command in commands {
        missing_french(command, "", &mut missing);
    }
    assert!(missing.is_empty(), "{missing:#?}");
    let setup = commands.iter().find(|c| c["name"] == "setup").unwrap();
    assert_eq!(setup["name_localizations"]["fr"], "configurer");
    let menu = commands.iter().find(|c| c["type"] == 3).unwrap();
    assert_eq!(menu["name_localizations"]["fr"], "Signaler aux modérateurs");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_french_client_reads_french_in_an_english_server() {
    let bot = Setup::new(World::default_guild())
        .settings(|s| s.language = "en".into())
        .start()
        .await;
    let queue = json!([{"name": "queue", "type": 1, "options": []}]);
    let reply = slash_in(&bot, "fr", "bob", "review", queue.clone()).await;
    assert!(ephemeral(&reply), "{reply}");
    assert!(
        embed_title(&reply).starts_with("File d'examen — 0"),
        "{reply}"
    );
    assert_eq!(
        reply.body["data"]["embeds"][0]["description"], "File vide.",
        "{reply}"
    );
    let reply = slash_in(&bot, "en-US", "bob", "review", queue).await;
    assert!(
        embed_title(&reply).starts_with("Review queue — 0"),
        "{reply}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_english_client_reads_english_in_a_french_server() {
    let bot = Steward::start(World::default_guild()).await;
    let queue = json!([{"name": "queue", "type": 1, "options": []}]);
    let reply = slash_in(&bot, "en-US", "bob", "review", queue).await;
    assert!(
        embed_title(&reply).starts_with("Review queue — 0"),
        "{reply}"
    );

    // A command's refusals (UserError) follow the invoker too.
    let show = json!([{"name": "show", "type": 1, "options": [
        {"name": "number", "type": 4, "value": 99}
    ]}]);
    let reply = slash_in(&bot, "en-GB", "bob", "case", show.clone()).await;
    assert!(ephemeral(&reply), "{reply}");
    assert_eq!(reply.content(), Some("No case #99."));
    let reply = slash_in(&bot, "fr", "bob", "case", show).await;
    assert_eq!(reply.content(), Some("Aucun cas #99."));
    let reply = slash_in(
        &bot,
        "en-US",
        "alice",
        "cases",
        json!([user("member", ids::BOB)]),
    )
    .await;
    assert_eq!(reply.content(), Some("For moderators only."));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn poise_refusals_are_in_the_invoker_language() {
    let bot = Steward::start(World::default_guild()).await;
    let warn = json!([user("member", ids::BOB), text("reason", "x")]);
    // alice lacks Moderate Members: poise refuses before the command runs.
    let reply = slash_in(&bot, "fr", "alice", "warn", warn.clone()).await;
    assert!(ephemeral(&reply), "{reply}");
    assert_eq!(
        reply.content(),
        Some("Il vous manque des permissions pour `/warn` : Exclure temporairement des membres.")
    );
    let reply = slash_in(&bot, "en-US", "alice", "warn", warn).await;
    assert_eq!(
        reply.content(),
        Some("You lack permissions for `/warn`: Timeout Members.")
    );
    // An option that does not read as what it should be: refused in words, nothing done.
    let timeout = json!([
        user("member", ids::ALICE),
        text("duration", "soon"),
        text("reason", "spam")
    ]);
    let reply = slash_in(&bot, "en-US", "bob", "timeout", timeout).await;
    assert!(
        reply
            .content()
            .is_some_and(|c| c.starts_with("Invalid duration \"soon\"")),
        "{reply}"
    );
    let (_store, fake, _dir) = bot.stop().await;
    assert!(
        fake.requests()
            .iter()
            .all(|r| !r.is("PATCH", &member_route())),
        "nothing done"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn setup_is_for_administrators_in_their_language() {
    let bot = Steward::start(World::default_guild()).await;
    let options = json!([{"name": "language", "type": 3, "value": "en"}]);
    let reply = slash_in(&bot, "en-US", "bob", "setup", options.clone()).await;
    assert_eq!(
        reply.content(),
        Some("For administrators only (Manage Server).")
    );
    let reply = slash_in(&bot, "fr", "bob", "setup", options).await;
    assert_eq!(
        reply.content(),
        Some("Réservé aux administrateurs (Gérer le serveur).")
    );
    let (store, _fake, _dir) = bot.stop().await;
    let settings = store
        .guild_settings(steward::ids::GuildId(ids::GUILD))
        .await
        .unwrap();
    assert_eq!(settings.language, "fr", "a refused /setup changes nothing");
}

#[tokio::test(flavor = "multi_thread")]
async fn setup_refuses_a_language_the_catalogue_lacks_and_changes_nothing() {
    let bot = Steward::start(World::default_guild()).await;
    let options = json!([
        {"name": "mod_log", "type": 7, "value": ids::REVIEW.to_string()},
        {"name": "language", "type": 3, "value": "ja"}
    ]);
    let reply = slash_in(&bot, "en-US", "owner", "setup", options).await;
    assert_eq!(
        reply.content(),
        Some(
            "Steward does not speak “ja”. Languages: English (en), Français (fr). Nothing was changed."
        )
    );
    let (store, _fake, _dir) = bot.stop().await;
    let settings = store
        .guild_settings(steward::ids::GuildId(ids::GUILD))
        .await
        .unwrap();
    assert_eq!(settings.language, "fr");
    assert_ne!(
        settings.mod_log_channel,
        Some(steward::ids::ChannelId(ids::REVIEW))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_command_in_private_messages_is_refused_in_the_invoker_language() {
    let bot = Steward::start(World::default_guild()).await;
    for (locale, expected) in [
        ("fr", "Cette commande ne fonctionne que sur un serveur."),
        ("en-US", "This command only works in a server."),
    ] {
        let mut command =
            fixtures::slash_command(&bot.fake.world(), "alice", "general", "mycases", json!([]));
        // The same command, sent from a DM with the bot: no guild, a user instead of a member.
        let object = command.as_object_mut().unwrap();
        let member = object.remove("member").unwrap();
        object.remove("guild_id");
        object["data"].as_object_mut().unwrap().remove("guild_id");
        object.insert("user".into(), member["user"].clone());
        object.insert("context".into(), json!(1));
        object.insert(
            "authorizing_integration_owners".into(),
            json!({"1": ids::ALICE.to_string()}),
        );
        object.insert(
            "channel".into(),
            json!({"id": "1577836800000000999", "type": 1, "recipients": [member["user"].clone()]}),
        );
        object.insert("channel_id".into(), json!("1577836800000000999"));
        object.insert("locale".into(), json!(locale));
        let reply = bot.interact(command).await;
        assert!(ephemeral(&reply), "{reply}");
        assert_eq!(reply.content(), Some(expected));
    }
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_option_of_the_wrong_type_is_answered_not_ignored() {
    let bot = Steward::start(World::default_guild()).await;
    // As sent by a Discord client that still has an older version of the command.
    let show = json!([{"name": "show", "type": 1, "options": [text("id", "abc")]}]);
    let reply = slash_in(&bot, "fr", "bob", "review", show).await;
    assert!(ephemeral(&reply), "{reply}");
    assert_eq!(
        reply.content(),
        Some("Cette commande vient de changer : réessayez dans une minute.")
    );
    bot.stop().await;
}
