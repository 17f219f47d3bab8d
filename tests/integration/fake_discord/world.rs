//! The world a fake Discord serves: the bot user, the application, guilds with roles, channels
//! and members (see `specs`). Plain data that tests build and tweak; the default world is one
//! guild with a moderator, a member, the owner and the bot.

use serde_json::{Value, json};
use serenity::all::Permissions;

use super::fixtures::{snowflake_at, timestamp_at};
#[allow(unused_imports)]
pub use super::specs::{ChannelSpec, GuildSpec, MemberSpec, RoleSpec, UserSpec};

/// Fixed ids of the default world (`World::default_guild`), as realistic snowflakes.
pub mod ids {
    use super::snowflake_at;

    /// 2019-01-01T00:00:00Z: when the default guild, its roles and channels were created.
    const GUILD_BORN: u64 = 1_546_300_800_000;
    /// 2020-01-01T00:00:00Z: when the default users' accounts were created.
    const USERS_BORN: u64 = 1_577_836_800_000;

    pub const GUILD: u64 = snowflake_at(GUILD_BORN, 1);
    /// `@everyone` has the guild's id.
    pub const EVERYONE_ROLE: u64 = GUILD;
    pub const MODERATOR_ROLE: u64 = snowflake_at(GUILD_BORN, 2);
    pub const BOT_ROLE: u64 = snowflake_at(GUILD_BORN, 3);
    pub const GENERAL: u64 = snowflake_at(GUILD_BORN, 10);
    pub const MOD_LOG: u64 = snowflake_at(GUILD_BORN, 11);
    pub const REVIEW: u64 = snowflake_at(GUILD_BORN, 12);
    pub const OWNER: u64 = snowflake_at(USERS_BORN, 1);
    pub const BOT: u64 = snowflake_at(USERS_BORN, 2);
    /// The application id equals the bot user's id, as for every Discord bot made since 2019.
    pub const APPLICATION: u64 = BOT;
    pub const ALICE: u64 = snowflake_at(USERS_BORN, 3);
    pub const BOB: u64 = snowflake_at(USERS_BORN, 4);
}

/// Name of the bot's own role in the default world.
pub const BOT_ROLE_NAME: &str = "Steward";
/// Name of the moderators' role in the default world.
pub const MODERATOR_ROLE_NAME: &str = "Moderator";

/// What the bot's role may do in the default world: enough for everything Steward does, without
/// ADMINISTRATOR (which would hide missing-permission bugs).
pub fn default_bot_permissions() -> Permissions {
    Permissions::VIEW_CHANNEL
        | Permissions::SEND_MESSAGES
        | Permissions::MANAGE_MESSAGES
        | Permissions::MODERATE_MEMBERS
        | Permissions::KICK_MEMBERS
        | Permissions::BAN_MEMBERS
        | Permissions::EMBED_LINKS
        | Permissions::READ_MESSAGE_HISTORY
        | Permissions::MANAGE_WEBHOOKS
        | Permissions::ADD_REACTIONS
}

/// What every member may do (`@everyone`) in the default world.
pub fn default_everyone_permissions() -> Permissions {
    Permissions::VIEW_CHANNEL
        | Permissions::SEND_MESSAGES
        | Permissions::READ_MESSAGE_HISTORY
        | Permissions::ADD_REACTIONS
        | Permissions::EMBED_LINKS
        | Permissions::ATTACH_FILES
        | Permissions::USE_APPLICATION_COMMANDS
}

/// Everything the fake Discord knows: the bot, its application and its guilds.
#[derive(Clone, Debug, PartialEq)]
pub struct World {
    pub bot: UserSpec,
    pub application_id: u64,
    /// Owner of the application (`GET /oauth2/applications/@me`).
    pub application_owner: UserSpec,
    pub guilds: Vec<GuildSpec>,
    /// The locale members' clients send with their interactions; `None` reads `en-US`.
    pub locale: Option<String>,
    /// The application's flags (`GET /applications/@me`): by default the Server Members and
    /// Message Content intents are enabled (their "limited" bits, as for a bot in fewer than 100
    /// servers).
    pub application_flags: u64,
    /// The shard count `GET /gateway/bot` recommends (`shards`); 1 by default (see
    /// `world_shards`).
    pub recommended_shards: u64,
    /// `GET /gateway/bot`'s `session_start_limit.max_concurrency`; 1 by default. IDENTIFYs fall
    /// in rate-limit buckets `shard_id % max_concurrency`.
    pub max_concurrency: u64,
    /// Whether an IDENTIFY less than 5 s after another of its bucket gets op 9 INVALID_SESSION,
    /// as on Discord. Off by default: tests restart Steward on one fake within a second.
    pub enforce_identify_spacing: bool,
}

impl World {
    /// One guild "Test Guild" with roles `@everyone` (0), `Moderator` (1), `Steward` (the bot's,
    /// 2); text channels `general`, `mod-log`, `review`; members `owner`, `Steward` (the bot),
    /// `alice` (no role) and `bob` (Moderator). Ids are in [`ids`].
    pub fn default_guild() -> World {
        let joined_2021 = timestamp_at(1_609_459_200_000);
        let owner = UserSpec::new(ids::OWNER, "owner");
        let bot = UserSpec::bot(ids::BOT, "Steward");
        let moderator_permissions = Permissions::MANAGE_MESSAGES
            | Permissions::MODERATE_MEMBERS
            | Permissions::KICK_MEMBERS
            | Permissions::BAN_MEMBERS;
        let mut bot_role =
            RoleSpec::new(ids::BOT_ROLE, BOT_ROLE_NAME, default_bot_permissions(), 2);
        bot_role.managed = true;
        let guild = GuildSpec {
            id: ids::GUILD,
            name: "Test Guild".to_string(),
            owner_id: ids::OWNER,
            roles: vec![
                RoleSpec::new(
                    ids::EVERYONE_ROLE,
                    "@everyone",
                    default_everyone_permissions(),
                    0,
                ),
                RoleSpec::new(
                    ids::MODERATOR_ROLE,
                    MODERATOR_ROLE_NAME,
                    moderator_permissions,
                    1,
                ),
                bot_role,
            ],
            channels: vec![
                ChannelSpec {
                    position: 0,
                    ..ChannelSpec::text(ids::GENERAL, "general")
                },
                ChannelSpec {
                    position: 1,
                    ..ChannelSpec::text(ids::MOD_LOG, "mod-log")
                },
                ChannelSpec {
                    position: 2,
                    ..ChannelSpec::text(ids::REVIEW, "review")
                },
            ],
            members: vec![
                MemberSpec::new(owner.clone(), vec![], &joined_2021),
                MemberSpec::new(bot.clone(), vec![ids::BOT_ROLE], &joined_2021),
                MemberSpec::new(UserSpec::new(ids::ALICE, "alice"), vec![], &joined_2021),
                MemberSpec::new(
                    UserSpec::new(ids::BOB, "bob"),
                    vec![ids::MODERATOR_ROLE],
                    &joined_2021,
                ),
            ],
            bans: Vec::new(),
            invites: Vec::new(),
            vanity: None,
            verification_level: 0,
            invites_disabled_until: None,
            dms_disabled_until: None,
        };
        World {
            bot,
            application_id: ids::APPLICATION,
            application_owner: owner,
            guilds: vec![guild],
            locale: None,
            application_flags: (1 << 15) | (1 << 19),
            recommended_shards: 1,
            max_concurrency: 1,
            enforce_identify_spacing: false,
        }
    }

    /// The first guild.
    pub fn guild(&self) -> &GuildSpec {
        self.guilds.first().expect("fake world: no guild")
    }

    pub fn guild_mut(&mut self) -> &mut GuildSpec {
        self.guilds.first_mut().expect("fake world: no guild")
    }

    pub fn guild_by_id(&self, id: u64) -> Option<&GuildSpec> {
        self.guilds.iter().find(|g| g.id == id)
    }

    pub fn guild_by_id_mut(&mut self, id: u64) -> Option<&mut GuildSpec> {
        self.guilds.iter_mut().find(|g| g.id == id)
    }

    /// The guild owning a channel.
    pub fn guild_of_channel(&self, channel_id: u64) -> Option<&GuildSpec> {
        self.guilds
            .iter()
            .find(|g| g.channel_by_id(channel_id).is_some())
    }

    /// The bot's role in the first guild (the role named [`BOT_ROLE_NAME`]).
    pub fn bot_role_mut(&mut self) -> &mut RoleSpec {
        self.guild_mut().role_mut(BOT_ROLE_NAME)
    }

    /// Gives the bot's role in the first guild `permissions` too (such as Manage Channels and
    /// Manage Server, which the default world leaves out).
    pub fn with_bot_permission(mut self, permissions: Permissions) -> World {
        self.bot_role_mut().permissions.insert(permissions);
        self
    }

    /// Takes `permissions` away from the bot's role in the first guild.
    pub fn without_bot_permission(mut self, permissions: Permissions) -> World {
        self.bot_role_mut().permissions.remove(permissions);
        self
    }

    /// Sets the bot role's permissions in the first guild.
    pub fn with_bot_permissions(mut self, permissions: Permissions) -> World {
        self.bot_role_mut().permissions = permissions;
        self
    }

    /// Moves a role of the first guild to `position`.
    pub fn with_role_position(mut self, role: &str, position: u16) -> World {
        self.guild_mut().role_mut(role).position = position;
        self
    }

    /// A user known anywhere in the world (members, bans, the bot, the application owner).
    pub fn user(&self, user_id: u64) -> Option<UserSpec> {
        if self.bot.id == user_id {
            return Some(self.bot.clone());
        }
        self.guilds
            .iter()
            .flat_map(|g| {
                g.members
                    .iter()
                    .map(|m| &m.user)
                    .chain(g.bans.iter().map(|(u, _)| u))
            })
            .chain(std::iter::once(&self.application_owner))
            .find(|u| u.id == user_id)
            .cloned()
    }

    /// The READY payload for a new session.
    pub fn ready_json(&self, session_id: &str, resume_url: &str) -> Value {
        let mut user = self.bot.to_json();
        user["verified"] = json!(true);
        user["mfa_enabled"] = json!(false);
        user["flags"] = json!(0);
        json!({
            "v": 10,
            "user": user,
            "guilds": self
                .guilds
                .iter()
                .map(|g| json!({"id": g.id.to_string(), "unavailable": true}))
                .collect::<Vec<_>>(),
            "session_id": session_id,
            "resume_gateway_url": resume_url,
            "shard": [0, 1],
            "application": {"id": self.application_id.to_string(), "flags": 0},
            "private_channels": [],
            "presences": [],
            "relationships": [],
        })
    }

    /// `GET /oauth2/applications/@me`.
    pub fn application_json(&self) -> Value {
        json!({
            "id": self.application_id.to_string(),
            "name": self.bot.name,
            "icon": null,
            "description": "",
            "rpc_origins": [],
            "bot_public": false,
            "bot_require_code_grant": false,
            "owner": self.application_owner.to_json(),
            "verify_key": "0000000000000000000000000000000000000000000000000000000000000000",
            "team": null,
            "flags": self.application_flags,
            "bot": self.bot.to_json(),
        })
    }
}
