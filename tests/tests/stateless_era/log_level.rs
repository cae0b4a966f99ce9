//! Per-request log level.

use super::*;

fn chatty_call(extra_meta: Value) -> Value {
    let mut m = meta(json!({}));
    m["progressToken"] = json!("p");
    for (k, v) in extra_meta.as_object().unwrap() {
        m[k] = v.clone();
    }
    request(
        json!("c"),
        "tools/call",
        json!({ "name": "chatty", "arguments": {}, "_meta": m }),
    )
}

/// Reads an SSE answer to the end; returns every message.
async fn sse_messages(mut response: Response) -> Vec<Value> {
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("text/event-stream"));
    assert_eq!(response.header("mcp-session-id"), None);
    let mut messages = Vec::new();
    while let Some(event) = response.next_event().await {
        if event.data.is_empty() {
            continue;
        }
        messages.push(event.json());
    }
    messages
}

fn progress_message() -> Value {
    json!({ "jsonrpc": "2.0", "method": "notifications/progress",
        "params": { "progressToken": "p", "progress": 1.0, "total": 1.0 } })
}

fn done_response() -> Value {
    json!({ "jsonrpc": "2.0", "id": "c", "result": { "content": text_content("done"),
        "resultType": "complete", "_meta": { SERVER_INFO_KEY: server_info() } } })
}

#[tokio::test]
async fn log_messages_reach_the_client_only_when_the_request_sets_a_level() {
    let (_server, addr) = start().await;

    let silent = post_edited(addr, &chatty_call(json!({})), |_| {}).await;
    assert_eq!(
        sse_messages(silent).await,
        vec![progress_message(), done_response()],
        "no notifications/message without _meta logLevel"
    );

    let body = chatty_call(json!({ LOG_LEVEL_KEY: "debug" }));
    let verbose = post_edited(addr, &body, |_| {}).await;
    let log = json!({ "jsonrpc": "2.0", "method": "notifications/message",
        "params": { "level": "info", "data": "working" } });
    assert_eq!(
        sse_messages(verbose).await,
        vec![log, progress_message(), done_response()]
    );

    let body = chatty_call(json!({ LOG_LEVEL_KEY: "error" }));
    let above = post_edited(addr, &body, |_| {}).await;
    assert_eq!(
        sse_messages(above).await,
        vec![progress_message(), done_response()],
        "info is below the requested level"
    );

    let body = chatty_call(json!({ LOG_LEVEL_KEY: "loud" }));
    let unknown = post_edited(addr, &body, |_| {}).await;
    error_answer(unknown, 400, -32602).await;
}

#[tokio::test]
async fn a_call_that_logs_nothing_the_client_wants_is_answered_as_json() {
    let (_server, addr) = start().await;
    let params = json!({ "name": "quiet_logger", "arguments": {} });
    let quiet = ok_result(call(addr, "tools/call", params.clone()).await).await;
    assert_eq!(quiet["content"], text_content("logged"));

    let mut params = with_meta(params, json!({}));
    params["_meta"][LOG_LEVEL_KEY] = json!("info");
    let body = request(json!("q"), "tools/call", params);
    let messages = sse_messages(post_edited(addr, &body, |_| {}).await).await;
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_eq!(
        messages[0],
        json!({ "jsonrpc": "2.0", "method": "notifications/message",
            "params": { "level": "info", "data": "noted" } })
    );
    assert_eq!(messages[1]["result"]["content"], text_content("logged"));
}
