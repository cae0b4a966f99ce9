//! A small HTTP/1.1 client for the Streamable HTTP tests: one real TCP connection per
//! request, raw statuses and headers, and SSE bodies read event by event (dropping a
//! response closes its connection, as a client that goes away does).

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::HeaderMap;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How long a test waits for a response or one SSE event before failing.
pub const READ_WAIT: Duration = Duration::from_secs(10);

/// The protocol revision the HTTP tests speak.
pub const VERSION: &str = "2025-11-25";

/// Serves `router` on an ephemeral loopback port for the rest of the test.
pub async fn serve(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("bound address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    addr
}

/// A loopback address with a port free right now, for a server the test starts itself.
pub fn free_loopback_addr() -> SocketAddr {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port();
    ([127, 0, 0, 1], port).into()
}

/// Waits (up to 2 s) until something accepts connections on `addr`.
pub async fn wait_until_accepting(addr: SocketAddr) {
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(addr).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("nothing accepts connections on {addr}");
}

/// Sends one request on a new connection. A `Host` naming `addr` is added unless
/// `headers` has one.
pub async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
) -> Response {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connect to the server");
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("HTTP handshake");
    let connection = tokio::spawn(async move {
        let _ = connection.await;
    });
    let mut request = hyper::Request::builder().method(method).uri(path);
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        request = request.header("host", addr.to_string());
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(Full::new(body.into()))
        .expect("a valid request");
    let response = tokio::time::timeout(READ_WAIT, sender.send_request(request))
        .await
        .expect("the server answered in time")
        .expect("an HTTP response");
    let (parts, body) = response.into_parts();
    Response {
        status: parts.status.as_u16(),
        headers: parts.headers,
        body,
        connection,
        buffer: Vec::new(),
    }
}

/// A response whose body is read on demand; dropping it closes the connection.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    body: Incoming,
    connection: JoinHandle<()>,
    buffer: Vec<u8>,
}

impl Drop for Response {
    fn drop(&mut self) {
        self.connection.abort();
    }
}

/// One server-sent event; fields the event did not carry are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseEvent {
    pub id: Option<String>,
    pub event: Option<String>,
    pub data: String,
    pub retry: Option<u64>,
}

impl SseEvent {
    /// The event's data as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.data)
            .unwrap_or_else(|e| panic!("event data is not JSON ({e}): {self:?}"))
    }
}

impl Response {
    /// A header's value (as text), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("text header"))
    }

    /// The whole body as text.
    pub async fn text(mut self) -> String {
        let bytes = tokio::time::timeout(READ_WAIT, (&mut self.body).collect())
            .await
            .expect("the body arrived in time")
            .expect("a readable body")
            .to_bytes();
        String::from_utf8(bytes.to_vec()).expect("a UTF-8 body")
    }

    /// The whole body as JSON.
    pub async fn json(self) -> Value {
        let text = self.text().await;
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("body is not JSON ({e}): {text:?}"))
    }

    /// The next SSE event; `None` once the server ended the stream. Fails the test after
    /// [`READ_WAIT`] without one. Comment lines (keep-alives) are skipped.
    pub async fn next_event(&mut self) -> Option<SseEvent> {
        tokio::time::timeout(READ_WAIT, self.read_event())
            .await
            .expect("an SSE event (or the end of the stream) arrived in time")
    }

    async fn read_event(&mut self) -> Option<SseEvent> {
        loop {
            if let Some(end) = self.buffer.windows(2).position(|w| w == b"\n\n") {
                let block: Vec<u8> = self.buffer.drain(..end + 2).collect();
                let block = String::from_utf8(block).expect("UTF-8 SSE");
                if let Some(event) = parse_event(&block) {
                    return Some(event);
                }
                continue;
            }
            let frame = self.body.frame().await?.expect("a readable SSE body");
            if let Ok(data) = frame.into_data() {
                self.buffer.extend_from_slice(&data);
            }
        }
    }
}

/// Parses one SSE block; `None` for a block of comments only.
fn parse_event(block: &str) -> Option<SseEvent> {
    let mut event = SseEvent::default();
    let mut data = Vec::new();
    let mut any = false;
    for line in block
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with(':'))
    {
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        any = true;
        match field {
            "id" => event.id = Some(value.to_owned()),
            "event" => event.event = Some(value.to_owned()),
            "data" => data.push(value),
            "retry" => event.retry = Some(value.parse().expect("a numeric retry")),
            other => panic!("unknown SSE field {other:?} in {block:?}"),
        }
    }
    event.data = data.join("\n");
    any.then_some(event)
}

/// One MCP session over Streamable HTTP: the headers every message needs, numbering of
/// requests, and the session id `initialize` returned.
#[derive(Debug, Clone)]
pub struct McpHttp {
    pub addr: SocketAddr,
    pub session: Option<String>,
    pub version: String,
    /// `Authorization` sent with every request, if any.
    pub authorization: Option<String>,
    next_id: i64,
}

impl McpHttp {
    pub fn new(addr: SocketAddr) -> McpHttp {
        McpHttp {
            addr,
            session: None,
            version: VERSION.to_owned(),
            authorization: None,
            next_id: 1,
        }
    }

    /// Sends `Authorization: Bearer <token>` with every request.
    pub fn with_bearer(mut self, token: &str) -> McpHttp {
        self.authorization = Some(format!("Bearer {token}"));
        self
    }

    /// Initializes at [`VERSION`] with `capabilities`, keeps the session id, sends
    /// `notifications/initialized` (answered `202`) and returns the `initialize` result.
    pub async fn initialize(&mut self, capabilities: Value) -> Value {
        let result = self.initialize_only(capabilities).await;
        let initialized = json!({ "jsonrpc": "2.0", "method": "notifications/initialized" });
        let ack = self.post(&initialized).await;
        assert_eq!((ack.status, ack.text().await), (202, String::new()));
        result
    }

    /// Sends `initialize` alone (no `notifications/initialized`); keeps the session id.
    pub async fn initialize_only(&mut self, capabilities: Value) -> Value {
        let version = self.version.clone();
        let params = json!({ "protocolVersion": version, "capabilities": capabilities,
            "clientInfo": { "name": "t", "version": "1" } });
        let response = self.request("initialize", params).await;
        assert_eq!(response.status, 200);
        assert_eq!(response.header("content-type"), Some("application/json"));
        self.session = Some(
            response
                .header("mcp-session-id")
                .expect("a session id")
                .into(),
        );
        let body = response.json().await;
        assert_eq!(
            body["result"]["protocolVersion"],
            version.as_str(),
            "{body}"
        );
        body["result"].clone()
    }

    /// The headers of a message POST in this session.
    pub fn headers(&self) -> Vec<(&str, &str)> {
        let mut headers = vec![
            ("content-type", "application/json"),
            ("accept", "application/json, text/event-stream"),
        ];
        if let Some(session) = &self.session {
            headers.push(("mcp-session-id", session));
            headers.push(("mcp-protocol-version", &self.version));
        }
        if let Some(authorization) = &self.authorization {
            headers.push(("authorization", authorization));
        }
        headers
    }

    /// POSTs one message.
    pub async fn post(&self, message: &Value) -> Response {
        send(
            self.addr,
            "POST",
            "/mcp",
            &self.headers(),
            message.to_string(),
        )
        .await
    }

    /// POSTs a request with the next id; returns the HTTP response (JSON or SSE).
    pub async fn request(&mut self, method: &str, params: Value) -> Response {
        let id = self.next_id;
        self.next_id += 1;
        self.post(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))
            .await
    }

    /// Calls a tool expecting a plain JSON answer; returns the JSON-RPC `result`.
    pub async fn call_tool(&mut self, name: &str, arguments: Value) -> Value {
        let params = json!({ "name": name, "arguments": arguments });
        let response = self.request("tools/call", params).await;
        assert_eq!(response.status, 200);
        assert_eq!(response.header("content-type"), Some("application/json"));
        let body = response.json().await;
        assert!(body.get("error").is_none(), "{name} failed: {body}");
        body["result"].clone()
    }

    /// Opens a GET stream (the standalone stream, or with `last_event_id` a resumption).
    pub async fn get(&self, last_event_id: Option<&str>) -> Response {
        let mut headers = vec![("accept", "text/event-stream")];
        if let Some(session) = &self.session {
            headers.push(("mcp-session-id", session));
            headers.push(("mcp-protocol-version", &self.version));
        }
        if let Some(id) = last_event_id {
            headers.push(("last-event-id", id));
        }
        if let Some(authorization) = &self.authorization {
            headers.push(("authorization", authorization));
        }
        send(self.addr, "GET", "/mcp", &headers, Bytes::new()).await
    }

    /// Ends the session.
    pub async fn delete(&self) -> Response {
        let session = self.session.as_deref().expect("an initialized session");
        let mut headers = vec![("mcp-session-id", session)];
        if let Some(authorization) = &self.authorization {
            headers.push(("authorization", authorization));
        }
        send(self.addr, "DELETE", "/mcp", &headers, Bytes::new()).await
    }
}
