//! Clients that connect and stall: half a request line, then nothing. With the defaults,
//! 2,000 of them do not delay a new client's call past a second, and every one is closed
//! within 30 s. With a cap on open connections, new clients wait for a free one instead
//! of pushing out the ones being served.

use mcp_runtime::McpServerBuilder;
use mcp_runtime::prelude::*;
use mcp_tests::http::{self, McpHttp};
use serde_json::json;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn serve(builder: McpServerBuilder) -> SocketAddr {
    let addr = http::free_loopback_addr();
    let server = builder.build().expect("build");
    tokio::spawn(async move { server.serve_http(&addr.to_string()).await });
    http::wait_until_accepting(addr).await;
    addr
}

/// Opens `n` connections that each send half a request line and stop.
async fn stall(addr: SocketAddr, n: usize) -> Vec<TcpStream> {
    let mut sockets = Vec::with_capacity(n);
    for _ in 0..n {
        let mut socket = TcpStream::connect(addr).await.expect("connect");
        socket.write_all(b"POST /mcp HTT").await.expect("write");
        sockets.push(socket);
    }
    sockets
}

/// A new client's `initialize` and call, timed.
async fn one_call(addr: SocketAddr) -> Duration {
    let began = Instant::now();
    let mut client = McpHttp::new(addr);
    client.initialize(json!({})).await;
    let result = client.call_tool("echo", json!({ "text": "through" })).await;
    assert_eq!(result["content"][0]["text"], "through");
    began.elapsed()
}

/// Waits until the server closed `socket` (end of stream or a reset).
async fn closed(mut socket: TcpStream) {
    let mut buffer = [0u8; 512];
    loop {
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            // hyper may answer `408` before it closes.
            Ok(_) => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_stalled_sockets_neither_delay_a_new_client_nor_stay_open() {
    let addr = serve(McpServer::builder("stalled", "0.0.0")).await;
    let began = Instant::now();
    let sockets = stall(addr, 2_000).await;
    let took = one_call(addr).await;
    assert!(
        took < Duration::from_secs(1),
        "a new client waited {took:?}"
    );
    let all_closed = futures_all(sockets.into_iter().map(closed));
    tokio::time::timeout(
        Duration::from_secs(30).saturating_sub(began.elapsed()),
        all_closed,
    )
    .await
    .expect("every stalled socket was closed within 30 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_connection_cap_a_new_client_waits_for_a_stalled_one_to_be_cut() {
    let builder = McpServer::builder("capped", "0.0.0")
        .max_connections(20)
        .header_read_timeout(Duration::from_millis(800));
    let addr = serve(builder).await;
    let began = Instant::now();
    let sockets = stall(addr, 20).await;
    let took = one_call(addr).await;
    let waited = began.elapsed();
    assert!(
        waited >= Duration::from_millis(700) && took < Duration::from_secs(5),
        "served after {waited:?}: the cap did not hold, or the stalled were never cut"
    );
    drop(sockets);
}

#[tokio::test]
async fn a_body_that_never_arrives_is_answered_408() {
    let addr = serve(
        McpServer::builder("slow-body", "0.0.0").body_read_timeout(Duration::from_millis(300)),
    )
    .await;
    let mut socket = TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST /mcp HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
         accept: application/json, text/event-stream\r\ncontent-length: 100\r\n\r\n{{\"jsonrpc\""
    );
    socket.write_all(head.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), socket.read_to_end(&mut answer))
        .await
        .expect("answered and closed in time")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

/// Waits for every future (no extra dependency for `join_all`).
async fn futures_all<F: std::future::Future<Output = ()> + Send + 'static>(
    futures: impl Iterator<Item = F>,
) {
    let mut set = tokio::task::JoinSet::new();
    for future in futures {
        set.spawn(future);
    }
    while set.join_next().await.is_some() {}
}
