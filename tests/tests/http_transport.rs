//! Streamable HTTP on the wire: every status the transport answers, JSON versus SSE
//! answers, resumption with `Last-Event-ID`, and requests from the server to the client.
//! The server runs in process on a loopback port; the client is a plain HTTP/1.1 client.

use mcp_runtime::prelude::*;
use mcp_runtime::{McpServerBuilder, SamplingRequest};
use mcp_tests::http::{self, McpHttp, Response, SseEvent, send};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::Notify;

// ---------------------------------------------------------------------------------------
// Bindings and server
// ---------------------------------------------------------------------------------------

/// Lets a test know when a waiting tool started, and decide when it goes on.
#[derive(Clone, Default)]
struct Gate {
    started: Arc<Notify>,
    release: Arc<Notify>,
}

/// Echo the text back.
#[mcp_tool]
fn echo(text: String) -> String {
    text
}

/// Report progress `n` times, then answer.
#[mcp_tool]
async fn count(n: u32, ctx: Context) -> String {
    for i in 1..=n {
        ctx.progress(f64::from(i), Some(f64::from(n))).await;
    }
    format!("counted to {n}")
}

/// Report progress twice, then wait for the gate.
#[mcp_tool]
async fn two_then_wait(ctx: Context, gate: State<Gate>) -> String {
    ctx.progress(1.0, None).await;
    ctx.progress(2.0, None).await;
    gate.release.notified().await;
    "released".into()
}

/// End the SSE response at once, then answer when the gate opens.
#[mcp_tool]
async fn poll_later(ctx: Context, gate: State<Gate>) -> String {
    ctx.close_sse_stream();
    gate.release.notified().await;
    "after the cut".into()
}

/// Say it started (to the test, not the client), then wait for cancellation.
#[mcp_tool]
async fn silent_wait(ctx: Context, gate: State<Gate>) -> String {
    gate.started.notify_one();
    ctx.cancelled().await;
    "cancelled".into()
}

/// Report progress once, then wait for the gate or for cancellation.
#[mcp_tool]
async fn wait_or_cancel(ctx: Context, gate: State<Gate>) -> String {
    ctx.progress(1.0, None).await;
    tokio::select! {
        () = gate.release.notified() => "released".into(),
        () = ctx.cancelled() => "cancelled".into(),
    }
}

/// Ask the client's model.
#[mcp_tool]
async fn ask_model(prompt: String, ctx: Context) -> Result<String, ServiceError> {
    let answer = ctx.sample(SamplingRequest::new(100).user(prompt)).await?;
    let text = answer.content.as_text().unwrap_or("(no text)");
    Ok(format!("{} said: {text}", answer.model))
}

/// Ask the user for a name.
#[mcp_tool]
async fn ask_name(ctx: Context) -> Result<String, ServiceError> {
    let schema = json!({ "type": "object", "properties": { "name": { "type": "string" } } });
    let answer = ctx.elicit("Your name?", schema).await?;
    let content = Value::Object(answer.content.unwrap_or_default());
    Ok(format!("{:?} {content}", answer.action))
}

/// List the client's roots.
#[mcp_tool]
async fn list_roots(ctx: Context) -> Result<String, ServiceError> {
    let roots = ctx.roots().await?;
    let names: Vec<String> = roots
        .iter()
        .map(|r| format!("{} ({})", r.uri, r.name.as_deref().unwrap_or("-")))
        .collect();
    Ok(names.join(", "))
}

struct TestServer {
    addr: SocketAddr,
    gate: Gate,
}

async fn start_with(configure: impl FnOnce(McpServerBuilder) -> McpServerBuilder) -> TestServer {
    let gate = Gate::default();
    let builder = McpServer::builder("http-transport", "1")
        .state(gate.clone())
        .filter(|b| {
            b.module_path()
                .is_some_and(|m| m.starts_with("http_transport"))
        });
    let server = configure(builder).build().expect("the test server builds");
    let addr = http::serve(server.router()).await;
    TestServer { addr, gate }
}

async fn start() -> TestServer {
    start_with(|b| b).await
}

async fn session(server: &TestServer, capabilities: Value) -> McpHttp {
    let mut client = McpHttp::new(server.addr);
    client.initialize(capabilities).await;
    client
}

// ---------------------------------------------------------------------------------------
// Assertions
// ---------------------------------------------------------------------------------------

/// A refusal: `status`, a JSON body that is a JSON-RPC error with a null id.
async fn assert_rejected(response: Response, status: u16, code: i64, message: &str) {
    assert_eq!(response.status, status, "{message}");
    assert_eq!(response.header("content-type"), Some("application/json"));
    let body = response.json().await;
    assert_eq!(
        body,
        json!({ "jsonrpc": "2.0", "id": null, "error": { "code": code, "message": message } })
    );
}

fn text_result(text: &str) -> Value {
    json!({ "content": [{ "type": "text", "text": text }] })
}

fn response_to(id: i64, text: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "result": text_result(text) })
}

fn progress(progress: f64, total: Option<f64>) -> Value {
    let mut params = json!({ "progressToken": "p", "progress": progress });
    if let Some(total) = total {
        params["total"] = json!(total);
    }
    json!({ "jsonrpc": "2.0", "method": "notifications/progress", "params": params })
}

/// The priming event a 2025-11-25 SSE response starts with; returns its stream id.
fn assert_priming(event: Option<SseEvent>, retry_ms: u64) -> String {
    let event = event.expect("a priming event");
    let id = event.id.clone().expect("the priming event has an id");
    let (stream, sequence) = id.split_once('-').expect("<stream>-<sequence>");
    assert!(
        stream.parse::<u32>().is_ok() && sequence == "0",
        "{event:?}"
    );
    assert_eq!(
        event,
        SseEvent {
            id: Some(id.clone()),
            event: None,
            data: String::new(),
            retry: Some(retry_ms)
        }
    );
    stream.to_owned()
}

/// A `message` event with the id `id`; returns its data.
fn message(event: Option<SseEvent>, id: &str) -> Value {
    let event = event.expect("a message event");
    assert_eq!(event.id.as_deref(), Some(id), "{event:?}");
    assert_eq!(event.event.as_deref(), Some("message"), "{event:?}");
    assert_eq!(event.retry, None, "{event:?}");
    event.json()
}

fn tool_call(id: i64, name: &str, arguments: Value) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {
        "name": name, "arguments": arguments, "_meta": { "progressToken": "p" } } })
}

/// POSTs a tool call expected to answer with an SSE stream.
async fn open_call(client: &McpHttp, id: i64, name: &str, arguments: Value) -> Response {
    let response = client.post(&tool_call(id, name, arguments)).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("text/event-stream"));
    assert_eq!(response.header("cache-control"), Some("no-cache"));
    response
}

// ---------------------------------------------------------------------------------------
// Status codes
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn notifications_and_client_responses_get_202_with_no_body() {
    let server = start().await;
    let client = session(&server, json!({})).await; // `initialize` sends one notification
    let cancel = json!({ "jsonrpc": "2.0", "method": "notifications/cancelled",
        "params": { "requestId": 99 } });
    let accepted = client.post(&cancel).await;
    assert_eq!(accepted.status, 202);
    assert_eq!(accepted.header("content-type"), None);
    assert_eq!(accepted.text().await, "");
    let stray = json!({ "jsonrpc": "2.0", "id": 12345, "result": {} });
    let accepted = client.post(&stray).await;
    assert_eq!(
        (accepted.status, accepted.text().await),
        (202, String::new())
    );
}

#[tokio::test]
async fn bad_requests_get_400() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let ping = json!({ "jsonrpc": "2.0", "id": 1, "method": "ping" }).to_string();
    let without_session = [
        ("content-type", "application/json"),
        ("accept", "application/json, text/event-stream"),
    ];
    assert_rejected(
        send(server.addr, "POST", "/mcp", &without_session, ping.clone()).await,
        400,
        -32600,
        "bad request: Mcp-Session-Id header is required",
    )
    .await;

    let mut headers = client.headers();
    headers.retain(|(k, _)| *k != "mcp-protocol-version");
    headers.push(("mcp-protocol-version", "1999-01-01"));
    assert_rejected(
        send(server.addr, "POST", "/mcp", &headers, ping.clone()).await,
        400,
        -32600,
        "bad request: unsupported MCP-Protocol-Version header",
    )
    .await;

    let malformed = send(server.addr, "POST", "/mcp", &client.headers(), "{not json").await;
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.header("content-type"), Some("application/json"));
    let body = malformed.json().await;
    assert_eq!(
        (body["jsonrpc"].clone(), body["id"].clone()),
        (json!("2.0"), Value::Null)
    );
    assert_eq!(body["error"]["code"], -32700, "{body}");
    assert!(body["error"]["message"].is_string(), "{body}");

    // The session still works after all of that.
    let ok = send(server.addr, "POST", "/mcp", &client.headers(), ping).await;
    assert_eq!(ok.status, 200);
    assert_eq!(
        ok.json().await,
        json!({ "jsonrpc": "2.0", "id": 1, "result": {} })
    );
}

#[tokio::test]
async fn foreign_hosts_and_origins_get_403_and_local_ones_pass() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let ping = json!({ "jsonrpc": "2.0", "id": 1, "method": "ping" }).to_string();
    let with = |extra: (&'static str, &'static str)| {
        let mut headers = client.headers();
        headers.push(extra);
        headers
    };
    assert_rejected(
        send(
            server.addr,
            "POST",
            "/mcp",
            &with(("host", "evil.example:80")),
            ping.clone(),
        )
        .await,
        403,
        -32600,
        "forbidden: the Host header names no host this server answers for",
    )
    .await;
    assert_rejected(
        send(
            server.addr,
            "POST",
            "/mcp",
            &with(("origin", "http://evil.example")),
            ping.clone(),
        )
        .await,
        403,
        -32600,
        "forbidden: requests from this Origin are not accepted",
    )
    .await;
    let get_headers = [
        ("accept", "text/event-stream"),
        ("host", "evil.example"),
        ("mcp-session-id", client.session.as_deref().unwrap()),
    ];
    let get = send(server.addr, "GET", "/mcp", &get_headers, "").await;
    assert_eq!(get.status, 403, "GET is checked too");

    // No Origin (not a browser) and this server's own origin are accepted.
    let local_origin = format!("http://127.0.0.1:{}", server.addr.port());
    let mut headers = client.headers();
    headers.push(("origin", &local_origin));
    for headers in [client.headers(), headers] {
        let ok = send(server.addr, "POST", "/mcp", &headers, ping.clone()).await;
        assert_eq!(ok.status, 200);
        assert_eq!(ok.json().await["result"], json!({}));
    }
}

#[tokio::test]
async fn unknown_and_deleted_sessions_get_404() {
    let server = start().await;
    let mut client = session(&server, json!({})).await;
    let mut stranger = client.clone();
    stranger.session = Some("0".repeat(64));
    assert_rejected(
        stranger.request("ping", json!({})).await,
        404,
        -32600,
        "session not found: initialize a new session",
    )
    .await;

    assert_eq!(client.request("ping", json!({})).await.status, 200);
    let deleted = client.delete().await;
    assert_eq!((deleted.status, deleted.text().await), (200, String::new()));
    assert_rejected(
        client.request("ping", json!({})).await,
        404,
        -32600,
        "session not found: initialize a new session",
    )
    .await;
    assert_eq!(client.get(None).await.status, 404);
    assert_eq!(client.delete().await.status, 404);
}

#[tokio::test]
async fn other_methods_get_405() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    for method in ["PUT", "PATCH"] {
        let response = send(server.addr, method, "/mcp", &client.headers(), "{}").await;
        assert_eq!(response.status, 405, "{method}");
        let allow = response
            .header("allow")
            .expect("an Allow header")
            .to_owned();
        let mut allowed: Vec<&str> = allow.split(',').map(str::trim).collect();
        allowed.sort_unstable();
        assert_eq!(allowed, ["DELETE", "GET", "HEAD", "POST"], "{method}");
    }
}

#[tokio::test]
async fn method_not_allowed_has_a_json_rpc_body() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let response = send(server.addr, "PUT", "/mcp", &client.headers(), "{}").await;
    assert_eq!(response.status, 405);
    assert_eq!(response.header("content-type"), Some("application/json"));
    let body = response.json().await;
    assert_eq!(body["error"]["code"], -32600, "{body}");
}

#[tokio::test]
async fn unacceptable_accept_headers_get_406() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let ping = json!({ "jsonrpc": "2.0", "id": 1, "method": "ping" }).to_string();
    let mut headers = client.headers();
    headers.retain(|(k, _)| *k != "accept");
    headers.push(("accept", "application/json"));
    assert_rejected(
        send(server.addr, "POST", "/mcp", &headers, ping).await,
        406,
        -32600,
        "not acceptable: a POST must send Accept: application/json, text/event-stream",
    )
    .await;
    let session = client.session.as_deref().unwrap();
    let get_headers = [("accept", "application/json"), ("mcp-session-id", session)];
    assert_rejected(
        send(server.addr, "GET", "/mcp", &get_headers, "").await,
        406,
        -32600,
        "not acceptable: a GET must send Accept: text/event-stream",
    )
    .await;
}

#[tokio::test]
async fn oversized_bodies_get_413_and_other_media_types_415() {
    let server = start_with(|b| b.max_request_bytes(1024)).await;
    let mut client = session(&server, json!({})).await;
    let big = json!({ "jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": { "name": "echo", "arguments": { "text": "x".repeat(2000) } } });
    assert_rejected(
        client.post(&big).await,
        413,
        -32600,
        "payload too large: the message exceeds max_request_bytes",
    )
    .await;
    assert_eq!(
        client.call_tool("echo", json!({ "text": "small" })).await,
        text_result("small")
    );

    let mut headers = client.headers();
    headers.retain(|(k, _)| *k != "content-type");
    headers.push(("content-type", "text/plain"));
    let ping = json!({ "jsonrpc": "2.0", "id": 1, "method": "ping" }).to_string();
    assert_rejected(
        send(server.addr, "POST", "/mcp", &headers, ping).await,
        415,
        -32600,
        "unsupported media type: send the message as Content-Type: application/json",
    )
    .await;
}

#[tokio::test]
async fn a_second_standalone_stream_gets_409_until_the_first_closes() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let mut first = client.get(None).await;
    assert_eq!(first.status, 200);
    assert_priming(first.next_event().await, 1000);
    assert_rejected(
        client.get(None).await,
        409,
        -32600,
        "conflict: this session's GET stream is already open",
    )
    .await;
    drop(first);
    // The server notices the closed connection on its own; poll until it has.
    let deadline = tokio::time::Instant::now() + http::READ_WAIT;
    let status = loop {
        let again = client.get(None).await;
        if again.status != 409 || tokio::time::Instant::now() > deadline {
            break again.status;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(status, 200);
}

// ---------------------------------------------------------------------------------------
// Sessions, JSON and SSE answers
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn session_ids_are_64_visible_ascii_characters_and_differ() {
    let server = start().await;
    let mut ids = std::collections::HashSet::new();
    for _ in 0..20 {
        let client = session(&server, json!({})).await;
        let id = client.session.expect("a session id");
        assert_eq!(id.len(), 64, "{id}");
        assert!(id.bytes().all(|b| (0x21..=0x7e).contains(&b)), "{id}");
        assert!(ids.insert(id), "session ids are unique");
    }
}

#[tokio::test]
async fn a_call_that_sends_nothing_first_answers_json() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let response = client
        .post(&tool_call(7, "echo", json!({ "text": "héllo" })))
        .await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.json().await, response_to(7, "héllo"));
}

#[tokio::test]
async fn a_call_reporting_progress_answers_an_sse_stream() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let mut stream = open_call(&client, 8, "count", json!({ "n": 3 })).await;
    let id = assert_priming(stream.next_event().await, 1000);
    for i in 1..=3 {
        assert_eq!(
            message(stream.next_event().await, &format!("{id}-{i}")),
            progress(f64::from(i), Some(3.0))
        );
    }
    assert_eq!(
        message(stream.next_event().await, &format!("{id}-4")),
        response_to(8, "counted to 3")
    );
    assert_eq!(
        stream.next_event().await,
        None,
        "the stream ends after the answer"
    );

    // A later call in the same session gets a different stream.
    let mut next = open_call(&client, 9, "count", json!({ "n": 1 })).await;
    let next_id = assert_priming(next.next_event().await, 1000);
    assert_ne!(next_id, id);
}

#[tokio::test]
async fn the_sse_retry_interval_is_configurable() {
    let server = start_with(|b| b.sse_retry(std::time::Duration::from_millis(250))).await;
    let client = session(&server, json!({})).await;
    let mut stream = open_call(&client, 1, "count", json!({ "n": 1 })).await;
    assert_priming(stream.next_event().await, 250);
}

#[tokio::test]
async fn sessions_before_2025_11_25_get_no_priming_event_on_post() {
    let server = start().await;
    let mut client = McpHttp::new(server.addr);
    client.version = "2025-06-18".into();
    client.initialize(json!({})).await;
    let mut stream = open_call(&client, 1, "count", json!({ "n": 1 })).await;
    let first = stream.next_event().await.expect("an event");
    assert_eq!(first.event.as_deref(), Some("message"));
    assert_eq!(first.json(), progress(1.0, Some(1.0)));
    let id = first.id.expect("an id");
    let stream_id = id
        .strip_suffix("-1")
        .expect("the first message is <stream>-1");
    assert_eq!(
        message(stream.next_event().await, &format!("{stream_id}-2")),
        response_to(1, "counted to 1")
    );
}

// ---------------------------------------------------------------------------------------
// Resumption
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_dropped_stream_resumes_after_the_last_event_id() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let mut stream = open_call(&client, 1, "two_then_wait", json!({})).await;
    let id = assert_priming(stream.next_event().await, 1000);
    assert_eq!(
        message(stream.next_event().await, &format!("{id}-1")),
        progress(1.0, None)
    );
    drop(stream); // the client goes away after one message; the call goes on

    let mut resumed = client.get(Some(&format!("{id}-1"))).await;
    assert_eq!(resumed.status, 200);
    assert_eq!(resumed.header("content-type"), Some("text/event-stream"));
    // Replayed (or live, if the tool had not sent it yet), without a priming event.
    assert_eq!(
        message(resumed.next_event().await, &format!("{id}-2")),
        progress(2.0, None)
    );
    server.gate.release.notify_one();
    assert_eq!(
        message(resumed.next_event().await, &format!("{id}-3")),
        response_to(1, "released")
    );
    assert_eq!(resumed.next_event().await, None);

    // The whole stream can be read again from its start.
    let mut again = client.get(Some(&format!("{id}-0"))).await;
    for (sequence, expected) in [
        (1, progress(1.0, None)),
        (2, progress(2.0, None)),
        (3, response_to(1, "released")),
    ] {
        assert_eq!(
            message(again.next_event().await, &format!("{id}-{sequence}")),
            expected
        );
    }
    assert_eq!(again.next_event().await, None);
}

#[tokio::test]
async fn resuming_a_stream_the_server_does_not_hold_gets_404() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    assert_rejected(
        client.get(Some("999-1")).await,
        404,
        -32600,
        "not found: that stream is no longer held; re-send the request",
    )
    .await;
}

#[tokio::test]
async fn close_sse_stream_ends_the_response_and_the_answer_comes_on_resumption() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let mut stream = open_call(&client, 4, "poll_later", json!({})).await;
    let id = assert_priming(stream.next_event().await, 1000);
    assert_eq!(
        stream.next_event().await,
        None,
        "the response ends after the priming event"
    );

    let mut resumed = client.get(Some(&format!("{id}-0"))).await;
    assert_eq!(resumed.status, 200);
    server.gate.release.notify_one();
    assert_eq!(
        message(resumed.next_event().await, &format!("{id}-1")),
        response_to(4, "after the cut")
    );
    assert_eq!(resumed.next_event().await, None);
}

#[tokio::test]
async fn delete_cancels_calls_in_flight() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    let mut stream = open_call(&client, 2, "wait_or_cancel", json!({})).await;
    let id = assert_priming(stream.next_event().await, 1000);
    assert_eq!(
        message(stream.next_event().await, &format!("{id}-1")),
        progress(1.0, None)
    );
    assert_eq!(client.delete().await.status, 200);
    assert_eq!(
        stream.next_event().await,
        None,
        "a cancelled call is never answered"
    );
}

// ---------------------------------------------------------------------------------------
// Requests from the server to the client
// ---------------------------------------------------------------------------------------

const ALL_CAPABILITIES: &str =
    r#"{"sampling": {}, "elicitation": {}, "roots": {"listChanged": true}}"#;

/// Calls `tool`, answers the one request it sends to the client with `answer`, and
/// returns (that request, the call's response).
async fn round_trip(tool: &str, arguments: Value, answer: Value) -> (Value, Value) {
    let server = start().await;
    let capabilities: Value = serde_json::from_str(ALL_CAPABILITIES).unwrap();
    let client = session(&server, capabilities).await;
    let mut stream = open_call(&client, 10, tool, arguments).await;
    let id = assert_priming(stream.next_event().await, 1000);
    let request = message(stream.next_event().await, &format!("{id}-1"));
    assert_eq!(request["jsonrpc"], "2.0");
    assert!(
        request["id"].is_i64() || request["id"].is_string(),
        "{request}"
    );
    let reply = json!({ "jsonrpc": "2.0", "id": request["id"], "result": answer });
    let accepted = client.post(&reply).await;
    assert_eq!(
        (accepted.status, accepted.text().await),
        (202, String::new())
    );
    let response = message(stream.next_event().await, &format!("{id}-2"));
    assert_eq!(stream.next_event().await, None);
    (request, response)
}

#[tokio::test]
async fn sampling_goes_to_the_client_and_its_answer_comes_back() {
    let answer = json!({ "role": "assistant", "content": { "type": "text", "text": "hi" },
        "model": "m" });
    let (request, response) = round_trip("ask_model", json!({ "prompt": "hello" }), answer).await;
    assert_eq!(request["method"], "sampling/createMessage");
    assert!(request["params"]["maxTokens"].is_u64(), "{request}");
    assert_eq!(
        request["params"],
        json!({ "messages": [{ "role": "user", "content": { "type": "text", "text": "hello" } }],
            "maxTokens": 100 })
    );
    assert_eq!(response, response_to(10, "m said: hi"));
}

#[tokio::test]
async fn elicitation_goes_to_the_client_and_its_answer_comes_back() {
    let answer = json!({ "action": "accept", "content": { "name": "Ada" } });
    let (request, response) = round_trip("ask_name", json!({}), answer).await;
    assert_eq!(request["method"], "elicitation/create");
    assert_eq!(
        request["params"],
        json!({ "mode": "form", "message": "Your name?", "requestedSchema":
            { "type": "object", "properties": { "name": { "type": "string" } } } })
    );
    assert_eq!(response, response_to(10, r#"Accept {"name":"Ada"}"#));
}

#[tokio::test]
async fn roots_go_to_the_client_and_its_answer_comes_back() {
    let answer = json!({ "roots": [{ "uri": "file:///work", "name": "work" },
        { "uri": "file:///tmp" }] });
    let (request, response) = round_trip("list_roots", json!({}), answer).await;
    assert_eq!(request["method"], "roots/list");
    assert_eq!(request["params"], json!({}));
    assert_eq!(
        response,
        response_to(10, "file:///work (work), file:///tmp (-)")
    );
}

#[tokio::test]
async fn a_client_without_sampling_gets_a_tool_error() {
    let server = start().await;
    let mut client = session(&server, json!({ "roots": {} })).await;
    let result = client
        .call_tool("ask_model", json!({ "prompt": "hello" }))
        .await;
    let error = json!({ "error": { "message": "the client does not support `sampling`",
        "type": "service_error" } });
    assert_eq!(
        result,
        json!({ "content": [{ "type": "text", "text": error.to_string() }], "isError": true })
    );
}

#[tokio::test]
async fn a_request_cancelled_before_any_output_still_gets_an_sse_or_json_answer() {
    let server = start().await;
    let client = session(&server, json!({})).await;
    // The tool sends nothing: the POST waits for its first message, which never comes.
    let call = json!({ "jsonrpc": "2.0", "id": 3, "method": "tools/call",
        "params": { "name": "silent_wait", "arguments": {} } });
    let pending = tokio::spawn({
        let client = client.clone();
        async move { client.post(&call).await }
    });
    server.gate.started.notified().await;
    let cancel = json!({ "jsonrpc": "2.0", "method": "notifications/cancelled",
        "params": { "requestId": 3 } });
    assert_eq!(client.post(&cancel).await.status, 202);
    let answer = pending.await.unwrap();
    assert_eq!(answer.status, 200, "a request is never answered 202");
    assert_eq!(answer.header("content-type"), Some("text/event-stream"));
}
