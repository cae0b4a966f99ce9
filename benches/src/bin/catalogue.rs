//! The catalogue page at 100 and 1,000 tools: its size, the one-off rendering of every
//! binding's card when the router is made, and the time to GET it over loopback HTTP
//! against a floor, a bare axum route answering the same bytes already rendered (so the
//! difference is what assembling the page for a caller costs).
//!
//! `cargo run --release -p mcp-benches --bin catalogue`

use mcp_benches::builder_with_tools;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const ROUNDS: usize = 200;

/// The whole response to `GET path` on a new connection.
async fn get(addr: SocketAddr, path: &str) -> Vec<u8> {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("read");
    response
}

async fn serve(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    addr
}

/// The median time of `ROUNDS` GETs, each round alternating page and floor so that both
/// see the same machine.
async fn paired(page: SocketAddr, floor: SocketAddr) -> (Duration, Duration) {
    let (mut pages, mut floors) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let started = Instant::now();
        std::hint::black_box(get(page, "/catalogue").await);
        pages.push(started.elapsed());
        let started = Instant::now();
        std::hint::black_box(get(floor, "/catalogue").await);
        floors.push(started.elapsed());
    }
    pages.sort();
    floors.sort();
    (pages[ROUNDS / 2], floors[ROUNDS / 2])
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    println!(
        "| tools | page bytes | bytes per tool | cards rendered (router()) | GET page (median) | GET same bytes, static (median) | page over floor, per tool |"
    );
    println!("|--:|--:|--:|--:|--:|--:|--:|");
    for tools in [100, 1_000] {
        let server = builder_with_tools(tools)
            .catalogue("/catalogue")
            .build()
            .expect("the bench server builds");
        let started = Instant::now();
        let router = server.router();
        let cards = started.elapsed();
        let page_addr = serve(router).await;
        let response = get(page_addr, "/catalogue").await;
        let body_at = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response head")
            + 4;
        let body = response[body_at..].to_vec();
        assert!(
            String::from_utf8_lossy(&body).contains(&format!("{tools} tools")),
            "the page does not list {tools} tools"
        );
        let bytes = body.len();
        let floor = axum::Router::new().route(
            "/catalogue",
            axum::routing::get(move || {
                let body = body.clone();
                async move { body }
            }),
        );
        let floor_addr = serve(floor).await;
        let (page, floor) = paired(page_addr, floor_addr).await;
        let per_tool = page.saturating_sub(floor) / tools as u32;
        println!(
            "| {tools} | {bytes} | {} | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} µs |",
            bytes / tools,
            cards.as_secs_f64() * 1e3,
            page.as_secs_f64() * 1e3,
            floor.as_secs_f64() * 1e3,
            per_tool.as_secs_f64() * 1e6,
        );
    }
}
