//! A session lives as long as its GET stream is open, and its streams end with it.

use mcp_runtime::prelude::*;
use mcp_tests::http::{self, McpHttp};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn an_open_get_stream_keeps_its_session_alive_and_ends_with_it() {
    let server = McpServer::builder("life", "0.0.0")
        .session_idle_timeout(Duration::from_millis(600))
        .sse_keep_alive(Duration::from_millis(150))
        .build()
        .expect("build");
    let addr = http::serve(server.router()).await;
    let mut client = McpHttp::new(addr);
    client.initialize(json!({})).await;
    let mut stream = client.get(None).await;
    assert_eq!(stream.status, 200);
    let primed = stream.next_event().await.expect("the priming event");
    assert!(primed.id.is_some(), "{primed:?}");

    // Four idle timeouts with no request: only the stream's keep-alives touch the session.
    tokio::time::sleep(Duration::from_millis(2_400)).await;
    let ping = client.request("ping", json!({})).await;
    assert_eq!(
        ping.status, 200,
        "the session expired under its open stream"
    );

    // DELETE ends the session, and the stream with it (not a keep-alive forever).
    assert_eq!(client.delete().await.status, 200);
    let ended = tokio::time::timeout(Duration::from_secs(2), stream.next_event()).await;
    assert!(
        matches!(ended, Ok(None)),
        "the stream goes on after DELETE: {ended:?}"
    );
}

#[tokio::test]
async fn a_session_that_expires_without_a_stream_is_gone() {
    let server = McpServer::builder("life", "0.0.0")
        .session_idle_timeout(Duration::from_millis(300))
        .build()
        .expect("build");
    let addr = http::serve(server.router()).await;
    let mut client = McpHttp::new(addr);
    client.initialize(json!({})).await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(client.request("ping", json!({})).await.status, 404);
}
