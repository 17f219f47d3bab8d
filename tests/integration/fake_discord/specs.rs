//! The parts of a fake world: users, roles, channels, members and guilds, each able to render
//! itself as the JSON Discord sends, so READY, GUILD_CREATE and REST replies agree.

use serde_json::{Value, json};
use serenity::all::Permissions;

use super::fixtures::timestamp_at;

/// A Discord user.
#[derive(Clone, Debug, PartialEq)]
pub struct UserSpec {
    pub id: u64,
    pub name: String,
    pub global_name: Option<String>,
    pub bot: bool,
}

impl UserSpec {
    pub fn new(id: u64, name: &str) -> Self {
        Self {
            id,
            name: name.to_string(),
            global_name: None,
            bot: false,
        }
    }

    pub fn bot(id: u64, name: &str) -> Self {
        Self {
            bot: true,
            ..Self::new(id, name)
        }
    }

    /// The user object as Discord sends it.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id.to_string(),
            "username": self.name,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": null,
            "bot": self.bot,
            "public_flags": 0,
        })
    }
}

/// A guild role.
#[derive(Clone, Debug, PartialEq)]
pub struct RoleSpec {
    pub id: u64,
    pub name: String,
    pub permissions: Permissions,
    /// Higher is more powerful; `@everyone` is 0.
    pub position: u16,
    pub color: u32,
    pub hoist: bool,
    /// Managed by an integration (a bot's own role is).
    pub managed: bool,
}

impl RoleSpec {
    pub fn new(id: u64, name: &str, permissions: Permissions, position: u16) -> Self {
        Self {
            id,
            name: name.to_string(),
            permissions,
            position,
            color: 0,
            hoist: false,
            managed: false,
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id.to_string(),
            "name": self.name,
            "color": self.color,
            "colors": {"primary_color": self.color, "secondary_color": null, "tertiary_color": null},
            "hoist": self.hoist,
            "icon": null,
            "unicode_emoji": null,
            "position": self.position,
            "permissions": self.permissions.bits().to_string(),
            "managed": self.managed,
            "mentionable": false,
            "flags": 0,
        })
    }
}

/// A guild channel (text by default).
#[derive(Clone, Debug, PartialEq)]
pub struct ChannelSpec {
    pub id: u64,
    pub name: String,
    /// Discord channel type: 0 text, 2 voice, 4 category, 5 announcement, 15 forum.
    pub kind: u8,
    pub nsfw: bool,
    pub position: u16,
    pub topic: Option<String>,
    pub parent_id: Option<u64>,
    /// Raw permission overwrites: `{"id", "type" (0 role, 1 member), "allow", "deny"}`.
    pub permission_overwrites: Vec<Value>,
    /// Slow mode: seconds a member waits between messages (0 off, at most 21600).
    pub rate_limit_per_user: u16,
}

impl ChannelSpec {
    /// A permission overwrite for `permission_overwrites`: `kind` 0 for a role, 1 for a member.
    pub fn overwrite(id: u64, kind: u8, allow: Permissions, deny: Permissions) -> Value {
        json!({
            "id": id.to_string(),
            "type": kind,
            "allow": allow.bits().to_string(),
            "deny": deny.bits().to_string(),
        })
    }

    pub fn text(id: u64, name: &str) -> Self {
        Self {
            id,
            name: name.to_string(),
            kind: 0,
            nsfw: false,
            position: 0,
            topic: None,
            parent_id: None,
            permission_overwrites: Vec::new(),
            rate_limit_per_user: 0,
        }
    }

    pub fn to_json(&self, guild_id: u64) -> Value {
        json!({
            "id": self.id.to_string(),
            "type": self.kind,
            "guild_id": guild_id.to_string(),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": self.permission_overwrites,
            "nsfw": self.nsfw,
            "topic": self.topic,
            "last_message_id": null,
            "rate_limit_per_user": self.rate_limit_per_user,
            "parent_id": self.parent_id.map(|id| id.to_string()),
            "flags": 0,
        })
    }
}

/// A guild member.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberSpec {
    pub user: UserSpec,
    /// Role ids, without `@everyone` (Discord never lists it).
    pub roles: Vec<u64>,
    pub nick: Option<String>,
    /// RFC 3339.
    pub joined_at: String,
    /// RFC 3339, set by a timeout.
    pub communication_disabled_until: Option<String>,
    pub pending: bool,
}

impl MemberSpec {
    pub fn new(user: UserSpec, roles: Vec<u64>, joined_at: &str) -> Self {
        Self {
            user,
            roles,
            nick: None,
            joined_at: joined_at.to_string(),
            communication_disabled_until: None,
            pending: false,
        }
    }

    /// The guild member object (with `user`), as in GUILD_CREATE and REST.
    pub fn to_json(&self) -> Value {
        let mut member = self.to_partial_json();
        member["user"] = self.user.to_json();
        member
    }

    /// The member object without `user`, as in MESSAGE_CREATE.
    pub fn to_partial_json(&self) -> Value {
        json!({
            "roles": self.roles.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
            "nick": self.nick,
            "avatar": null,
            "banner": null,
            "joined_at": self.joined_at,
            "premium_since": null,
            "deaf": false,
            "mute": false,
            "flags": 0,
            "pending": self.pending,
            "communication_disabled_until": self.communication_disabled_until,
        })
    }
}

/// A guild with its roles, channels and members (the bot's own member included).
#[derive(Clone, Debug, PartialEq)]
pub struct GuildSpec {
    pub id: u64,
    pub name: String,
    pub owner_id: u64,
    pub roles: Vec<RoleSpec>,
    pub channels: Vec<ChannelSpec>,
    pub members: Vec<MemberSpec>,
    /// Banned user ids with the reason given.
    pub bans: Vec<(UserSpec, Option<String>)>,
    /// The server's invites, with their use counts.
    pub invites: Vec<super::invites::InviteSpec>,
    /// The vanity URL's code and use count, when the server has one.
    pub vanity: Option<(String, u64)>,
    /// 0 none, 1 low, 2 medium, 3 high, 4 very high.
    pub verification_level: u8,
    /// Incident actions (RFC 3339): invites and DMs paused until then (see `settings`).
    pub invites_disabled_until: Option<String>,
    pub dms_disabled_until: Option<String>,
}

impl GuildSpec {
    pub fn channel(&self, name: &str) -> &ChannelSpec {
        self.channels
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("fake world: guild {} has no channel {name:?}", self.name))
    }

    pub fn channel_mut(&mut self, name: &str) -> &mut ChannelSpec {
        let guild = self.name.clone();
        self.channels
            .iter_mut()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("fake world: guild {guild} has no channel {name:?}"))
    }

    pub fn channel_id(&self, name: &str) -> u64 {
        self.channel(name).id
    }

    pub fn channel_by_id(&self, id: u64) -> Option<&ChannelSpec> {
        self.channels.iter().find(|c| c.id == id)
    }

    pub fn role(&self, name: &str) -> &RoleSpec {
        self.roles
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("fake world: guild {} has no role {name:?}", self.name))
    }

    pub fn role_mut(&mut self, name: &str) -> &mut RoleSpec {
        let guild = self.name.clone();
        self.roles
            .iter_mut()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("fake world: guild {guild} has no role {name:?}"))
    }

    /// The `@everyone` role (its id is the guild's).
    pub fn everyone(&self) -> &RoleSpec {
        self.roles
            .iter()
            .find(|r| r.id == self.id)
            .expect("fake world: a guild needs an @everyone role with the guild's id")
    }

    /// A member by user name (`"alice"`).
    pub fn member(&self, name: &str) -> &MemberSpec {
        self.members
            .iter()
            .find(|m| m.user.name == name)
            .unwrap_or_else(|| panic!("fake world: guild {} has no member {name:?}", self.name))
    }

    pub fn member_mut(&mut self, name: &str) -> &mut MemberSpec {
        let guild = self.name.clone();
        self.members
            .iter_mut()
            .find(|m| m.user.name == name)
            .unwrap_or_else(|| panic!("fake world: guild {guild} has no member {name:?}"))
    }

    pub fn member_by_id(&self, user_id: u64) -> Option<&MemberSpec> {
        self.members.iter().find(|m| m.user.id == user_id)
    }

    pub fn member_by_id_mut(&mut self, user_id: u64) -> Option<&mut MemberSpec> {
        self.members.iter_mut().find(|m| m.user.id == user_id)
    }

    /// Guild-level permissions of a member: `@everyone` plus their roles; all for the owner or an
    /// administrator. Channel overwrites are not applied.
    pub fn permissions_of(&self, user_id: u64) -> Permissions {
        if user_id == self.owner_id {
            return Permissions::all();
        }
        let mut permissions = self.everyone().permissions;
        if let Some(member) = self.member_by_id(user_id) {
            for role in self.roles.iter().filter(|r| member.roles.contains(&r.id)) {
                permissions |= role.permissions;
            }
        }
        if permissions.contains(Permissions::ADMINISTRATOR) {
            Permissions::all()
        } else {
            permissions
        }
    }

    /// Permissions of a member in a channel: guild permissions with the channel's overwrites
    /// applied (`@everyone`, then roles, then the member), as Discord computes them.
    pub fn channel_permissions_of(&self, user_id: u64, channel_id: u64) -> Permissions {
        let mut permissions = self.permissions_of(user_id);
        if permissions.contains(Permissions::ADMINISTRATOR) || user_id == self.owner_id {
            return permissions;
        }
        let Some(channel) = self.channel_by_id(channel_id) else {
            return permissions;
        };
        let roles = self
            .member_by_id(user_id)
            .map(|m| m.roles.clone())
            .unwrap_or_default();
        let bits = |o: &Value, key: &str| {
            Permissions::from_bits_truncate(
                o[key].as_str().and_then(|s| s.parse().ok()).unwrap_or(0),
            )
        };
        let target = |o: &Value| o["id"].as_str().and_then(|s| s.parse::<u64>().ok());
        let overwrites = &channel.permission_overwrites;
        for o in overwrites.iter().filter(|o| target(o) == Some(self.id)) {
            permissions = (permissions - bits(o, "deny")) | bits(o, "allow");
        }
        let (mut allow, mut deny) = (Permissions::empty(), Permissions::empty());
        for o in overwrites.iter().filter(|o| o["type"] == 0) {
            if target(o).is_some_and(|id| roles.contains(&id)) {
                allow |= bits(o, "allow");
                deny |= bits(o, "deny");
            }
        }
        permissions = (permissions - deny) | allow;
        for o in overwrites
            .iter()
            .filter(|o| o["type"] == 1 && target(o) == Some(user_id))
        {
            permissions = (permissions - bits(o, "deny")) | bits(o, "allow");
        }
        permissions
    }

    /// The highest position among a member's roles (0 with none).
    pub fn top_role_position(&self, user_id: u64) -> u16 {
        let Some(member) = self.member_by_id(user_id) else {
            return 0;
        };
        self.roles
            .iter()
            .filter(|r| member.roles.contains(&r.id))
            .map(|r| r.position)
            .max()
            .unwrap_or(0)
    }

    /// The guild object as REST `GET /guilds/{id}` returns it (no members or channels).
    pub fn to_partial_json(&self) -> Value {
        json!({
            "id": self.id.to_string(),
            "name": self.name,
            "icon": null,
            "icon_hash": null,
            "splash": null,
            "discovery_splash": null,
            "owner_id": self.owner_id.to_string(),
            "afk_channel_id": null,
            "afk_timeout": 300,
            "widget_enabled": false,
            "widget_channel_id": null,
            "verification_level": self.verification_level,
            "default_message_notifications": 1,
            "explicit_content_filter": 2,
            "roles": self.roles.iter().map(RoleSpec::to_json).collect::<Vec<_>>(),
            "emojis": [],
            "features": if self.vanity.is_some() { json!(["VANITY_URL"]) } else { json!([]) },
            "mfa_level": 0,
            "application_id": null,
            "system_channel_id": null,
            "system_channel_flags": 0,
            "rules_channel_id": null,
            "max_presences": null,
            "max_members": 500000,
            "vanity_url_code": self.vanity.as_ref().map(|(code, _)| code.clone()),
            "description": null,
            "banner": null,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": null,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "nsfw_level": 0,
            "stickers": [],
            "premium_progress_bar_enabled": false,
            "safety_alerts_channel_id": null,
            "incidents_data": self.incidents_json(),
        })
    }

    /// The GUILD_CREATE payload: the guild with roles, channels and every member.
    pub fn to_create_json(&self, bot_id: u64) -> Value {
        let joined_at = self
            .member_by_id(bot_id)
            .map(|m| m.joined_at.clone())
            .unwrap_or_else(|| timestamp_at(1_577_836_800_000));
        let mut guild = self.to_partial_json();
        let extra = json!({
            "joined_at": joined_at,
            "large": false,
            "unavailable": false,
            "member_count": self.members.len(),
            "voice_states": [],
            "members": self.members.iter().map(MemberSpec::to_json).collect::<Vec<_>>(),
            "channels": self.channels.iter().map(|c| c.to_json(self.id)).collect::<Vec<_>>(),
            "threads": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
        });
        let (Value::Object(map), Value::Object(extra)) = (&mut guild, extra) else {
            unreachable!("guild JSON is an object")
        };
        map.extend(extra);
        guild
    }
}
