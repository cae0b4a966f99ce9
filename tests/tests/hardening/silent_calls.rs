//! A long call that sends nothing gets its headers and an event id early (a proxy's idle
//! timeout cannot cut it before the client could resume), then its result.

use mcp_runtime::prelude::*;
use mcp_tests::http::{self, McpHttp};
use serde_json::json;
use std::time::{Duration, Instant};

/// Say nothing for 2.5 s, then answer.
#[mcp_tool]
async fn brood() -> &'static str {
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    "done brooding"
}

#[tokio::test]
async fn a_silent_call_is_primed_within_a_second_and_answered_on_the_stream() {
    let server = McpServer::builder("silent", "0.0.0")
        .filter(|b| b.module_path().is_some_and(|m| m.ends_with("silent_calls")))
        .build()
        .expect("build");
    let addr = http::serve(server.router()).await;
    let mut client = McpHttp::new(addr);
    client.initialize(json!({})).await;
    let began = Instant::now();
    let mut answer = client
        .request("tools/call", json!({ "name": "brood" }))
        .await;
    let headers_after = began.elapsed();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some("text/event-stream"));
    let primed = answer.next_event().await.expect("the priming event");
    assert!(primed.id.is_some() && primed.data.is_empty(), "{primed:?}");
    assert!(
        headers_after < Duration::from_millis(1_800),
        "headers after {headers_after:?}"
    );
    let result = answer.next_event().await.expect("the result");
    assert_eq!(
        result.json()["result"]["content"][0]["text"],
        "done brooding"
    );
    // A quick call is still plain JSON.
    let quick = client.request("ping", json!({})).await;
    assert_eq!(quick.header("content-type"), Some("application/json"));
}
