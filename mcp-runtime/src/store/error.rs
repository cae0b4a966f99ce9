//! The one error a store gives: it could not be reached, or answered what the runtime did
//! not expect.

use crate::protocol::{RpcError, codes};
use std::fmt;

/// A shared store (Redis, or a backend of your own) could not do what a request needed.
///
/// Requests are refused promptly rather than waited on: over HTTP with `503 Service
/// Unavailable` and `Retry-After`, in JSON-RPC with `-32603` "session store unavailable"
/// and `data.retryAfter`. The detail is logged by the server and never sent to clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError {
    detail: String,
}

impl StoreError {
    /// The store could not be reached or failed; `detail` says how (for the server's logs).
    pub fn unavailable(detail: impl fmt::Display) -> Self {
        StoreError {
            detail: detail.to_string(),
        }
    }

    /// What went wrong, for logs.
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "session store unavailable: {}", self.detail)
    }
}

impl std::error::Error for StoreError {}

/// The message clients get: what happened and what to do, never the store's own words.
pub(crate) const UNAVAILABLE: &str = "session store unavailable; retry shortly";

/// Seconds a client is asked to wait before retrying.
pub(crate) const RETRY_AFTER_SECONDS: u64 = 1;

impl From<StoreError> for RpcError {
    fn from(error: StoreError) -> Self {
        tracing::warn!(detail = %error.detail, "the store failed a request");
        RpcError::new(codes::INTERNAL_ERROR, UNAVAILABLE)
            .with_data(serde_json::json!({ "retryAfter": RETRY_AFTER_SECONDS }))
    }
}
