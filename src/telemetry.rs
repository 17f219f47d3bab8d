//! What an operator monitors: Prometheus metrics (through the `metrics` facade and its
//! Prometheus exporter) and two probes, served over HTTP when `METRICS_ADDR` is set:
//! `GET /metrics`, `GET /healthz` (the process is alive) and `GET /readyz` (every shard is
//! connected and the database answers). Counters are recorded where things happen (the
//! adapter, the executor, the scheduler, hot reload); figures that belong to storage (the review
//! queue) and to the gateway (latency per shard) are read at scrape time. Without `METRICS_ADDR`
//! no recorder is installed and recording costs nothing.
//!
//! The metric names are constants in [`names`]; the README lists them.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tracing::{info, warn};

use crate::store::Store;

/// Every metric Steward exports.
pub mod names {
    /// Gateway events received, by `event` type.
    pub const GATEWAY_EVENTS: &str = "steward_gateway_events_total";
    /// Messages (and edits) judged by the charter.
    pub const MESSAGES_JUDGED: &str = "steward_messages_judged_total";
    /// Verdicts that matched, by `rule` and `outcome` (`delete`, `hold`, `flag`).
    pub const VERDICTS: &str = "steward_verdicts_total";
    /// Actions performed, by `action` and `result` (`ok`, `error`).
    pub const ACTIONS: &str = "steward_actions_total";
    /// Discord REST errors, by `step` and `status` (`429` for rate limits).
    pub const REST_ERRORS: &str = "steward_rest_errors_total";
    /// Open review items, all servers.
    pub const REVIEW_OPEN: &str = "steward_review_queue_open";
    /// How long the oldest open review item has waited, in seconds.
    pub const REVIEW_OLDEST_AGE: &str = "steward_review_queue_oldest_age_seconds";
    /// How late the last claimed job ran after its due time, in seconds.
    pub const SCHEDULER_LAG: &str = "steward_scheduler_lag_seconds";
    /// Job runs that failed, by `kind`.
    pub const JOBS_FAILED: &str = "steward_jobs_failed_total";
    /// Jobs given up after their last attempt, by `kind`.
    pub const JOBS_GIVEN_UP: &str = "steward_jobs_given_up_total";
    /// Heartbeat latency per `shard`, in seconds.
    pub const GATEWAY_LATENCY: &str = "steward_gateway_latency_seconds";
    /// Charter reloads, by `result` (`applied`, `refused`).
    pub const CHARTER_RELOADS: &str = "steward_charter_reloads_total";
    /// Raid modes started, by what set them off.
    pub const RAIDS: &str = "steward_raids_total";
}

/// The process's Prometheus recorder, installed on first use (once per process).
pub fn recorder() -> Option<PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| match PrometheusBuilder::new().install_recorder() {
            Ok(handle) => Some(handle),
            Err(e) => {
                warn!(error = %e, "metrics recorder not installed");
                None
            }
        })
        .clone()
}

/// One shard as the gateway sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShardStatus {
    pub id: u32,
    pub connected: bool,
    pub latency: Option<Duration>,
}

/// Reads the shards' status (given by the adapter, which speaks serenity).
pub type ShardProbe =
    Arc<dyn Fn() -> Pin<Box<dyn Future<Output = Vec<ShardStatus>> + Send>> + Send + Sync>;

#[derive(Clone)]
struct Probes {
    handle: PrometheusHandle,
    store: Store,
    shards: ShardProbe,
}

/// Serves `/metrics`, `/healthz` and `/readyz` on `addr` until `shutdown` completes.
pub async fn serve(
    addr: SocketAddr,
    store: Store,
    shards: ShardProbe,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let Some(handle) = recorder() else {
        return Ok(());
    };
    let app = Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .with_state(Probes {
            handle,
            store,
            shards,
        });
    let listener = tokio::net::TcpListener::bind(addr).await?;
    info!(addr = %listener.local_addr()?, "metrics and probes served");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

async fn metrics(State(probes): State<Probes>) -> String {
    match probes.store.open_review_totals().await {
        Ok((open, oldest)) => {
            metrics::gauge!(names::REVIEW_OPEN).set(open as f64);
            let age = oldest.map_or(0, |at| (now_ms() - at).max(0));
            metrics::gauge!(names::REVIEW_OLDEST_AGE).set(age as f64 / 1000.0);
        }
        Err(e) => warn!(error = %e, "review queue figures unavailable"),
    }
    for shard in (probes.shards)().await {
        if let Some(latency) = shard.latency {
            metrics::gauge!(names::GATEWAY_LATENCY, "shard" => shard.id.to_string())
                .set(latency.as_secs_f64());
        }
    }
    probes.handle.render()
}

async fn ready(State(probes): State<Probes>) -> (StatusCode, String) {
    let shards = (probes.shards)().await;
    let connected = !shards.is_empty() && shards.iter().all(|s| s.connected);
    let database = probes.store.ping().await.is_ok();
    let status = if connected && database {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        format!(
            "shards: {}/{} connected\ndatabase: {}\n",
            shards.iter().filter(|s| s.connected).count(),
            shards.len(),
            if database { "ok" } else { "unreachable" }
        ),
    )
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
