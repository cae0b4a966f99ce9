//! A bounded soak of Streamable HTTP on loopback: hundreds of sessions at once, each
//! initializing and calling tools concurrently; some drop an SSE response mid-stream and
//! resume it, some calls time out (on the server, or the client walks away), some panic.
//! Every response must reach the request that caused it (ids, and a per-request nonce the
//! tools echo with the caller's session id), the server must go on serving, and once the
//! sessions expire the server must hold none of them.

use mcp_runtime::prelude::*;
use mcp_runtime::store::MemoryStore;
use mcp_tests::http::{self, McpHttp, Response, SseEvent};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Sessions in the soak.
const SESSIONS: usize = 200;
/// Sessions expire after this long unused.
const IDLE: Duration = Duration::from_secs(4);
/// The whole busy phase must end within this (the test's own bound, far above normal).
const BUSY_BOUND: Duration = Duration::from_secs(45);

// ---------------------------------------------------------------------------------------
// Bindings: each answers with the request's nonce and the caller's session id.
// ---------------------------------------------------------------------------------------

fn tag(nonce: &str, ctx: &Context) -> String {
    format!("{nonce} {}", ctx.env().session_id().unwrap_or("none"))
}

/// Echo the nonce.
#[mcp_tool]
fn echo(nonce: String, ctx: Context) -> String {
    tag(&nonce, &ctx)
}

/// Report progress three times, a little apart, then echo the nonce.
#[mcp_tool]
async fn progress(nonce: String, ctx: Context) -> String {
    for step in 1..=3 {
        ctx.progress(f64::from(step), Some(3.0)).await;
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
    tag(&nonce, &ctx)
}

/// Sleep for `ms`, then echo the nonce (the client may not wait for it).
#[mcp_tool]
async fn nap(nonce: String, ms: u64, ctx: Context) -> String {
    tokio::select! {
        () = tokio::time::sleep(Duration::from_millis(ms)) => tag(&nonce, &ctx),
        () = ctx.cancelled() => "cancelled".into(),
    }
}

/// Outlive its own timeout.
#[mcp_tool(timeout = "100ms")]
async fn overrun(nonce: String) -> String {
    tokio::time::sleep(Duration::from_secs(30)).await;
    nonce
}

/// Panic.
#[mcp_tool]
fn explode(nonce: String) -> String {
    panic!("exploding for {nonce}")
}

// ---------------------------------------------------------------------------------------
// The server, and its store shared with the test so it can see how many sessions are held
// ---------------------------------------------------------------------------------------

async fn start() -> (McpServer, SocketAddr, MemoryStore) {
    // The store expires sessions after `session_idle_timeout`, which also sets how often
    // the server sweeps it.
    let store = MemoryStore::new();
    let server = McpServer::builder("soak", "1")
        .store(store.clone())
        .session_idle_timeout(IDLE)
        .filter(|b| b.module_path().is_some_and(|m| m.starts_with("soak")))
        .build()
        .expect("the soak server builds");
    let addr = http::serve(server.router()).await;
    (server, addr, store)
}

/// How many sessions may be busy at once: all of them, unless the open-file limit is low
/// (every connection here costs two descriptors, client and server, in this one process).
fn concurrent_sessions() -> usize {
    let soft_limit = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            limits
                .lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(3))
                .and_then(|n| n.parse::<usize>().ok())
        })
        .unwrap_or(1024);
    // Up to 8 connections per busy session, two descriptors each, and room to spare.
    (soft_limit.saturating_sub(256) / 16).clamp(16, SESSIONS)
}

// ---------------------------------------------------------------------------------------
// One session's traffic
// ---------------------------------------------------------------------------------------

/// Calls that expect an answer, and answers that reached the request that caused them.
#[derive(Default)]
struct Tally {
    sent: AtomicUsize,
    answered: AtomicUsize,
    /// Sessions initialized and not yet done, now and at most.
    busy: AtomicUsize,
    most_busy: AtomicUsize,
}

fn call(id: u64, tool: &str, arguments: Value) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": { "name": tool, "arguments": arguments } })
}

fn call_with_progress(id: u64, tool: &str, nonce: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": { "name": tool, "arguments": { "nonce": nonce }, "_meta": { "progressToken": nonce } } })
}

fn text_of(response: &Value) -> &str {
    response["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("a text result: {response}"))
}

/// A JSON answer to request `id`.
async fn json_answer(response: Response, id: u64) -> Value {
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("application/json"));
    let body = response.json().await;
    assert_eq!(body["id"], id, "a response crossed over: {body}");
    body
}

/// Reads an SSE answer to `id` up to and including its response; every notification on
/// the way must be progress for `nonce`. Returns the response and the last event id seen.
/// With `stop_after_progress`, stops (returning `None`) after the first progress message.
async fn read_answer(
    stream: &mut Response,
    id: u64,
    nonce: &str,
    stop_after_progress: bool,
) -> (Option<Value>, Option<String>) {
    let mut last_id = None;
    loop {
        let event: SseEvent = stream
            .next_event()
            .await
            .unwrap_or_else(|| panic!("the stream of {nonce} ended before its response"));
        last_id = event.id.clone().or(last_id);
        if event.data.is_empty() {
            continue; // the priming event
        }
        let message = event.json();
        if message.get("method").is_some() {
            assert_eq!(
                (&message["method"], &message["params"]["progressToken"]),
                (&json!("notifications/progress"), &json!(nonce)),
                "a notification crossed over: {message}"
            );
            if stop_after_progress {
                return (None, last_id);
            }
            continue;
        }
        assert_eq!(message["id"], id, "a response crossed over: {message}");
        return (Some(message), last_id);
    }
}

async fn run_session(index: usize, addr: SocketAddr, tally: Arc<Tally>) -> McpHttp {
    let mut client = McpHttp::new(addr);
    client.initialize(json!({})).await;
    let session = client.session.clone().expect("a session id");
    let now_busy = tally.busy.fetch_add(1, Ordering::SeqCst) + 1;
    tally.most_busy.fetch_max(now_busy, Ordering::SeqCst);
    let expected = |nonce: &str| format!("{nonce} {session}");
    let mut calls = JoinSet::new();
    let mut next_id = 100u64;
    let mut id = || {
        next_id += 1;
        next_id
    };

    // Plain calls, answered as JSON.
    for k in 0..3 {
        let (client, id, nonce) = (client.clone(), id(), format!("s{index}-echo{k}"));
        let want_text = expected(&nonce);
        calls.spawn(async move {
            let body = json_answer(
                client
                    .post(&call(id, "echo", json!({ "nonce": nonce })))
                    .await,
                id,
            )
            .await;
            assert_eq!(text_of(&body), want_text, "{body}");
            true
        });
    }

    // A call answered as an SSE stream, read to its end.
    {
        let (client, id, nonce) = (client.clone(), id(), format!("s{index}-progress"));
        let want_text = expected(&nonce);
        calls.spawn(async move {
            let mut stream = client
                .post(&call_with_progress(id, "progress", &nonce))
                .await;
            assert_eq!(stream.header("content-type"), Some("text/event-stream"));
            let (response, _) = read_answer(&mut stream, id, &nonce, false).await;
            assert_eq!(text_of(&response.expect("a response")), want_text);
            assert!(stream.next_event().await.is_none(), "the stream ends");
            true
        });
    }

    // Every third session drops an SSE response mid-stream, then resumes it.
    if index.is_multiple_of(3) {
        let (client, id, nonce) = (client.clone(), id(), format!("s{index}-dropped"));
        let want_text = expected(&nonce);
        calls.spawn(async move {
            let mut stream = client
                .post(&call_with_progress(id, "progress", &nonce))
                .await;
            let (none, last) = read_answer(&mut stream, id, &nonce, true).await;
            assert!(none.is_none());
            drop(stream); // the client goes away; the call goes on
            let last = last.expect("events carry ids");
            let mut resumed = client.get(Some(&last)).await;
            assert_eq!(resumed.status, 200, "resuming after {last}");
            let (response, _) = read_answer(&mut resumed, id, &nonce, false).await;
            assert_eq!(text_of(&response.expect("a response")), want_text);
            true
        });
    }

    match index % 4 {
        // A call over its timeout: an error result, to the right request.
        1 => {
            let (client, id, nonce) = (client.clone(), id(), format!("s{index}-overrun"));
            calls.spawn(async move {
                let body = json_answer(
                    client
                        .post(&call(id, "overrun", json!({ "nonce": nonce })))
                        .await,
                    id,
                )
                .await;
                assert_eq!(body["result"]["isError"], true, "{body}");
                assert!(text_of(&body).contains("timed out"), "{body}");
                true
            });
        }
        // A panic: an internal error, to the right request.
        2 => {
            let (client, id, nonce) = (client.clone(), id(), format!("s{index}-explode"));
            calls.spawn(async move {
                let body = json_answer(
                    client
                        .post(&call(id, "explode", json!({ "nonce": nonce })))
                        .await,
                    id,
                )
                .await;
                assert_eq!(body["error"]["code"], -32603, "{body}");
                let message = body["error"]["message"].as_str().unwrap_or_default();
                assert!(
                    !message.contains("exploding"),
                    "panic text stays inside: {body}"
                );
                true
            });
        }
        // The client walks away before a slow call answers.
        3 => {
            let (client, id, nonce) = (client.clone(), id(), format!("s{index}-walked"));
            calls.spawn(async move {
                let message = call(id, "nap", json!({ "nonce": nonce, "ms": 300 }));
                let gone = tokio::time::timeout(Duration::from_millis(30), client.post(&message));
                assert!(gone.await.is_err(), "the nap answered before 30 ms");
                false // no answer expected: nobody is listening
            });
        }
        _ => {}
    }

    let expecting = calls.len() - usize::from(index % 4 == 3);
    tally.sent.fetch_add(expecting, Ordering::Relaxed);
    while let Some(done) = calls.join_next().await {
        if done.expect("a call's checks passed") {
            tally.answered.fetch_add(1, Ordering::Relaxed);
        }
    }
    // The session is intact after all of that.
    let ping = json!({ "jsonrpc": "2.0", "id": id(), "method": "ping" });
    let pong = client.post(&ping).await.json().await;
    assert_eq!(pong["result"], json!({}), "{pong}");
    tally.busy.fetch_sub(1, Ordering::SeqCst);
    client
}

// ---------------------------------------------------------------------------------------
// The soak
// ---------------------------------------------------------------------------------------

async fn ping_status(client: &McpHttp) -> u16 {
    let response = client
        .post(&json!({ "jsonrpc": "2.0", "id": 1, "method": "ping" }))
        .await;
    let status = response.status;
    let body = response.json().await;
    if status == 404 {
        assert_eq!(
            body["error"]["message"], "session not found: initialize a new session",
            "{body}"
        );
    }
    status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_sessions_busy_at_once_then_gone() {
    let (_server, addr, store) = start().await;
    let tally = Arc::new(Tally::default());
    let started = Instant::now();

    let busy = Arc::new(Semaphore::new(concurrent_sessions()));
    let mut sessions = JoinSet::new();
    for index in 0..SESSIONS {
        let (busy, tally) = (Arc::clone(&busy), Arc::clone(&tally));
        sessions.spawn(async move {
            let _permit = busy.acquire_owned().await.expect("the semaphore is open");
            run_session(index, addr, tally).await
        });
    }
    let clients = tokio::time::timeout(BUSY_BOUND, async {
        let mut clients = Vec::new();
        while let Some(done) = sessions.join_next().await {
            clients.push(done.expect("a session's checks passed"));
        }
        clients
    })
    .await
    .expect("the busy phase ended in time");
    let busy_for = started.elapsed();
    assert_eq!(clients.len(), SESSIONS);
    let (sent, answered) = (
        tally.sent.load(Ordering::Relaxed),
        tally.answered.load(Ordering::Relaxed),
    );
    assert_eq!(answered, sent, "every call was answered, to its caller");
    assert!(sent > SESSIONS * 4, "{sent} calls");
    let most_busy = tally.most_busy.load(Ordering::SeqCst);
    assert!(
        most_busy >= concurrent_sessions() / 2,
        "only {most_busy} sessions were ever busy at once"
    );

    // Still serving: a new session works.
    let mut late = McpHttp::new(addr);
    late.initialize(json!({})).await;
    let result = late.call_tool("echo", json!({ "nonce": "late" })).await;
    let session = late.session.clone().expect("a session id");
    assert_eq!(result["content"][0]["text"], format!("late {session}"));
    assert_eq!(
        store.held_sessions(),
        SESSIONS + 1,
        "one session each, no more"
    );

    // Ending some sessions frees them at once.
    let ended: Vec<&McpHttp> = clients.iter().step_by(10).collect();
    for client in &ended {
        assert_eq!(client.delete().await.status, 200);
    }
    assert_eq!(store.held_sessions(), SESSIONS + 1 - ended.len());

    // Once idle past the timeout, every session is gone for good: 404, and nothing held.
    // Sessions expire IDLE after their last use and are swept every IDLE / 4.
    tokio::time::sleep(IDLE + IDLE / 4 + Duration::from_millis(500)).await;
    assert_eq!(
        store.held_sessions(),
        0,
        "no session is held once all have expired"
    );
    for client in clients.iter().chain([&late]) {
        assert_eq!(ping_status(client).await, 404);
    }

    // And the server still serves.
    let mut after = McpHttp::new(addr);
    after.initialize(json!({})).await;
    let result = after.call_tool("echo", json!({ "nonce": "after" })).await;
    assert!(
        result["content"][0]["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("after ")),
        "{result}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "busy for {busy_for:?}, {:?} in all",
        started.elapsed()
    );
}

/// Expired sessions must not stay in memory until someone happens to look them up.
#[tokio::test]
async fn expired_sessions_are_dropped_without_being_looked_up() {
    let (_server, addr, store) = start().await;
    for _ in 0..20 {
        McpHttp::new(addr).initialize(json!({})).await;
    }
    assert_eq!(store.held_sessions(), 20);
    tokio::time::sleep(IDLE + Duration::from_millis(1500)).await;
    assert_eq!(store.held_sessions(), 0, "expired sessions are still held");
}
