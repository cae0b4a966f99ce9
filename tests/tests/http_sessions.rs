//! Streamable HTTP sessions over time and side by side: idle expiry and maximum age, a
//! bounded session store under churn, concurrent sessions that never see each other's
//! answers, and the standalone GET stream carrying resource updates.

use mcp_runtime::McpServerBuilder;
use mcp_runtime::prelude::*;
use mcp_tests::http::{self, McpHttp, Response, SseEvent};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------
// Bindings and server
// ---------------------------------------------------------------------------------------

/// Echo the text back with the id of the session that asked.
#[mcp_tool]
fn whoami(text: String, ctx: Context) -> String {
    format!("{text} @ {}", ctx.env().session_id().unwrap_or("none"))
}

/// An item that can change.
#[mcp_resource(uri = "test://item/{n}", mime_type = "text/plain")]
fn item(n: u32) -> String {
    format!("item {n}")
}

async fn start_with(
    configure: impl FnOnce(McpServerBuilder) -> McpServerBuilder,
) -> (McpServer, SocketAddr) {
    let builder = McpServer::builder("http-sessions", "1").filter(|b| {
        b.module_path()
            .is_some_and(|m| m.starts_with("http_sessions"))
    });
    let server = configure(builder).build().expect("the test server builds");
    let addr = http::serve(server.router()).await;
    (server, addr)
}

async fn session(addr: SocketAddr) -> McpHttp {
    let mut client = McpHttp::new(addr);
    client.initialize(json!({})).await;
    client
}

/// The status of a `ping` in the session (touching it when it lives).
async fn ping_status(client: &mut McpHttp) -> u16 {
    let response = client.request("ping", json!({})).await;
    let status = response.status;
    let body = response.json().await;
    match status {
        200 => assert_eq!(body["result"], json!({}), "{body}"),
        404 => assert_eq!(
            body["error"]["message"], "session not found: initialize a new session",
            "{body}"
        ),
        other => panic!("unexpected status {other}: {body}"),
    }
    status
}

async fn subscribe(client: &mut McpHttp, uri: &str, on: bool) {
    let method = if on {
        "resources/subscribe"
    } else {
        "resources/unsubscribe"
    };
    let response = client.request(method, json!({ "uri": uri })).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.json().await["result"], json!({}));
}

fn updated(uri: &str) -> Value {
    json!({ "jsonrpc": "2.0", "method": "notifications/resources/updated",
        "params": { "uri": uri } })
}

/// Opens the standalone stream and reads its priming event, which must carry `id`.
async fn open_standalone(client: &McpHttp, id: &str) -> Response {
    let mut stream = client.get(None).await;
    assert_eq!(stream.status, 200);
    assert_eq!(stream.header("content-type"), Some("text/event-stream"));
    let priming = SseEvent {
        id: Some(id.into()),
        event: None,
        data: String::new(),
        retry: Some(1000),
    };
    assert_eq!(stream.next_event().await, Some(priming));
    stream
}

/// The next event must be a message with `id` and `data`.
async fn expect_message(stream: &mut Response, id: &str, data: Value) {
    let event = stream.next_event().await.expect("a message event");
    assert_eq!(
        (event.id.as_deref(), event.event.as_deref(), event.json()),
        (Some(id), Some("message"), data)
    );
}

// ---------------------------------------------------------------------------------------
// Expiry and bounds
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn idle_sessions_expire_and_used_ones_do_not() {
    let (_server, addr) = start_with(|b| b.session_idle_timeout(Duration::from_millis(300))).await;
    let mut client = session(addr).await;
    let started = Instant::now();
    // Used every 50 ms for well past the idle timeout: still alive.
    while started.elapsed() < Duration::from_millis(800) {
        assert_eq!(ping_status(&mut client).await, 200);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Then left alone for longer than the idle timeout: gone.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(ping_status(&mut client).await, 404);
    assert_eq!(
        client.get(None).await.status,
        404,
        "every method sees it gone"
    );
}

#[tokio::test]
async fn sessions_expire_at_their_maximum_age_however_busy() {
    let (_server, addr) = start_with(|b| b.session_max_age(Duration::from_millis(500))).await;
    let started = Instant::now();
    let mut client = session(addr).await;
    while ping_status(&mut client).await == 200 {
        assert!(
            started.elapsed() < http::READ_WAIT,
            "the session outlived its maximum age"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(
        started.elapsed() > Duration::from_millis(500),
        "expired after {:?}, before its maximum age",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_full_session_store_refuses_newcomers_and_evicts_no_one() {
    let (_server, addr) = start_with(|b| b.max_sessions(5)).await;
    let mut clients = Vec::new();
    for _ in 0..5 {
        let mut client = McpHttp::new(addr);
        client.initialize_only(json!({})).await;
        clients.push(client);
    }
    for _ in 0..20 {
        let params = json!({ "protocolVersion": "2025-11-25", "capabilities": {},
            "clientInfo": { "name": "t", "version": "1" } });
        let refused = McpHttp::new(addr).request("initialize", params).await;
        assert_eq!(refused.status, 503);
        assert!(refused.header("retry-after").is_some());
        assert!(refused.header("mcp-session-id").is_none());
        let body = refused.json().await;
        assert_eq!(body["error"]["code"], -32005, "{body}");
    }
    for client in &mut clients {
        assert_eq!(ping_status(client).await, 200, "no session was evicted");
    }
    // An ended session makes room.
    assert_eq!(clients[0].delete().await.status, 200);
    McpHttp::new(addr).initialize_only(json!({})).await;
}

// ---------------------------------------------------------------------------------------
// Concurrent sessions
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sessions_never_see_each_others_messages() {
    let (server, addr) = start_with(|b| b).await;
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(10));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..10u32 {
        let barrier = barrier.clone();
        tasks.spawn(async move {
            let mut client = session(addr).await;
            subscribe(&mut client, &format!("test://item/{i}"), true).await;
            let stream = open_standalone(&client, "0-0").await;
            barrier.wait().await;
            let own_id = client.session.clone().unwrap();
            for call in 0..5 {
                let text = format!("session {i} call {call}");
                let result = client.call_tool("whoami", json!({ "text": text })).await;
                assert_eq!(result["content"][0]["text"], format!("{text} @ {own_id}"));
            }
            (i, client, stream)
        });
    }
    let mut sessions = tasks.join_all().await;
    sessions.sort_by_key(|(i, _, _)| *i);
    let ids: std::collections::HashSet<_> =
        sessions.iter().map(|(_, c, _)| c.session.clone()).collect();
    assert_eq!(ids.len(), 10);

    // Only session 3 subscribed to item 3. Then every item changes: each stream's first
    // message shows whether item 3's update went anywhere else before it.
    server
        .notify_resource_updated("test://item/3")
        .await
        .unwrap();
    for i in 0..10 {
        server
            .notify_resource_updated(&format!("test://item/{i}"))
            .await
            .unwrap();
    }
    for (i, _, stream) in &mut sessions {
        let own = format!("test://item/{i}");
        if *i == 3 {
            expect_message(stream, "0-1", updated(&own)).await;
            expect_message(stream, "0-2", updated(&own)).await;
        } else {
            expect_message(stream, "0-1", updated(&own)).await;
        }
    }
}

// ---------------------------------------------------------------------------------------
// The standalone GET stream
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn the_standalone_stream_carries_updates_of_subscribed_resources() {
    let (server, addr) = start_with(|b| b).await;
    let mut client = session(addr).await;
    subscribe(&mut client, "test://item/1", true).await;
    let mut stream = open_standalone(&client, "0-0").await;
    assert_eq!(stream.header("cache-control"), Some("no-cache"));
    server
        .notify_resource_updated("test://item/1")
        .await
        .unwrap();
    expect_message(&mut stream, "0-1", updated("test://item/1")).await;

    // Unsubscribed: item 1's next update is not sent; item 2's is.
    subscribe(&mut client, "test://item/1", false).await;
    subscribe(&mut client, "test://item/2", true).await;
    server
        .notify_resource_updated("test://item/1")
        .await
        .unwrap();
    server
        .notify_resource_updated("test://item/2")
        .await
        .unwrap();
    expect_message(&mut stream, "0-2", updated("test://item/2")).await;
}

#[tokio::test]
async fn the_standalone_stream_resumes_after_a_drop() {
    let (server, addr) = start_with(|b| b).await;
    let mut client = session(addr).await;
    subscribe(&mut client, "test://item/1", true).await;
    let mut stream = open_standalone(&client, "0-0").await;
    server
        .notify_resource_updated("test://item/1")
        .await
        .unwrap();
    expect_message(&mut stream, "0-1", updated("test://item/1")).await;
    drop(stream);

    // Sent while no stream is open: kept for a client that resumes.
    server
        .notify_resource_updated("test://item/1")
        .await
        .unwrap();
    let deadline = Instant::now() + http::READ_WAIT;
    let mut resumed = loop {
        // The claim on the stream ends when the server sees the connection closed.
        let resumed = client.get(Some("0-1")).await;
        if resumed.status != 409 || Instant::now() > deadline {
            break resumed;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(resumed.status, 200);
    expect_message(&mut resumed, "0-2", updated("test://item/1")).await;
    server
        .notify_resource_updated("test://item/1")
        .await
        .unwrap();
    expect_message(&mut resumed, "0-3", updated("test://item/1")).await;
}

#[tokio::test]
async fn sessions_before_2025_11_25_get_no_priming_event_on_get() {
    let (server, addr) = start_with(|b| b).await;
    let mut client = McpHttp::new(addr);
    client.version = "2025-06-18".into();
    client.initialize(json!({})).await;
    subscribe(&mut client, "test://item/1", true).await;
    let mut stream = client.get(None).await;
    assert_eq!(stream.status, 200);
    server
        .notify_resource_updated("test://item/1")
        .await
        .unwrap();
    expect_message(&mut stream, "0-1", updated("test://item/1")).await;
}
