//! `steward doctor` against the fake Discord: a healthy setup passes with exit code 0; a missing
//! permission, a missing privileged intent, a role out of Steward's reach and an unmigrated
//! database are each one line saying what to do, and the exit code is not 0.

use std::process::Output;

use serenity::all::Permissions;

use crate::fake_discord::world::default_bot_permissions;
use crate::fake_discord::{FakeDiscord, World};
use crate::support::{stderr, stdout};

/// A token long enough for the configuration's check (the fake accepts any).
const DOCTOR_TOKEN: &str = "fake.discord.token.for.the.doctor";

/// Runs `steward doctor` (after `steward migrate` when `migrated`) against `fake`.
async fn doctor(fake: &FakeDiscord, migrated: bool) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("steward.db").display());
    let base = fake.base_url();
    tokio::task::spawn_blocking(move || {
        let run = |command: &str| {
            std::process::Command::new(env!("CARGO_BIN_EXE_steward"))
                .arg(command)
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .env("DISCORD_TOKEN", DOCTOR_TOKEN)
                .env("DISCORD_API_URL", &base)
                .env("DATABASE_URL", &database)
                .env("RULES_DIR", "rules")
                .output()
                .expect("steward runs")
        };
        if migrated {
            let out = run("migrate");
            assert!(out.status.success(), "{}", stderr(&out));
        }
        let out = run("doctor");
        drop(dir);
        out
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn doctor_passes_a_healthy_setup() {
    let world = World::default_guild().with_bot_permissions(
        default_bot_permissions()
            | Permissions::MANAGE_CHANNELS
            | Permissions::MANAGE_GUILD
            | Permissions::MANAGE_ROLES
            | Permissions::CREATE_INSTANT_INVITE,
    );
    let fake = FakeDiscord::start(world).await;
    let out = doctor(&fake, true).await;
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    for line in [
        "ok       configuration",
        "ok       database: sqlite://",
        "ok       charter: rules,",
        "ok       token: accepted, Steward is Steward",
        "ok       intent: Server Members Intent enabled",
        "ok       intent: Message Content Intent enabled",
        "ok       server \"Test Guild\": every permission Steward needs",
        "ok       server \"Test Guild\": Steward's role is above every member's",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert!(!text.contains("PROBLEM"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn doctor_names_each_problem_and_what_to_do() {
    let mut world = World::default_guild()
        .with_bot_permissions(default_bot_permissions() - Permissions::BAN_MEMBERS)
        .with_role_position("Moderator", 3);
    world.application_flags = 1 << 15; // Server Members only: no Message Content.
    let fake = FakeDiscord::start(world).await;
    let out = doctor(&fake, false).await;
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for line in [
        "PROBLEM  database: sqlite://",
        "run `steward migrate`",
        "PROBLEM  intent: Message Content Intent is not enabled",
        "turn on Message Content Intent under Bot > Privileged Gateway Intents",
        "PROBLEM  server \"Test Guild\": Steward lacks Create Invites, Ban Members, Manage Channels, Manage Guild, Manage Roles",
        "give Steward's role these permissions",
        "PROBLEM  server \"Test Guild\": members with Moderator (1 members) are at or above Steward's role",
        "drag Steward's role above them",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert!(
        text.contains("ok       intent: Server Members Intent enabled"),
        "{text}"
    );
}
