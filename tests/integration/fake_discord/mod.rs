//! A fake Discord on 127.0.0.1 for end-to-end tests with the real serenity client: REST under
//! `/api/v10/...` and the gateway WebSocket at `/gw`, from one axum server on a random port.
//!
//! ```ignore
//! let fake = FakeDiscord::start(World::default_guild()).await;
//! let client = fake.client_builder(intents).event_handler(handler).await?;
//! let bot = RunningClient::spawn(client);
//! fake.wait_connected().await;
//! let world = fake.world();
//! fake.dispatch("MESSAGE_CREATE", fixtures::message_create(&world, "alice", "general", "ping")).await;
//! let reply = fake.wait_for(|r| r.is("POST", "/channels/*/messages"), SECS_5).await;
//! bot.stop().await;
//! ```
//!
//! Every request is recorded ([`Recorded`]); unknown routes answer 404 and show up in
//! [`FakeDiscord::unknown_requests`]. The fake enforces the bot's permissions and role hierarchy
//! as Discord does (403, code 50013), and a test may override any route with [`Reply`]. Changes
//! the bot makes to server settings are followed by their gateway event ([`settings`]).
//!
//! The gateway serves a bot split across shards and processes as Discord does ([`shards`]):
//! one connection per shard, each shard told of its own guilds only, dispatches routed to the
//! shard owning their guild; `World::two_guilds_on_two_shards` has a guild on each of 2 shards.
//! Benchmarks send tens of thousands of events a second through [`bulk`].

#![allow(dead_code)]

pub mod bulk;
mod client;
pub mod fixtures;
mod gateway;
mod gateway_api;
pub mod invites;
pub mod raw_gateway;
mod recorded;
mod rest;
pub mod settings;
mod shards;
mod specs;
mod store;
pub mod world;
pub mod world_shards;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use serenity::all::{ClientBuilder, GatewayIntents, Http, HttpBuilder};
use tokio::sync::watch;
use tokio::task::JoinHandle;

#[allow(unused_imports)]
pub use client::{RunningClient, Shards, init_tracing};
#[allow(unused_imports)]
pub use gateway::{HEARTBEAT_INTERVAL_MS, try_validate, validate};
#[allow(unused_imports)]
pub use raw_gateway::RawShard;
#[allow(unused_imports)]
pub use recorded::{Recorded, Reply, route_matches};
#[allow(unused_imports)]
pub use shards::{IDENTIFY_SLACK, IDENTIFY_SPACING, Identify};
#[allow(unused_imports)]
pub use specs::{ChannelSpec, GuildSpec, MemberSpec, RoleSpec, UserSpec};
#[allow(unused_imports)]
pub use world::{World, ids};
#[allow(unused_imports)]
pub use world_shards::{second_ids, shard_of};

use recorded::list;
use store::Store;

/// The token clients of the fake use (never a real one).
pub const TOKEN: &str = "fake.discord.token";

struct Override {
    method: String,
    route: String,
    reply: Reply,
    /// `None`: for every matching request; `Some(n)`: for the next `n`.
    remaining: Option<usize>,
}

/// State shared by the server tasks and the test.
pub(crate) struct Shared {
    world: Mutex<World>,
    store: Mutex<Store>,
    log: Mutex<Vec<Recorded>>,
    log_version: watch::Sender<usize>,
    overrides: Mutex<Vec<Override>>,
    gateway: Mutex<shards::GatewayState>,
    gateway_version: watch::Sender<u64>,
    started: Instant,
    ws_url: String,
    shutdown: watch::Receiver<bool>,
}

impl Shared {
    fn gateway_changed(&self) {
        self.gateway_version.send_modify(|v| *v += 1);
    }

    fn record(&self, mut request: Recorded) {
        let mut log = self.log.lock().unwrap();
        request.index = log.len();
        log.push(request);
        let len = log.len();
        drop(log);
        self.log_version.send_replace(len);
    }

    fn take_override(&self, method: &str, path: &str) -> Option<Reply> {
        let mut overrides = self.overrides.lock().unwrap();
        let position = overrides.iter().position(|o| {
            o.method.eq_ignore_ascii_case(method)
                && route_matches(&o.route, path)
                && o.remaining != Some(0)
        })?;
        let chosen = &mut overrides[position];
        if let Some(n) = chosen.remaining.as_mut() {
            *n -= 1;
        }
        Some(chosen.reply.clone())
    }
}

/// A running fake Discord. Stops on drop or [`FakeDiscord::shutdown`].
pub struct FakeDiscord {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    server: Option<JoinHandle<()>>,
}

impl FakeDiscord {
    /// Serves `world` on 127.0.0.1 (a free port). Panics if the world's READY or GUILD_CREATE
    /// would not parse in serenity.
    pub async fn start(world: World) -> FakeDiscord {
        init_tracing();
        validate("READY", &world.ready_json("check", "ws://127.0.0.1:1/gw"));
        for guild in &world.guilds {
            validate("GUILD_CREATE", &guild.to_create_json(world.bot.id));
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let (stop, shutdown) = watch::channel(false);
        let shared = Arc::new(Shared {
            world: Mutex::new(world),
            store: Mutex::default(),
            log: Mutex::default(),
            log_version: watch::channel(0).0,
            overrides: Mutex::default(),
            gateway: Mutex::default(),
            gateway_version: watch::channel(0).0,
            started: Instant::now(),
            ws_url: format!("ws://{addr}/gw"),
            shutdown: shutdown.clone(),
        });
        let app = axum::Router::new()
            .route("/gw", axum::routing::get(gateway::upgrade))
            .fallback(rest::handle)
            .with_state(Arc::clone(&shared));
        let mut signal = shutdown;
        // Frames and replies go out at once: without TCP_NODELAY, a gateway frame sent while the
        // previous one waits for its ACK (delayed up to 40 ms) is held back by Nagle's algorithm.
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let server = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = signal.wait_for(|stop| *stop).await;
            });
            if let Err(why) = serve.await {
                eprintln!("fake Discord: server error: {why}");
            }
        });
        FakeDiscord {
            shared,
            addr,
            stop,
            server: Some(server),
        }
    }

    /// `http://127.0.0.1:PORT`, for `HttpBuilder::proxy`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `ws://127.0.0.1:PORT/gw`.
    pub fn gateway_url(&self) -> String {
        self.shared.ws_url.clone()
    }

    /// An `Http` that talks to this fake (proxy set, ratelimiter off: with it on, serenity
    /// ignores the proxy).
    pub fn http(&self) -> Http {
        HttpBuilder::new(TOKEN)
            .proxy(self.base_url())
            .ratelimiter_disabled(true)
            .build()
    }

    /// A serenity client builder for this fake.
    pub fn client_builder(&self, intents: GatewayIntents) -> ClientBuilder {
        ClientBuilder::new_with_http(self.http(), intents)
    }

    /// A copy of the world as it is now (REST calls change it: timeouts, kicks, bans).
    pub fn world(&self) -> World {
        self.shared.world.lock().unwrap().clone()
    }

    /// Changes the world. The fake does not tell the bot: dispatch the matching event too.
    pub fn update_world(&self, change: impl FnOnce(&mut World)) {
        change(&mut self.shared.world.lock().unwrap());
    }

    // ---- requests ----

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.log.lock().unwrap().clone()
    }

    /// How many requests arrived so far: a mark to compare with [`Recorded::index`].
    pub fn request_count(&self) -> usize {
        self.shared.log.lock().unwrap().len()
    }

    /// The requests with `method` on `route` (see [`Recorded::is`]).
    pub fn requests_to(&self, method: &str, route: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.is(method, route))
            .collect()
    }

    /// Requests no route knew.
    pub fn unknown_requests(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| !r.known_route)
            .collect()
    }

    /// Panics, listing them, if any request hit an unknown route.
    pub fn assert_no_unknown_requests(&self) {
        let unknown = self.unknown_requests();
        assert!(
            unknown.is_empty(),
            "fake Discord: unknown routes were called:\n{}",
            list(&unknown)
        );
    }

    /// The first request (earlier ones included) matching `predicate`, waiting up to `timeout`
    /// for it. Panics on timeout with every request seen.
    pub async fn wait_for(
        &self,
        predicate: impl Fn(&Recorded) -> bool,
        timeout: Duration,
    ) -> Recorded {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut version = self.shared.log_version.subscribe();
        loop {
            if let Some(found) = self
                .shared
                .log
                .lock()
                .unwrap()
                .iter()
                .find(|r| predicate(r))
            {
                return found.clone();
            }
            if tokio::time::timeout_at(deadline, version.changed())
                .await
                .is_err()
            {
                panic!(
                    "fake Discord: no matching request within {timeout:?}; requests seen:\n{}",
                    list(&self.requests())
                );
            }
        }
    }

    /// [`Self::wait_for`] a request with `method` on `route`.
    pub async fn wait_for_route(&self, method: &str, route: &str, timeout: Duration) -> Recorded {
        self.wait_for(|r| r.is(method, route), timeout).await
    }

    /// Waits `after`, panicking as soon as a request (earlier ones included) matches `predicate`.
    pub async fn assert_no_request(&self, predicate: impl Fn(&Recorded) -> bool, after: Duration) {
        let deadline = tokio::time::Instant::now() + after;
        let mut version = self.shared.log_version.subscribe();
        loop {
            // Cloned out of the log first: the panic message reads the log again.
            let found = self
                .shared
                .log
                .lock()
                .unwrap()
                .iter()
                .find(|r| predicate(r))
                .cloned();
            if let Some(found) = found {
                panic!(
                    "fake Discord: unexpected request {found}\nrequests seen:\n{}",
                    list(&self.requests())
                );
            }
            if tokio::time::timeout_at(deadline, version.changed())
                .await
                .is_err()
            {
                return;
            }
        }
    }

    // ---- canned replies ----

    /// Answers every `method` request on `route` (see [`Recorded::is`]) with `reply`, until
    /// [`Self::clear_responses`]. The request is still recorded. Later calls do not replace
    /// earlier ones for the same route: the first set wins.
    pub fn respond(&self, method: &str, route: &str, reply: Reply) {
        self.push_override(method, route, reply, None);
    }

    /// Answers the next `times` matching requests with `reply`, then behaves normally again.
    pub fn respond_times(&self, method: &str, route: &str, reply: Reply, times: usize) {
        self.push_override(method, route, reply, Some(times));
    }

    /// Answers the next matching request with `reply`.
    pub fn respond_once(&self, method: &str, route: &str, reply: Reply) {
        self.respond_times(method, route, reply, 1);
    }

    pub fn clear_responses(&self) {
        self.shared.overrides.lock().unwrap().clear();
    }

    fn push_override(&self, method: &str, route: &str, reply: Reply, remaining: Option<usize>) {
        let route = route.to_string();
        let method = method.to_string();
        self.shared.overrides.lock().unwrap().push(Override {
            method,
            route,
            reply,
            remaining,
        });
    }

    // ---- what the bot did ----

    /// The global commands registered last (`PUT /applications/{app}/commands`).
    pub fn global_commands(&self) -> Vec<Value> {
        self.shared.store.lock().unwrap().global_commands.clone()
    }

    /// The commands registered last for a guild.
    pub fn guild_commands(&self, guild_id: u64) -> Vec<Value> {
        let store = self.shared.store.lock().unwrap();
        store
            .guild_commands
            .get(&guild_id)
            .cloned()
            .unwrap_or_default()
    }

    /// A message the fake knows (dispatched, or sent by the bot and not deleted).
    pub fn message(&self, id: u64) -> Option<Value> {
        self.shared.store.lock().unwrap().messages.get(&id).cloned()
    }

    /// The first message the fake knows whose content contains `text`.
    pub fn message_containing(&self, text: &str) -> Option<Value> {
        let store = self.shared.store.lock().unwrap();
        store
            .messages
            .values()
            .find(|m| m["content"].as_str().is_some_and(|c| c.contains(text)))
            .cloned()
    }

    /// Changes a message the fake knows (members' votes on a native poll).
    pub fn update_message(&self, id: u64, change: impl FnOnce(&mut Value)) {
        let mut store = self.shared.store.lock().unwrap();
        change(
            store
                .messages
                .get_mut(&id)
                .expect("the fake knows the message"),
        );
    }

    /// The DM channel the bot opened with `user_id`, if any.
    pub fn dm_channel(&self, user_id: u64) -> Option<u64> {
        self.shared
            .store
            .lock()
            .unwrap()
            .dm_channels
            .get(&user_id)
            .copied()
    }

    /// The original response to an interaction (by token), as last set or edited.
    pub fn interaction_response(&self, token: &str) -> Option<Value> {
        self.shared
            .store
            .lock()
            .unwrap()
            .originals
            .get(token)
            .cloned()
    }

    /// Stops the server and closes the gateway connection, waiting up to 2 s.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(server) = self.server.take() {
            let _ = tokio::time::timeout(Duration::from_secs(2), server).await;
        }
    }
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}
