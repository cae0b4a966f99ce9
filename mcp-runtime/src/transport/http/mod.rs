//! Streamable HTTP (MCP 2025-11-25): POST for messages, GET for the server's stream and for
//! resumption, DELETE to end a session. Built on axum, so `router()` mounts beside a
//! user's own routes and tower layers.

mod checks;
pub(crate) mod config;
mod get;
mod post;
mod reply;
mod routing_headers;
mod sse;
mod stateless;

use crate::protocol::ProtocolVersion;
use crate::server::ServerInner;
use crate::session::Session;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Response, StatusCode};
use reply::Rejection;
use std::sync::Arc;

pub(crate) fn router(server: Arc<ServerInner>) -> Router {
    let path = server.config.http.path.clone();
    Router::new()
        .route(
            &path,
            axum::routing::post(post::handle)
                .get(get::handle)
                .delete(delete)
                .fallback(method_not_allowed),
        )
        .with_state(server)
}

pub(crate) async fn serve(server: Arc<ServerInner>, address: &str) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(address).await?;
    axum::serve(listener, router(server)).await
}

/// The session a request names in `Mcp-Session-Id`: `400` without one, `404` when unknown
/// or expired (the client then initializes again).
fn session_of(server: &ServerInner, headers: &HeaderMap) -> Result<Arc<Session>, Rejection> {
    let id = headers
        .get("mcp-session-id")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            Rejection::new(
                StatusCode::BAD_REQUEST,
                "bad request: Mcp-Session-Id header is required",
            )
        })?;
    server.sessions.get(id).ok_or_else(|| {
        Rejection::new(
            StatusCode::NOT_FOUND,
            "session not found: initialize a new session",
        )
    })
}

/// The priming event (an id, `retry:`, no message) starts streams of clients speaking
/// 2025-11-25 or later; older clients do not expect an event without a message.
fn priming(session: &Session, http: &config::HttpConfig) -> Option<std::time::Duration> {
    // The stateless era has no resumption, so nothing to prime.
    (session.protocol_version() == Some(ProtocolVersion::V2025_11_25)).then_some(http.sse_retry)
}

/// Any other method: `405` with the methods that exist, and a JSON-RPC body like every refusal.
async fn method_not_allowed() -> Response<Body> {
    let mut response = Rejection::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed: use POST, GET or DELETE",
    )
    .into_response();
    response.headers_mut().insert(
        axum::http::header::ALLOW,
        axum::http::HeaderValue::from_static("GET, HEAD, POST, DELETE"),
    );
    response
}

/// DELETE ends the session: what is in flight is cancelled and its id is forgotten.
async fn delete(State(server): State<Arc<ServerInner>>, headers: HeaderMap) -> Response<Body> {
    let result = checks::origin_and_host(&headers, &server.config.http)
        .and_then(|()| session_of(&server, &headers))
        .map(|session| {
            if let Some(id) = session.id() {
                server.sessions.remove(id);
            }
            reply::empty(StatusCode::OK)
        });
    reply::respond(result)
}
