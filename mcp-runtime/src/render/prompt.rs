use crate::protocol::{GetPromptResult, PromptMessage};
use crate::service_error::ToolError;

/// A value a `#[mcp_prompt]` function may return: `String` (one user message),
/// [`PromptMessage`], a `Vec` of either, [`GetPromptResult`], or a `Result` of one of those.
#[diagnostic::on_unimplemented(
    message = "a prompt cannot return `{Self}`",
    label = "this return type cannot be rendered as prompt messages",
    note = "return `String`, `PromptMessage`, `Vec<String>`, `Vec<PromptMessage>`, `GetPromptResult`, or a `Result` of one of those whose error converts into `ToolError`"
)]
pub trait IntoGetPromptResult {
    /// Renders the value.
    fn into_prompt_result(self) -> Result<GetPromptResult, ToolError>;
}

impl IntoGetPromptResult for GetPromptResult {
    fn into_prompt_result(self) -> Result<GetPromptResult, ToolError> {
        Ok(self)
    }
}

impl IntoGetPromptResult for Vec<PromptMessage> {
    fn into_prompt_result(self) -> Result<GetPromptResult, ToolError> {
        Ok(GetPromptResult {
            description: None,
            messages: self,
        })
    }
}

impl IntoGetPromptResult for PromptMessage {
    fn into_prompt_result(self) -> Result<GetPromptResult, ToolError> {
        vec![self].into_prompt_result()
    }
}

impl IntoGetPromptResult for String {
    fn into_prompt_result(self) -> Result<GetPromptResult, ToolError> {
        PromptMessage::user(self).into_prompt_result()
    }
}

impl IntoGetPromptResult for &'static str {
    fn into_prompt_result(self) -> Result<GetPromptResult, ToolError> {
        self.to_owned().into_prompt_result()
    }
}

impl IntoGetPromptResult for Vec<String> {
    fn into_prompt_result(self) -> Result<GetPromptResult, ToolError> {
        self.into_iter()
            .map(PromptMessage::user)
            .collect::<Vec<_>>()
            .into_prompt_result()
    }
}

impl<R: IntoGetPromptResult, E: Into<ToolError>> IntoGetPromptResult for Result<R, E> {
    fn into_prompt_result(self) -> Result<GetPromptResult, ToolError> {
        self.map_err(Into::into)?.into_prompt_result()
    }
}
