//! `initialize` over HTTP: admission (the caller's budget of new sessions, room in the
//! store), then the session, stored before its id comes back in `Mcp-Session-Id`.

use super::reply::{Rejection, accepted, json_response};
use crate::context::{Outbound, Principal, TransportKind, caller_key};
use crate::dispatch::{Connection, Received};
use crate::guard::RateLimitError;
use crate::protocol::{Decoded, RpcError};
use crate::session::{Log, ResponseStream, Session};
use crate::shared::Shared;
use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode};
use std::net::IpAddr;
use std::sync::Arc;

/// How long a client refused for a full store is told to wait.
const FULL_RETRY_AFTER_SECONDS: u64 = 30;

pub(super) async fn initialize(
    server: &Arc<Shared>,
    message: Decoded<'_>,
    principal: Option<Arc<Principal>>,
    client: Option<IpAddr>,
) -> Result<Response<Body>, Rejection> {
    admit(server, &message, principal.as_deref(), client).await?;
    let session = Arc::new(Session::http(
        new_session_id(),
        server.bus.replica(),
        server.config.session_limits,
    ));
    session.bind_owner(principal.as_deref().map(|p| p.subject()));
    // `initialize` sends nothing before its result.
    let unused = Arc::new(ResponseStream::new(Log::Private { capacity: 1 }));
    let id = message.request_id().cloned();
    let connection = Connection::new(
        Arc::clone(server),
        Arc::clone(&session),
        Outbound::Response(unused),
        TransportKind::Http,
        principal,
    );
    let line = match connection.accept(message) {
        Received::Respond(line) => line,
        // Not the 2025 era's `initialize` (its `_meta` names a later revision): what it is
        // answered with, and no session.
        Received::Pending(pending) => match pending.await {
            Some(line) => line,
            None => return Ok(accepted()),
        },
        Received::Nothing => return Ok(accepted()),
    };
    let mut response = json_response(StatusCode::OK, line);
    if session.protocol_version().is_some() {
        let session_id = session.id().expect("HTTP sessions have ids").to_owned();
        let stored = server
            .open_session(session)
            .await
            .map_err(Rejection::unavailable)?;
        if !stored {
            let error = RpcError::busy(
                "server busy: no room for another session (max_sessions); retry later",
                FULL_RETRY_AFTER_SECONDS,
            );
            return Err(
                Rejection::rpc(StatusCode::SERVICE_UNAVAILABLE, id.as_ref(), &error)
                    .with_retry_after(FULL_RETRY_AFTER_SECONDS),
            );
        }
        response.headers_mut().insert(
            super::header_names::MCP_SESSION_ID.clone(),
            HeaderValue::from_str(&session_id).expect("hex is a valid header"),
        );
    }
    Ok(response)
}

/// Counts a new session against the caller's budget (`initialize_rate_limit`): the
/// principal's, else the client address's, else the one budget of every caller the server
/// cannot tell apart. Over it: `429` with `Retry-After`.
async fn admit(
    server: &Shared,
    message: &Decoded<'_>,
    principal: Option<&Principal>,
    client: Option<IpAddr>,
) -> Result<(), Rejection> {
    let Some(limiter) = &server.initialize_limiter else {
        return Ok(());
    };
    let key = caller_key(principal, client, None);
    match limiter.check(&key).await {
        Ok(()) => Ok(()),
        Err(RateLimitError::Limited(limited)) => {
            let seconds = limited.retry_after_seconds();
            let error = RpcError::busy(
                format!("too many new sessions (initialize_rate_limit); retry after {seconds}s"),
                seconds,
            );
            Err(
                Rejection::rpc(StatusCode::TOO_MANY_REQUESTS, message.request_id(), &error)
                    .with_retry_after(seconds),
            )
        }
        Err(RateLimitError::Unavailable(error)) => Err(Rejection::unavailable(error)),
    }
}

/// 256 bits from the operating system's CSPRNG, as 64 hex characters (visible ASCII).
fn new_session_id() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
