//! The gateway WebSocket at `/gw`: HELLO, IDENTIFY -> READY + GUILD_CREATE per guild, RESUME ->
//! RESUMED, heartbeat ACKs, and dispatches queued by the test. Every payload goes through
//! [`validate`], which parses it with serenity's own `GatewayEvent` first.

use std::sync::Arc;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use serenity::all::{Event, GatewayEvent};
use serenity::model::event as ev;
use tokio::sync::mpsc;

use super::Shared;

/// Heartbeat interval announced in HELLO. Long, so a test never waits on heartbeats; serenity
/// still sends one if a test runs that long, and gets its ACK.
pub const HEARTBEAT_INTERVAL_MS: u64 = 41_250;

/// A frame for the connected shard.
pub(crate) enum Outgoing {
    Text(String),
    /// Close the connection with this code and reason.
    Close(u16, String),
}

/// The connection the shard currently holds.
pub(crate) struct Connection {
    pub id: u64,
    pub tx: mpsc::UnboundedSender<Outgoing>,
    /// READY (or RESUMED) and the GUILD_CREATEs are queued: dispatches may follow.
    pub ready: bool,
}

/// Gateway state shared by the connection task and the test.
#[derive(Default)]
pub(crate) struct GatewayState {
    pub current: Option<Connection>,
    pub connections: u64,
    pub seq: u64,
    pub session_id: Option<String>,
    /// The `d` of the last IDENTIFY (token removed).
    pub identify: Option<Value>,
    /// Every frame the shard sent, in order (tokens removed).
    pub frames: Vec<Value>,
    pub readies: u64,
    pub resumes: u64,
    /// Dispatches the fake sent by itself after a REST change (`follow_up`), as (event, data).
    pub own_dispatches: Vec<(String, Value)>,
}

impl GatewayState {
    /// Queues a dispatch on the current connection with the next sequence number.
    pub(crate) fn send_dispatch(&mut self, name: &str, data: Value) -> Result<u64, String> {
        let Some(connection) = self.current.as_ref() else {
            return Err("no shard is connected".to_string());
        };
        self.seq += 1;
        let payload = json!({"op": 0, "s": self.seq, "t": name, "d": data});
        connection
            .tx
            .send(Outgoing::Text(payload.to_string()))
            .map_err(|_| "the shard's connection closed".to_string())?;
        Ok(self.seq)
    }
}

/// Tells a ready shard about a change the bot made through REST, as Discord does (CHANNEL_UPDATE
/// after `PATCH /channels/{c}`...), after checking serenity parses it. Without a ready shard it
/// is dropped: the next READY's GUILD_CREATE carries the change. `Err` says why serenity would
/// not parse it.
pub(crate) fn follow_up(shared: &Shared, name: &str, data: Value) -> Result<(), String> {
    try_validate(name, &data)?;
    let mut gateway = shared.gateway.lock().unwrap();
    if gateway.current.as_ref().is_some_and(|c| c.ready)
        && gateway.send_dispatch(name, data.clone()).is_ok()
    {
        gateway.own_dispatches.push((name.to_string(), data));
    }
    Ok(())
}

pub(crate) async fn upgrade(State(shared): State<Arc<Shared>>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| run(shared, socket))
}

async fn run(shared: Arc<Shared>, socket: WebSocket) {
    let (mut sink, mut stream) = socket.split();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let id = {
        let mut gateway = shared.gateway.lock().unwrap();
        gateway.connections += 1;
        let id = gateway.connections;
        gateway.current = Some(Connection {
            id,
            tx: tx.clone(),
            ready: false,
        });
        id
    };
    shared.gateway_changed();

    let hello = json!({"op": 10, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}});
    let mut shutdown = shared.shutdown.clone();
    if sink
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_ok()
    {
        loop {
            tokio::select! {
                frame = stream.next() => match frame {
                    Some(Ok(Message::Text(text))) => handle_frame(&shared, id, &tx, text.as_str()),
                    // tungstenite queued the close reply; the next read sends it and ends.
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => break,
                },
                out = rx.recv() => match out {
                    Some(Outgoing::Text(text)) => {
                        if sink.send(Message::Text(text.into())).await.is_err() {
                            break;
                        }
                    }
                    Some(Outgoing::Close(code, reason)) => {
                        let frame = CloseFrame { code, reason: reason.into() };
                        let _ = sink.send(Message::Close(Some(frame))).await;
                        break;
                    }
                    None => break,
                },
                () = stopped(&mut shutdown) => {
                    let frame = CloseFrame { code: 1001, reason: "fake Discord stopped".into() };
                    let _ = sink.send(Message::Close(Some(frame))).await;
                    break;
                }
            }
        }
    }

    {
        let mut gateway = shared.gateway.lock().unwrap();
        if gateway.current.as_ref().is_some_and(|c| c.id == id) {
            gateway.current = None;
        }
    }
    shared.gateway_changed();
}

/// Resolves when the fake is told to stop.
async fn stopped(shutdown: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}

fn handle_frame(shared: &Shared, id: u64, tx: &mpsc::UnboundedSender<Outgoing>, text: &str) {
    let Ok(mut frame) = serde_json::from_str::<Value>(text) else {
        eprintln!("fake Discord: the shard sent a frame that is not JSON: {text}");
        return;
    };
    if let Some(token) = frame.get_mut("d").and_then(|d| d.get_mut("token")) {
        *token = json!("<redacted>");
    }
    let op = frame["op"].as_u64();
    let mut gateway = shared.gateway.lock().unwrap();
    gateway.frames.push(frame.clone());
    match op {
        Some(1) => {
            let _ = tx.send(Outgoing::Text(json!({"op": 11, "d": null}).to_string()));
        }
        Some(2) => {
            gateway.identify = Some(frame["d"].clone());
            gateway.readies += 1;
            gateway.seq = 0;
            let session_id = format!("fake-session-{id}-{}", gateway.readies);
            gateway.session_id = Some(session_id.clone());
            let world = shared.world.lock().unwrap().clone();
            let events = std::iter::once(("READY", world.ready_json(&session_id, &shared.ws_url)))
                .chain(
                    world
                        .guilds
                        .iter()
                        .map(|g| ("GUILD_CREATE", g.to_create_json(world.bot.id))),
                );
            for (name, data) in events {
                if let Err(why) = try_validate(name, &data) {
                    eprintln!("fake Discord: the world makes an invalid {name}: {why}");
                }
                gateway.seq += 1;
                let payload = json!({"op": 0, "s": gateway.seq, "t": name, "d": data});
                let _ = tx.send(Outgoing::Text(payload.to_string()));
            }
            mark_ready(&mut gateway, id);
        }
        Some(6) => {
            gateway.resumes += 1;
            gateway.seq += 1;
            let payload = json!({"op": 0, "s": gateway.seq, "t": "RESUMED", "d": {}});
            let _ = tx.send(Outgoing::Text(payload.to_string()));
            mark_ready(&mut gateway, id);
        }
        _ => {}
    }
    drop(gateway);
    shared.gateway_changed();
}

fn mark_ready(gateway: &mut GatewayState, id: u64) {
    if let Some(connection) = gateway.current.as_mut().filter(|c| c.id == id) {
        connection.ready = true;
    }
}

/// Panics, with the reason and the payload, unless serenity parses `{"op":0,"t":name,"d":data}`
/// as a known dispatch event.
pub fn validate(name: &str, data: &Value) {
    if let Err(why) = try_validate(name, data) {
        let pretty = serde_json::to_string_pretty(data).unwrap_or_default();
        panic!(
            "fake Discord: serenity would not see this {name} dispatch: {why}\npayload: {pretty}"
        );
    }
}

/// Parses a dispatch the way serenity's shard does; `Err` says why serenity would drop it.
pub fn try_validate(name: &str, data: &Value) -> Result<(), String> {
    let payload = json!({"op": 0, "s": 1, "t": name, "d": data});
    match serde_json::from_value::<GatewayEvent>(payload) {
        Ok(GatewayEvent::Dispatch(_, Event::Unknown(_))) => Err(match specific_error(name, data) {
            Some(why) => format!("it becomes an unknown event: {why}"),
            None => "it becomes an unknown event (is the event name right?)".to_string(),
        }),
        Ok(GatewayEvent::Dispatch(_, _)) => Ok(()),
        Ok(_) => Err("it is not a dispatch".to_string()),
        Err(why) => Err(format!("it does not parse: {why}")),
    }
}

/// Why `data` does not parse as the event type serenity uses for `name`, for the events tests
/// send. serenity's untagged fallback hides this error.
fn specific_error(name: &str, data: &Value) -> Option<String> {
    fn check<T: DeserializeOwned>(data: &Value) -> Option<String> {
        serde_json::from_value::<T>(data.clone())
            .err()
            .map(|e| e.to_string())
    }
    match name {
        "READY" => check::<ev::ReadyEvent>(data),
        "RESUMED" => check::<ev::ResumedEvent>(data),
        "GUILD_CREATE" => check::<ev::GuildCreateEvent>(data),
        "GUILD_UPDATE" => check::<ev::GuildUpdateEvent>(data),
        "GUILD_DELETE" => check::<ev::GuildDeleteEvent>(data),
        "GUILD_MEMBER_ADD" => check::<ev::GuildMemberAddEvent>(data),
        "GUILD_MEMBER_UPDATE" => check::<ev::GuildMemberUpdateEvent>(data),
        "GUILD_MEMBER_REMOVE" => check::<ev::GuildMemberRemoveEvent>(data),
        "GUILD_BAN_ADD" => check::<ev::GuildBanAddEvent>(data),
        "GUILD_BAN_REMOVE" => check::<ev::GuildBanRemoveEvent>(data),
        "GUILD_ROLE_CREATE" => check::<ev::GuildRoleCreateEvent>(data),
        "GUILD_ROLE_UPDATE" => check::<ev::GuildRoleUpdateEvent>(data),
        "GUILD_ROLE_DELETE" => check::<ev::GuildRoleDeleteEvent>(data),
        "CHANNEL_CREATE" => check::<ev::ChannelCreateEvent>(data),
        "CHANNEL_UPDATE" => check::<ev::ChannelUpdateEvent>(data),
        "CHANNEL_DELETE" => check::<ev::ChannelDeleteEvent>(data),
        "MESSAGE_CREATE" => check::<ev::MessageCreateEvent>(data),
        "MESSAGE_UPDATE" => check::<ev::MessageUpdateEvent>(data),
        "MESSAGE_DELETE" => check::<ev::MessageDeleteEvent>(data),
        "MESSAGE_DELETE_BULK" => check::<ev::MessageDeleteBulkEvent>(data),
        "MESSAGE_REACTION_ADD" => check::<ev::ReactionAddEvent>(data),
        "MESSAGE_REACTION_REMOVE" => check::<ev::ReactionRemoveEvent>(data),
        "INTERACTION_CREATE" => check::<ev::InteractionCreateEvent>(data),
        "TYPING_START" => check::<ev::TypingStartEvent>(data),
        "PRESENCE_UPDATE" => check::<ev::PresenceUpdateEvent>(data),
        "THREAD_CREATE" => check::<ev::ThreadCreateEvent>(data),
        "INVITE_CREATE" => check::<ev::InviteCreateEvent>(data),
        "AUTO_MODERATION_ACTION_EXECUTION" => check::<ev::AutoModActionExecutionEvent>(data),
        _ => None,
    }
}
