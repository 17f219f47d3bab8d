//! `/lockdown` end to end in a French server: a moderator freezes #general, whose `@everyone`
//! overwrite already allowed and denied other things; posting is denied and the rest kept, the
//! members are told in the channel; locking it again says so; after a restart, `/lockdown off`
//! puts back exactly the overwrite it had, and a channel that had none gets none again.

use serde_json::{Value, json};
use serenity::all::Permissions;

use crate::fake_discord::world::default_bot_permissions;
use crate::fake_discord::{ChannelSpec, FakeDiscord, World, ids};
use crate::steward_support::{Steward, WAIT};
use steward::discord::RunOptions;
use steward::moderation::lockdown::FROZEN;

const NEWS: u64 = ids::REVIEW + 2000;

fn world() -> World {
    let mut world = World::default_guild()
        .with_bot_permissions(default_bot_permissions() | Permissions::MANAGE_ROLES);
    let general = world.guild_mut().channel_mut("general");
    general.permission_overwrites = vec![ChannelSpec::overwrite(
        ids::GUILD,
        0,
        Permissions::ATTACH_FILES,
        Permissions::EMBED_LINKS,
    )];
    world
        .guild_mut()
        .channels
        .push(ChannelSpec::text(NEWS, "annonces"));
    world
}

fn everyone_overwrite(fake: &FakeDiscord, channel: u64) -> Option<Value> {
    let world = fake.world();
    world
        .guild()
        .channel_by_id(channel)
        .unwrap()
        .permission_overwrites
        .iter()
        .find(|o| o["id"] == json!(ids::GUILD.to_string()))
        .cloned()
}

fn bits(overwrite: &Value, field: &str) -> u64 {
    match &overwrite[field] {
        Value::String(s) => s.parse().unwrap(),
        other => other.as_u64().unwrap(),
    }
}

fn sub(name: &str, options: Value) -> Value {
    json!([{"type": 1, "name": name, "options": options}])
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lockdown_freezes_posting_and_restores_the_exact_overwrites_after_a_restart() {
    let bot = Steward::start(world()).await;
    let before = everyone_overwrite(&bot.fake, ids::GENERAL).unwrap();
    let on = bot.slash("bob", "lockdown", sub("on", json!([]))).await;
    let text = on.content().unwrap_or_default();
    assert!(
        text.starts_with(&format!("<#{}> est verrouillé", ids::GENERAL)),
        "{text}"
    );
    let locked = everyone_overwrite(&bot.fake, ids::GENERAL).unwrap();
    let attach = Permissions::ATTACH_FILES.bits();
    let embed = Permissions::EMBED_LINKS.bits();
    assert_eq!(bits(&locked, "allow"), attach);
    assert_eq!(bits(&locked, "deny"), embed | FROZEN);
    bot.fake
        .wait_for(
            |r| {
                r.is("POST", &format!("/channels/{}/messages", ids::GENERAL))
                    && r.content().is_some_and(|c| c.starts_with("🔒"))
            },
            WAIT,
        )
        .await;
    let again = bot.slash("bob", "lockdown", sub("on", json!([]))).await;
    assert_eq!(
        again.content(),
        Some(format!("<#{}> est déjà verrouillé.", ids::GENERAL).as_str())
    );
    let news = json!([{"name": "channel", "type": 7, "value": NEWS.to_string()}]);
    bot.slash("bob", "lockdown", sub("on", news)).await;
    assert_eq!(
        bits(&everyone_overwrite(&bot.fake, NEWS).unwrap(), "deny"),
        FROZEN
    );

    // A restart in the middle: the overwrites from before are in the database.
    let (fake, dir) = bot.halt().await;
    let bot = Steward::launch(fake, dir, RunOptions::default()).await;
    let off = bot.slash("bob", "lockdown", sub("off", json!([]))).await;
    let text = off.content().unwrap_or_default();
    assert!(
        text.starts_with("Rouverts, exactement comme avant"),
        "{text}"
    );
    let restored = everyone_overwrite(&bot.fake, ids::GENERAL).unwrap();
    assert_eq!(
        (bits(&restored, "allow"), bits(&restored, "deny")),
        (bits(&before, "allow"), bits(&before, "deny"))
    );
    assert_eq!(everyone_overwrite(&bot.fake, NEWS), None);
    assert_eq!(
        bot.fake
            .requests_to(
                "DELETE",
                &format!("/channels/{NEWS}/permissions/{}", ids::GUILD)
            )
            .len(),
        1
    );
    let none = bot.slash("bob", "lockdown", sub("off", json!([]))).await;
    assert_eq!(none.content(), Some("Aucun salon n’est verrouillé."));
    bot.halt().await;
}
