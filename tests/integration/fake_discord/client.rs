//! Running the real serenity client against the fake, and seeing its logs.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serenity::all::{Cache, Client, Http, ShardManager};
use tokio::task::JoinHandle;

/// A serenity client running in a task, to stop at the end of a test.
pub struct RunningClient {
    pub shard_manager: Arc<ShardManager>,
    pub cache: Arc<Cache>,
    pub http: Arc<Http>,
    task: JoinHandle<serenity::Result<()>>,
}

impl RunningClient {
    /// Starts `client` (one shard) in a task.
    pub fn spawn(mut client: Client) -> RunningClient {
        let shard_manager = Arc::clone(&client.shard_manager);
        let cache = Arc::clone(&client.cache);
        let http = Arc::clone(&client.http);
        let task = tokio::spawn(async move { client.start().await });
        RunningClient {
            shard_manager,
            cache,
            http,
            task,
        }
    }

    /// Shuts every shard down and waits for the client to return; panics after 5 s. Returns
    /// how long it took (mostly the shard's 500 ms read timeout).
    pub async fn stop(self) -> Duration {
        let began = Instant::now();
        let stop = async {
            self.shard_manager.shutdown_all().await;
            self.task.await
        };
        match tokio::time::timeout(Duration::from_secs(5), stop).await {
            Ok(Ok(Ok(()))) => began.elapsed(),
            Ok(Ok(Err(why))) => panic!("serenity client ended with an error: {why}"),
            Ok(Err(why)) => panic!("serenity client task failed: {why}"),
            Err(_) => panic!("serenity client did not stop within 5 s"),
        }
    }
}

/// Sends `tracing` output (serenity's and poise's included) to the test's output, filtered by
/// `RUST_LOG` (e.g. `RUST_LOG=serenity=debug,steward=trace`); errors only without it.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_test_writer()
        .try_init();
}
