//! One client connection, whatever the transport: decodes messages, tracks requests in
//! flight and starts each one; `response` turns its outcome into a response line.

use super::response::{Era, respond, response_line};
use super::tools;
use crate::context::{
    Cancel, Cancellation, ConnectionEnv, Outbound, Principal, RequestEnv, TransportKind,
};
use crate::protocol::stateless;
use crate::protocol::{
    Decoded, Incoming, Method, ProtocolVersion, RequestId, RpcError, ToolCallParams,
    decode_one_pass, parse_incoming, response_error, response_ok,
};
use crate::session::Session;
use crate::shared::{Message, Shared};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

mod admission;
mod notifications;

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
    /// Shared by every request's environment.
    env: Arc<ConnectionEnv>,
    server: Arc<Shared>,
    session: Arc<Session>,
    in_place: bool,
}

impl Connection {
    pub(crate) fn new(
        server: Arc<Shared>,
        session: Arc<Session>,
        outbound: Outbound,
        transport: TransportKind,
        principal: Option<Arc<Principal>>,
    ) -> Self {
        let env = ConnectionEnv {
            server: Arc::clone(&server),
            session: Arc::clone(&session),
            principal,
            outbound,
            transport,
            peer: None,
            #[cfg(feature = "http")]
            http_request: None,
        };
        Connection {
            env: Arc::new(env),
            server,
            session,
            in_place: false,
        }
    }

    /// Lets a `tools/call` be answered where it arrives when its call finishes at once.
    /// For a transport that awaits each response on the task that received its request:
    /// running the call's first step there is what that task would do next anyway, and a
    /// call that finishes then is answered with no response task at all. Not for one that
    /// reads on while requests run (stdio), whose reader would wait on each call.
    pub(crate) fn answering_in_place(mut self) -> Self {
        self.in_place = true;
        self
    }

    /// The client's address, for rate limits keyed by it.
    #[cfg(feature = "http")]
    pub(crate) fn with_peer(mut self, peer: Option<std::net::IpAddr>) -> Self {
        // Not shared yet: no copy is made.
        Arc::make_mut(&mut self.env).peer = peer;
        self
    }

    /// The HTTP request this connection's messages came in: what bindings see of it, and
    /// the trace headers the dispatch spans take their parent from.
    #[cfg(feature = "http")]
    pub(crate) fn with_http_request(mut self, request: Arc<axum::http::request::Parts>) -> Self {
        Arc::make_mut(&mut self.env).http_request = Some(request);
        self
    }

    /// The environment a request of this connection's caller would have, for asking the
    /// guards what that caller may see (the catalogue) without a request in flight.
    #[cfg(feature = "http")]
    pub(crate) fn caller_env(&self) -> RequestEnv {
        RequestEnv::new(
            Arc::clone(&self.env),
            None,
            ProtocolVersion::V2025_11_25,
            Cancellation::Own(Cancel::default()),
            RequestId::Number(0),
        )
    }

    /// Decodes one message and decides what to do with it.
    pub(crate) fn receive(&self, bytes: &[u8]) -> Received {
        // The one-pass decoder first, directly: this is every stdio message's path, and a
        // `Result` around the decoded request is one more move of it.
        if let Some(message) = decode_one_pass(bytes) {
            return self.accept(message);
        }
        match parse_incoming(bytes) {
            Ok(incoming) => self.handle(incoming),
            // Answering a response would put an error under an id of the other side's
            // numbering (a request of its own may have it), or start an error ping-pong.
            Err(rejected) if rejected.response => {
                tracing::debug!(error = %rejected.error.message, "ignoring a malformed response");
                Received::Nothing
            }
            Err(rejected) => {
                Received::Respond(response_error(rejected.id.as_ref(), &rejected.error))
            }
        }
    }

    /// Decides what to do with one decoded message (a `tools/call` decoded in one pass
    /// starts while its params borrow the message).
    #[inline(always)]
    pub(crate) fn accept(&self, message: Decoded<'_>) -> Received {
        match as_request(message) {
            Ok((id, method, work)) => self.request_work(id, method, work),
            Err(other) => self.handle(other),
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
                if let Err(outcome) = self.session.pending.complete(&id, outcome) {
                    // Sent from another replica serving this session, or from nowhere.
                    self.tell_elsewhere(|session| Message::Answer {
                        session,
                        id,
                        outcome,
                    });
                }
                Received::Nothing
            }
        }
    }

    /// Starts a request: registers it for cancellation and returns its response future.
    pub(crate) fn request(
        &self,
        id: RequestId,
        method: Method,
        params: Option<Box<RawValue>>,
    ) -> Received {
        self.request_work(id, method, Work::Params(params))
    }

    fn request_work(&self, id: RequestId, method: Method, work: Work<'_>) -> Received {
        let stateless = match &work {
            Work::Params(params) => stateless::stateless_meta(params.as_deref()),
            Work::ToolCall(params) => stateless::stateless_meta_of(params.meta),
        };
        match stateless {
            Some(Ok(meta)) => return self.stateless_work(id, method, work, meta),
            Some(Err(error)) => return Received::Respond(response_error(Some(&id), &error)),
            None => {}
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
        self.dispatch(id, method, work, protocol_version, None, Era::Session)
    }

    /// A request of the stateless era on a connection made for it alone (HTTP), whose
    /// session is the request's own: its `_meta` was read into that session, and checked
    /// (`version` among them) by the caller. A notification or a response is not a request:
    /// nothing is done.
    #[cfg(feature = "http")]
    pub(crate) fn request_stateless(
        &self,
        message: Decoded<'_>,
        version: ProtocolVersion,
    ) -> Received {
        match as_request(message) {
            Ok((id, method, work)) => {
                self.dispatch(id, method, work, version, None, Era::Stateless)
            }
            Err(_) => Received::Nothing,
        }
    }

    fn stateless_work(
        &self,
        id: RequestId,
        method: Method,
        work: Work<'_>,
        meta: stateless::StatelessMeta,
    ) -> Received {
        if !meta.version.is_stateless() {
            let error = stateless::unsupported(meta.version.as_str());
            return Received::Respond(response_error(Some(&id), &error));
        }
        let version = meta.version;
        let session = Arc::new(Session::stateless(meta, self.server.config.session_limits));
        self.dispatch(id, method, work, version, Some(session), Era::Stateless)
    }

    fn dispatch(
        &self,
        id: RequestId,
        method: Method,
        work: Work<'_>,
        protocol_version: ProtocolVersion,
        own_session: Option<Arc<Session>>,
        era: Era,
    ) -> Received {
        // In-flight requests are tracked on the connection, whatever session serves them,
        // so `notifications/cancelled` reaches stateless requests on stdio too. Subscription
        // streams live as long as the client listens: they are capped on their own.
        let long_lived = method == "subscriptions/listen";
        let env = Arc::new(RequestEnv::new(
            Arc::clone(&self.env),
            own_session,
            protocol_version,
            Cancellation::Own(Cancel::default()),
            id.clone(),
        ));
        let server_slot = match self.admit(&id, !long_lived, &env) {
            Ok(server_slot) => server_slot,
            Err(error) => return Received::Respond(response_error(Some(&id), &error)),
        };
        if long_lived {
            self.session.mark_subscription(&id);
        }
        // A `tools/call` starts now, while its params may borrow the message; every other
        // handler starts in the response future, with the params it owns.
        let (params, started) = match work {
            Work::ToolCall(call) => (None, Some(self.start_call(Ok(call), &env))),
            Work::Params(params) if method == "tools/call" => {
                let call = crate::protocol::decode_params(params.as_deref());
                (None, Some(self.start_call(call, &env)))
            }
            Work::Params(params) => (params, None),
        };
        let started = match started {
            Some(tools::Started::Answered(reply)) => {
                return self.answer_now(&id, &method, &env, era, reply);
            }
            Some(tools::Started::Running(running)) => Some(running),
            None => None,
        };
        if era == Era::Session && method == "initialize" {
            // Applied in arrival order, so requests pipelined behind it see the session.
            let reply = super::lifecycle::initialize(&self.server, params.as_deref(), &env);
            self.session.end_request(&id, false);
            return Received::Respond(match reply {
                Ok(result) => response_ok(&id, &result),
                Err(error) => response_error(Some(&id), &error),
            });
        }
        let tracker = Arc::clone(&self.session);
        let server_slot = server_slot.map(crate::shared::InFlightSlot::owned);
        Received::Pending(Box::pin(async move {
            let _server_slot = server_slot;
            let line = respond(
                env.server(),
                &id,
                &method,
                params.as_deref(),
                started,
                &env,
                era,
            )
            .await;
            tracker.end_request(&id, long_lived);
            line
        }))
    }

    /// Starts a `tools/call`, running its call in place when this transport allows it.
    fn start_call(
        &self,
        call: Result<ToolCallParams<'_>, RpcError>,
        env: &Arc<RequestEnv>,
    ) -> tools::Started {
        tools::start(&self.server, call, env, self.in_place)
    }

    /// The response to a request answered where it arrived.
    fn answer_now(
        &self,
        id: &RequestId,
        method: &str,
        env: &RequestEnv,
        era: Era,
        reply: super::Reply,
    ) -> Received {
        self.session.end_request(id, false);
        if env.cancellation.is_cancelled() {
            // As a cancelled response future would: no response, after the request ended.
            return Received::Pending(Box::pin(std::future::ready(None)));
        }
        let reply = match era {
            Era::Session => reply,
            Era::Stateless => {
                reply.map(|body| super::stateless::complete(&self.server, method, env, &body))
            }
        };
        Received::Respond(response_line(&self.server, id, method, env, Ok(reply)))
    }

    /// The client is gone: end its subscription streams, which would never finish.
    pub(crate) fn end_subscriptions(&self) {
        self.session.end_subscriptions();
    }

    /// Whether reading more requests should wait: as many are in flight as the session
    /// allows, and none of them waits for an answer from the client (which would be
    /// behind what is not read yet).
    pub(crate) fn should_hold_back(&self) -> bool {
        self.session.is_full() && self.session.pending.is_empty()
    }

    /// Cancels every request of this connection still in flight.
    pub(crate) fn cancel_all(&self) {
        self.session.cancel_all();
    }
}

/// A request's params as they reach dispatch.
enum Work<'a> {
    /// JSON text, which the handler decodes.
    Params(Option<Box<RawValue>>),
    /// A `tools/call`'s, decoded with the envelope and borrowing from the message.
    ToolCall(ToolCallParams<'a>),
}

/// A decoded request as what starts it; a notification or a response as it came.
#[inline(always)]
fn as_request(message: Decoded<'_>) -> Result<(RequestId, Method, Work<'_>), Incoming> {
    match message {
        Decoded::ToolCall { id, params } => {
            Ok((id, Cow::Borrowed("tools/call"), Work::ToolCall(params)))
        }
        Decoded::Incoming(Incoming::Request { id, method, params }) => {
            Ok((id, method, Work::Params(params)))
        }
        Decoded::Incoming(other) => Err(other),
    }
}

#[cfg(test)]
mod tests {
    use super::{Connection, Received};
    use crate::McpServer;
    use crate::context::{Outbound, TransportKind};
    use crate::session::Session;
    use crate::testing::TestClient;
    use std::sync::Arc;

    /// A connection to a server of one tool that answers at once, and one that waits.
    fn connection(in_place: bool) -> Connection {
        let server = McpServer::builder("t", "1")
            .filter(|_| false)
            .tool(crate::binding::ToolBinding::new(
                "now",
                |_: crate::binding::Arguments, _: crate::Context| async { "done" },
            ))
            .tool(crate::binding::ToolBinding::new(
                "later",
                |_: crate::binding::Arguments, _: crate::Context| async {
                    tokio::task::yield_now().await;
                    "done"
                },
            ))
            .build()
            .expect("builds");
        let outbound = Outbound::new(tokio::sync::mpsc::channel(8).0);
        let limits = server.inner.config.session_limits;
        let session = Arc::new(Session::new(Some(outbound.clone()), limits));
        let connection = Connection::new(
            Arc::clone(&server.inner),
            session,
            outbound,
            TransportKind::InProcess,
            None,
        );
        if in_place {
            connection.answering_in_place()
        } else {
            connection
        }
    }

    fn call(id: u32, tool: &str) -> Vec<u8> {
        format!(
            r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"{tool}","_meta":{{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{{}}}}}}}}"#
        )
        .into_bytes()
    }

    #[tokio::test]
    async fn calls_run_in_place_only_where_the_transport_allows() {
        let answer = |received| match received {
            Received::Respond(line) => Some(line),
            _ => None,
        };
        let in_place = connection(true);
        let line = answer(in_place.receive(&call(1, "now"))).expect("answered at once");
        assert!(line.contains(r#""text":"done""#), "{line}");
        let Received::Pending(waiting) = in_place.receive(&call(2, "later")) else {
            panic!("a call that waits goes on in its response future");
        };
        assert!(waiting.await.is_some_and(|line| line.contains("done")));
        // A reader that reads on while calls run (stdio) leaves every call to its task.
        let on_tasks = connection(false);
        assert!(matches!(
            on_tasks.receive(&call(3, "now")),
            Received::Pending(_)
        ));
        // A refusal needs no task anywhere.
        let unknown = answer(on_tasks.receive(&call(4, "nope"))).expect("refused at once");
        assert!(unknown.contains("Unknown tool"), "{unknown}");
    }

    #[tokio::test]
    async fn malformed_responses_are_never_answered_and_malformed_requests_are() {
        let server = McpServer::builder("t", "1")
            .filter(|_| false)
            .build()
            .expect("builds");
        let client = TestClient::connect(&server).await;
        for response in [
            r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}}"#,
            r#"{"jsonrpc":"2.0","id":0,"result":{},"error":{"code":1,"message":"x"}}"#,
            r#"{"jsonrpc":"2.0","id":0,"error":"boom"}"#,
        ] {
            assert_eq!(
                client.send_raw(response.as_bytes()).await,
                None,
                "{response}"
            );
        }
        let answered = client.send_raw(br#"{"jsonrpc":"2.0","id":0}"#).await;
        assert!(
            answered.is_some_and(|line| line.contains("-32600") && line.contains(r#""id":0"#)),
            "a shapeless request is still answered"
        );
    }
}
