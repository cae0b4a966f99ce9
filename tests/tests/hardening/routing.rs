//! The HTTP routing matrix: every HTTP method × session header × protocol-version header ×
//! kind of message gets an answer — a 2xx, a clear 4xx, or a JSON-RPC error — never a
//! closed connection (a panic in a handler), never a 5xx.

use mcp_runtime::prelude::*;
use mcp_tests::http::{self, McpHttp};
use serde_json::{Value, json};

const MODERN: &str = "2026-07-28";
const SESSION_ERA: &str = "2025-11-25";

fn stateless_meta() -> Value {
    json!({
        "io.modelcontextprotocol/protocolVersion": MODERN,
        "io.modelcontextprotocol/clientCapabilities": {},
    })
}

/// The bodies tried: each era's requests, notifications, responses and garbage.
fn bodies() -> Vec<(&'static str, String)> {
    let initialize = json!({ "protocolVersion": SESSION_ERA, "capabilities": {},
        "clientInfo": { "name": "t", "version": "1" } });
    let mut modern_initialize = initialize.clone();
    modern_initialize["_meta"] = stateless_meta();
    let call = json!({ "name": "echo", "arguments": { "text": "x" } });
    let mut modern_call = call.clone();
    modern_call["_meta"] = stateless_meta();
    let request = |id: u64, method: &str, params: &Value| {
        json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }).to_string()
    };
    vec![
        ("initialize", request(1, "initialize", &initialize)),
        (
            "initialize, 2026 _meta",
            request(2, "initialize", &modern_initialize),
        ),
        ("tools/call", request(3, "tools/call", &call)),
        (
            "tools/call, 2026 _meta",
            request(4, "tools/call", &modern_call),
        ),
        ("server/discover", request(5, "server/discover", &json!({}))),
        (
            "server/discover, 2026 _meta",
            request(6, "server/discover", &json!({ "_meta": stateless_meta() })),
        ),
        (
            "subscriptions/listen, 2026 _meta",
            request(
                7,
                "subscriptions/listen",
                &json!({ "_meta": stateless_meta() }),
            ),
        ),
        (
            "notification",
            json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }).to_string(),
        ),
        (
            "notification, 2026 _meta",
            json!({ "jsonrpc": "2.0", "method": "notifications/cancelled",
            "params": { "requestId": 3, "_meta": stateless_meta() } })
            .to_string(),
        ),
        (
            "response",
            json!({ "jsonrpc": "2.0", "id": "s-1", "result": {} }).to_string(),
        ),
        ("batch", format!("[{}]", request(8, "ping", &json!({})))),
        ("not json", "{\"jsonrpc\":".to_owned()),
        ("empty", String::new()),
    ]
}

#[tokio::test]
async fn every_combination_of_era_markers_headers_and_methods_is_answered() {
    let server = McpServer::builder("routing", "0.0.0")
        .build()
        .expect("build");
    let addr = http::serve(server.router()).await;
    let mut client = McpHttp::new(addr);
    client.initialize(json!({})).await;
    let live = client.session.clone().expect("a session");
    let unknown = "0".repeat(64);

    let sessions = [
        None,
        Some(live.as_str()),
        Some(unknown.as_str()),
        Some("not a session id"),
    ];
    let versions = [
        None,
        Some(SESSION_ERA),
        Some(MODERN),
        Some("1999-01-01"),
        Some("garbage"),
    ];
    let methods = ["POST", "GET", "DELETE", "PUT"];
    let mut failures = Vec::new();
    let mut tried = 0;
    for method in methods {
        for session in sessions {
            for version in versions {
                for (kind, body) in bodies() {
                    // Only POST carries a message; the others are tried once each.
                    if method != "POST" && kind != "initialize" {
                        continue;
                    }
                    let mut headers = vec![
                        ("content-type", "application/json"),
                        ("accept", "application/json, text/event-stream"),
                    ];
                    if let Some(session) = session {
                        headers.push(("mcp-session-id", session));
                    }
                    if let Some(version) = version {
                        headers.push(("mcp-protocol-version", version));
                    }
                    let body = if method == "POST" {
                        body
                    } else {
                        String::new()
                    };
                    tried += 1;
                    let what = format!("{method} session={session:?} version={version:?} {kind}");
                    match answered(addr, method, &headers, body).await {
                        Ok(status) if status < 500 => {}
                        Ok(status) => failures.push(format!("{what}: {status}")),
                        Err(error) => failures.push(format!("{what}: {error}")),
                    }
                }
            }
        }
    }
    assert!(tried > 250, "the sweep tried {tried} combinations");
    assert!(
        failures.is_empty(),
        "{} of {tried} combinations failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // And the server still serves.
    let mut after = McpHttp::new(addr);
    after.initialize(json!({})).await;
    assert_eq!(
        after
            .call_tool("echo", json!({ "text": "still here" }))
            .await["content"][0]["text"],
        "still here"
    );
}

/// The status of the answer, or why there was none. A GET that opened a stream counts as
/// answered once its headers arrive.
async fn answered(
    addr: std::net::SocketAddr,
    method: &str,
    headers: &[(&str, &str)],
    body: String,
) -> Result<u16, String> {
    let attempt = tokio::spawn({
        let method = method.to_owned();
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        async move {
            let headers: Vec<(&str, &str)> = headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            http::send(addr, &method, "/mcp", &headers, body)
                .await
                .status
        }
    });
    match attempt.await {
        Ok(status) => Ok(status),
        Err(error) if error.is_panic() => Err("no answer (the connection closed)".into()),
        Err(error) => Err(error.to_string()),
    }
}
