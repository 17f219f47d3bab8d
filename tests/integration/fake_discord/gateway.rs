//! The gateway WebSocket at `/gw`, one connection per shard: HELLO, IDENTIFY -> READY +
//! GUILD_CREATE per guild of the shard, RESUME -> RESUMED, heartbeat ACKs, and dispatches queued
//! by the test (sessions and routing: [`super::shards`]). Every payload goes through
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
use super::shards::{Frame, guild_of_dispatch};

/// Heartbeat interval announced in HELLO. Long, so a test never waits on heartbeats; serenity
/// still sends one if a test runs that long, and gets its ACK.
pub const HEARTBEAT_INTERVAL_MS: u64 = 41_250;

/// A frame for one connection.
pub(crate) enum Outgoing {
    Text(String),
    /// Close the connection with this code and reason.
    Close(u16, String),
}

/// Tells the ready shard owning the guild of a change the bot made through REST, as Discord
/// does (CHANNEL_UPDATE after `PATCH /channels/{c}`...), after checking serenity parses it.
/// Without that shard ready it is dropped: its next READY's GUILD_CREATE carries the change.
/// `Err` says why serenity would not parse it. Takes the world's lock: call it without.
pub(crate) fn follow_up(shared: &Shared, name: &str, data: Value) -> Result<(), String> {
    try_validate(name, &data)?;
    let guild = guild_of_dispatch(&shared.world.lock().unwrap(), name, &data);
    let mut gateway = shared.gateway.lock().unwrap();
    let shard = gateway.owner(guild);
    if gateway.shard_ready(shard) && gateway.send_dispatch(shard, name, data.clone()).is_ok() {
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
    let id = shared.gateway.lock().unwrap().opened(tx);
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
                    Some(Ok(Message::Text(text))) => handle_frame(&shared, id, text.as_str()),
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

    shared.gateway.lock().unwrap().closed(id);
    shared.gateway_changed();
}

/// Resolves when the fake is told to stop.
async fn stopped(shutdown: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}

fn handle_frame(shared: &Shared, id: u64, text: &str) {
    let Ok(mut frame) = serde_json::from_str::<Value>(text) else {
        eprintln!("fake Discord: a shard sent a frame that is not JSON: {text}");
        return;
    };
    if let Some(token) = frame.get_mut("d").and_then(|d| d.get_mut("token")) {
        *token = json!("<redacted>");
    }
    let op = frame["op"].as_u64();
    let world = matches!(op, Some(2)).then(|| shared.world.lock().unwrap().clone());
    let at = shared.started.elapsed();
    let mut gateway = shared.gateway.lock().unwrap();
    let shard = match (op, world) {
        (Some(1), _) => {
            if let Some(connection) = gateway.open.iter().find(|c| c.id == id) {
                let ack = json!({"op": 11, "d": null}).to_string();
                let _ = connection.tx.send(Outgoing::Text(ack));
            }
            gateway.connection_shard(id)
        }
        (Some(2), Some(world)) => {
            Some(gateway.identify(id, &frame["d"], &world, at, &shared.ws_url))
        }
        (Some(6), _) => gateway.resume(id, &frame["d"]),
        _ => gateway.connection_shard(id),
    };
    gateway.frames.push(Frame {
        shard,
        value: frame,
    });
    drop(gateway);
    shared.gateway_changed();
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
