//! stdio at end of input: whatever came before (an oversized line, a large answer the client
//! never reads, a call that never ends), the server exits promptly.

use mcp_tests::McpProcess;
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};

fn fixture() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_fixture_server"))
}

/// The fixture's `shutdown_grace` is the default, 10 s: at end of input, calls in flight get
/// that long, then are cancelled. Exiting within it (plus start-up slack) is prompt.
const PROMPT: Duration = Duration::from_secs(14);

async fn exits_within(server: &mut McpProcess, limit: Duration) -> Duration {
    let started = Instant::now();
    let status = tokio::time::timeout(limit, server.wait())
        .await
        .unwrap_or_else(|_| panic!("the server still runs {limit:?} after end of input"));
    assert!(status.success(), "{status:?}");
    started.elapsed()
}

#[tokio::test]
async fn end_of_input_after_an_oversized_line_exits() {
    let mut server = McpProcess::initialized(fixture(), "2025-11-25").await;
    // 5 MB: over the default 4 MB bound, so the line is skipped and refused.
    let text = "x".repeat(5 * 1024 * 1024);
    let line = json!({ "jsonrpc": "2.0", "id": 9, "method": "tools/call",
        "params": { "name": "echo", "arguments": { "text": text } } });
    server.send_line(&line.to_string()).await;
    let refusal = server.receive().await.expect("a refusal");
    assert_eq!(refusal["error"]["code"], -32600, "{refusal}");
    server.close_stdin();
    let took = exits_within(&mut server, PROMPT).await;
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[tokio::test]
async fn end_of_input_exits_even_when_the_client_stops_reading() {
    let mut server = McpProcess::initialized(fixture(), "2025-11-25").await;
    // A 2 MB answer, many times what the stdout pipe holds, that the client never reads.
    let text = "x".repeat(2 * 1024 * 1024);
    for id in 100..104 {
        let line = json!({ "jsonrpc": "2.0", "id": id, "method": "tools/call",
            "params": { "name": "echo", "arguments": { "text": text } } });
        server.send_line(&line.to_string()).await;
    }
    server.close_stdin();
    exits_within(&mut server, PROMPT).await;
}

#[tokio::test]
async fn end_of_input_gives_calls_in_flight_a_bounded_grace_then_cancels_them() {
    let mut server = McpProcess::initialized(fixture(), "2025-11-25").await;
    let quick = server
        .send_request(
            "tools/call",
            json!({ "name": "sleep", "arguments": { "ms": 200 } }),
        )
        .await;
    let endless = server
        .send_request(
            "tools/call",
            json!({ "name": "sleep", "arguments": { "ms": 3_600_000 } }),
        )
        .await;
    server.close_stdin();
    let reader = tokio::spawn(async move {
        let mut answers = Vec::new();
        while let Some(message) = server.receive().await {
            answers.push(message);
        }
        (server, answers)
    });
    let (mut server, answers) = reader.await.expect("the reader");
    let took = exits_within(&mut server, PROMPT).await;
    // The quick call finished within the grace, with its real answer.
    let quick_answer = answers
        .iter()
        .find(|m| m["id"] == quick)
        .expect("the quick call's answer");
    assert_eq!(
        quick_answer["result"]["content"][0]["text"], "slept 200ms",
        "{quick_answer}"
    );
    // The endless one was cancelled at the end of the grace: the tool saw it.
    let endless_answer = answers.iter().find(|m| m["id"] == endless);
    if let Some(answer) = endless_answer {
        assert_eq!(
            answer["result"]["content"][0]["text"], "cancelled",
            "{answer}"
        );
    }
    assert!(
        took < Duration::from_secs(2),
        "the exit follows the output's end: {took:?}"
    );
}

#[tokio::test]
async fn input_that_ends_mid_message_is_refused_and_the_server_exits() {
    let mut server = McpProcess::initialized(fixture(), "2025-11-25").await;
    // Half a request and no newline, then end of input.
    server
        .send_raw(br#"{"jsonrpc":"2.0","id":41,"method":"tools/call","params":{"name":"ec"#)
        .await;
    server.close_stdin();
    let refusal = server
        .receive()
        .await
        .expect("a parse error for the half message");
    assert_eq!(refusal["error"]["code"], -32700, "{refusal}");
    assert!(
        server.receive().await.is_none(),
        "nothing more, then stdout closes"
    );
    let took = exits_within(&mut server, PROMPT).await;
    assert!(took < Duration::from_secs(2), "took {took:?}");
}
