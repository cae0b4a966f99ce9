//! What the runtime reads of a request's `_meta`.

use serde::Deserialize;
use serde_json::Value;

/// `_meta` of a request's params, as far as the runtime reads it (the stateless era's own fields are read apart).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RequestMeta {
    #[serde(rename = "progressToken", default)]
    pub progress_token: Option<Value>,
    /// W3C trace context of the caller (SEP-414).
    #[cfg(feature = "otel")]
    #[serde(default)]
    pub traceparent: Option<String>,
    #[cfg(feature = "otel")]
    #[serde(default)]
    pub tracestate: Option<String>,
}
