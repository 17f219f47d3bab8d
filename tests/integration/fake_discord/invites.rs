//! Invites in the fake world: each with its creator and use count, listed by
//! `GET /guilds/{g}/invites` (with Manage Server only), and joins through them: a join bumps the
//! invite's count (a one-use invite is then deleted, as Discord does) before GUILD_MEMBER_ADD is
//! dispatched, the order a real server shows Steward.

use serde_json::{Value, json};

use super::fixtures::{self, timestamp_at};
use super::specs::{GuildSpec, UserSpec};
use super::world::World;
use super::{FakeDiscord, Reply};

/// An invite of the first guild.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InviteSpec {
    pub code: String,
    pub inviter: u64,
    pub channel: u64,
    pub uses: u64,
    /// 0 for unlimited.
    pub max_uses: u64,
}

impl InviteSpec {
    /// An unlimited invite to #general made by `inviter`, used `uses` times.
    pub fn new(code: &str, inviter: u64, uses: u64) -> InviteSpec {
        InviteSpec {
            code: code.to_string(),
            inviter,
            channel: super::world::ids::GENERAL,
            uses,
            max_uses: 0,
        }
    }

    /// As `GET /guilds/{g}/invites` lists it (serenity's `RichInvite`).
    pub fn to_json(&self, guild: &GuildSpec) -> Value {
        let channel = guild.channel_by_id(self.channel);
        let inviter = guild
            .member_by_id(self.inviter)
            .map(|m| m.user.clone())
            .unwrap_or_else(|| UserSpec::new(self.inviter, "someone"));
        json!({
            "code": self.code,
            "guild": {"id": guild.id.to_string(), "name": guild.name, "splash": null, "banner": null,
                      "description": null, "icon": null, "features": [],
                      "verification_level": guild.verification_level,
                      "vanity_url_code": null, "nsfw_level": 0, "premium_subscription_count": 0},
            "channel": {"id": self.channel.to_string(),
                        "name": channel.map_or("general".to_string(), |c| c.name.clone()),
                        "type": 0},
            "inviter": inviter.to_json(),
            "uses": self.uses,
            "max_uses": self.max_uses,
            "max_age": 0,
            "temporary": false,
            "created_at": timestamp_at(1_700_000_000_000),
        })
    }
}

/// `GET /invites/{code}`: the invite, or Discord's Unknown Invite.
pub(crate) fn get(world: &World, code: &str) -> Reply {
    let guild = world.guild();
    match guild.invites.iter().find(|i| i.code == code) {
        Some(invite) => Reply::ok(invite.to_json(guild)),
        None => Reply::error(404, 10006, "Unknown Invite"),
    }
}

/// `POST /channels/{c}/invites`: a new unlimited invite made by the bot.
pub(crate) fn create(world: &mut World, channel: u64) -> Reply {
    let bot = world.bot.id;
    let Some(guild) = world.guild_of_channel(channel).map(|g| g.id) else {
        return Reply::error(404, 10003, "Unknown Channel");
    };
    let guild = world.guild_by_id_mut(guild).expect("the channel's guild");
    let invite = InviteSpec {
        channel,
        ..InviteSpec::new(&format!("steward{}", guild.invites.len() + 1), bot, 0)
    };
    guild.invites.push(invite.clone());
    Reply::ok(invite.to_json(guild))
}

impl FakeDiscord {
    /// Adds an invite to the first guild (as if created before Steward started).
    pub fn add_invite(&self, invite: InviteSpec) {
        self.update_world(|w| w.guild_mut().invites.push(invite));
    }

    /// Makes `user` join the first guild through invite `code` (`None`: through no invite
    /// Steward can see, such as server discovery; `Some("vanity")`: the vanity URL).
    pub async fn join_through(&self, code: Option<&str>, user: UserSpec) {
        self.count_use(code);
        self.announce_join(user).await;
    }

    /// Counts one use of `code` without dispatching the join yet (a burst whose GUILD_MEMBER_ADD
    /// events follow).
    pub fn count_use(&self, code: Option<&str>) {
        self.update_world(|w| {
            let guild = w.guild_mut();
            match code {
                Some("vanity") => {
                    if let Some((_, uses)) = guild.vanity.as_mut() {
                        *uses += 1;
                    }
                }
                Some(code) => {
                    let invite = guild
                        .invites
                        .iter_mut()
                        .find(|i| i.code == code)
                        .unwrap_or_else(|| panic!("fake world: no invite {code:?}"));
                    invite.uses += 1;
                    if invite.max_uses > 0 && invite.uses >= invite.max_uses {
                        guild.invites.retain(|i| i.code != code);
                    }
                }
                None => {}
            }
        });
    }

    /// GUILD_MEMBER_ADD of `user`, joining now.
    pub async fn announce_join(&self, user: UserSpec) {
        let member = fixtures::joining_now(user);
        let payload = fixtures::member_add(&self.world(), &member);
        self.dispatch("GUILD_MEMBER_ADD", payload).await;
    }
}
