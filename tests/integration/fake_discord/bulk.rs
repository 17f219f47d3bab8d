//! A fast dispatch path for load tests and benchmarks. [`FakeDiscord::dispatch`] checks every
//! payload with serenity, clones the world to route it and stores what it dispatches: right for
//! tests, too slow for tens of thousands of events a second. Here a test checks a sample with
//! [`validate`](super::validate), serialises its payloads ahead of time ([`FakeDiscord::prepare`])
//! and sends them unchecked ([`FakeDiscord::send_prepared`]): one lock for a whole batch, and per
//! event only the frame's text put together with its sequence number. The fake remembers only
//! what it is told to ([`FakeDiscord::observe`]), such as the messages the bot will delete.
//! Also: GUILD_MEMBERS_CHUNK payloads ([`members_chunk`]).

use std::time::Duration;

use serde_json::{Value, json};

use super::gateway::Outgoing;
use super::shards::guild_of_dispatch;
use super::specs::MemberSpec;
use super::{FakeDiscord, store};

/// Members in one GUILD_MEMBERS_CHUNK, as Discord sends them.
pub const CHUNK_SIZE: usize = 1_000;

/// A dispatch serialised ahead of time, not checked: [`FakeDiscord::send_prepared`] sends it.
#[derive(Clone, Debug)]
pub struct Prepared {
    event: String,
    guild: Option<u64>,
    /// The dispatch's `d`, as JSON text.
    data: String,
}

impl Prepared {
    /// The size of the frame's payload, in bytes.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

impl FakeDiscord {
    /// Serialises dispatch `event` with `data` for [`Self::send_prepared`], without checking it
    /// (check one of a kind with [`super::validate`] first).
    pub fn prepare(&self, event: &str, data: &Value) -> Prepared {
        let guild = guild_of_dispatch(&self.shared.world.lock().unwrap(), event, data);
        Prepared {
            event: event.to_string(),
            guild,
            data: data.to_string(),
        }
    }

    /// Follows dispatch `event` as [`Self::dispatch`] does (a message is stored, so the bot may
    /// delete it; members join or leave the world), without sending it.
    pub fn observe(&self, event: &str, data: &Value) {
        store::observe_dispatch(&self.shared, event, data);
    }

    /// Sends `batch` in order, each on the shard owning its guild with that session's next
    /// sequence number. Returns when the last frame was queued on its connection, on the clock
    /// of [`super::Recorded::at`]; `Err` if a shard has no ready connection.
    pub fn send_prepared(&self, batch: &[Prepared]) -> Result<Duration, String> {
        let mut gateway = self.shared.gateway.lock().unwrap();
        for prepared in batch {
            let shard = gateway.owner(prepared.guild);
            if !gateway.shard_ready(shard) {
                return Err(format!("shard {shard} is not ready"));
            }
            let tx = match gateway.holder(shard) {
                Some(connection) => connection.tx.clone(),
                None => return Err(format!("shard {shard} is not connected")),
            };
            let Some(session) = gateway.sessions.get_mut(&shard) else {
                return Err(format!("shard {shard} has no session"));
            };
            session.seq += 1;
            let frame = format!(
                r#"{{"op":0,"s":{},"t":"{}","d":{}}}"#,
                session.seq, prepared.event, prepared.data
            );
            tx.send(Outgoing::Text(frame))
                .map_err(|_| format!("shard {shard}'s connection closed"))?;
        }
        drop(gateway);
        Ok(self.shared.started.elapsed())
    }
}

/// GUILD_MEMBERS_CHUNK `index` of `count` for `guild_id`, with `members` (at most
/// [`CHUNK_SIZE`] on Discord).
pub fn members_chunk(guild_id: u64, members: &[MemberSpec], index: usize, count: usize) -> Value {
    json!({
        "guild_id": guild_id.to_string(),
        "members": members.iter().map(MemberSpec::to_json).collect::<Vec<_>>(),
        "chunk_index": index,
        "chunk_count": count,
        "not_found": [],
    })
}
