//! What the bot knows about Discord happenings, as plain data: the Discord adapter builds these
//! from serenity's types, and everything else works on them: messages ([`MessageFacts`]) and
//! what a moderator's request is checked against ([`ManualFacts`]).

use crate::i18n::Lang;
use crate::ids::{ChannelId, GuildId, MessageId, RoleId, UserId};

/// A file attached to a message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AttachmentFacts {
    pub filename: String,
    pub url: String,
}

/// A message posted or edited in a guild channel.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageFacts {
    pub guild: GuildId,
    pub channel: ChannelId,
    pub channel_name: String,
    pub nsfw_channel: bool,
    pub message: MessageId,
    pub author: UserId,
    /// The author's username.
    pub author_name: String,
    /// The name the server shows for the author: their nickname there, else their global
    /// display name, else their username.
    pub author_display_name: String,
    /// The author's avatar URL (their server avatar when they have one).
    pub author_avatar: Option<String>,
    pub author_is_bot: bool,
    /// The author's roles, by id and name.
    pub author_roles: Vec<(RoleId, String)>,
    /// Whether the author holds a moderation permission (Manage Messages, Moderate Members,
    /// Kick, Ban, Manage Server or Administrator) in this channel.
    pub author_can_moderate: bool,
    /// When the author joined the guild, when known (ms since the Unix epoch).
    pub member_since_ms: Option<i64>,
    pub content: String,
    pub attachments: Vec<AttachmentFacts>,
    /// When it was sent or edited (ms since the Unix epoch).
    pub timestamp_ms: i64,
    /// An edit of an earlier message.
    pub edited: bool,
    /// The author of the message this one replies to, when it is a reply and Discord sent it.
    pub replied_to: Option<UserId>,
}

/// A permission of Steward's that a moderation action needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Delete members' messages.
    ManageMessages,
    /// Time members out, and lift timeouts.
    ModerateMembers,
    /// Remove members from the server.
    KickMembers,
    /// Ban members, and lift bans.
    BanMembers,
    /// Repost a restored message under its author's name.
    ManageWebhooks,
    /// Give newcomers their welcome roles.
    ManageRoles,
    /// Read the server's invites (referral attribution).
    ManageGuild,
    /// Make members' personal invites (`/invite`).
    CreateInvite,
}

impl Permission {
    /// Every permission Steward uses.
    pub const ALL: [Permission; 8] = [
        Permission::ManageMessages,
        Permission::ModerateMembers,
        Permission::KickMembers,
        Permission::BanMembers,
        Permission::ManageWebhooks,
        Permission::ManageRoles,
        Permission::ManageGuild,
        Permission::CreateInvite,
    ];
}

/// What the manual planner ([`crate::moderation::manual::plan`]) needs to know about the server,
/// the moderator and the member, gathered by the adapter (cache and a REST member fetch) before
/// anything is done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManualFacts {
    /// The server owner; `None` while the server (or Steward's member in it) is not cached yet.
    pub owner: Option<UserId>,
    /// Steward itself.
    pub bot: UserId,
    /// Steward's permissions (all of them with Administrator): those on messages (Manage
    /// Messages, Manage Webhooks) in the channel concerned when there is one, the others
    /// guild-wide.
    pub bot_permissions: Vec<Permission>,
    /// The position of Steward's highest role (0 for `@everyone` only).
    pub bot_top_role: u16,
    /// The position of the moderator's highest role.
    pub actor_top_role: u16,
    /// The position of the member's highest role; `None` when they are not a member (a ban by id).
    pub target_top_role: Option<u16>,
    /// The server's name, for the member's DM (empty when unknown).
    pub guild_name: String,
    /// The active charter's sections, as (number, title in the server's language).
    pub sections: Vec<(u32, String)>,
    /// The server's language: DMs and case reasons are written in it.
    pub lang: Lang,
    /// Now, in milliseconds since the Unix epoch.
    pub now_ms: i64,
}

impl ManualFacts {
    /// Whether Steward holds `permission`.
    pub fn bot_may(&self, permission: Permission) -> bool {
        self.bot_permissions.contains(&permission)
    }

    /// The title of charter section `number`, when the charter has it.
    pub fn section_title(&self, number: u32) -> Option<&str> {
        self.sections
            .iter()
            .find(|(n, _)| *n == number)
            .map(|(_, title)| title.as_str())
    }
}
