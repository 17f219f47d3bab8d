//! Metrics and probes end to end: with `METRICS_ADDR` set, `/metrics` shows a judged message
//! and its delete, `/healthz` answers, `/readyz` reports the shard connected and the database
//! reachable.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::fake_discord::World;
use crate::steward_support::{Setup, WAIT, deletes};

/// `GET path` on `addr`, retried until the server listens; the status line and the body.
async fn get(addr: std::net::SocketAddr, path: &str) -> (String, String) {
    let deadline = tokio::time::Instant::now() + WAIT;
    let mut stream = loop {
        match TcpStream::connect(addr).await {
            Ok(stream) => break stream,
            Err(_) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            Err(e) => panic!("metrics server not listening on {addr}: {e}"),
        }
    };
    let request = format!("GET {path} HTTP/1.1\r\nHost: steward\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (
        head.lines().next().unwrap_or_default().to_string(),
        body.to_string(),
    )
}

fn free_port() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_show_a_judged_message_and_its_delete_and_probes_answer() {
    let addr = free_port();
    let bot = Setup::new(World::default_guild())
        .metrics(addr)
        .start()
        .await;
    let message = bot.say("alice", "espèce de connard").await;
    bot.fake.wait_for(deletes(&message), WAIT).await;

    let (status, body) = get(addr, "/healthz").await;
    assert!(status.contains("200"), "{status}");
    assert_eq!(body.trim(), "ok");

    let (status, body) = get(addr, "/readyz").await;
    assert!(status.contains("200"), "{status}\n{body}");
    assert!(body.contains("shards: 1/1 connected"), "{body}");
    assert!(body.contains("database: ok"), "{body}");

    let expected = [
        "steward_messages_judged_total",
        "steward_gateway_events_total{event=\"message\"}",
        "steward_verdicts_total{rule=\"insults\",outcome=\"delete\"}",
        "steward_actions_total{action=\"delete_message\",result=\"ok\"}",
        "steward_actions_total{action=\"record_case\",result=\"ok\"}",
        "steward_review_queue_open",
    ];
    // An action is counted once it returns: scrape until every line is there, or give up.
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let (status, body) = get(addr, "/metrics").await;
        assert!(status.contains("200"), "{status}");
        let missing: Vec<&str> = expected.into_iter().filter(|l| !body.contains(l)).collect();
        if missing.is_empty() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "missing {missing:?} in\n{body}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    bot.stop().await;
}
