//! The bench's measures: pre-built batches of dispatches, the throughput of a burst, the latency of a steady rate, and the fake Discord's own sending rate.

use super::*;

/// Pre-built dispatches, with what the bench must know of them.
#[derive(Default)]
pub(crate) struct Batch {
    pub(crate) frames: Vec<Prepared>,
    pub(crate) ids: Vec<String>,
    pub(crate) is_offending: Vec<bool>,
    /// The offending messages' ids, in order.
    pub(crate) offending: Vec<u64>,
}

/// What one throughput run measured.
pub(crate) struct Throughput {
    pub(crate) events: usize,
    pub(crate) elapsed: Option<Duration>,
    /// Steward's CPU time during the run (user + system).
    pub(crate) bot_cpu: Duration,
    /// This process's (the fake's) CPU time during the run.
    pub(crate) fake_cpu: Duration,
    /// The run's offending messages and the DELETEs received for them so far.
    pub(crate) offending: usize,
    pub(crate) deletes: usize,
    pub(crate) dms: usize,
    pub(crate) mod_log_posts: usize,
    /// Every request during the run besides those (clean runs: should be none).
    pub(crate) other_requests: usize,
    /// Until every DELETE, DM and mod-log post of the run had arrived.
    pub(crate) actions_done: Option<Duration>,
}

pub(crate) async fn throughput(
    fake: &FakeDiscord,
    bot: &Bot,
    metrics: SocketAddr,
    batch: &Batch,
    plan: &Plan,
) -> Throughput {
    let before = judged(metrics).await.unwrap_or(0);
    let mark = fake.request_count();
    let (bot_cpu, fake_cpu) = (cpu_time(bot.pid), cpu_time(std::process::id()));
    let began = Instant::now();
    fake.send_prepared(&batch.frames).expect("frames sent");
    let elapsed = wait_judged(metrics, before + batch.frames.len() as u64, plan.patience)
        .await
        .map(|_| began.elapsed());
    let bot_cpu = cpu_time(bot.pid).saturating_sub(bot_cpu);
    let fake_cpu = cpu_time(std::process::id()).saturating_sub(fake_cpu);
    let actions_done = wait_actions(fake, mark, batch.offending.len(), plan.patience)
        .await
        .then(|| began.elapsed());
    wait_idle(bot.pid).await;
    let (deletes, dms, mod_log_posts, other_requests) = requests_since(fake, mark);
    Throughput {
        events: batch.frames.len(),
        elapsed,
        bot_cpu,
        fake_cpu,
        offending: batch.offending.len(),
        deletes,
        dms,
        mod_log_posts,
        other_requests,
        actions_done,
    }
}

/// What the steady run measured.
pub(crate) struct Steady {
    pub(crate) events: usize,
    /// From the first event sent to the last.
    pub(crate) sending: Duration,
    pub(crate) bot_cpu: Duration,
    /// Sent-to-DELETE times of the offending messages whose DELETE came, sorted.
    pub(crate) latencies: Vec<Duration>,
    /// The slowest few: (latency, when sent since the run began).
    pub(crate) slowest: Vec<(Duration, Duration)>,
    pub(crate) offending: usize,
    /// Steward's activity flushes seen during the run: (when, since the run began; messages
    /// written).
    pub(crate) flushes: Vec<(Duration, u64)>,
}

pub(crate) async fn steady_latency(
    fake: &FakeDiscord,
    bot: &Bot,
    metrics: SocketAddr,
    batch: &Batch,
    plan: &Plan,
    activity: Activity,
) -> Steady {
    let before = judged(metrics).await.unwrap_or(0);
    let mark = fake.request_count();
    let bot_cpu = cpu_time(bot.pid);
    let flushes = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let watching = tokio::spawn(activity.watch(Instant::now(), flushes.clone()));
    let start_on_fake = fake.elapsed();
    let period = Duration::from_secs(1) / u32::try_from(plan.steady_rate).unwrap_or(1000);
    let mut ticks = tokio::time::interval(period);
    let mut sent_at: HashMap<u64, Duration> = HashMap::new();
    let began = Instant::now();
    for (i, frame) in batch.frames.iter().enumerate() {
        ticks.tick().await;
        let at = fake
            .send_prepared(std::slice::from_ref(frame))
            .expect("frame sent");
        if batch.is_offending[i] {
            sent_at.insert(batch.ids[i].parse().expect("a snowflake"), at);
        }
    }
    let sending = began.elapsed();
    let _ = wait_judged(metrics, before + batch.frames.len() as u64, plan.patience).await;
    let _ = wait_actions(fake, mark, batch.offending.len(), plan.patience).await;
    let bot_cpu = cpu_time(bot.pid).saturating_sub(bot_cpu);
    watching.abort();
    let flushes = flushes.lock().expect("flushes").clone();
    let mut samples: Vec<(Duration, Duration)> = fake
        .requests()
        .into_iter()
        .filter(|r| r.index >= mark && r.is("DELETE", "/channels/{c}/messages/{m}"))
        .filter_map(|r| {
            let id: u64 = r.path.rsplit('/').next()?.parse().ok()?;
            let sent = *sent_at.get(&id)?;
            Some((
                r.at.saturating_sub(sent),
                sent.saturating_sub(start_on_fake),
            ))
        })
        .collect();
    samples.sort_unstable();
    let latencies = samples.iter().map(|(latency, _)| *latency).collect();
    let slowest = samples.iter().rev().take(5).copied().collect();
    Steady {
        events: batch.frames.len(),
        sending,
        bot_cpu,
        latencies,
        slowest,
        offending: batch.offending.len(),
        flushes,
    }
}

/// Frames/s the fake sends to a client that reads them and does nothing else (both in this
/// process, on its core): a second fake, a bare WebSocket client identified as shard 0.
pub(crate) async fn fake_alone(frames: &[Prepared]) -> Option<f64> {
    let fake = FakeDiscord::start(world()).await;
    let (mut socket, _) = tokio_tungstenite::connect_async(fake.gateway_url())
        .await
        .ok()?;
    socket.next().await?.ok()?; // HELLO
    let identify = json!({"op": 2, "d": {
        "token": TOKEN, "intents": 1, "shard": [0, 1],
        "properties": {"os": "linux", "browser": "bench", "device": "bench"},
    }});
    socket
        .send(WsMessage::text(identify.to_string()))
        .await
        .ok()?;
    fake.wait_connected().await;
    // READY and GUILD_CREATE come first.
    let expected = frames.len() + 2;
    let began = Instant::now();
    fake.send_prepared(frames).ok()?;
    let mut seen = 0;
    while seen < expected {
        match tokio::time::timeout(Duration::from_secs(30), socket.next()).await {
            Ok(Some(Ok(WsMessage::Text(_)))) => seen += 1,
            Ok(Some(Ok(_))) => {}
            _ => return None,
        }
    }
    let rate = frames.len() as f64 / began.elapsed().as_secs_f64();
    let _ = socket.close(None).await;
    fake.shutdown().await;
    Some(rate)
}
