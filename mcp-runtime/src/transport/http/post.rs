//! POST: one JSON-RPC message per body. Notifications and responses get `202`; a request
//! gets JSON when its handler sends nothing before the result, an SSE stream otherwise.

use super::reply::{Rejection, accepted, json_response};
use super::sse::{self, Opening};
use super::{checks, priming, session_of};
use crate::context::{Outbound, TransportKind};
use crate::dispatch::{Connection, Received};
use crate::protocol::{RequestId, RpcError, codes, decode_message, error_code_of};
use crate::session::{Decision, Log, NoTurn, ResponseStream, Session, Turn};
use crate::shared::{HttpConfig, Shared};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Response, StatusCode, header};
use std::sync::Arc;

pub(crate) async fn handle(State(server): State<Arc<Shared>>, request: Request) -> Response<Body> {
    super::reply::contained(handle_checked(server, request)).await
}

async fn handle_checked(
    server: Arc<Shared>,
    request: Request,
) -> Result<Response<Body>, Rejection> {
    let (parts, body) = request.into_parts();
    let http = &server.config.http;
    checks::origin_and_host(&parts.headers, http)?;
    let principal = super::auth::principal(http, &parts).await?;
    checks::content_type_is_json(&parts.headers)?;
    checks::post_accepts_json_and_sse(&parts.headers)?;
    let limit = server.config.max_request_bytes;
    let bytes = read_body(body, limit, http.body_read_timeout)
        .await?
        .map_err(|_| {
            Rejection::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload too large: the message exceeds max_request_bytes",
            )
        })?;
    let message = decode_message(&bytes)
        .map_err(|r| Rejection::rpc(StatusCode::BAD_REQUEST, r.id.as_ref(), &r.error))?;
    // Shared by every request this message makes: bindings may read it (`RequestEnv::http_request`).
    let parts = Arc::new(parts);
    if super::stateless::is_stateless(&parts.headers, &message) {
        return super::stateless::handle(server, parts, message, principal).await;
    }
    if message.method() == Some("initialize") && message.request_id().is_some() {
        let client = super::client_address::client_address(http, &parts);
        return super::initialize::initialize(&server, message, principal, client).await;
    }
    let session = session_of(&server, &parts.headers, principal.as_deref()).await?;
    checks::protocol_version(&parts.headers)?;
    // A request waits for its turn among the session's (notifications and answers to the
    // server's own requests never wait: they are what running calls may wait for).
    let turn = match message.request_id() {
        Some(id) => Some(take_turn(&session, http, id).await?),
        None => None,
    };
    let id = Arc::clone(session.shared_id().expect("HTTP sessions have ids"));
    let stream = Arc::new(ResponseStream::new(Log::Session {
        events: Arc::clone(&server.events),
        session: id,
        limits: server.log_limits(),
    }));
    let connection = Connection::new(
        Arc::clone(&server),
        Arc::clone(&session),
        Outbound::Response(Arc::clone(&stream)),
        TransportKind::Http,
        principal,
    )
    .with_peer(super::client_address::client_address(http, &parts))
    .with_http_request(parts)
    .answering_in_place();
    let how = Answer {
        prime: priming(&session, http),
        keep_alive: http.keep_alive,
        status_from_error: false,
        guard: None,
        session: Some(session),
        turn,
    };
    let received = connection.accept(message);
    Ok(answer(http, stream, received, how).await)
}

/// Waits for the request's turn among its session's requests in flight; refused with
/// `503` and `Retry-After` when the queue is full or the wait too long.
async fn take_turn(
    session: &Arc<Session>,
    http: &HttpConfig,
    id: &RequestId,
) -> Result<Turn, Rejection> {
    session
        .take_turn(http.queue_per_session, http.queue_wait)
        .await
        .map_err(|refused| {
            let why = match refused {
                NoTurn::QueueFull { queue } => format!(
                    "server busy: this session's requests in flight and {queue} more waiting \
                     (max_in_flight, queue_per_session); retry shortly"
                ),
                NoTurn::TimedOut { waited } => format!(
                    "server busy: no turn for this request within {}s (queue_wait); retry shortly",
                    waited.as_secs()
                ),
            };
            let error = RpcError::busy(why, 1);
            Rejection::rpc(StatusCode::SERVICE_UNAVAILABLE, Some(id), &error).with_retry_after(1)
        })
}

/// The body, within `limit` bytes and `timeout`. A small body has usually arrived with its
/// headers: it is taken without arming a timer.
async fn read_body(
    body: Body,
    limit: usize,
    timeout: std::time::Duration,
) -> Result<Result<axum::body::Bytes, axum::Error>, Rejection> {
    use futures_util::FutureExt as _;
    let mut reading = std::pin::pin!(axum::body::to_bytes(body, limit));
    if let Some(read) = reading.as_mut().now_or_never() {
        return Ok(read);
    }
    tokio::time::timeout(timeout, reading).await.map_err(|_| {
        Rejection::new(
            StatusCode::REQUEST_TIMEOUT,
            "request timeout: the body did not arrive within body_read_timeout",
        )
    })
}

/// How a request's answer is given.
pub(super) struct Answer {
    pub prime: Option<std::time::Duration>,
    pub keep_alive: std::time::Duration,
    /// Map a JSON error response's code to its HTTP status (the stateless era).
    pub status_from_error: bool,
    /// Held while the answer is being written (cancels a stateless call when the client goes).
    pub guard: Option<Box<dyn std::any::Any + Send>>,
    /// The request's session, whose end ends a streamed answer.
    pub session: Option<Arc<Session>>,
    /// The request's turn among its session's, given back when its call ends.
    pub turn: Option<Turn>,
}

/// Answers a received message: `202` for what needs no answer; otherwise, once the
/// request's fate is known, JSON when it sent nothing before its result, an SSE stream
/// otherwise. A request still running goes on on its own task: in the 2025 era a client
/// that drops the connection does not cancel it, and what it sends stays in the stream's
/// log for resumption.
pub(super) async fn answer(
    http: &HttpConfig,
    stream: Arc<ResponseStream>,
    received: Received,
    how: Answer,
) -> Response<Body> {
    match received {
        Received::Nothing => return accepted(),
        Received::Respond(line) => match stream.answered_alone(line) {
            // The common case, with nothing to wait for.
            Ok(response) => return sole_response(http, response, how.status_from_error),
            Err(line) => stream.finish(Some(line)).await,
        },
        Received::Pending(pending) => {
            let writer = Arc::clone(&stream);
            let turn = how.turn;
            tokio::spawn(async move {
                writer.finish(pending.await).await;
                drop(turn);
            });
        }
    }
    // A call silent past `json_wait` is answered as a stream from then on: headers and a
    // priming event now, keep-alives while it runs, its result when it comes.
    let decision = match tokio::time::timeout(http.json_wait, stream.decided()).await {
        Ok(decision) => decision,
        Err(_) => {
            stream.promote().await;
            stream.decided().await
        }
    };
    match decision {
        Decision::Json(response) => sole_response(http, response, how.status_from_error),
        Decision::Stream(source) => sse::response(
            source,
            Opening {
                after: 0,
                prime: how.prime,
                keep_alive: how.keep_alive,
                // The stream is this request's own: any cut ends this response.
                cuts: Some(0),
                guard: how.guard,
                session: how.session,
                claim: None,
                stopping: None,
            },
        ),
        Decision::Gone | Decision::Undecided => Rejection::new(
            StatusCode::NOT_FOUND,
            "session not found: initialize a new session",
        )
        .into_response(),
        Decision::Failed(error) => Rejection::unavailable(error).into_response(),
    }
}

/// A request's response as the whole body: `403` with a challenge when it is a refusal for
/// missing scopes; `503` with `Retry-After` when the store could not be reached; with
/// `status_from_error`, the status of its error code.
fn sole_response(http: &HttpConfig, response: String, status_from_error: bool) -> Response<Body> {
    let code = error_code_of(&response);
    if code == Some(codes::PERMISSION_DENIED)
        && let Some((status, challenge)) = super::auth::scope_denial(http, &response)
    {
        let mut denied = json_response(status, response);
        denied
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, challenge);
        return denied;
    }
    if code == Some(codes::INTERNAL_ERROR) && response.contains(crate::store::UNAVAILABLE) {
        let mut unavailable = json_response(StatusCode::SERVICE_UNAVAILABLE, response);
        unavailable.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(crate::store::RETRY_AFTER_SECONDS),
        );
        return unavailable;
    }
    let status = if status_from_error {
        status_of(code)
    } else {
        StatusCode::OK
    };
    json_response(status, response)
}

/// The stateless era's HTTP status of a response with this JSON-RPC error code: 404 for an
/// unknown method, 400 for header, capability and version errors, 200 otherwise.
fn status_of(code: Option<i32>) -> StatusCode {
    match code {
        Some(codes::METHOD_NOT_FOUND) => StatusCode::NOT_FOUND,
        Some(
            codes::HEADER_MISMATCH
            | codes::MISSING_CLIENT_CAPABILITY
            | codes::UNSUPPORTED_PROTOCOL_VERSION,
        ) => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    }
}
