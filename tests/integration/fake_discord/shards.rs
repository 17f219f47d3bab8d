//! The gateway's state across shards, as Discord keeps it: every open WebSocket connection
//! (several at once, from one process or several), one session per shard (RESUME finds it by
//! its id), dispatches routed to the shard owning their guild with that session's own sequence
//! numbers, and every IDENTIFY with its time (two of one rate-limit bucket, `shard_id %
//! max_concurrency`, under 5 s apart get op 9 when the world enforces it).

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::gateway::{Outgoing, try_validate};
use super::world::World;
use super::world_shards::shard_of;

/// Discord's shortest time between two IDENTIFYs of one rate-limit bucket.
pub const IDENTIFY_SPACING: Duration = Duration::from_secs(5);
/// Forgiven of [`IDENTIFY_SPACING`]: serenity's queuer waits 5 s between shard starts measured
/// on its side, so IDENTIFYs arrive 5 s apart give or take the scheduling of two tasks.
pub const IDENTIFY_SLACK: Duration = Duration::from_millis(50);

/// An open WebSocket connection.
pub(crate) struct Connection {
    pub id: u64,
    pub tx: mpsc::UnboundedSender<Outgoing>,
    /// No IDENTIFY or RESUME yet: which shard it is for is not known.
    pub pending: bool,
    /// The shard it identified or resumed as (`None` until then, or if it was refused).
    pub shard: Option<u64>,
    /// READY (or RESUMED) and the GUILD_CREATEs are queued: dispatches may follow.
    pub ready: bool,
}

/// A shard's session, kept after its connection closes so that RESUME finds it.
pub(crate) struct Session {
    pub id: String,
    /// The sequence number last sent on it.
    pub seq: u64,
}

/// An IDENTIFY as it arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Identify {
    pub shard: u64,
    pub count: u64,
    /// Since the fake started (the clock of `Recorded::at`).
    pub at: Duration,
    /// `false`: answered with op 9 INVALID_SESSION (too soon after another of its bucket).
    pub accepted: bool,
}

/// A frame a connection sent, with the shard the connection was for then.
pub(crate) struct Frame {
    pub shard: Option<u64>,
    pub value: Value,
}

/// Gateway state shared by the connection tasks and the test.
#[derive(Default)]
pub(crate) struct GatewayState {
    /// Open connections, oldest first.
    pub open: Vec<Connection>,
    /// WebSocket connections so far.
    pub connections: u64,
    /// Shard id -> its last session.
    pub sessions: HashMap<u64, Session>,
    /// The shard count of the last IDENTIFY that opened a session (0: none yet, read as 1).
    pub shard_count: u64,
    /// The `d` of the last IDENTIFY (token removed), of any shard.
    pub identify: Option<Value>,
    /// Shard id -> the `d` of its last IDENTIFY.
    pub identify_of: HashMap<u64, Value>,
    pub identifies: Vec<Identify>,
    /// op 9 INVALID_SESSION sent so far.
    pub invalid_sessions: u64,
    /// Every frame connections sent, in order (tokens removed).
    pub frames: Vec<Frame>,
    pub readies: u64,
    pub resumes: u64,
    /// Dispatches the fake sent by itself after a REST change (`follow_up`), as (event, data).
    pub own_dispatches: Vec<(String, Value)>,
}

impl GatewayState {
    /// A new connection; returns its id.
    pub(crate) fn opened(&mut self, tx: mpsc::UnboundedSender<Outgoing>) -> u64 {
        self.connections += 1;
        let id = self.connections;
        self.open.push(Connection {
            id,
            tx,
            pending: true,
            shard: None,
            ready: false,
        });
        id
    }

    pub(crate) fn closed(&mut self, id: u64) {
        self.open.retain(|c| c.id != id);
    }

    pub(crate) fn connection_shard(&self, id: u64) -> Option<u64> {
        self.open.iter().find(|c| c.id == id).and_then(|c| c.shard)
    }

    /// The connection holding `shard`: the newest that identified or resumed as it.
    pub(crate) fn holder(&self, shard: u64) -> Option<&Connection> {
        self.open.iter().rev().find(|c| c.shard == Some(shard))
    }

    /// Whether `shard`'s connection is ready, and no newer connection has yet to say which
    /// shard it is for (it may be that shard reconnecting).
    pub(crate) fn shard_ready(&self, shard: u64) -> bool {
        self.holder(shard).is_some_and(|holder| {
            holder.ready && !self.open.iter().any(|c| c.pending && c.id > holder.id)
        })
    }

    /// The shards whose connection is ready, in order.
    pub(crate) fn ready_shards(&self) -> Vec<u64> {
        let mut shards: Vec<u64> = self
            .open
            .iter()
            .filter_map(|c| c.shard)
            .filter(|s| self.shard_ready(*s))
            .collect();
        shards.sort_unstable();
        shards.dedup();
        shards
    }

    /// The shard "the" connection means: 0, or the only shard connections hold when none holds
    /// 0 (a process running shard 1 alone).
    pub(crate) fn primary_shard(&self) -> u64 {
        let mut held = self.open.iter().filter_map(|c| c.shard);
        match held.next() {
            Some(first) if first != 0 && held.all(|s| s == first) => first,
            _ => 0,
        }
    }

    /// The connection of [`Self::primary_shard`], else the newest one (not identified yet).
    pub(crate) fn primary(&self) -> Option<&Connection> {
        self.holder(self.primary_shard())
            .or_else(|| self.open.last())
    }

    /// The shard owning `guild` (none: shard 0), with the shard count of the last session.
    pub(crate) fn owner(&self, guild: Option<u64>) -> u64 {
        guild.map_or(0, |g| shard_of(g, self.shard_count.max(1)))
    }

    /// Queues a dispatch on `shard`'s connection with its session's next sequence number.
    pub(crate) fn send_dispatch(
        &mut self,
        shard: u64,
        name: &str,
        data: Value,
    ) -> Result<u64, String> {
        let Some(tx) = self.holder(shard).map(|c| c.tx.clone()) else {
            return Err(format!("shard {shard} is not connected"));
        };
        let Some(session) = self.sessions.get_mut(&shard) else {
            return Err(format!("shard {shard} has no session"));
        };
        session.seq += 1;
        let payload = json!({"op": 0, "s": session.seq, "t": name, "d": data});
        tx.send(Outgoing::Text(payload.to_string()))
            .map_err(|_| format!("shard {shard}'s connection closed"))?;
        Ok(session.seq)
    }

    /// op 2 IDENTIFY `d` on connection `id` at `at`: READY plus the GUILD_CREATEs of the
    /// shard's guilds, or op 9 if an IDENTIFY of the same bucket opened a session less than
    /// [`IDENTIFY_SPACING`] before (when the world enforces it), or close 4010 for a shard id
    /// not below the count. Returns the shard it was for.
    pub(crate) fn identify(
        &mut self,
        id: u64,
        d: &Value,
        world: &World,
        at: Duration,
        ws_url: &str,
    ) -> u64 {
        let (shard, count) = shard_field(d);
        self.identify = Some(d.clone());
        self.identify_of.insert(shard, d.clone());
        let Some(tx) = self.take_pending(id) else {
            return shard;
        };
        if shard >= count {
            let _ = tx.send(Outgoing::Close(4010, "Invalid shard".to_string()));
            return shard;
        }
        let buckets = world.max_concurrency.max(1);
        let too_soon = world.enforce_identify_spacing
            && self
                .identifies
                .iter()
                .rev()
                .find(|i| i.accepted && i.shard % buckets == shard % buckets)
                .is_some_and(|i| at.saturating_sub(i.at) + IDENTIFY_SLACK < IDENTIFY_SPACING);
        self.identifies.push(Identify {
            shard,
            count,
            at,
            accepted: !too_soon,
        });
        if too_soon {
            self.invalidate(&tx);
            return shard;
        }
        self.readies += 1;
        self.shard_count = count;
        let mut session = Session {
            id: format!("fake-session-{id}-{}", self.readies),
            seq: 0,
        };
        let ready = world.shard_ready_json(&session.id, ws_url, shard, count);
        let creates = world
            .guilds_on_shard(shard, count)
            .map(|g| ("GUILD_CREATE", g.to_create_json(world.bot.id)));
        for (name, data) in std::iter::once(("READY", ready)).chain(creates) {
            if let Err(why) = try_validate(name, &data) {
                eprintln!("fake Discord: the world makes an invalid {name}: {why}");
            }
            session.seq += 1;
            let payload = json!({"op": 0, "s": session.seq, "t": name, "d": data});
            let _ = tx.send(Outgoing::Text(payload.to_string()));
        }
        self.sessions.insert(shard, session);
        self.hold(id, shard);
        shard
    }

    /// op 6 RESUME `d` on connection `id`: RESUMED on the session `d.session_id` names (its
    /// shard's, with its sequence numbers), or op 9 if no shard has that session. Returns the
    /// shard resumed.
    pub(crate) fn resume(&mut self, id: u64, d: &Value) -> Option<u64> {
        let tx = self.take_pending(id)?;
        let wanted = d["session_id"].as_str();
        let found = self
            .sessions
            .iter_mut()
            .find(|(_, s)| Some(s.id.as_str()) == wanted);
        let Some((&shard, session)) = found else {
            self.invalidate(&tx);
            return None;
        };
        session.seq += 1;
        let payload = json!({"op": 0, "s": session.seq, "t": "RESUMED", "d": {}});
        let _ = tx.send(Outgoing::Text(payload.to_string()));
        self.resumes += 1;
        self.hold(id, shard);
        Some(shard)
    }

    /// Marks connection `id` as having said which shard it is for; its sender.
    fn take_pending(&mut self, id: u64) -> Option<mpsc::UnboundedSender<Outgoing>> {
        let connection = self.open.iter_mut().find(|c| c.id == id)?;
        connection.pending = false;
        Some(connection.tx.clone())
    }

    /// Connection `id` now holds `shard` and may be sent dispatches.
    fn hold(&mut self, id: u64, shard: u64) {
        if let Some(connection) = self.open.iter_mut().find(|c| c.id == id) {
            connection.shard = Some(shard);
            connection.ready = true;
        }
    }

    /// Sends op 9 INVALID_SESSION, not resumable, and counts it.
    fn invalidate(&mut self, tx: &mpsc::UnboundedSender<Outgoing>) {
        self.invalid_sessions += 1;
        let _ = tx.send(Outgoing::Text(json!({"op": 9, "d": false}).to_string()));
    }
}

/// The `shard: [id, count]` of an IDENTIFY's `d`; absent: shard 0 of 1.
fn shard_field(d: &Value) -> (u64, u64) {
    match d["shard"].as_array().map(Vec::as_slice) {
        Some([id, count]) => (id.as_u64().unwrap_or(0), count.as_u64().unwrap_or(1)),
        _ => (0, 1),
    }
}

/// The guild a dispatch is about, which decides its shard: `guild_id`, else `id` for the
/// GUILD_* events whose object is the guild (GUILD_CREATE, GUILD_UPDATE, GUILD_DELETE), else the
/// guild of `channel_id`. `None` (a DM, the bot's user): shard 0.
pub(crate) fn guild_of_dispatch(world: &World, event: &str, data: &Value) -> Option<u64> {
    let id = |value: &Value| {
        value
            .as_str()
            .and_then(|s| s.parse().ok())
            .or_else(|| value.as_u64())
    };
    id(&data["guild_id"])
        .or_else(|| {
            event
                .starts_with("GUILD_")
                .then(|| id(&data["id"]))
                .flatten()
        })
        .or_else(|| {
            let channel = id(&data["channel_id"])?;
            world.guild_of_channel(channel).map(|g| g.id)
        })
}
