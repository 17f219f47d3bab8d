//! serenity's types in, the crate's facts out. Channel names, NSFW flags, role names and the
//! author's permissions come from serenity's cache of the guild; the author's display name is
//! their server nickname, else their global name, else their username.

use serenity::all::{
    Attachment, Cache, GuildChannel, GuildId, Message, MessageUpdateEvent, PartialMember,
    Permissions, Timestamp, User,
};

use crate::facts::{AttachmentFacts, MessageFacts, Permission};
use crate::ids;

/// Permissions that make a member a moderator, exempt from automatic moderation.
pub const MODERATION_PERMISSIONS: Permissions = Permissions::MANAGE_MESSAGES
    .union(Permissions::MODERATE_MEMBERS)
    .union(Permissions::KICK_MEMBERS)
    .union(Permissions::BAN_MEMBERS)
    .union(Permissions::MANAGE_GUILD)
    .union(Permissions::ADMINISTRATOR);

/// A serenity permission for one of ours.
pub fn permissions_of(permission: Permission) -> Permissions {
    match permission {
        Permission::ManageMessages => Permissions::MANAGE_MESSAGES,
        Permission::ModerateMembers => Permissions::MODERATE_MEMBERS,
        Permission::KickMembers => Permissions::KICK_MEMBERS,
        Permission::BanMembers => Permissions::BAN_MEMBERS,
        Permission::ManageWebhooks => Permissions::MANAGE_WEBHOOKS,
        Permission::ManageRoles => Permissions::MANAGE_ROLES,
        Permission::ManageGuild => Permissions::MANAGE_GUILD,
        Permission::CreateInvite => Permissions::CREATE_INSTANT_INVITE,
    }
}

/// Whether the charter's `wanted` (a role's id, or its name in any case) names the role `id`
/// called `name`.
pub fn names_role(wanted: &str, id: serenity::all::RoleId, name: &str) -> bool {
    id.to_string() == wanted || name.eq_ignore_ascii_case(wanted)
}

/// Whether `permissions` grant `needed` (Administrator grants everything).
pub fn holds(permissions: Permissions, needed: Permission) -> bool {
    permissions.administrator() || permissions.contains(permissions_of(needed))
}

/// Ours, of the permissions a member holds.
pub fn permission_list(permissions: Permissions) -> Vec<Permission> {
    Permission::ALL
        .into_iter()
        .filter(|p| holds(permissions, *p))
        .collect()
}

/// The name a server shows for `user`: their nickname there (`nick`), else their global display
/// name, else their username. Review items keep it, and a restored message is posted under it.
pub fn display_name(user: &User, nick: Option<&str>) -> String {
    nick.unwrap_or_else(|| user.display_name()).to_string()
}

/// Milliseconds since the Unix epoch.
pub fn millis(t: &Timestamp) -> i64 {
    t.unix_timestamp() * 1000 + i64::from(t.timestamp_subsec_millis())
}

/// The facts of a new guild message; `None` for direct messages.
pub fn message_facts(cache: &Cache, msg: &Message) -> Option<MessageFacts> {
    let guild = msg.guild_id?;
    let replied_to = msg
        .referenced_message
        .as_ref()
        .map(|replied| ids::UserId(replied.author.id.get()));
    let facts = facts(
        cache,
        Parts {
            guild,
            channel: msg.channel_id,
            message: msg.id,
            author: &msg.author,
            member: msg.member.as_deref(),
            content: &msg.content,
            attachments: &msg.attachments,
            at: &msg.timestamp,
            edited: false,
        },
    );
    Some(MessageFacts {
        replied_to,
        ..facts
    })
}

/// The facts of an edited guild message, when the edit changed its text or files.
pub fn edit_facts(cache: &Cache, event: &MessageUpdateEvent) -> Option<MessageFacts> {
    let guild = event.guild_id?;
    let author = event.author.as_ref()?;
    let content = event.content.as_deref()?;
    let at = event.edited_timestamp.or(event.timestamp)?;
    Some(facts(
        cache,
        Parts {
            guild,
            channel: event.channel_id,
            message: event.id,
            author,
            member: event.member.as_ref().and_then(|m| m.as_deref()),
            content,
            attachments: event.attachments.as_deref().unwrap_or_default(),
            at: &at,
            edited: true,
        },
    ))
}

struct Parts<'a> {
    guild: GuildId,
    channel: serenity::all::ChannelId,
    message: serenity::all::MessageId,
    author: &'a User,
    member: Option<&'a PartialMember>,
    content: &'a str,
    attachments: &'a [Attachment],
    at: &'a Timestamp,
    edited: bool,
}

fn facts(cache: &Cache, p: Parts<'_>) -> MessageFacts {
    let mut facts = MessageFacts {
        guild: ids::GuildId(p.guild.get()),
        channel: ids::ChannelId(p.channel.get()),
        message: ids::MessageId(p.message.get()),
        author: ids::UserId(p.author.id.get()),
        author_name: p.author.name.clone(),
        author_display_name: display_name(p.author, p.member.and_then(|m| m.nick.as_deref())),
        author_avatar: Some(p.author.face()),
        author_is_bot: p.author.bot,
        member_since_ms: p.member.and_then(|m| m.joined_at.as_ref()).map(millis),
        content: p.content.to_string(),
        attachments: p
            .attachments
            .iter()
            .map(|a| AttachmentFacts {
                filename: a.filename.clone(),
                url: a.url.clone(),
            })
            .collect(),
        timestamp_ms: millis(p.at),
        edited: p.edited,
        ..MessageFacts::default()
    };
    let Some(guild) = cache.guild(p.guild) else {
        return facts;
    };
    if let Some(member) = guild.members.get(&p.author.id) {
        let nick = p
            .member
            .and_then(|m| m.nick.as_deref())
            .or(member.nick.as_deref());
        facts.author_display_name = display_name(p.author, nick);
        facts.author_avatar = Some(member.face());
    }
    let channel: Option<&GuildChannel> = guild
        .channels
        .get(&p.channel)
        .or_else(|| guild.threads.iter().find(|t| t.id == p.channel));
    if let Some(channel) = channel {
        facts.channel_name = channel.name.clone();
        let parent = channel.parent_id.and_then(|id| guild.channels.get(&id));
        facts.nsfw_channel = channel.nsfw || parent.is_some_and(|p| p.nsfw);
    }
    let role_ids = p
        .member
        .map(|m| m.roles.clone())
        .or_else(|| guild.members.get(&p.author.id).map(|m| m.roles.clone()))
        .unwrap_or_default();
    facts.author_roles = role_ids
        .iter()
        .map(|id| {
            let name = guild
                .roles
                .get(id)
                .map(|r| r.name.clone())
                .unwrap_or_default();
            (ids::RoleId(id.get()), name)
        })
        .collect();
    let permissions = match (channel, p.member) {
        (Some(channel), Some(member)) => {
            let mut member = member.clone();
            member.user = None;
            guild.partial_member_permissions_in(channel, p.author.id, &member)
        }
        (Some(channel), None) => guild
            .members
            .get(&p.author.id)
            .map(|m| guild.user_permissions_in(channel, m))
            .unwrap_or_default(),
        _ => Permissions::empty(),
    };
    facts.author_can_moderate =
        guild.owner_id == p.author.id || permissions.intersects(MODERATION_PERMISSIONS);
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_display_name_is_the_nickname_else_the_global_name_else_the_username() {
        let mut user = User::default();
        user.name = "alice_42".into();
        assert_eq!(display_name(&user, None), "alice_42");
        user.global_name = Some("Alice".into());
        assert_eq!(display_name(&user, None), "Alice");
        assert_eq!(display_name(&user, Some("Alice Wonder")), "Alice Wonder");
    }
}
