//! The floor of a JSON-RPC server on HTTP: a bare axum handler on `POST /mcp` that answers a
//! canned `tools/call` result with the request's id. No JSON parsing, no MCP.
//! Usage: `floor_http [port]` (default: `$PORT`, else 8000).

use axum::http::header::CONTENT_TYPE;
use axum::serve::ListenerExt;
use axum::{Router, body::Bytes, routing::post};

async fn call(body: Bytes) -> ([(axum::http::HeaderName, &'static str); 1], Vec<u8>) {
    let key = br#""id":"#;
    let id = body
        .windows(key.len())
        .position(|w| w == key)
        .map(|at| {
            let rest = &body[at + key.len()..];
            &rest[..rest
                .iter()
                .position(|&b| b == b',' || b == b'}')
                .unwrap_or(0)]
        })
        .unwrap_or(b"null");
    let mut answer = Vec::with_capacity(96);
    answer.extend_from_slice(br#"{"jsonrpc":"2.0","id":"#);
    answer.extend_from_slice(id);
    answer.extend_from_slice(br#","result":{"content":[{"type":"text","text":"5.0"}]}}"#);
    ([(CONTENT_TYPE, "application/json")], answer)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("PORT").ok())
        .unwrap_or_else(|| "8000".into());
    // TCP_NODELAY, as a floor should: no write of ours ever waits for an ACK.
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}"))
        .await?
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    axum::serve(listener, Router::new().route("/mcp", post(call))).await
}
