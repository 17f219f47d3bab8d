//! What the bot knows about Discord happenings, as plain data: the Discord adapter builds these
//! from serenity's types, and everything else works on them.

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
    pub author_name: String,
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
}
