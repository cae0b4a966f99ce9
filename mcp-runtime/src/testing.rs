//! An in-process client for unit-testing bindings without a transport.
//!
//! It goes through the same decoding, guards, validation, dispatch and rendering as a real
//! client would, and collects the notifications (progress, log messages) a call sends.
//!
//! ```standalone_crate
//! use mcp_runtime::prelude::*;
//! use mcp_runtime::testing::TestClient;
//! use serde_json::json;
//!
//! /// Add two numbers.
//! #[mcp_tool]
//! fn add(a: f64, b: f64) -> f64 { a + b }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let server = McpServer::builder("test", "1.0").build().unwrap();
//! let client = TestClient::connect(&server).await;
//! let result = client.call_tool("add", json!({"a": 1, "b": 2})).await.unwrap();
//! assert_eq!(result.text(), Some("3.0"));
//! # }
//! ```

use crate::McpServer;
use crate::context::{Outbound, Principal, TransportKind};
use crate::dispatch::{Connection, Received};
use crate::protocol::{
    CallToolResult, CompletionValues, GetPromptResult, ProtocolVersion, ReadResourceResult,
    RequestId, RpcError,
};
use crate::session::Session;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use tokio::sync::{Mutex, mpsc};

/// A client connected in-process to a server.
pub struct TestClient {
    connection: Connection,
    notifications: Mutex<mpsc::Receiver<String>>,
    next_id: AtomicI64,
}

impl std::fmt::Debug for TestClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestClient").finish_non_exhaustive()
    }
}

impl TestClient {
    /// Connects and performs `initialize` at the newest revision.
    pub async fn connect(server: &McpServer) -> TestClient {
        Self::connect_as(server, None).await
    }

    /// Connects as `principal` (for testing permissions) and initializes.
    pub async fn connect_as(server: &McpServer, principal: Option<Principal>) -> TestClient {
        let client = Self::connect_uninitialized(server, principal);
        let hello = json!({
            "protocolVersion": ProtocolVersion::LATEST_SESSION_ERA,
            "capabilities": {},
            "clientInfo": { "name": "mcp-runtime-testing", "version": env!("CARGO_PKG_VERSION") }
        });
        client
            .request("initialize", hello)
            .await
            .expect("initialize is answered");
        client.notify("notifications/initialized", json!({})).await;
        client
    }

    /// Connects without initializing (to test the handshake itself).
    pub fn connect_uninitialized(server: &McpServer, principal: Option<Principal>) -> TestClient {
        let (sender, receiver) = mpsc::channel(1024);
        let outbound = Outbound::new(sender);
        let session = Arc::new(Session::new(
            Some(outbound.clone()),
            server.inner.config.session_limits,
        ));
        server.inner.register_connection(&session);
        let connection = Connection::new(
            Arc::clone(&server.inner),
            session,
            outbound,
            TransportKind::InProcess,
            principal.map(Arc::new),
        )
        .answering_in_place();
        TestClient {
            connection,
            notifications: Mutex::new(receiver),
            next_id: AtomicI64::new(1),
        }
    }

    /// Sends a request and returns its `result`, or the JSON-RPC error.
    pub async fn request(&self, method: &str, params: Value) -> Result<Value, RpcError> {
        let id = RequestId::Number(self.next_id.fetch_add(1, Ordering::Relaxed));
        let params = serde_json::value::to_raw_value(&params)
            .map_err(|e| RpcError::invalid_params(e.to_string()))?;
        let line = match self
            .connection
            .request(id, method.to_owned().into(), Some(params))
        {
            Received::Pending(pending) => pending.await,
            Received::Respond(line) => Some(line),
            Received::Nothing => None,
        };
        let line = line
            .ok_or_else(|| RpcError::internal("the request was cancelled and got no response"))?;
        let mut response: Value = serde_json::from_str(&line).expect("the server writes JSON");
        match response.get_mut("error") {
            Some(error) => {
                Err(serde_json::from_value(error.take()).expect("a JSON-RPC error object"))
            }
            None => Ok(response["result"].take()),
        }
    }

    /// Sends one raw JSON-RPC message, exactly as a transport would pass it on, and returns
    /// the raw response line (`None` for notifications, responses and cancelled requests).
    /// For protocol-level tests and for measuring dispatch without a transport.
    pub async fn send_raw(&self, message: &[u8]) -> Option<String> {
        match self.connection.receive(message) {
            Received::Pending(pending) => pending.await,
            Received::Respond(line) => Some(line),
            Received::Nothing => None,
        }
    }

    /// Sends a notification.
    pub async fn notify(&self, method: &str, params: Value) {
        let message = json!({ "jsonrpc": "2.0", "method": method, "params": params });
        let _ = self.connection.receive(message.to_string().as_bytes());
    }

    /// Calls a tool.
    pub async fn call_tool(
        &self,
        name: &str,
        arguments: Value,
    ) -> Result<CallToolResult, RpcError> {
        self.typed(
            "tools/call",
            json!({ "name": name, "arguments": arguments }),
        )
        .await
    }

    /// Every tool, following cursors through all pages.
    pub async fn list_tools(&self) -> Result<Vec<Value>, RpcError> {
        self.list_all("tools/list", "tools").await
    }

    /// Every fixed resource.
    pub async fn list_resources(&self) -> Result<Vec<Value>, RpcError> {
        self.list_all("resources/list", "resources").await
    }

    /// Every resource template.
    pub async fn list_resource_templates(&self) -> Result<Vec<Value>, RpcError> {
        self.list_all("resources/templates/list", "resourceTemplates")
            .await
    }

    /// Every prompt.
    pub async fn list_prompts(&self) -> Result<Vec<Value>, RpcError> {
        self.list_all("prompts/list", "prompts").await
    }

    /// Reads a resource.
    pub async fn read_resource(&self, uri: &str) -> Result<ReadResourceResult, RpcError> {
        self.typed("resources/read", json!({ "uri": uri })).await
    }

    /// Renders a prompt.
    pub async fn get_prompt(
        &self,
        name: &str,
        arguments: Value,
    ) -> Result<GetPromptResult, RpcError> {
        self.typed(
            "prompts/get",
            json!({ "name": name, "arguments": arguments }),
        )
        .await
    }

    /// Asks for completions of a prompt argument.
    pub async fn complete_prompt_argument(
        &self,
        prompt: &str,
        argument: &str,
        value: &str,
    ) -> Result<CompletionValues, RpcError> {
        let reference = json!({ "type": "ref/prompt", "name": prompt });
        self.complete(reference, argument, value).await
    }

    /// Asks for completions of a resource template variable.
    pub async fn complete_template_variable(
        &self,
        template: &str,
        variable: &str,
        value: &str,
    ) -> Result<CompletionValues, RpcError> {
        let reference = json!({ "type": "ref/resource", "uri": template });
        self.complete(reference, variable, value).await
    }

    async fn complete(
        &self,
        reference: Value,
        argument: &str,
        value: &str,
    ) -> Result<CompletionValues, RpcError> {
        let mut result = self
            .request(
                "completion/complete",
                json!({ "ref": reference, "argument": { "name": argument, "value": value } }),
            )
            .await?;
        Ok(serde_json::from_value(result["completion"].take()).expect("a completion result"))
    }

    /// The notifications received so far (progress, log messages), oldest first.
    pub async fn take_notifications(&self) -> Vec<Value> {
        let mut receiver = self.notifications.lock().await;
        let mut taken = Vec::new();
        while let Ok(line) = receiver.try_recv() {
            taken.push(serde_json::from_str(&line).expect("the server writes JSON"));
        }
        taken
    }

    async fn typed<T: DeserializeOwned>(&self, method: &str, params: Value) -> Result<T, RpcError> {
        let result = self.request(method, params).await?;
        serde_json::from_value(result)
            .map_err(|e| RpcError::internal(format!("unexpected result shape: {e}")))
    }

    async fn list_all(&self, method: &str, key: &str) -> Result<Vec<Value>, RpcError> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let params = cursor
                .as_ref()
                .map_or_else(|| json!({}), |c| json!({ "cursor": c }));
            let mut page = self.request(method, params).await?;
            if let Value::Array(batch) = page[key].take() {
                items.extend(batch);
            }
            match page.get("nextCursor").and_then(Value::as_str) {
                Some(next) => cursor = Some(next.to_owned()),
                None => return Ok(items),
            }
        }
    }
}
