//! GET: the session's stream of server-initiated messages, or with `Last-Event-ID` the rest
//! of any stream of the session after that event.

use super::reply::Rejection;
use super::sse::{self, Opening};
use super::{checks, priming, session_of};
use crate::session::{Read, STANDALONE_STREAM, parse_event_id};
use crate::shared::Shared;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Response, StatusCode};
use std::sync::Arc;

pub(crate) async fn handle(
    State(server): State<Arc<Shared>>,
    headers: HeaderMap,
) -> Response<Body> {
    super::reply::respond(handle_checked(&server, &headers).await)
}

async fn handle_checked(server: &Shared, headers: &HeaderMap) -> Result<Response<Body>, Rejection> {
    let http = &server.config.http;
    checks::origin_and_host(headers, http)?;
    let principal = super::auth::principal(http, headers).await?;
    if !checks::accepts(headers, "text/event-stream") {
        return Err(Rejection::new(
            StatusCode::NOT_ACCEPTABLE,
            "not acceptable: a GET must send Accept: text/event-stream",
        ));
    }
    let session = session_of(server, headers, principal.as_deref())?;
    checks::protocol_version(headers)?;
    session.touch();
    let last_event = headers
        .get(&super::header_names::LAST_EVENT_ID)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_event_id);
    let (stream_id, after) = match last_event {
        Some(position) => position,
        None => (STANDALONE_STREAM, u64::MAX),
    };
    let stream = session.stream(stream_id).ok_or_else(|| {
        Rejection::new(
            StatusCode::NOT_FOUND,
            "not found: that stream is no longer held; re-send the request",
        )
    })?;
    let guard = if stream_id == STANDALONE_STREAM {
        let claim = session.claim_standalone_reader().ok_or_else(|| {
            Rejection::new(
                StatusCode::CONFLICT,
                "conflict: this session's GET stream is already open",
            )
        })?;
        Some(Box::new(claim) as Box<dyn std::any::Any + Send>)
    } else {
        None
    };
    // A fresh GET starts live (after the newest event); a resumption replays what it missed.
    let after = if after == u64::MAX {
        stream.last_sequence()
    } else {
        after
    };
    if stream.read_after(after) == Read::Lost {
        return Err(Rejection::new(
            StatusCode::NOT_FOUND,
            "not found: the events after that Last-Event-ID are no longer held",
        ));
    }
    let prime = if last_event.is_none() {
        priming(&session, http)
    } else {
        None
    };
    let cuts = stream.cuts();
    Ok(sse::response(
        stream,
        Opening {
            after,
            prime,
            keep_alive: http.keep_alive,
            cuts,
            guard,
        },
    ))
}
