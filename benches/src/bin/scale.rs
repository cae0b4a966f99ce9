//! Scale: building a registry of 10,000 tools (time and memory), a `tools/list` page at
//! that size, and the memory an idle HTTP session holds. Memory is the growth of the
//! process's resident set, over enough tools and sessions that page granularity does not
//! matter (Linux: /proc/self/statm).
//!
//! `cargo run --release -p mcp-benches --bin scale`

use mcp_benches::{LIST_TOOLS, server_with_tools};
use mcp_runtime::testing::TestClient;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

const TOOLS: usize = 10_000;
const SESSIONS: usize = 1_000;

/// Resident memory of this process, in bytes.
fn live() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Memory first, while nothing freed earlier can be handed out again.
    let session_bytes = idle_session_bytes().await;
    let before = live();
    let server = server_with_tools(TOOLS);
    let registry_bytes = live().saturating_sub(before);
    let builds: Vec<Duration> = (0..5)
        .map(|_| {
            let started = Instant::now();
            let server = server_with_tools(TOOLS);
            let took = started.elapsed();
            drop(server);
            took
        })
        .collect();

    let client = TestClient::connect(&server).await;
    let first = client.send_raw(LIST_TOOLS).await.expect("a page");
    assert!(first.contains("tool_00000"), "{first}");
    const CALLS: u32 = 20_000;
    let started = Instant::now();
    for _ in 0..CALLS {
        std::hint::black_box(client.send_raw(LIST_TOOLS).await);
    }
    let per_page = started.elapsed() / CALLS;

    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| build a registry of {TOOLS} tools (median of 5) | {:.1} ms |",
        median(builds).as_secs_f64() * 1e3
    );
    println!(
        "| memory held by that registry | {:.1} MiB ({} bytes per tool) |",
        registry_bytes as f64 / (1024.0 * 1024.0),
        registry_bytes / TOOLS
    );
    println!(
        "| `tools/list` first page at {TOOLS} tools, in process | {:.2} µs |",
        per_page.as_secs_f64() * 1e6
    );
    println!("| memory per idle HTTP session ({SESSIONS} sessions) | {session_bytes} bytes |");
}

/// Opens `SESSIONS` HTTP sessions (each a real `initialize` on a real socket) and returns
/// the live bytes each one adds once the connections are closed.
async fn idle_session_bytes() -> usize {
    let server = mcp_runtime::McpServer::builder("scale", "1.0")
        .filter(|_| false)
        // A thousand sessions from one address in a second: not a client to refuse here.
        .initialize_rate_limit(None)
        .build()
        .expect("an empty server builds");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let address = addr.to_string();
    tokio::spawn(async move { server.serve_http(&address).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    // One session first, so what is allocated once (the runtime, the store) is not counted.
    initialize(addr).await;
    let before = live();
    for _ in 0..SESSIONS {
        initialize(addr).await;
    }
    // Let the server finish with each connection.
    tokio::time::sleep(Duration::from_millis(200)).await;
    live().saturating_sub(before) / SESSIONS
}

async fn initialize(addr: std::net::SocketAddr) {
    tokio::task::spawn_blocking(move || initialize_blocking(addr))
        .await
        .unwrap();
}

fn initialize_blocking(addr: std::net::SocketAddr) {
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"scale","version":"1"}}}"#;
    let request = format!(
        "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response);
    assert!(text.contains("mcp-session-id"), "{text}");
}
