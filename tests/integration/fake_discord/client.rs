//! Running the real serenity client against the fake, and seeing its logs.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serenity::all::{Cache, Client, Http, ShardManager};
use tokio::task::JoinHandle;

/// Which shards a [`RunningClient`] runs. serenity's queuer starts a process's shards 5 s apart.
#[derive(Clone, Copy, Debug)]
pub enum Shards {
    /// `Client::start`: shard 0 of 1.
    One,
    /// `Client::start_shards(total)`: every shard of `total`.
    All(u32),
    /// `Client::start_shard(id, total)`: shard `id` of `total` alone.
    Only(u32, u32),
    /// `Client::start_autosharded`: as many as `GET /gateway/bot` recommends.
    Autosharded,
}

/// A serenity client running in a task, to stop at the end of a test.
pub struct RunningClient {
    pub shard_manager: Arc<ShardManager>,
    pub cache: Arc<Cache>,
    pub http: Arc<Http>,
    task: JoinHandle<serenity::Result<()>>,
}

impl RunningClient {
    /// Starts `client` (one shard) in a task.
    pub fn spawn(client: Client) -> RunningClient {
        RunningClient::spawn_sharded(client, Shards::One)
    }

    /// Starts `client` in a task with the shards `shards` says.
    pub fn spawn_sharded(mut client: Client, shards: Shards) -> RunningClient {
        let shard_manager = Arc::clone(&client.shard_manager);
        let cache = Arc::clone(&client.cache);
        let http = Arc::clone(&client.http);
        let task = tokio::spawn(async move {
            match shards {
                Shards::One => client.start().await,
                Shards::All(total) => client.start_shards(total).await,
                Shards::Only(id, total) => client.start_shard(id, total).await,
                Shards::Autosharded => client.start_autosharded().await,
            }
        });
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
