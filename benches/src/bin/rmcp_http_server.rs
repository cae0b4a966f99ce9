//! The official SDK (`rmcp`) over Streamable HTTP with the same tool, for `wrk`.
//! Usage: `rmcp_http_server [port] [--session]` (port default: `$PORT`, else 8000).
//! By default its fastest configuration: stateless (`legacy_session_mode: false`), plain
//! JSON responses, no SSE keep-alive, one tool router shared by every request, TCP_NODELAY.
//! `--session`: rmcp's default, sessions answered over SSE (TCP_NODELAY still on: without it
//! every SSE response, written in several pieces, waits ~40 ms for a delayed ACK).

use std::sync::Arc;

use axum::serve::ListenerExt;
use mcp_benches::rmcp_add::RmcpAdd;
use rmcp::transport::streamable_http_server::{
    StreamableHttpServerConfig, StreamableHttpService, session::local::LocalSessionManager,
};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let session = args.iter().any(|a| a == "--session");
    let port = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .or_else(|| std::env::var("PORT").ok())
        .unwrap_or_else(|| "8000".into());
    let server = RmcpAdd::default();
    let config = StreamableHttpServerConfig::default()
        .with_sse_keep_alive(None)
        .with_legacy_session_mode(session)
        .with_json_response(!session);
    let service = StreamableHttpService::new(
        move || Ok(server.clone()),
        Arc::new(LocalSessionManager::default()),
        config,
    );
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}"))
        .await?
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    axum::serve(listener, axum::Router::new().nest_service("/mcp", service)).await
}
