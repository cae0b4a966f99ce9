//! The errors a binding raises on purpose, and how `?` reaches them.

use serde_json::{Value, json};
use std::borrow::Cow;
use std::fmt;

type Source = Box<dyn std::error::Error + Send + Sync>;

/// A binding failed while doing its work (a database down, a file missing).
///
/// A tool's `ServiceError` becomes a result with `isError: true` whose text is
/// `{"error":{"type":"service_error","message":...}}`; a resource's or prompt's becomes a
/// `-32603` error. The message is sent to the client, so write it for the client; a
/// `source` is kept for logs and never sent.
///
/// `?` converts [`std::io::Error`] and [`serde_json::Error`] (and `anyhow::Error` with the
/// `anyhow` feature) into a `ServiceError` whose message names only the kind of failure.
///
/// ```
/// use mcp_runtime::ServiceError;
/// fn load(id: u64) -> Result<String, ServiceError> {
///     if id == 0 {
///         return Err(ServiceError::new("invoice 0 is reserved").with_detail(serde_json::json!({"id": id})));
///     }
///     Ok(std::fs::read_to_string(format!("/tmp/invoice-{id}.json"))?)
/// }
/// ```
#[derive(Debug)]
pub struct ServiceError {
    message: Cow<'static, str>,
    detail: Option<Value>,
    source: Option<Source>,
    not_found: bool,
}

impl ServiceError {
    /// A failure with a message meant for the client.
    pub fn new(message: impl Into<Cow<'static, str>>) -> Self {
        ServiceError {
            message: message.into(),
            detail: None,
            source: None,
            not_found: false,
        }
    }

    /// The thing asked for does not exist: a resource read answers "resource not found".
    pub fn not_found(message: impl Into<Cow<'static, str>>) -> Self {
        ServiceError {
            not_found: true,
            ..Self::new(message)
        }
    }

    /// Adds structured detail sent with the message.
    pub fn with_detail(mut self, detail: Value) -> Self {
        self.detail = Some(detail);
        self
    }

    /// Keeps the underlying error for logs (never sent to the client).
    pub fn with_source(mut self, source: impl Into<Source>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The message sent to the client.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The structured detail, if any.
    pub fn detail(&self) -> Option<&Value> {
        self.detail.as_ref()
    }

    /// Whether this error says that the thing asked for does not exist.
    pub fn is_not_found(&self) -> bool {
        self.not_found
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ServiceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

impl From<std::io::Error> for ServiceError {
    fn from(e: std::io::Error) -> Self {
        let message = format!("I/O failure: {}", e.kind());
        let not_found = e.kind() == std::io::ErrorKind::NotFound;
        ServiceError {
            not_found,
            ..ServiceError::new(message).with_source(e)
        }
    }
}

impl From<serde_json::Error> for ServiceError {
    fn from(e: serde_json::Error) -> Self {
        ServiceError::new("could not encode or decode JSON data").with_source(e)
    }
}

#[cfg(feature = "anyhow")]
impl From<anyhow::Error> for ServiceError {
    fn from(e: anyhow::Error) -> Self {
        ServiceError::new("internal failure").with_source(e.into_boxed_dyn_error())
    }
}

/// The client's input was wrong in a way the schema could not say (an unknown customer id,
/// an end date before the start). A tool answers with `isError: true` and
/// `{"error":{"type":"validation_error",...}}` so the model can correct itself; it is never
/// recorded on spans. Resources and prompts answer `-32602`.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceValidationError {
    message: Cow<'static, str>,
    detail: Option<Value>,
}

impl ServiceValidationError {
    /// A validation failure with a message meant for the client.
    pub fn new(message: impl Into<Cow<'static, str>>) -> Self {
        ServiceValidationError {
            message: message.into(),
            detail: None,
        }
    }

    /// Adds structured detail (for example the failing field).
    pub fn with_detail(mut self, detail: Value) -> Self {
        self.detail = Some(detail);
        self
    }

    /// The message sent to the client.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The structured detail, if any.
    pub fn detail(&self) -> Option<&Value> {
        self.detail.as_ref()
    }
}

impl fmt::Display for ServiceValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ServiceValidationError {}

/// What a binding's `Result` error converts into (`E: Into<ToolError>`).
#[derive(Debug)]
pub enum ToolError {
    /// The binding failed doing its work.
    Service(ServiceError),
    /// The client's input was wrong.
    Validation(ServiceValidationError),
}

impl ToolError {
    /// The JSON document a tool's error result carries as its text.
    pub(crate) fn to_wire(&self) -> Value {
        let (kind, message, detail) = match self {
            ToolError::Service(e) => ("service_error", e.message(), e.detail()),
            ToolError::Validation(e) => ("validation_error", e.message(), e.detail()),
        };
        let mut error = json!({ "type": kind, "message": message });
        if let Some(detail) = detail {
            error["detail"] = detail.clone();
        }
        json!({ "error": error })
    }
}

impl fmt::Display for ToolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ToolError::Service(e) => e.fmt(f),
            ToolError::Validation(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ToolError {}

impl From<ServiceError> for ToolError {
    fn from(e: ServiceError) -> Self {
        ToolError::Service(e)
    }
}

impl From<ServiceValidationError> for ToolError {
    fn from(e: ServiceValidationError) -> Self {
        ToolError::Validation(e)
    }
}

impl From<std::io::Error> for ToolError {
    fn from(e: std::io::Error) -> Self {
        ToolError::Service(e.into())
    }
}

impl From<serde_json::Error> for ToolError {
    fn from(e: serde_json::Error) -> Self {
        ToolError::Service(e.into())
    }
}

#[cfg(feature = "anyhow")]
impl From<anyhow::Error> for ToolError {
    fn from(e: anyhow::Error) -> Self {
        ToolError::Service(e.into())
    }
}

impl From<std::convert::Infallible> for ToolError {
    fn from(e: std::convert::Infallible) -> Self {
        match e {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_shape_names_the_error_type() {
        let e: ToolError = ServiceValidationError::new("end before start")
            .with_detail(json!({"field": "end"}))
            .into();
        assert_eq!(
            e.to_wire(),
            json!({"error": {"type": "validation_error", "message": "end before start", "detail": {"field": "end"}}})
        );
        let e: ToolError = ServiceError::new("db down").into();
        assert_eq!(
            e.to_wire(),
            json!({"error": {"type": "service_error", "message": "db down"}})
        );
    }

    #[test]
    fn io_errors_keep_their_details_out_of_the_message() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "/secret/path/x.json");
        let e = ServiceError::from(io);
        assert!(!e.message().contains("secret"), "{}", e.message());
        assert!(e.is_not_found());
        assert!(
            std::error::Error::source(&e)
                .unwrap()
                .to_string()
                .contains("secret")
        );
    }
}
