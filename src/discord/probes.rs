//! The gateway's side of [`crate::telemetry`]: each shard's stage and heartbeat latency, read
//! from serenity's shard manager when `/readyz` or `/metrics` is asked.

use std::net::SocketAddr;
use std::sync::Arc;

use serenity::all::{ConnectionStage, ShardManager};
use tokio::task::JoinHandle;

use crate::store::Store;
use crate::telemetry::{self, ShardProbe, ShardStatus};

/// Serves metrics and probes on `addr` (until the task is aborted), reading `shards`.
pub(super) fn serve(addr: SocketAddr, store: Store, shards: Arc<ShardManager>) -> JoinHandle<()> {
    let probe: ShardProbe = Arc::new(move || {
        let shards = shards.clone();
        Box::pin(async move {
            let runners = shards.runners.lock().await;
            runners
                .iter()
                .map(|(id, info)| ShardStatus {
                    id: id.0,
                    connected: info.stage == ConnectionStage::Connected,
                    latency: info.latency,
                })
                .collect()
        })
    });
    tokio::spawn(async move {
        if let Err(e) = telemetry::serve(addr, store, probe, std::future::pending()).await {
            tracing::error!(%addr, error = %e, "metrics and probes not served");
        }
    })
}
