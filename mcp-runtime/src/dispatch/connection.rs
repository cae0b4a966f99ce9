//! One client connection, whatever the transport: decodes messages, tracks requests in
//! flight, applies cancellation and turns every handler outcome into a response line.

use super::invoke::CatchPanic;
use super::route;
use crate::context::{CancellationToken, Outbound, Principal, RequestEnv, TransportKind};
use crate::protocol::stateless;
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

/// A request being answered: its response line, or `None` when it was cancelled.
pub(crate) type PendingResponse = Pin<Box<dyn Future<Output = Option<String>> + Send>>;

/// What the transport does with one received message.
pub(crate) enum Received {
    /// Nothing to send (a notification, a response).
    Nothing,
    /// Send this line now.
    Respond(String),
    /// Run this concurrently and send its line, if any (`None`: the request was cancelled).
    Pending(PendingResponse),
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
        if stateless::carries_stateless_meta(params.as_deref()) {
            return self.request_stateless(id, method, params, None);
        }
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
        self.dispatch(
            id,
            method,
            params,
            protocol_version,
            Arc::clone(&self.session),
            Era::Session,
        )
    }

    /// A request of the stateless era: its `_meta` says everything (checked here, with the
    /// HTTP `MCP-Protocol-Version` header when there is one), and it shares no session.
    pub(crate) fn request_stateless(
        &self,
        id: RequestId,
        method: String,
        params: Option<Box<RawValue>>,
        header_version: Option<&str>,
    ) -> Received {
        let meta = stateless::read_meta(params.as_deref(), header_version).and_then(|meta| {
            if meta.version.is_stateless() {
                Ok(meta)
            } else {
                Err(stateless::unsupported(meta.version.as_str()))
            }
        });
        let meta = match meta {
            Ok(meta) => meta,
            Err(error) => return Received::Respond(response_error(Some(&id), &error)),
        };
        let version = meta.version;
        let session = Arc::new(Session::stateless(
            meta,
            self.outbound.clone(),
            self.server.config.session_limits,
        ));
        self.dispatch(id, method, params, version, session, Era::Stateless)
    }

    fn dispatch(
        &self,
        id: RequestId,
        method: String,
        params: Option<Box<RawValue>>,
        protocol_version: ProtocolVersion,
        session: Arc<Session>,
        era: Era,
    ) -> Received {
        // In-flight requests are tracked on the connection, whatever session serves them,
        // so `notifications/cancelled` reaches stateless requests on stdio too.
        let Some(cancellation) = self.session.begin_request(&id) else {
            let error = RpcError::invalid_request(format!(
                "invalid request: a request with id {id} is already in flight"
            ));
            return Received::Respond(response_error(Some(&id), &error));
        };
        if method == "subscriptions/listen" {
            self.session.mark_subscription(&id);
        }
        let env = Arc::new(RequestEnv {
            protocol_version,
            session,
            principal: self.principal.clone(),
            cancellation: cancellation.clone(),
            outbound: self.outbound.clone(),
            request_id: id.clone(),
            transport: self.transport,
            client_request_timeout: self.server.config.client_request_timeout,
            trace_headers: self.trace_headers.clone(),
            missing_capability: std::sync::Mutex::new(None),
            server: Arc::clone(&self.server),
            cache_ttl: std::sync::Mutex::new(None),
        });
        if era == Era::Session && method == "initialize" {
            // Applied in arrival order, so requests pipelined behind it see the session.
            let reply = super::lifecycle::initialize(&self.server, params.as_deref(), &env);
            self.session.end_request(&id);
            return Received::Respond(match reply {
                Ok(result) => response_ok(&id, &result),
                Err(error) => response_error(Some(&id), &error),
            });
        }
        let server = Arc::clone(&self.server);
        let tracker = Arc::clone(&self.session);
        Received::Pending(Box::pin(async move {
            let line = respond(
                &server,
                &id,
                &method,
                params.as_deref(),
                &env,
                &cancellation,
                era,
            )
            .await;
            tracker.end_request(&id);
            line
        }))
    }

    /// The client is gone: end its subscription streams, which would never finish.
    pub(crate) fn end_subscriptions(&self) {
        self.session.end_subscriptions();
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

/// Which era a request is served in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Era {
    /// 2025: after `initialize`, within a session.
    Session,
    /// 2026-07-28 on: each request on its own.
    Stateless,
}

async fn respond(
    server: &ServerInner,
    id: &RequestId,
    method: &str,
    params: Option<&RawValue>,
    env: &Arc<RequestEnv>,
    cancellation: &CancellationToken,
    era: Era,
) -> Option<String> {
    let routed: Pin<Box<dyn Future<Output = super::Reply> + Send + '_>> = match era {
        Era::Session => Box::pin(route(server, method, params, env)),
        Era::Stateless => Box::pin(super::stateless::route_stateless(
            server, method, params, env,
        )),
    };
    let dispatch = CatchPanic { inner: routed };
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
