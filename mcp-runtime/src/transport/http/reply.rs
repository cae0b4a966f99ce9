//! HTTP responses: JSON-RPC bodies with the status the transport specification names.

use crate::protocol::{RequestId, RpcError, codes, response_error};
use crate::store::StoreError;
use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode, header};

/// A request refused before dispatch: a 4xx (or 503) status and a JSON-RPC error body.
#[derive(Debug)]
pub(crate) struct Rejection {
    status: StatusCode,
    body: String,
    /// A `WWW-Authenticate` challenge (`401`, scope `403`).
    challenge: Option<HeaderValue>,
    /// `Retry-After`, in seconds (`503`).
    retry_after: Option<u64>,
}

impl Rejection {
    /// A refusal with a `-32600` error saying why.
    pub(crate) fn new(status: StatusCode, message: &'static str) -> Self {
        Self::rpc(
            status,
            None,
            &RpcError::new(codes::INVALID_REQUEST, message),
        )
    }

    /// A refusal carrying a decoded JSON-RPC error (and the request's id, if it was read).
    pub(crate) fn rpc(status: StatusCode, id: Option<&RequestId>, error: &RpcError) -> Self {
        Rejection {
            status,
            body: response_error(id, error),
            challenge: None,
            retry_after: None,
        }
    }

    /// `503` with `Retry-After` and a `-32603` "session store unavailable" body: the store
    /// could not be reached, and the client should retry the same request shortly.
    pub(crate) fn unavailable(error: StoreError) -> Self {
        let mut rejection = Self::rpc(StatusCode::SERVICE_UNAVAILABLE, None, &error.into());
        rejection.retry_after = Some(crate::store::RETRY_AFTER_SECONDS);
        rejection
    }

    /// Adds `Retry-After`, in seconds.
    pub(crate) fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// Adds a `WWW-Authenticate` challenge.
    pub(crate) fn with_challenge(mut self, challenge: &str) -> Self {
        self.challenge = HeaderValue::from_str(challenge).ok();
        self
    }

    pub(crate) fn into_response(self) -> Response<Body> {
        let mut response = json_response(self.status, self.body);
        if let Some(challenge) = self.challenge {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, challenge);
        }
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// The response of a handler, or its refusal.
pub(crate) fn respond(result: Result<Response<Body>, Rejection>) -> Response<Body> {
    result.unwrap_or_else(Rejection::into_response)
}

/// Answers what `handling` comes to; a panic on the way (in user code the transport calls
/// outside a binding's guard, such as an `Authenticator`) is answered `500` rather than
/// dropping the connection with no answer.
pub(crate) async fn contained(
    handling: impl std::future::Future<Output = Result<Response<Body>, Rejection>>,
) -> Response<Body> {
    use futures_util::FutureExt as _;
    match std::panic::AssertUnwindSafe(handling).catch_unwind().await {
        Ok(result) => respond(result),
        Err(_) => {
            tracing::error!("a panic while handling an HTTP request; answered 500");
            let error = RpcError::new(codes::INTERNAL_ERROR, "internal error");
            Rejection::rpc(StatusCode::INTERNAL_SERVER_ERROR, None, &error).into_response()
        }
    }
}

pub(crate) fn json_response(status: StatusCode, body: String) -> Response<Body> {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A response with no body.
pub(crate) fn empty(status: StatusCode) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

/// `202 Accepted` with no body: what notifications and responses get.
pub(crate) fn accepted() -> Response<Body> {
    empty(StatusCode::ACCEPTED)
}
