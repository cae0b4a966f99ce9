use super::Json;
use crate::protocol::{ReadResourceResult, ResourceContents};
use crate::service_error::ToolError;
use serde::Serialize;

/// A value a `#[mcp_resource]` function may return: `String` (text), `Vec<u8>` (a base64
/// blob), [`Json<T>`] (`application/json` text), [`ResourceContents`] or a `Vec` of them,
/// [`ReadResourceResult`], or a `Result` of one of those.
#[diagnostic::on_unimplemented(
    message = "a resource cannot return `{Self}`",
    label = "this return type cannot be rendered as resource contents",
    note = "return `String`, `Vec<u8>`, `Json<T>` (with `T: Serialize`), `ResourceContents`, `Vec<ResourceContents>`, `ReadResourceResult`, or a `Result` of one of those whose error converts into `ToolError`"
)]
pub trait IntoReadResourceResult {
    /// Renders the value as the contents of `uri`.
    fn into_read_result(self, uri: &str) -> Result<ReadResourceResult, ToolError>;
}

impl IntoReadResourceResult for ReadResourceResult {
    fn into_read_result(self, _: &str) -> Result<ReadResourceResult, ToolError> {
        Ok(self)
    }
}

impl IntoReadResourceResult for ResourceContents {
    fn into_read_result(self, _: &str) -> Result<ReadResourceResult, ToolError> {
        Ok(ReadResourceResult {
            contents: vec![self],
        })
    }
}

impl IntoReadResourceResult for Vec<ResourceContents> {
    fn into_read_result(self, _: &str) -> Result<ReadResourceResult, ToolError> {
        Ok(ReadResourceResult { contents: self })
    }
}

impl IntoReadResourceResult for String {
    fn into_read_result(self, uri: &str) -> Result<ReadResourceResult, ToolError> {
        ResourceContents::text(uri, self).into_read_result(uri)
    }
}

impl IntoReadResourceResult for &'static str {
    fn into_read_result(self, uri: &str) -> Result<ReadResourceResult, ToolError> {
        self.to_owned().into_read_result(uri)
    }
}

impl IntoReadResourceResult for Vec<u8> {
    fn into_read_result(self, uri: &str) -> Result<ReadResourceResult, ToolError> {
        ResourceContents::blob(uri, self).into_read_result(uri)
    }
}

impl<T: Serialize> IntoReadResourceResult for Json<T> {
    fn into_read_result(self, uri: &str) -> Result<ReadResourceResult, ToolError> {
        let text = serde_json::to_string(&self.0)?;
        ResourceContents::text(uri, text)
            .with_mime_type("application/json")
            .into_read_result(uri)
    }
}

impl<R: IntoReadResourceResult, E: Into<ToolError>> IntoReadResourceResult for Result<R, E> {
    fn into_read_result(self, uri: &str) -> Result<ReadResourceResult, ToolError> {
        self.map_err(Into::into)?.into_read_result(uri)
    }
}
