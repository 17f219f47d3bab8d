//! Starting the gateway: autosharded (every shard Discord recommends, in this process), or the
//! shard range of `SHARDS`/`SHARD_COUNT`. With a range, the identify lock of the buckets it uses
//! ([`crate::store::identify`]) is held until this process's shards are connected and
//! [`IDENTIFY_SPACING`] more, so processes started together identify one after another and
//! Discord invalidates no session. Within one process serenity spaces its shards itself.

use std::sync::Arc;
use std::time::Duration;

use serenity::all::{Client, ConnectionStage, ShardManager};
use tracing::{info, warn};

use crate::shards::ShardRange;
use crate::store::Store;

/// The least time between two identifies of one bucket, as Discord requires.
pub const IDENTIFY_SPACING: Duration = Duration::from_secs(5);

/// How long a shard may take to connect before the identify lock is let go anyway.
const CONNECT_WAIT_PER_SHARD: Duration = Duration::from_secs(30);

/// Runs the gateway until the client stops.
pub(super) async fn start(
    client: &mut Client,
    range: Option<ShardRange>,
    store: &Store,
) -> serenity::Result<()> {
    let Some(range) = range else {
        return client.start_autosharded().await;
    };
    let max_concurrency = match client.http.get_bot_gateway().await {
        Ok(gateway) => gateway.session_start_limit.max_concurrency.max(1) as u32,
        Err(e) => {
            warn!(error = %e, "identify limit unknown; taking one identify at a time");
            1
        }
    };
    let buckets = range.buckets(max_concurrency);
    let lock = match store.lock_identify(&buckets).await {
        Ok(lock) => Some(lock),
        Err(e) => {
            warn!(error = %e, "identify lock unavailable; identifying without it");
            None
        }
    };
    info!(shards = %range, ?buckets, "identifying");
    let manager = client.shard_manager.clone();
    tokio::spawn(async move {
        connected(&manager, range).await;
        tokio::time::sleep(IDENTIFY_SPACING).await;
        if let Some(lock) = lock
            && let Err(e) = lock.release().await
        {
            warn!(error = %e, "identify lock not released; it goes with its connection");
        }
    });
    // serenity 0.12 reads the range's end as the last shard (inclusive).
    client
        .start_shard_range(range.first..range.last, range.total)
        .await
}

/// Waits until every shard of `range` is connected (or the wait per shard has passed).
async fn connected(manager: &Arc<ShardManager>, range: ShardRange) {
    let deadline = tokio::time::Instant::now() + CONNECT_WAIT_PER_SHARD * range.count();
    loop {
        let up = {
            let runners = manager.runners.lock().await;
            runners
                .values()
                .filter(|info| info.stage == ConnectionStage::Connected)
                .count() as u32
        };
        if up >= range.count() {
            info!(shards = %range, "shards connected");
            return;
        }
        if tokio::time::Instant::now() >= deadline {
            warn!(shards = %range, up, "shards slow to connect; letting other processes identify");
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
