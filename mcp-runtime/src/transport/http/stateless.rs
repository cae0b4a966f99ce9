//! POST in the stateless era (2026-07-28): no session; the version header, `_meta` and the
//! routing headers are checked before dispatch; errors carry their HTTP status; closing the
//! response cancels the call.

use super::header_names::{MCP_PROTOCOL_VERSION, MCP_SESSION_ID};
use super::post::{Answer, answer};
use super::reply::{Rejection, accepted};
use super::routing_headers;
use crate::context::{Outbound, TransportKind};
use crate::dispatch::{Connection, Received};
use crate::protocol::stateless::{carries_stateless_meta, read_meta, unsupported};
use crate::protocol::{Decoded, ProtocolVersion, RequestId, RpcError, codes};
use crate::session::{Log, ResponseStream, Session};
use crate::shared::Shared;
use axum::body::Body;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Response, StatusCode};
use std::sync::Arc;

/// A message belongs to the stateless era unless it names a session, or has a 2025 (or no)
/// `MCP-Protocol-Version` header and no per-request version in `_meta`.
pub(super) fn is_stateless(headers: &HeaderMap, message: &Decoded<'_>) -> bool {
    if headers.contains_key(&MCP_SESSION_ID) {
        return false;
    }
    let header = headers
        .get(&MCP_PROTOCOL_VERSION)
        .and_then(|v| v.to_str().ok());
    let session_era_header = header.is_none_or(|v| ProtocolVersion::parse(v).is_some());
    // A header of a later revision decides alone; only otherwise is `_meta` looked at.
    !session_era_header
        || (message.request_id().is_some() && carries_stateless_meta(message.stateless_meta_text()))
}

pub(super) async fn handle(
    server: Arc<Shared>,
    request: Arc<Parts>,
    message: Decoded<'_>,
    principal: Option<Arc<crate::context::Principal>>,
) -> Result<Response<Body>, Rejection> {
    let headers = &request.headers;
    let Some(id) = message.request_id().cloned() else {
        return Ok(accepted());
    };
    let refuse = |error: RpcError| Rejection::rpc(StatusCode::BAD_REQUEST, Some(&id), &error);
    let version = headers
        .get(&MCP_PROTOCOL_VERSION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            refuse(RpcError::new(
                codes::HEADER_MISMATCH,
                "header mismatch: MCP-Protocol-Version is required",
            ))
        })?;
    let meta = read_meta(message.stateless_meta_text(), Some(version)).map_err(&refuse)?;
    let version = meta.version;
    if !version.is_stateless() {
        return Err(refuse(unsupported(version.as_str())));
    }
    routing_headers::check(&server, headers, &message).map_err(&refuse)?;
    // The request's own session, on a connection of its own: what `_meta` says, and the
    // call in flight (for cancellation). Its stream is never resumed, so it is kept here
    // alone.
    let limits = server.config.session_limits;
    let stream = Arc::new(ResponseStream::new(Log::Private {
        capacity: limits.events_per_stream,
    }));
    let session = Arc::new(Session::stateless(meta, limits));
    let connection = Connection::new(
        Arc::clone(&server),
        Arc::clone(&session),
        Outbound::Response(Arc::clone(&stream)),
        TransportKind::Http,
        principal,
    )
    .with_peer(super::client_address::client_address(
        &server.config.http,
        &request,
    ))
    .with_http_request(Arc::clone(&request))
    .answering_in_place();
    let received = connection.request_stateless(message, version);
    let guard = matches!(received, Received::Pending(_)).then(|| {
        Box::new(CancelOnDrop {
            session: Arc::clone(&session),
            id,
        }) as Box<dyn std::any::Any + Send>
    });
    let how = Answer {
        prime: None,
        keep_alive: server.config.http.keep_alive,
        status_from_error: true,
        guard,
        session: None,
        // A stateless request has no session to share turns with.
        turn: None,
    };
    Ok(answer(&server.config.http, stream, received, how).await)
}

/// Cancels a stateless call when its response is dropped before the call ended (the client
/// closed the stream); a call that already ended is not in flight and is left alone.
struct CancelOnDrop {
    session: Arc<Session>,
    id: RequestId,
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.session.cancel_request(&self.id);
    }
}
