//! A bare gateway client (tokio-tungstenite) for tests about frames serenity hides: IDENTIFY
//! and RESUME of any shard at any moment, and what the fake answers, frame by frame.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::{FakeDiscord, TOKEN};

/// How long [`RawShard::next`] waits for a frame.
const FRAME_TIMEOUT: Duration = Duration::from_secs(5);

/// One WebSocket connection to the fake's gateway, HELLO already read.
pub struct RawShard {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl RawShard {
    /// Connects and reads HELLO.
    pub async fn connect(fake: &FakeDiscord) -> RawShard {
        let (socket, _) = tokio_tungstenite::connect_async(fake.gateway_url())
            .await
            .expect("the fake's gateway accepts the connection");
        let mut shard = RawShard { socket };
        let hello = shard.next().await;
        assert_eq!(hello["op"], 10, "HELLO first: {hello}");
        shard
    }

    /// Sends op 2 IDENTIFY as shard `id` of `count`.
    pub async fn identify(&mut self, id: u64, count: u64) {
        let d = json!({
            "token": TOKEN,
            "intents": 1,
            "properties": {"os": "linux", "browser": "raw", "device": "raw"},
            "shard": [id, count],
        });
        self.send(json!({"op": 2, "d": d})).await;
    }

    /// Sends op 6 RESUME of `session_id` from sequence number `seq`.
    pub async fn resume(&mut self, session_id: &str, seq: u64) {
        let d = json!({"token": TOKEN, "session_id": session_id, "seq": seq});
        self.send(json!({"op": 6, "d": d})).await;
    }

    pub async fn send(&mut self, frame: Value) {
        self.socket
            .send(Message::text(frame.to_string()))
            .await
            .expect("the frame is sent");
    }

    /// The next text frame as JSON; panics after 5 s or if the connection closes.
    pub async fn next(&mut self) -> Value {
        loop {
            let message = tokio::time::timeout(FRAME_TIMEOUT, self.socket.next())
                .await
                .expect("a frame within 5 s")
                .expect("the connection is open")
                .expect("a valid frame");
            if let Message::Text(text) = message {
                return serde_json::from_str(text.as_str()).expect("a JSON frame");
            }
        }
    }

    /// The next dispatch (op 0), skipping other frames.
    pub async fn next_dispatch(&mut self) -> Value {
        loop {
            let frame = self.next().await;
            if frame["op"] == 0 {
                return frame;
            }
        }
    }

    /// Closes the connection (code 1000) and waits for the fake's close reply.
    pub async fn close(mut self) {
        let _ = self.socket.close(None).await;
        while let Ok(Some(Ok(_))) = tokio::time::timeout(FRAME_TIMEOUT, self.socket.next()).await {}
    }
}
