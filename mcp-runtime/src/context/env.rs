use super::{Cancel, Cancellable, CancellationToken, Outbound, Principal};
use crate::protocol::{LogLevel, ProtocolVersion, RequestId};
use crate::session::Session;
use serde_json::Value;
use std::sync::Arc;

/// Which transport a request arrived on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportKind {
    /// stdin/stdout of a child process.
    Stdio,
    /// Streamable HTTP.
    Http,
    /// The in-process [`testing`](crate::testing) client.
    InProcess,
}

/// Everything a dispatch handler knows about one request besides its params: the protocol
/// revision, the session (if any), the principal, the client's capabilities, the log level,
/// cancellation and the channel back to the client. Transports build it; handlers and
/// guards read it and never see HTTP or stdio themselves.
#[derive(Debug)]
pub struct RequestEnv {
    /// What the request shares with the others of its connection: one reference for all
    /// of it, where each part counted its own would cost every request several atomic
    /// operations more.
    pub(crate) connection: Arc<ConnectionEnv>,
    /// A stateless request's session of its own; `None`: the connection's.
    pub(crate) own_session: Option<Arc<Session>>,
    pub(crate) protocol_version: ProtocolVersion,
    pub(crate) cancellation: Cancellation,
    pub(crate) request_id: RequestId,
    /// A client capability a binding asked for that this stateless request did not declare:
    /// the whole request then fails with `-32021`.
    pub(crate) missing_capability: std::sync::OnceLock<&'static str>,
    /// A binding's own cache lifetime for its result (`cache_ttl`), overriding the server's.
    pub(crate) cache_ttl: std::sync::Mutex<Option<std::time::Duration>>,
}

/// A request's cancellation: its own, or (a call run as a task) its task's token.
#[derive(Debug)]
pub(crate) enum Cancellation {
    Own(Cancel),
    Task(CancellationToken),
}

impl std::ops::Deref for Cancellation {
    type Target = Cancel;
    fn deref(&self) -> &Cancel {
        match self {
            Cancellation::Own(cancel) => cancel,
            Cancellation::Task(token) => token.state(),
        }
    }
}

impl Cancellable for RequestEnv {
    fn cancel(&self) {
        self.cancellation.cancel();
    }
}

/// What the requests of one connection share.
#[derive(Debug, Clone)]
pub(crate) struct ConnectionEnv {
    pub(crate) server: Arc<crate::shared::Shared>,
    /// The connection's session (a stateless request may have one of its own).
    pub(crate) session: Arc<Session>,
    pub(crate) principal: Option<Arc<Principal>>,
    pub(crate) outbound: Outbound,
    pub(crate) transport: TransportKind,
    /// The client's IP address, when the transport knows it (HTTP served by `serve_http`,
    /// or a router given `ConnectInfo`).
    pub(crate) peer: Option<std::net::IpAddr>,
    /// The head of the HTTP request that carried the message (none on other transports).
    #[cfg(feature = "http")]
    pub(crate) http_request: Option<Arc<axum::http::request::Parts>>,
}

impl RequestEnv {
    /// A request's environment: a fresh one, not cancelled, with no capability found
    /// missing and no cache lifetime of its own.
    pub(crate) fn new(
        connection: Arc<ConnectionEnv>,
        own_session: Option<Arc<Session>>,
        protocol_version: ProtocolVersion,
        cancellation: Cancellation,
        request_id: RequestId,
    ) -> RequestEnv {
        RequestEnv {
            connection,
            own_session,
            protocol_version,
            cancellation,
            request_id,
            missing_capability: std::sync::OnceLock::new(),
            cache_ttl: std::sync::Mutex::new(None),
        }
    }

    pub(crate) fn server(&self) -> &Arc<crate::shared::Shared> {
        &self.connection.server
    }

    pub(crate) fn session(&self) -> &Arc<Session> {
        self.own_session
            .as_ref()
            .unwrap_or(&self.connection.session)
    }

    pub(crate) fn outbound(&self) -> &Outbound {
        &self.connection.outbound
    }

    /// How long a server-to-client request waits for its answer.
    pub(crate) fn client_request_timeout(&self) -> std::time::Duration {
        self.server().config.client_request_timeout
    }

    /// The protocol revision the request is served under.
    pub fn protocol_version(&self) -> ProtocolVersion {
        self.protocol_version
    }

    /// The session id, when the transport has sessions (2025-era HTTP).
    pub fn session_id(&self) -> Option<&str> {
        self.session().id()
    }

    /// The caller, when one was authenticated or configured.
    pub fn principal(&self) -> Option<&Principal> {
        self.connection.principal.as_deref()
    }

    /// The capabilities the client declared in `initialize` (`null` before it).
    pub fn client_capabilities(&self) -> &Value {
        self.session().client_capabilities()
    }

    /// The least severe log level the client wants to receive; `None` when it wants none
    /// (a 2026-era request that set no `logLevel`).
    pub fn log_level(&self) -> Option<LogLevel> {
        self.session().log_level()
    }

    /// The request's id.
    pub fn request_id(&self) -> &RequestId {
        &self.request_id
    }

    /// The transport the request arrived on.
    pub fn transport(&self) -> TransportKind {
        self.connection.transport
    }

    /// Whether the request was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.cancellation.is_cancelled()
    }

    /// The `-32021` error for a capability a stateless request needed but did not declare.
    pub(crate) fn missing_capability_error(&self) -> Option<crate::protocol::RpcError> {
        let missing = *self.missing_capability.get()?;
        let mut required = serde_json::Map::new();
        required.insert(missing.into(), serde_json::json!({}));
        let error = crate::protocol::RpcError::new(
            crate::protocol::codes::MISSING_CLIENT_CAPABILITY,
            format!(
                "missing client capability: this request needs `{missing}`; declare it in _meta"
            ),
        );
        Some(error.with_data(serde_json::json!({ "requiredCapabilities": required })))
    }

    /// A copy of this environment for a call that may outlive its request as a task: the
    /// same client and revision, but its own cancellation (`tasks/cancel`).
    pub(crate) fn for_task(&self, cancellation: CancellationToken) -> RequestEnv {
        RequestEnv::new(
            Arc::clone(&self.connection),
            self.own_session.clone(),
            self.protocol_version,
            Cancellation::Task(cancellation),
            self.request_id.clone(),
        )
    }

    /// The head of the HTTP request that carried this message: method, URI, headers, and
    /// the extensions tower layers in front of the server set (a request id, a tenant, a
    /// gateway's verified identity). `None` on stdio and in-process connections.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    ///
    /// /// The tenant a layer in front of the server resolved (an extension it inserted).
    /// #[derive(Clone)]
    /// struct Tenant(String);
    ///
    /// /// Which tenant is calling.
    /// #[mcp_tool]
    /// fn whoami(ctx: Context) -> String {
    ///     let tenant = ctx.env().http_request().and_then(|r| r.extensions.get::<Tenant>());
    ///     tenant.map_or_else(|| "no tenant".to_owned(), |t| t.0.clone())
    /// }
    /// ```
    #[cfg(feature = "http")]
    pub fn http_request(&self) -> Option<&axum::http::request::Parts> {
        self.connection.http_request.as_deref()
    }

    /// The client's IP address, when the transport knows it.
    pub fn peer_address(&self) -> Option<std::net::IpAddr> {
        self.connection.peer
    }

    /// The key rate limits count against: the principal, else the client's address, else
    /// the connection (one stdio connection, one in-process client: one caller). Never a
    /// key of the request's own: a stateless request's session is new each time, and so is
    /// an HTTP session a client can create at will, so HTTP callers the server cannot tell
    /// apart (a router served without `ConnectInfo`, behind an untrusted proxy) share one
    /// budget rather than each getting a fresh one.
    pub(crate) fn rate_limit_key(&self) -> String {
        let connection = match self.connection.transport {
            TransportKind::Http => None,
            TransportKind::Stdio | TransportKind::InProcess => {
                Some(self.connection.session.connection_id())
            }
        };
        caller_key(self.principal(), self.connection.peer, connection)
    }
}

/// Who a caller is, for the budgets counted per caller (rate limits, new sessions, listen
/// streams): the principal, else the client's address, else the connection (stdio,
/// in-process), else the one caller every unknown HTTP client is together.
pub(crate) fn caller_key(
    principal: Option<&Principal>,
    address: Option<std::net::IpAddr>,
    connection: Option<u64>,
) -> String {
    match (principal, address, connection) {
        (Some(p), _, _) => format!("principal:{}", p.subject()),
        (None, Some(address), _) => format!("address:{address}"),
        (None, None, Some(connection)) => format!("connection:{connection}"),
        (None, None, None) => "anonymous".to_owned(),
    }
}
