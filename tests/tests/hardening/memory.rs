//! Memory under load: 1,000 sessions each receive streamed results of 128 KiB, which their
//! logs hold for resumption; once the sessions expire, the server's resident memory comes
//! back near where it started. The server is a child process, so its RSS is its own.
//!
//! glibc's allocator keeps freed heap pages for reuse rather than give them back, so RSS
//! alone cannot tell a leak from a cache: the child runs with `MALLOC_MMAP_THRESHOLD_`
//! lowered, which puts every large block in pages of its own that `free` returns. What
//! comes back is then what the server really let go. (Operators who want the same set it,
//! or `MALLOC_TRIM_THRESHOLD_`, or another allocator.)

use mcp_tests::http::McpHttp;
use serde_json::json;
use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;
use tokio::process::{Child, Command};
use tokio::sync::Semaphore;

const SESSIONS: usize = 1_000;
const CALLS: usize = 2;
const RESULT_KIB: usize = 128;

fn rss_kib(child: &Child) -> u64 {
    let pid = child.id().expect("running");
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS")
}

async fn one_session(addr: SocketAddr) {
    let mut client = McpHttp::new(addr);
    client.initialize(json!({})).await;
    for _ in 0..CALLS {
        let params = json!({ "name": "blob", "arguments": { "kb": RESULT_KIB },
            "_meta": { "progressToken": 1 } });
        let mut answer = client.request("tools/call", params).await;
        assert_eq!(answer.header("content-type"), Some("text/event-stream"));
        loop {
            let event = answer
                .next_event()
                .await
                .expect("the stream ends with the result");
            if event.data.contains("\"result\"") {
                assert!(event.data.len() > RESULT_KIB * 1024);
                break;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_sessions_of_large_results_are_let_go_when_they_expire() {
    let addr = mcp_tests::http::free_loopback_addr();
    let mut server = Command::new(env!("CARGO_BIN_EXE_memory_server"))
        .env("PORT", addr.port().to_string())
        .env("SESSION_IDLE_MS", "3000")
        .env("MALLOC_MMAP_THRESHOLD_", "65536")
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start the server");
    mcp_tests::http::wait_until_accepting(addr).await;
    one_session(addr).await;
    let start = rss_kib(&server);

    let permits = Arc::new(Semaphore::new(32));
    let mut sessions = tokio::task::JoinSet::new();
    for _ in 0..SESSIONS {
        let permit = Arc::clone(&permits).acquire_owned().await.expect("permit");
        sessions.spawn(async move {
            one_session(addr).await;
            drop(permit);
        });
    }
    while let Some(done) = sessions.join_next().await {
        done.expect("a session");
    }
    let peak = rss_kib(&server);

    // Idle 3 s, swept about as often: wait for expiry, then for the memory to settle.
    let mut end = peak;
    for _ in 0..30 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        end = rss_kib(&server);
        if end < start + (peak - start) / 4 {
            break;
        }
    }
    println!(
        "memory: {SESSIONS} sessions x {CALLS} results of {RESULT_KIB} KiB; RSS start {start} KiB, \
         peak {peak} KiB, after expiry {end} KiB"
    );
    assert!(peak > start, "the load held something: {start} -> {peak}");
    assert!(
        end < start + (peak - start) / 4,
        "after expiry the server still holds {end} KiB (start {start}, peak {peak})"
    );
    let _ = server.kill().await;
}
