//! Sharding in the fake world: the shard owning a guild (`(guild_id >> 22) % num_shards`, as
//! Discord routes), the READY of one shard, the gateway settings `GET /gateway/bot` announces,
//! and a world with a second guild on shard 1 of 2 ([`World::two_guilds_on_two_shards`]).

use serde_json::json;

use super::specs::GuildSpec;
use super::world::{World, ids};

/// The shard of `num_shards` that Discord sends `guild_id`'s events to.
pub const fn shard_of(guild_id: u64, num_shards: u64) -> u64 {
    (guild_id >> 22) % num_shards
}

/// Fixed ids of the second guild of [`World::two_guilds_on_two_shards`]. Its members are the
/// default world's users (`ids::OWNER`, `ids::BOT`, `ids::ALICE`, `ids::BOB`).
pub mod second_ids {
    use super::super::fixtures::snowflake_at;

    /// 2019-06-01T00:00:00.001Z: an odd millisecond since Discord's epoch, so the guild is on
    /// shard 1 of 2 (the default guild, born on an even one, is on shard 0).
    const BORN: u64 = 1_559_347_200_001;

    pub const GUILD: u64 = snowflake_at(BORN, 1);
    /// `@everyone` has the guild's id.
    pub const EVERYONE_ROLE: u64 = GUILD;
    pub const MODERATOR_ROLE: u64 = snowflake_at(BORN, 2);
    pub const BOT_ROLE: u64 = snowflake_at(BORN, 3);
    pub const GENERAL: u64 = snowflake_at(BORN, 10);
    pub const MOD_LOG: u64 = snowflake_at(BORN, 11);
}

const _: () = assert!(shard_of(ids::GUILD, 2) == 0);
const _: () = assert!(shard_of(second_ids::GUILD, 2) == 1);

impl World {
    /// The default world plus "Second Guild" ([`second_ids`]): the default guild (`ids::GUILD`)
    /// is on shard 0 of 2, the second guild on shard 1 of 2. The second guild has the same
    /// roles (`@everyone`, `Moderator`, `Steward`) and members (owner, the bot, alice, bob the
    /// moderator) with its own ids, and the text channels `general` and `mod-log`. `GET
    /// /gateway/bot` recommends 2 shards.
    pub fn two_guilds_on_two_shards() -> World {
        let mut world = World::default_guild().with_recommended_shards(2);
        let mut second = world.guild().clone();
        second.id = second_ids::GUILD;
        second.name = "Second Guild".to_string();
        let role = |id: u64| match id {
            ids::EVERYONE_ROLE => second_ids::EVERYONE_ROLE,
            ids::MODERATOR_ROLE => second_ids::MODERATOR_ROLE,
            ids::BOT_ROLE => second_ids::BOT_ROLE,
            other => other,
        };
        for r in &mut second.roles {
            r.id = role(r.id);
        }
        for member in &mut second.members {
            member.roles = member.roles.iter().map(|id| role(*id)).collect();
        }
        second.channels.retain(|c| c.id != ids::REVIEW);
        for channel in &mut second.channels {
            channel.id = match channel.id {
                ids::GENERAL => second_ids::GENERAL,
                _ => second_ids::MOD_LOG,
            };
        }
        world.guilds.push(second);
        world
    }

    /// The second guild of [`World::two_guilds_on_two_shards`].
    pub fn second_guild(&self) -> &GuildSpec {
        self.guild_by_id(second_ids::GUILD)
            .expect("fake world: no second guild")
    }

    /// Sets the shard count `GET /gateway/bot` recommends.
    pub fn with_recommended_shards(mut self, shards: u64) -> World {
        self.recommended_shards = shards;
        self
    }

    /// Sets `session_start_limit.max_concurrency`: the IDENTIFY rate-limit buckets.
    pub fn with_max_concurrency(mut self, max_concurrency: u64) -> World {
        self.max_concurrency = max_concurrency;
        self
    }

    /// Answers op 9 to an IDENTIFY less than 5 s after another of its bucket, as Discord does.
    pub fn with_identify_spacing(mut self) -> World {
        self.enforce_identify_spacing = true;
        self
    }

    /// The guilds shard `shard` of `count` receives.
    pub fn guilds_on_shard(&self, shard: u64, count: u64) -> impl Iterator<Item = &GuildSpec> {
        self.guilds
            .iter()
            .filter(move |g| shard_of(g.id, count.max(1)) == shard)
    }

    /// The READY of a new session of shard `shard` of `count`: its guilds only.
    pub fn shard_ready_json(
        &self,
        session_id: &str,
        resume_url: &str,
        shard: u64,
        count: u64,
    ) -> serde_json::Value {
        let mut ready = self.ready_json(session_id, resume_url);
        ready["guilds"] = json!(
            self.guilds_on_shard(shard, count)
                .map(|g| json!({"id": g.id.to_string(), "unavailable": true}))
                .collect::<Vec<_>>()
        );
        ready["shard"] = json!([shard, count]);
        ready
    }
}
