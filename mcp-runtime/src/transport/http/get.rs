//! GET: the session's stream of server-initiated messages, or with `Last-Event-ID` the rest
//! of any stream of the session after that event, on whichever replica wrote it.

use super::reply::Rejection;
use super::sse::{self, Opening};
use super::{checks, priming, session_of};
use crate::session::Source;
use crate::shared::Shared;
use crate::store::{Patched, Read, SessionPatch, StreamKey};
use axum::body::Body;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{Response, StatusCode};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub(crate) async fn handle(State(server): State<Arc<Shared>>, request: Parts) -> Response<Body> {
    super::reply::contained(handle_checked(&server, &request)).await
}

async fn handle_checked(
    server: &Arc<Shared>,
    request: &Parts,
) -> Result<Response<Body>, Rejection> {
    let headers = &request.headers;
    let http = &server.config.http;
    checks::origin_and_host(headers, http)?;
    let principal = super::auth::principal(http, request).await?;
    if !checks::accepts(headers, "text/event-stream") {
        return Err(Rejection::new(
            StatusCode::NOT_ACCEPTABLE,
            "not acceptable: a GET must send Accept: text/event-stream",
        ));
    }
    let session = session_of(server, headers, principal.as_deref()).await?;
    checks::protocol_version(headers)?;
    let last_event = headers
        .get(&super::header_names::LAST_EVENT_ID)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_event_id);
    let id = Arc::clone(session.shared_id().expect("HTTP sessions have ids"));
    let key = match last_event {
        Some((stream, _)) => StreamKey::new(id, stream),
        None => StreamKey::standalone(id),
    };
    let claim = if key.is_standalone() {
        Some(StreamClaim::take(server, key.session(), http.keep_alive).await?)
    } else {
        None
    };
    let unavailable = Rejection::unavailable;
    let events = &server.events;
    // A fresh GET starts live (after the newest event); a resumption replays what it missed.
    let after = match last_event {
        Some((_, after)) => after,
        None => events
            .last_sequence(&key)
            .await
            .map_err(unavailable)?
            .unwrap_or(0),
    };
    match events.read_after(&key, after).await.map_err(unavailable)? {
        Read::Held { .. } => {}
        Read::Lost { .. } => {
            return Err(Rejection::new(
                StatusCode::NOT_FOUND,
                "not found: the events after that Last-Event-ID are no longer held",
            ));
        }
        _ => {
            return Err(Rejection::new(
                StatusCode::NOT_FOUND,
                "not found: that stream is no longer held; re-send the request",
            ));
        }
    }
    let prime = if last_event.is_none() {
        priming(&session, http)
    } else {
        None
    };
    let source = Source::Store {
        events: Arc::clone(events),
        key,
    };
    Ok(sse::response(
        source,
        Opening {
            after,
            prime,
            keep_alive: http.keep_alive,
            cuts: None,
            guard: None,
            session: Some(session),
            // The standalone stream never ends by itself: a shutdown ends it.
            stopping: claim.as_ref().map(|_| server.stopping.subscribe()),
            claim,
        },
    ))
}

/// Splits an SSE event id into (stream, sequence).
fn parse_event_id(id: &str) -> Option<(u64, u64)> {
    let (stream, sequence) = id.split_once('-')?;
    Some((stream.parse().ok()?, sequence.parse().ok()?))
}

/// The claim of one GET response on its session's standalone stream: one reader at a time,
/// whichever replica it is on (a message must not be delivered twice). Renewed on each
/// keep-alive, which also keeps the session alive while its stream is open; given back
/// when the response ends.
pub(crate) struct StreamClaim {
    server: Arc<Shared>,
    session: String,
    holder: String,
    lease: Duration,
}

/// Numbers this replica's claims.
static NEXT_CLAIM: AtomicU64 = AtomicU64::new(1);

impl StreamClaim {
    /// Takes the claim; `409` while another response holds it.
    async fn take(
        server: &Arc<Shared>,
        session: &str,
        keep_alive: Duration,
    ) -> Result<StreamClaim, Rejection> {
        let claim = StreamClaim {
            server: Arc::clone(server),
            session: session.to_owned(),
            holder: format!(
                "{}:{}",
                server.bus.replica(),
                NEXT_CLAIM.fetch_add(1, Ordering::Relaxed)
            ),
            // Outlives a missed keep-alive or two; a replica that died holding it blocks a
            // new GET no longer than this.
            lease: keep_alive * 3,
        };
        match claim.patch().await.map_err(Rejection::unavailable)? {
            Patched::Applied => Ok(claim),
            Patched::Refused => Err(Rejection::new(
                StatusCode::CONFLICT,
                "conflict: this session's GET stream is already open",
            )),
            _ => Err(Rejection::new(
                StatusCode::NOT_FOUND,
                "session not found: initialize a new session",
            )),
        }
    }

    async fn patch(&self) -> Result<Patched, crate::store::StoreError> {
        let patch = SessionPatch::ClaimStream {
            holder: self.holder.clone(),
            lease: self.lease,
        };
        self.server.sessions.patch(&self.session, patch).await
    }

    /// Extends the claim and the session's life; `false` when the session ended, the claim
    /// was lost, or the store cannot be reached.
    pub(crate) async fn renew(&self) -> bool {
        let touched = self.server.sessions.touch(&self.session).await;
        matches!(touched, Ok(Some(_))) && matches!(self.patch().await, Ok(Patched::Applied))
    }
}

impl Drop for StreamClaim {
    fn drop(&mut self) {
        let server = Arc::clone(&self.server);
        let session = std::mem::take(&mut self.session);
        let holder = std::mem::take(&mut self.holder);
        crate::background::spawn(async move {
            let release = SessionPatch::ReleaseStream { holder };
            if let Err(error) = server.sessions.patch(&session, release).await {
                tracing::debug!(%error, "a stream claim was not given back; it lapses");
            }
        });
    }
}
