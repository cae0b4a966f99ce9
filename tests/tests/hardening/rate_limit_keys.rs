//! Rate limits count against a key no caller can renew at will: one stdio connection is one
//! caller in both eras, and HTTP callers the server cannot tell apart share one budget.

use mcp_runtime::prelude::*;
use mcp_tests::McpProcess;
use mcp_tests::http::{self, McpHttp};
use serde_json::{Value, json};
use std::path::Path;

const MODERN: &str = "2026-07-28";

fn stateless_meta() -> Value {
    json!({
        "io.modelcontextprotocol/protocolVersion": MODERN,
        "io.modelcontextprotocol/clientCapabilities": {},
    })
}

/// Whether a `tools/call` answer is the rate-limit refusal.
fn limited(answer: &Value) -> bool {
    answer["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("rate limit"))
}

#[tokio::test]
async fn stateless_stdio_requests_of_one_connection_share_its_budget() {
    // The fixture's `limited` tool allows 2 calls a minute.
    let mut server = McpProcess::spawn(Path::new(env!("CARGO_BIN_EXE_fixture_server")));
    let mut answers = Vec::new();
    for _ in 0..4 {
        answers.push(
            server
                .request(
                    "tools/call",
                    json!({ "name": "limited", "arguments": {}, "_meta": stateless_meta() }),
                )
                .await,
        );
    }
    let refused = answers.iter().filter(|a| limited(a)).count();
    assert_eq!(refused, 2, "{answers:#?}");
    assert!(
        !limited(&answers[0]) && !limited(&answers[1]),
        "{answers:#?}"
    );
}

/// Three calls a minute.
#[mcp_tool(rate_limit = "3/min")]
fn scarce() -> &'static str {
    "ok"
}

#[tokio::test]
async fn http_sessions_without_a_client_address_share_one_budget() {
    // A router served without `ConnectInfo`: no principal, no address. Each new session
    // must not be a fresh budget.
    let server = McpServer::builder("keys", "0.0.0").build().expect("build");
    let addr = http::serve(server.router()).await;
    let mut answers = Vec::new();
    for _ in 0..5 {
        let mut client = McpHttp::new(addr);
        client.initialize(json!({})).await;
        let response = client
            .request("tools/call", json!({ "name": "scarce", "arguments": {} }))
            .await;
        answers.push(response.json().await);
    }
    let refused = answers.iter().filter(|a| limited(a)).count();
    assert_eq!(refused, 2, "{answers:#?}");
}
