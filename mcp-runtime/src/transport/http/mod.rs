//! Streamable HTTP (MCP 2025-11-25): POST for messages, GET for the server's stream and for
//! resumption, DELETE to end a session. Built on axum, so `router()` mounts beside a
//! user's own routes and tower layers.

mod auth;
mod catalogue;
mod checks;
mod client_address;
mod get;
mod header_names;
mod initialize;
mod post;
mod reply;
mod routing_headers;
mod serve;
mod sse;
mod stateless;

use crate::protocol::ProtocolVersion;
use crate::session::Session;
use crate::shared::{HttpConfig, Shared};
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Response, StatusCode};
use reply::Rejection;
use std::sync::Arc;

/// The router of `McpServer::router()`. Whoever serves it should set TCP_NODELAY on
/// accepted sockets (`serve_http` does), or SSE events stall behind delayed ACKs.
pub(crate) fn router(server: Arc<Shared>) -> Router {
    server.start_maintenance();
    let path = server.config.http.path.clone();
    let mut router = Router::new().route(
        &path,
        axum::routing::post(post::handle)
            .get(get::handle)
            .delete(delete)
            .fallback(method_not_allowed),
    );
    if let Some(resource) = &server.config.http.protected_resource {
        let metadata = axum::routing::get(auth::metadata);
        router = router.route(&resource.metadata_path(), metadata.clone());
        if resource.metadata_path() != crate::auth::WELL_KNOWN {
            // Clients that do not insert the resource's path look at the bare prefix.
            router = router.route(crate::auth::WELL_KNOWN, metadata);
        }
    }
    if let Some(catalogue) = &server.config.http.catalogue {
        router = catalogue::mount(router, catalogue, &server);
    }
    router.with_state(server)
}

pub(crate) use catalogue::path_problem as catalogue_path_problem;
pub(crate) use serve::serve;

/// The session a request names in `Mcp-Session-Id`: `400` without one, `404` when unknown,
/// expired (the client then initializes again) or created by another principal (as if it
/// did not exist, so ids cannot be probed), `503` when the store cannot be reached (never
/// `404`: that would make the client start over).
async fn session_of(
    server: &Shared,
    headers: &HeaderMap,
    principal: Option<&crate::context::Principal>,
) -> Result<Arc<Session>, Rejection> {
    let id = headers
        .get(&header_names::MCP_SESSION_ID)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            Rejection::new(
                StatusCode::BAD_REQUEST,
                "bad request: Mcp-Session-Id header is required",
            )
        })?;
    server
        .session(id, principal.map(|p| p.subject()))
        .await
        .map_err(Rejection::unavailable)?
        .ok_or_else(|| {
            Rejection::new(
                StatusCode::NOT_FOUND,
                "session not found: initialize a new session",
            )
        })
}

/// The priming event (an id, `retry:`, no message) starts streams of clients speaking
/// 2025-11-25 or later; older clients do not expect an event without a message.
fn priming(session: &Session, http: &HttpConfig) -> Option<std::time::Duration> {
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

/// DELETE ends the session on every replica: what is in flight is cancelled and its id is
/// forgotten.
async fn delete(State(server): State<Arc<Shared>>, request: Parts) -> Response<Body> {
    let result = async {
        let headers = &request.headers;
        checks::origin_and_host(headers, &server.config.http)?;
        let principal = auth::principal(&server.config.http, &request).await?;
        let session = session_of(&server, headers, principal.as_deref()).await?;
        if let Some(id) = session.id() {
            server
                .end_session(id)
                .await
                .map_err(Rejection::unavailable)?;
        }
        Ok(reply::empty(StatusCode::OK))
    };
    reply::contained(result).await
}
