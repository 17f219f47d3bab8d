//! What a test does with the fake's gateway: wait for shards, dispatch events (routed to the
//! shard owning their guild), read the frames, IDENTIFYs and sessions, and close or reconnect a
//! shard. Methods about "the" connection mean shard 0, or the only shard connected when shard 0
//! is not (a process running shard 1 alone); each has a `_shard` variant.

use std::time::Duration;

use serde_json::{Value, json};
use serenity::all::GatewayIntents;

use super::gateway::{Outgoing, validate};
use super::recorded::list;
use super::shards::{GatewayState, guild_of_dispatch};
use super::{FakeDiscord, store};

/// How long `wait_connected` and `dispatch` wait for the shard.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl FakeDiscord {
    /// Waits until shard 0 (or the only shard connected) has identified (or resumed) and its
    /// READY plus every GUILD_CREATE are on the wire. serenity updates its cache in the order
    /// it reads, so anything dispatched after this sees the guilds in the cache.
    pub async fn wait_connected(&self) {
        self.wait_gateway(|g| g.shard_ready(g.primary_shard()), "a connected shard")
            .await;
    }

    /// [`Self::wait_connected`] for shard `shard`.
    pub async fn wait_connected_shard(&self, shard: u64) {
        self.wait_gateway(
            |g| g.shard_ready(shard),
            &format!("shard {shard} to connect"),
        )
        .await;
    }

    /// Waits until no shard is connected (every connection closed).
    pub async fn wait_disconnected(&self) {
        self.wait_gateway(|g| g.open.is_empty(), "every shard to disconnect")
            .await;
    }

    /// Waits until no connection holds shard `shard`.
    pub async fn wait_disconnected_shard(&self, shard: u64) {
        self.wait_gateway(
            |g| g.holder(shard).is_none(),
            &format!("shard {shard} to disconnect"),
        )
        .await;
    }

    async fn wait_gateway(&self, ready: impl Fn(&GatewayState) -> bool, what: &str) {
        let deadline = tokio::time::Instant::now() + CONNECT_TIMEOUT;
        let mut version = self.shared.gateway_version.subscribe();
        loop {
            if ready(&self.shared.gateway.lock().unwrap()) {
                return;
            }
            if tokio::time::timeout_at(deadline, version.changed())
                .await
                .is_err()
            {
                panic!(
                    "fake Discord: waited {CONNECT_TIMEOUT:?} for {what}; ready shards: {:?}; \
                     frames from the shards: {:?}\nrequests seen:\n{}",
                    self.connected_shards(),
                    self.gateway_frames(),
                    list(&self.requests())
                );
            }
        }
    }

    /// Sends dispatch `event` (e.g. `"MESSAGE_CREATE"`) with `data` to the shard owning its
    /// guild (`guild_id`, or `id` for GUILD_CREATE/UPDATE/DELETE, or the guild of `channel_id`;
    /// none: shard 0), after checking serenity parses it (panics if not, or if that shard does
    /// not connect in time). Returns its sequence number on that shard's session. The fake's
    /// own state follows: messages are stored, members added or removed.
    pub async fn dispatch(&self, event: &str, data: Value) -> u64 {
        validate(event, &data);
        let guild = guild_of_dispatch(&self.world(), event, &data);
        self.wait_gateway(
            |g| g.shard_ready(g.owner(guild)),
            &format!("the shard of guild {guild:?}"),
        )
        .await;
        store::observe_dispatch(&self.shared, event, &data);
        let mut gateway = self.shared.gateway.lock().unwrap();
        let shard = gateway.owner(guild);
        gateway
            .send_dispatch(shard, event, data)
            .unwrap_or_else(|why| panic!("fake Discord: cannot dispatch {event}: {why}"))
    }

    /// The shard Discord sends `guild_id`'s events to, with the shard count of the last session.
    pub fn shard_of_guild(&self, guild_id: u64) -> u64 {
        self.shared.gateway.lock().unwrap().owner(Some(guild_id))
    }

    /// The shards whose connection is ready now, in order.
    pub fn connected_shards(&self) -> Vec<u64> {
        self.shared.gateway.lock().unwrap().ready_shards()
    }

    /// Time since the fake started: the clock of [`super::Recorded::at`].
    pub fn elapsed(&self) -> Duration {
        self.shared.started.elapsed()
    }

    /// The `d` of the last IDENTIFY, of any shard (token redacted).
    pub fn identify(&self) -> Option<Value> {
        self.shared.gateway.lock().unwrap().identify.clone()
    }

    /// The `d` of shard `shard`'s last IDENTIFY (token redacted).
    pub fn identify_of(&self, shard: u64) -> Option<Value> {
        let gateway = self.shared.gateway.lock().unwrap();
        gateway.identify_of.get(&shard).cloned()
    }

    /// The intents of the last IDENTIFY.
    pub fn intents(&self) -> Option<GatewayIntents> {
        let bits = self.identify()?["intents"].as_u64()?;
        Some(GatewayIntents::from_bits_truncate(bits))
    }

    /// Every IDENTIFY so far as (shard id, shard count, time since the fake started), refused
    /// ones included (see [`Self::identifies_detailed`]).
    pub fn identifies(&self) -> Vec<(u64, u64, Duration)> {
        self.identifies_detailed()
            .into_iter()
            .map(|i| (i.shard, i.count, i.at))
            .collect()
    }

    /// Every IDENTIFY so far, with whether it opened a session.
    pub fn identifies_detailed(&self) -> Vec<super::Identify> {
        self.shared.gateway.lock().unwrap().identifies.clone()
    }

    /// op 9 INVALID_SESSION sent so far (IDENTIFYs too close together, unknown RESUMEs).
    pub fn invalid_sessions(&self) -> u64 {
        self.shared.gateway.lock().unwrap().invalid_sessions
    }

    /// Every frame the shards sent (heartbeats, IDENTIFY, RESUME, presence updates...).
    pub fn gateway_frames(&self) -> Vec<Value> {
        let gateway = self.shared.gateway.lock().unwrap();
        gateway.frames.iter().map(|f| f.value.clone()).collect()
    }

    /// The frames sent by connections of shard `shard` (IDENTIFY and RESUME included).
    pub fn gateway_frames_of(&self, shard: u64) -> Vec<Value> {
        let gateway = self.shared.gateway.lock().unwrap();
        gateway
            .frames
            .iter()
            .filter(|f| f.shard == Some(shard))
            .map(|f| f.value.clone())
            .collect()
    }

    /// WebSocket connections so far, all shards.
    pub fn connections(&self) -> u64 {
        self.shared.gateway.lock().unwrap().connections
    }

    /// (IDENTIFYs, RESUMEs) answered so far, all shards.
    pub fn sessions(&self) -> (u64, u64) {
        let gateway = self.shared.gateway.lock().unwrap();
        (gateway.readies, gateway.resumes)
    }

    /// Sends op 7 RECONNECT: serenity reconnects and RESUMEs.
    pub fn request_reconnect(&self) {
        self.send_raw(json!({"op": 7, "d": null}).to_string());
    }

    /// [`Self::request_reconnect`] for shard `shard`.
    pub fn request_reconnect_shard(&self, shard: u64) {
        self.send_raw_shard(shard, json!({"op": 7, "d": null}).to_string());
    }

    /// Closes the connection with `code` (e.g. 4000 to make serenity resume).
    pub fn close_connection(&self, code: u16) {
        self.send_primary(Outgoing::Close(code, String::new()));
    }

    /// [`Self::close_connection`] for shard `shard`.
    pub fn close_connection_shard(&self, shard: u64, code: u16) {
        self.send_to(shard, Outgoing::Close(code, String::new()));
    }

    /// Sends a raw text frame on the connection, unchecked.
    pub fn send_raw(&self, text: String) {
        self.send_primary(Outgoing::Text(text));
    }

    /// [`Self::send_raw`] on shard `shard`'s connection.
    pub fn send_raw_shard(&self, shard: u64, text: String) {
        self.send_to(shard, Outgoing::Text(text));
    }

    /// To "the" connection: shard 0's (or the only shard's), else the newest one.
    fn send_primary(&self, out: Outgoing) {
        let gateway = self.shared.gateway.lock().unwrap();
        if let Some(connection) = gateway.primary() {
            let _ = connection.tx.send(out);
        }
    }

    fn send_to(&self, shard: u64, out: Outgoing) {
        let gateway = self.shared.gateway.lock().unwrap();
        if let Some(connection) = gateway.holder(shard) {
            let _ = connection.tx.send(out);
        }
    }
}
