//! One client connection, whatever the transport: decodes messages, tracks requests in
//! flight, applies cancellation and turns every handler outcome into a response line.

use super::invoke::CatchPanic;
use super::route;
use crate::context::{CancellationToken, Outbound, Principal, RequestEnv, TransportKind};
use crate::protocol::{
    Incoming, ProtocolVersion, RequestId, RpcError, parse_incoming, response_error, response_ok,
};
use crate::server::ServerInner;
use crate::session::Session;
use crate::telemetry::TraceHeaders;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What the transport does with one received message.
pub(crate) enum Received {
    /// Nothing to send (a notification, a response).
    Nothing,
    /// Send this line now.
    Respond(String),
    /// Run this concurrently and send its line, if any (`None`: the request was cancelled).
    Pending(Pin<Box<dyn Future<Output = Option<String>> + Send>>),
}

pub(crate) struct Connection {
    server: Arc<ServerInner>,
    session: Arc<Session>,
    outbound: Outbound,
    transport: TransportKind,
    principal: Option<Arc<Principal>>,
    trace_headers: TraceHeaders,
}

impl Connection {
    pub(crate) fn new(
        server: Arc<ServerInner>,
        session: Arc<Session>,
        outbound: Outbound,
        transport: TransportKind,
        principal: Option<Arc<Principal>>,
    ) -> Self {
        Connection {
            server,
            session,
            outbound,
            transport,
            principal,
            trace_headers: TraceHeaders::none(),
        }
    }

    /// Parents the spans of this connection's requests on an HTTP request's trace headers.
    #[cfg(feature = "http")]
    pub(crate) fn with_trace_headers(mut self, headers: TraceHeaders) -> Self {
        self.trace_headers = headers;
        self
    }

    /// Decodes one message and decides what to do with it.
    pub(crate) fn receive(&self, bytes: &[u8]) -> Received {
        match parse_incoming(bytes) {
            Ok(incoming) => self.handle(incoming),
            Err(rejected) => {
                Received::Respond(response_error(rejected.id.as_ref(), &rejected.error))
            }
        }
    }

    /// Decides what to do with one decoded message.
    pub(crate) fn handle(&self, incoming: Incoming) -> Received {
        match incoming {
            Incoming::Request { id, method, params } => self.request(id, method, params),
            Incoming::Notification { method, params } => {
                self.notification(&method, params.as_deref());
                Received::Nothing
            }
            Incoming::Response { id, outcome } => {
                if !self.session.pending.complete(&id, outcome) {
                    tracing::debug!(%id, "ignoring a response to no request awaiting one");
                }
                Received::Nothing
            }
        }
    }

    /// Starts a request: registers it for cancellation and returns its response future.
    pub(crate) fn request(
        &self,
        id: RequestId,
        method: String,
        params: Option<Box<RawValue>>,
    ) -> Received {
        let protocol_version = match self.session.protocol_version() {
            Some(version) => version,
            None if method == "initialize" || method == "ping" => {
                ProtocolVersion::LATEST_SESSION_ERA
            }
            None => {
                let error = RpcError::invalid_request(format!(
                    "invalid request: `{method}` before `initialize`; send `initialize` first"
                ));
                return Received::Respond(response_error(Some(&id), &error));
            }
        };
        let Some(cancellation) = self.session.begin_request(&id) else {
            let error = RpcError::invalid_request(format!(
                "invalid request: a request with id {id} is already in flight"
            ));
            return Received::Respond(response_error(Some(&id), &error));
        };
        let env = Arc::new(RequestEnv {
            protocol_version,
            session: Arc::clone(&self.session),
            principal: self.principal.clone(),
            cancellation: cancellation.clone(),
            outbound: self.outbound.clone(),
            request_id: id.clone(),
            transport: self.transport,
            client_request_timeout: self.server.config.client_request_timeout,
            trace_headers: self.trace_headers.clone(),
        });
        if method == "initialize" {
            // Applied in arrival order, so requests pipelined behind it see the session.
            let reply = super::lifecycle::initialize(&self.server, params.as_deref(), &env);
            self.session.end_request(&id);
            return Received::Respond(match reply {
                Ok(result) => response_ok(&id, &result),
                Err(error) => response_error(Some(&id), &error),
            });
        }
        let server = Arc::clone(&self.server);
        Received::Pending(Box::pin(async move {
            let line = respond(
                &server,
                &id,
                &method,
                params.as_deref(),
                &env,
                &cancellation,
            )
            .await;
            env.session.end_request(&id);
            line
        }))
    }

    fn notification(&self, method: &str, params: Option<&RawValue>) {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Cancelled {
            request_id: RequestId,
        }
        match method {
            "notifications/cancelled" => {
                match crate::protocol::decode_params::<Cancelled>(params) {
                    Ok(cancelled) => self.session.cancel_request(&cancelled.request_id),
                    Err(e) => tracing::debug!(error = %e, "ignoring a malformed cancellation"),
                }
            }
            "notifications/initialized" | "notifications/roots/list_changed" => {}
            other => tracing::debug!(method = other, "ignoring an unknown notification"),
        }
    }
}

async fn respond(
    server: &ServerInner,
    id: &RequestId,
    method: &str,
    params: Option<&RawValue>,
    env: &Arc<RequestEnv>,
    cancellation: &CancellationToken,
) -> Option<String> {
    let dispatch = CatchPanic {
        inner: Box::pin(route(server, method, params, env)),
    };
    // A cancelled request is never answered, even when its binding noticed the
    // cancellation and returned in the same instant.
    let outcome = tokio::select! {
        biased;
        () = cancellation.cancelled() => return None,
        outcome = dispatch => outcome,
    };
    if cancellation.is_cancelled() {
        return None;
    }
    Some(match outcome {
        Ok(Ok(result)) => response_ok(id, &result),
        Ok(Err(error)) => response_error(Some(id), &error),
        Err(failure) => {
            tracing::error!(method, ?failure, "request handler panicked");
            response_error(Some(id), &RpcError::internal("internal error"))
        }
    })
}
