//! REST under `/api/v10`: records every request, applies canned replies, else answers like
//! Discord with valid models, keeping the world and the store up to date and enforcing the bot's
//! permissions and role hierarchy. Unknown routes answer 404 `{"message":"Unknown route"}`;
//! known routes with ids the world does not know answer Discord's "Unknown Guild/Channel/...".

mod channel_admin;
mod guilds;
mod messages;
mod settings;

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use serenity::all::Permissions;

use super::specs::GuildSpec;
use super::store::Store;
use super::world::World;
use super::{Recorded, Reply, Shared};

const BODY_LIMIT: usize = 64 * 1024 * 1024;

pub(crate) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    let headers = request.headers().clone();
    let bytes = to_bytes(request.into_body(), BODY_LIMIT)
        .await
        .unwrap_or_default();
    let raw_body = String::from_utf8_lossy(&bytes).into_owned();
    let body = parse_body(&headers, &raw_body);
    let audit_log_reason = headers
        .get("x-audit-log-reason")
        .and_then(|v| v.to_str().ok())
        .map(percent_decode);

    let incoming = Incoming {
        method: &method,
        query: query.as_deref().unwrap_or(""),
        body: &body,
        reason: audit_log_reason.as_deref(),
    };
    let (reply, known_route) = match shared.take_override(&method, &path) {
        Some(reply) => (reply, true),
        None => match route(&shared, &path, &incoming) {
            Some(reply) => (reply, true),
            None => (Reply::error(404, 0, "Unknown route"), false),
        },
    };
    shared.record(Recorded {
        index: 0,
        method,
        path,
        query,
        body,
        raw_body,
        bytes: bytes.to_vec(),
        audit_log_reason,
        status: reply.status,
        known_route,
        at: shared.started.elapsed(),
    });
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match reply.body {
        Some(body) => (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response(),
        None => (status, Body::empty()).into_response(),
    }
}

/// What a route needs of a request besides its path.
struct Incoming<'r> {
    method: &'r str,
    query: &'r str,
    body: &'r Value,
    /// `X-Audit-Log-Reason`, decoded.
    reason: Option<&'r str>,
}

impl Incoming<'_> {
    fn query_value(&self, name: &str) -> Option<&str> {
        self.query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key == name).then_some(value)
        })
    }
}

/// The world and the store, locked for one request.
struct Ctx<'a> {
    world: &'a mut World,
    store: &'a mut Store,
    /// Dispatches to send once the locks are released (see [`Ctx::dispatch`]).
    dispatches: Vec<(&'static str, Value)>,
}

impl Ctx<'_> {
    /// Queues gateway event `name` telling the guild's shard of a change, as Discord follows a REST
    /// change with its event; sent after the reply is decided, if a shard is ready.
    fn dispatch(&mut self, name: &'static str, data: Value) {
        self.dispatches.push((name, data));
    }

    /// Whether the bot has `permissions` in `channel` (a guild channel; DMs allow everything).
    fn bot_can(&self, channel: u64, permissions: Permissions) -> bool {
        match self.world.guild_of_channel(channel) {
            Some(guild) => {
                let have = guild.channel_permissions_of(self.world.bot.id, channel);
                have.contains(Permissions::ADMINISTRATOR) || have.contains(permissions)
            }
            None => true,
        }
    }

    /// Whether the bot may use `permission` on member `target`: it has the permission, the
    /// target is not the owner, and the bot's top role is above the target's.
    fn may_act_on(&self, guild: &GuildSpec, target: u64, permission: Permissions) -> bool {
        let bot = self.world.bot.id;
        guild.permissions_of(bot).contains(permission)
            && target != guild.owner_id
            && (guild.member_by_id(target).is_none()
                || guild.top_role_position(bot) > guild.top_role_position(target))
    }
}

/// Answers a request like Discord, then sends the gateway events it causes; `None` for an
/// unknown route. A 500 says the fake built an event serenity would not parse.
fn route(shared: &Shared, path: &str, request: &Incoming<'_>) -> Option<Reply> {
    let rest = path.strip_prefix("/api/v10/")?;
    let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let (reply, dispatches) = {
        let mut world = shared.world.lock().unwrap();
        let mut store = shared.store.lock().unwrap();
        let mut ctx = Ctx {
            world: &mut world,
            store: &mut store,
            dispatches: Vec::new(),
        };
        let reply = answer(shared, &mut ctx, &segments, request);
        (reply, ctx.dispatches)
    };
    for (name, data) in dispatches {
        if let Err(why) = super::gateway::follow_up(shared, name, data) {
            let why = format!("fake Discord: serenity would not see this {name}: {why}");
            eprintln!("{why}");
            return Some(Reply::error(500, 0, &why));
        }
    }
    reply
}

fn answer(
    shared: &Shared,
    ctx: &mut Ctx<'_>,
    segments: &[&str],
    request: &Incoming<'_>,
) -> Option<Reply> {
    match (request.method, segments) {
        ("GET", ["gateway"]) => Some(Reply::ok(json!({"url": shared.ws_url}))),
        ("GET", ["gateway", "bot"]) => Some(Reply::ok(json!({
            "url": shared.ws_url,
            "shards": ctx.world.recommended_shards,
            "session_start_limit": {
                "total": 1000, "remaining": 999, "reset_after": 0,
                "max_concurrency": ctx.world.max_concurrency,
            },
        }))),
        ("GET", ["users", "@me"]) => {
            let mut user = ctx.world.bot.to_json();
            user["verified"] = json!(true);
            user["mfa_enabled"] = json!(false);
            user["flags"] = json!(0);
            Some(Reply::ok(user))
        }
        ("GET", ["users", "@me", "guilds"]) => {
            let bot = ctx.world.bot.id;
            let guilds: Vec<Value> = ctx
                .world
                .guilds
                .iter()
                .map(|g| {
                    json!({
                        "id": g.id.to_string(),
                        "name": g.name,
                        "icon": null,
                        "owner": g.owner_id == bot,
                        "permissions": g.permissions_of(bot).bits().to_string(),
                        "features": [],
                    })
                })
                .collect();
            Some(Reply::ok(json!(guilds)))
        }
        ("GET", ["users", user]) => Some(match ctx.world.user(parse_id(user)?) {
            Some(user) => Reply::ok(user.to_json()),
            None => Reply::error(404, 10013, "Unknown User"),
        }),
        ("GET", ["oauth2", "applications", "@me"] | ["applications", "@me"]) => {
            Some(Reply::ok(ctx.world.application_json()))
        }
        (_, ["guilds", ..]) => guilds::route(ctx, segments, request),
        ("GET", ["invites", code]) => Some(super::invites::get(ctx.world, code)),
        ("POST", ["channels", channel, "invites"]) => {
            Some(super::invites::create(ctx.world, parse_id(channel)?))
        }
        _ => messages::route(ctx, segments, request),
    }
}

/// JSON body, or the `payload_json` part of a multipart body, or `Null`.
fn parse_body(headers: &HeaderMap, raw: &str) -> Value {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    if let Some(boundary) = content_type.and_then(|t| t.split("boundary=").nth(1)) {
        let boundary = format!("--{}", boundary.trim_matches('"'));
        for part in raw.split(boundary.as_str()) {
            let Some((head, content)) = part.split_once("\r\n\r\n") else {
                continue;
            };
            if head.contains("name=\"payload_json\"") {
                let json = content.trim_end_matches("\r\n");
                return serde_json::from_str(json).unwrap_or(Value::Null);
            }
        }
        return Value::Null;
    }
    serde_json::from_str(raw).unwrap_or(Value::Null)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn parse_id(segment: &str) -> Option<u64> {
    segment.parse().ok()
}

fn missing_permissions() -> Option<Reply> {
    Some(Reply::missing_permissions())
}
