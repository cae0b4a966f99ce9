//! POST in the stateless era (2026-07-28): no session; the version header, `_meta` and the
//! routing headers are checked before dispatch; errors carry their HTTP status; closing the
//! response cancels the call.

use super::post::{Answer, answer, answered};
use super::reply::{Rejection, accepted};
use super::routing_headers;
use crate::context::{Outbound, TransportKind};
use crate::dispatch::{Connection, Received};
use crate::protocol::stateless::{carries_stateless_meta, read_meta};
use crate::protocol::{Incoming, ProtocolVersion, RequestId, RpcError, codes};
use crate::server::ServerInner;
use crate::session::Session;
use crate::telemetry::TraceHeaders;
use axum::body::Body;
use axum::http::{HeaderMap, Response, StatusCode};
use std::sync::Arc;

/// A message belongs to the stateless era unless it names a session, or has a 2025 (or no)
/// `MCP-Protocol-Version` header and no per-request version in `_meta`.
pub(super) fn is_stateless(headers: &HeaderMap, incoming: &Incoming) -> bool {
    if headers.contains_key("mcp-session-id") {
        return false;
    }
    let header = headers
        .get("mcp-protocol-version")
        .and_then(|v| v.to_str().ok());
    let session_era_header = header.is_none_or(|v| ProtocolVersion::parse(v).is_some());
    // A header of a later revision decides alone; only otherwise is `_meta` looked at.
    !session_era_header
        || matches!(incoming, Incoming::Request { params, .. } if carries_stateless_meta(params.as_deref()))
}

pub(super) async fn handle(
    server: Arc<ServerInner>,
    headers: &HeaderMap,
    incoming: Incoming,
    principal: Option<Arc<crate::context::Principal>>,
    peer: Option<std::net::IpAddr>,
) -> Result<Response<Body>, Rejection> {
    let Incoming::Request { id, method, params } = incoming else {
        return Ok(accepted());
    };
    let refuse = |error: RpcError| Rejection::rpc(StatusCode::BAD_REQUEST, Some(&id), &error);
    let version = headers
        .get("mcp-protocol-version")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            refuse(RpcError::new(
                codes::HEADER_MISMATCH,
                "header mismatch: MCP-Protocol-Version is required",
            ))
        })?
        .to_owned();
    let meta = read_meta(params.as_deref(), Some(&version)).map_err(&refuse)?;
    if meta.version.is_stateless() {
        routing_headers::check(&server, headers, &method, params.as_deref()).map_err(&refuse)?;
    }
    // One connection per request: it tracks the call for cancellation, nothing else.
    let tracker = Arc::new(Session::new(
        None,
        Outbound::new(tokio::sync::mpsc::channel(1).0),
        server.config.session_limits,
    ));
    let stream = tracker.open_stream();
    let connection = Connection::new(
        Arc::clone(&server),
        Arc::clone(&tracker),
        Outbound::Stream(Arc::clone(&stream)),
        TransportKind::Http,
        principal,
    )
    .with_trace_headers(TraceHeaders::from_headers(headers))
    .with_peer(peer)
    .answering_in_place();
    let http = &server.config.http;
    let how = |guard: Option<Box<dyn std::any::Any + Send>>| Answer {
        prime: None,
        keep_alive: http.keep_alive,
        status_from_error: true,
        guard,
    };
    Ok(
        match connection.request_stateless(id.clone(), method, params, meta) {
            Received::Nothing => accepted(),
            Received::Respond(line) => answered(http, stream, line, how(None)),
            Received::Pending(pending) => {
                let guard = CancelOnDrop { tracker, id };
                answer(http, stream, pending, how(Some(Box::new(guard)))).await
            }
        },
    )
}

/// Cancels a stateless call when its response is dropped before the call ended (the client
/// closed the stream); a call that already ended is not in flight and is left alone.
struct CancelOnDrop {
    tracker: Arc<Session>,
    id: RequestId,
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.tracker.cancel_request(&self.id);
    }
}
