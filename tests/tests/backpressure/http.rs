//! Over HTTP a session's requests beyond its in-flight cap wait for a turn, up to a bound:
//! a burst of 1,000 concurrent calls on one session all succeed; beyond the bound a
//! request is refused with `503`, `Retry-After` and a `-32005` error.

use mcp_runtime::prelude::*;
use mcp_tests::http::{self, McpHttp};
use serde_json::json;
use std::time::Duration;

/// Take a little while, so that calls overlap.
#[mcp_tool]
async fn linger(ms: u64) -> String {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    format!("lingered {ms} ms")
}

/// A `linger` call of `ms` with the request id `n` (each call of a burst its own id).
fn call(n: u64, ms: u64) -> serde_json::Value {
    json!({ "jsonrpc": "2.0", "id": n, "method": "tools/call",
        "params": { "name": "linger", "arguments": { "ms": ms } } })
}

fn server(builder: mcp_runtime::McpServerBuilder) -> McpServer {
    builder
        .filter(|b| b.module_path().is_some_and(|m| m.ends_with("http")))
        .build()
        .expect("build")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_a_thousand_calls_on_one_session_all_succeed() {
    let server = server(McpServer::builder("burst", "0.0.0"));
    let addr = http::serve(server.router()).await;
    let mut client = McpHttp::new(addr);
    client.initialize(json!({})).await;
    let mut calls = tokio::task::JoinSet::new();
    for n in 0..1_000 {
        let client = client.clone();
        calls.spawn(async move {
            let response = client.post(&call(n, 20)).await;
            (n, response.status, response.json().await)
        });
    }
    let mut failures = Vec::new();
    while let Some(done) = calls.join_next().await {
        let (n, status, body) = done.expect("a call");
        if status != 200 || body["result"]["content"][0]["text"] != "lingered 20 ms" {
            failures.push(format!("call {n}: {status} {body}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed, first: {:?}",
        failures.len(),
        failures.first()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beyond_the_queue_a_request_is_refused_with_retry_after() {
    let server = server(
        McpServer::builder("queue", "0.0.0")
            .max_in_flight(4096, 2)
            .http_queue(2, Duration::from_secs(10)),
    );
    let addr = http::serve(server.router()).await;
    let mut client = McpHttp::new(addr);
    client.initialize(json!({})).await;
    // Two run, two wait: the fifth has no place.
    let mut held = Vec::new();
    for n in 0..4 {
        let client = client.clone();
        held.push(tokio::spawn(async move {
            client.post(&call(n, 1_500)).await.status
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let refused = client.post(&call(4, 1)).await;
    assert_eq!(refused.status, 503);
    assert_eq!(refused.header("retry-after"), Some("1"));
    let body = refused.json().await;
    assert_eq!(body["error"]["code"], -32005, "{body}");
    // A notification never waits, even now.
    let note = json!({ "jsonrpc": "2.0", "method": "notifications/cancelled",
        "params": { "requestId": 999 } });
    assert_eq!(client.post(&note).await.status, 202);
    for call in held {
        assert_eq!(call.await.unwrap(), 200, "the queued calls ran in turn");
    }
}
