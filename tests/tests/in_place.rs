//! The in-process client (like HTTP) lets a `tools/call` run its first step where it
//! arrives: a call that finishes then is answered at once, and one that waits goes on in
//! its response future, polled then with a waker that works. Stdio runs each call on a task
//! of its own, so that calls run side by side.

use mcp_runtime::McpServer;
use mcp_runtime::prelude::*;
use mcp_runtime::testing::TestClient;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

struct Gate(Arc<Notify>);

/// Waits for the gate, twice over: each wait is a poll that returns pending.
#[mcp_tool]
async fn gated(gate: State<Gate>) -> String {
    gate.0.notified().await;
    tokio::task::yield_now().await;
    gate.0.notified().await;
    "through".into()
}

/// Waits longer than its timeout allows.
#[mcp_tool(timeout = "50ms")]
async fn too_slow() -> String {
    tokio::time::sleep(Duration::from_secs(30)).await;
    "never".into()
}

/// Fails in its first step.
#[mcp_tool]
fn boom() -> String {
    panic!("boom")
}

fn server(gate: &Arc<Notify>) -> McpServer {
    McpServer::builder("in-place", "1")
        .state(Gate(Arc::clone(gate)))
        .build()
        .expect("builds")
}

#[tokio::test]
async fn a_call_that_waits_is_woken_after_its_first_step_ran_in_place() {
    let gate = Arc::new(Notify::new());
    let server = server(&gate);
    let client = TestClient::connect(&server).await;
    // Released only once the call waits: a first poll whose waker were kept would never
    // see these.
    let opener = tokio::spawn({
        let gate = Arc::clone(&gate);
        async move {
            for _ in 0..2 {
                tokio::time::sleep(Duration::from_millis(20)).await;
                gate.notify_one();
            }
        }
    });
    let result = tokio::time::timeout(
        Duration::from_secs(10),
        client.call_tool("gated", serde_json::json!({})),
    )
    .await
    .expect("the call is woken, not left waiting")
    .expect("answered");
    assert_eq!(result.text(), Some("through"));
    opener.await.unwrap();
}

#[tokio::test]
async fn timeouts_and_panics_are_answered_as_on_a_task() {
    let server = server(&Arc::new(Notify::new()));
    let client = TestClient::connect(&server).await;
    let slow = client
        .call_tool("too_slow", serde_json::json!({}))
        .await
        .expect("a tool error, not a protocol error");
    assert!(slow.is_error);
    assert!(
        slow.text().is_some_and(|t| t.contains("timed out")),
        "{slow:?}"
    );
    let panicked = client
        .call_tool("boom", serde_json::json!({}))
        .await
        .unwrap_err();
    assert_eq!(panicked.code, -32603);
    assert!(panicked.message.contains("`boom`"), "{panicked:?}");
}
