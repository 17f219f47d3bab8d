//! What the fake records of each HTTP request ([`Recorded`]), how a test names routes
//! ([`route_matches`]), and canned answers ([`Reply`]).

use std::fmt;
use std::time::Duration;

use serde_json::Value;

/// One HTTP request the fake received.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// Position in the log, from 0.
    pub index: usize,
    pub method: String,
    /// Full path, e.g. `/api/v10/channels/123/messages`.
    pub path: String,
    /// Raw query without `?` (serenity writes `?&wait=true`), if any.
    pub query: Option<String>,
    /// JSON body; for multipart requests the `payload_json` part; `Null` when there is none.
    pub body: Value,
    /// The body as text (lossy), for non-JSON bodies.
    pub raw_body: String,
    /// The body's bytes as sent (files of a multipart body: [`Recorded::part`]).
    pub bytes: Vec<u8>,
    /// `X-Audit-Log-Reason`, percent-decoded.
    pub audit_log_reason: Option<String>,
    /// Status the fake answered with.
    pub status: u16,
    /// False when no route matched (the fake answered 404 "Unknown route").
    pub known_route: bool,
    /// When it arrived, since the fake started.
    pub at: Duration,
}

impl Recorded {
    /// The content of the multipart part whose headers contain `header` (such as
    /// `Content-Type: image/png`), if any.
    pub fn part(&self, header: &str) -> Option<&[u8]> {
        let boundary_end = self.bytes.windows(2).position(|w| w == b"\r\n")?;
        let boundary = &self.bytes[..boundary_end];
        let mut rest = &self.bytes[..];
        while let Some(start) = find(rest, boundary) {
            rest = &rest[start + boundary.len()..];
            let head_end = find(rest, b"\r\n\r\n")?;
            let head = String::from_utf8_lossy(&rest[..head_end]).to_ascii_lowercase();
            let body = &rest[head_end + 4..];
            let end = find(body, boundary).unwrap_or(body.len());
            if head.contains(&header.to_ascii_lowercase()) {
                return Some(body[..end].strip_suffix(b"\r\n").unwrap_or(&body[..end]));
            }
        }
        None
    }

    /// Whether this request has `method` and its path matches `route`: segments compare equal,
    /// `*` or `{name}` match any one segment; a route without `/api/` is under `/api/v10`.
    /// `r.is("POST", "/channels/{c}/messages")`.
    pub fn is(&self, method: &str, route: &str) -> bool {
        self.method.eq_ignore_ascii_case(method) && route_matches(route, &self.path)
    }

    /// The message text it sends: `content` of the body, or of `data` for interaction callbacks.
    pub fn content(&self) -> Option<&str> {
        self.body["content"]
            .as_str()
            .or_else(|| self.body["data"]["content"].as_str())
    }

    /// The query parameter `name`, if present.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query.as_deref()?.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (key == name).then_some(value)
        })
    }
}

impl fmt::Display for Recorded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "#{} +{:?} {} {}",
            self.index, self.at, self.method, self.path
        )?;
        if let Some(query) = &self.query {
            write!(f, "?{query}")?;
        }
        write!(f, " -> {}", self.status)?;
        if !self.known_route {
            write!(f, " (unknown route)")?;
        }
        if let Some(reason) = &self.audit_log_reason {
            write!(f, " reason={reason:?}")?;
        }
        if !self.body.is_null() {
            let mut body = self.body.to_string();
            if body.len() > 300 {
                let cut = (0..=300)
                    .rev()
                    .find(|i| body.is_char_boundary(*i))
                    .unwrap_or(0);
                body.truncate(cut);
                body.push('…');
            }
            write!(f, " {body}")?;
        }
        Ok(())
    }
}

/// A canned answer for a route, set with [`FakeDiscord::respond`].
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    /// JSON body; none for 204.
    pub body: Option<Value>,
    /// Wait this long before answering.
    pub delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Reply {
        Reply {
            status,
            body: Some(body),
            delay: Duration::ZERO,
        }
    }

    pub fn ok(body: Value) -> Reply {
        Reply::json(200, body)
    }

    pub fn no_content() -> Reply {
        Reply {
            status: 204,
            body: None,
            delay: Duration::ZERO,
        }
    }

    /// A Discord JSON error, `{"message", "code"}`.
    pub fn error(status: u16, code: u32, message: &str) -> Reply {
        Reply::json(
            status,
            serde_json::json!({"message": message, "code": code}),
        )
    }

    /// 400 "Invalid Form Body" (50035) with Discord's `errors` tree for one body field, which
    /// serenity reads into `DiscordJsonError::errors` (`code` such as `NUMBER_TYPE_MAX`).
    pub fn invalid_form(field: &str, code: &str, message: &str) -> Reply {
        Reply::json(
            400,
            serde_json::json!({
                "message": "Invalid Form Body",
                "code": 50035,
                "errors": {field: {"_errors": [{"code": code, "message": message}]}},
            }),
        )
    }

    /// 403 "Missing Permissions" (50013).
    pub fn missing_permissions() -> Reply {
        Reply::error(403, 50013, "Missing Permissions")
    }

    /// 403 "Missing Access" (50001).
    pub fn missing_access() -> Reply {
        Reply::error(403, 50001, "Missing Access")
    }

    /// 403 "Cannot send messages to this user" (50007), a DM to someone who closed them.
    pub fn cannot_dm() -> Reply {
        Reply::error(403, 50007, "Cannot send messages to this user")
    }

    pub fn unknown_member() -> Reply {
        Reply::error(404, 10007, "Unknown Member")
    }

    pub fn unknown_message() -> Reply {
        Reply::error(404, 10008, "Unknown Message")
    }

    pub fn unknown_channel() -> Reply {
        Reply::error(404, 10003, "Unknown Channel")
    }

    /// 500, as Discord does on a bad day.
    pub fn server_error() -> Reply {
        Reply::error(500, 0, "500: Internal Server Error")
    }

    /// The same reply after `delay`.
    pub fn delayed(self, delay: Duration) -> Reply {
        Reply { delay, ..self }
    }
}

/// Whether `path` matches `route` (see [`Recorded::is`]).
pub fn route_matches(route: &str, path: &str) -> bool {
    let route = route.split('?').next().unwrap_or_default();
    let full;
    let route = if route.starts_with("/api/") {
        route
    } else {
        full = format!("/api/v10/{}", route.trim_start_matches('/'));
        &full
    };
    let mut want = route.trim_end_matches('/').split('/');
    let mut have = path.trim_end_matches('/').split('/');
    loop {
        match (want.next(), have.next()) {
            (None, None) => return true,
            (Some(w), Some(h)) => {
                let wildcard = w == "*" || (w.starts_with('{') && w.ends_with('}'));
                if !wildcard && w != h {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// One request a line, for failure messages.
pub(crate) fn list(requests: &[Recorded]) -> String {
    if requests.is_empty() {
        return "  (none)".to_string();
    }
    requests
        .iter()
        .map(|r| format!("  {r}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
