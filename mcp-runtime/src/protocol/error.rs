use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// JSON-RPC and MCP error codes used on the wire.
pub mod codes {
    /// The body was not JSON.
    pub const PARSE_ERROR: i32 = -32700;
    /// The JSON was not a valid JSON-RPC request.
    pub const INVALID_REQUEST: i32 = -32600;
    /// The method does not exist.
    pub const METHOD_NOT_FOUND: i32 = -32601;
    /// The params were invalid (also: unknown tool or prompt, bad cursor).
    pub const INVALID_PARAMS: i32 = -32602;
    /// A failure inside the server (a panic, a binding that timed out).
    pub const INTERNAL_ERROR: i32 = -32603;
    /// The resource does not exist (2025 era).
    pub const RESOURCE_NOT_FOUND: i32 = -32002;
    /// A rate limit refused the call; `data.retryAfter` says when to retry (seconds).
    pub const RATE_LIMITED: i32 = -32005;
    /// A permission refused the call; `data.requiredScopes` lists what would allow it.
    pub const PERMISSION_DENIED: i32 = -32006;
    /// An HTTP header disagrees with the body, or a required one is missing (2026 era).
    pub const HEADER_MISMATCH: i32 = -32020;
    /// The request needs a client capability it did not declare; `data.requiredCapabilities`.
    pub const MISSING_CLIENT_CAPABILITY: i32 = -32021;
    /// The requested protocol revision is not spoken here; `data.supported`, `data.requested`.
    pub const UNSUPPORTED_PROTOCOL_VERSION: i32 = -32022;
}

/// A JSON-RPC error object: what a request failed with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RpcError {
    /// The error code (see [`codes`]).
    pub code: i32,
    /// A message that says what was wrong and, where it can, what would be right.
    pub message: Cow<'static, str>,
    /// Structured detail, for clients that act on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
}

impl RpcError {
    /// An error with a code and a message.
    pub fn new(code: i32, message: impl Into<Cow<'static, str>>) -> Self {
        RpcError {
            code,
            message: message.into(),
            data: None,
        }
    }

    /// Attaches structured `data`.
    pub fn with_data(mut self, data: Value) -> Self {
        self.data = Some(data);
        self
    }

    /// `-32005`: the server will not take this now; `data.retryAfter` says in how many
    /// seconds to try again (every refusal for load or budget has this one shape).
    pub(crate) fn busy(message: impl Into<Cow<'static, str>>, retry_after_seconds: u64) -> Self {
        RpcError::new(super::codes::RATE_LIMITED, message)
            .with_data(serde_json::json!({ "retryAfter": retry_after_seconds }))
    }

    pub(crate) fn parse_error(detail: impl fmt::Display) -> Self {
        Self::new(codes::PARSE_ERROR, format!("parse error: {detail}"))
    }

    pub(crate) fn invalid_request(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(codes::INVALID_REQUEST, message)
    }

    pub(crate) fn method_not_found(method: &str) -> Self {
        Self::new(
            codes::METHOD_NOT_FOUND,
            format!("Method not found: {method}"),
        )
    }

    pub(crate) fn invalid_params(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(codes::INVALID_PARAMS, message)
    }

    pub(crate) fn internal(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(codes::INTERNAL_ERROR, message)
    }

    /// Resource not found: `-32002` in the 2025 era, `-32602` from 2026-07-28 on; `data.uri`
    /// in both.
    pub(crate) fn resource_not_found(uri: &str, version: super::ProtocolVersion) -> Self {
        let code = if version.is_stateless() {
            codes::INVALID_PARAMS
        } else {
            codes::RESOURCE_NOT_FOUND
        };
        Self::new(code, format!("Resource not found: {uri}"))
            .with_data(serde_json::json!({ "uri": uri }))
    }
}

impl fmt::Display for RpcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for RpcError {}
