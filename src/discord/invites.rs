//! The invite cache behind referral attribution: each guild's invites and their use counts,
//! primed on GUILD_CREATE, kept up to date by INVITE_CREATE, and compared after joins. Joins close
//! together share one fetch: the first join of a burst starts a settling task that waits a moment,
//! fetches the invites once for every join seen so far, and goes round again only if more joins
//! arrived meanwhile (Discord rate-limits the invites route; 50 joins in a second must not be 50
//! fetches).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use serde::Deserialize;
use serenity::all::{Cache, GuildId, Http, LightMethod, Request, Route};
use tracing::{debug, warn};

use crate::community::referrals::{Attribution, InviteFacts, InviteSnapshot, attribute};
use crate::ids;

/// How long the first join of a burst waits for the others before invites are fetched.
pub const SETTLE: Duration = Duration::from_millis(300);

/// What fetching a guild's invites found.
pub enum Fetched {
    Invites(InviteSnapshot),
    /// Steward may not list them (it lacks Manage Server).
    Hidden,
    /// Discord failed; joins of this round stay unattributed.
    Failed,
}

/// Per guild: the last snapshot compared against, and the joins waiting for the next fetch.
struct GuildInvites<J> {
    snapshot: Option<InviteSnapshot>,
    waiting: Vec<J>,
    settling: bool,
    /// Bumped by every settled round: a priming fetch that started before it is older than the
    /// snapshot and must not replace it.
    generation: u64,
}

impl<J> Default for GuildInvites<J> {
    fn default() -> Self {
        GuildInvites {
            snapshot: None,
            waiting: Vec::new(),
            settling: false,
            generation: 0,
        }
    }
}

/// Every guild's invites, and the joins waiting to be attributed (of type `J`).
pub struct Invites<J> {
    guilds: Mutex<HashMap<ids::GuildId, GuildInvites<J>>>,
}

impl<J> Default for Invites<J> {
    fn default() -> Self {
        Invites {
            guilds: Mutex::new(HashMap::new()),
        }
    }
}

impl<J> Invites<J> {
    /// Called before fetching invites to prime the cache: the generation to hand to [`prime`].
    ///
    /// [`prime`]: Invites::prime
    pub fn generation(&self, guild: ids::GuildId) -> u64 {
        let mut guilds = self.guilds.lock().expect("invites lock");
        guilds.entry(guild).or_default().generation
    }

    /// Replaces a guild's snapshot (GUILD_CREATE) with one fetched from `generation` on, unless
    /// joins are being settled or were settled since the fetch began (their snapshot is newer).
    pub fn prime(&self, guild: ids::GuildId, generation: u64, snapshot: InviteSnapshot) {
        let mut guilds = self.guilds.lock().expect("invites lock");
        let entry = guilds.entry(guild).or_default();
        if !entry.settling && entry.generation == generation {
            entry.snapshot = Some(snapshot);
        }
    }

    /// Adds an invite created since the snapshot (INVITE_CREATE).
    pub fn created(&self, guild: ids::GuildId, invite: InviteFacts) {
        let mut guilds = self.guilds.lock().expect("invites lock");
        if let Some(snapshot) = guilds.get_mut(&guild).and_then(|g| g.snapshot.as_mut()) {
            snapshot.created(invite);
        }
    }

    /// Queues a join; `true` when the caller must start the settling task (none is running).
    pub fn queue(&self, guild: ids::GuildId, join: J) -> bool {
        let mut guilds = self.guilds.lock().expect("invites lock");
        let entry = guilds.entry(guild).or_default();
        entry.waiting.push(join);
        !std::mem::replace(&mut entry.settling, true)
    }

    /// The joins queued so far (for one fetch); ends the settling task when there are none.
    pub fn take_waiting(&self, guild: ids::GuildId) -> Vec<J> {
        let mut guilds = self.guilds.lock().expect("invites lock");
        let entry = guilds.entry(guild).or_default();
        let waiting = std::mem::take(&mut entry.waiting);
        if waiting.is_empty() {
            entry.settling = false;
        }
        waiting
    }

    /// Attributes `joins` against what was fetched, moving the snapshot forward.
    pub fn settle(
        &self,
        guild: ids::GuildId,
        joins: Vec<J>,
        fetched: Fetched,
    ) -> Vec<(J, Attribution)> {
        let mut guilds = self.guilds.lock().expect("invites lock");
        let entry = guilds.entry(guild).or_default();
        entry.generation += 1;
        let attributions = match (fetched, entry.snapshot.take()) {
            (Fetched::Invites(now), Some(before)) => {
                let (found, next) = attribute(&before, now, joins.len());
                entry.snapshot = Some(next);
                found
            }
            (Fetched::Invites(now), None) => {
                // Nothing to compare against yet (Steward just started): from now on there is.
                entry.snapshot = Some(now);
                vec![Attribution::unknown(); joins.len()]
            }
            (Fetched::Hidden | Fetched::Failed, before) => {
                entry.snapshot = before;
                vec![Attribution::unknown(); joins.len()]
            }
        };
        joins.into_iter().zip(attributions).collect()
    }
}

#[derive(Deserialize)]
struct VanityUses {
    uses: u64,
}

/// Fetches a guild's invites (and its vanity URL's use count when it has one).
pub async fn fetch(http: &Http, cache: &Cache, guild: GuildId) -> Fetched {
    let invites = match guild.invites(http).await {
        Ok(invites) => invites,
        Err(serenity::Error::Http(e)) if e.status_code().is_some_and(|s| s.as_u16() == 403) => {
            return Fetched::Hidden;
        }
        Err(e) => {
            warn!(%guild, error = %e, "invites not fetched; joins stay unattributed");
            return Fetched::Failed;
        }
    };
    let has_vanity = cache
        .guild(guild)
        .is_some_and(|g| g.features.iter().any(|f| f == "VANITY_URL"));
    let vanity_uses = if has_vanity {
        let request = Request::new(Route::GuildVanityUrl { guild_id: guild }, LightMethod::Get);
        match http.fire::<VanityUses>(request).await {
            Ok(v) => Some(v.uses),
            Err(e) => {
                debug!(%guild, error = %e, "vanity URL uses not read");
                None
            }
        }
    } else {
        None
    };
    let facts = invites.into_iter().map(|i| InviteFacts {
        code: i.code,
        inviter: i.inviter.map(|u| ids::UserId(u.id.get())),
        uses: i.uses,
        max_uses: u64::from(i.max_uses),
    });
    Fetched::Invites(InviteSnapshot::new(facts, vanity_uses))
}
