use super::{Json, ToolOutput};
use crate::protocol::{CallToolResult, Content};
use crate::registry::schema::root_schema_for;
use crate::service_error::ToolError;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

/// A value a `#[mcp_tool]` function may return.
///
/// Implemented for `String`/`&str` (text), numbers and `bool` (their JSON text), `()`
/// (an empty result), [`Content`], `Vec<Content>`, [`CallToolResult`] (passed through),
/// [`Json<T>`] (structured output with a schema) and `Result<R, E>` where `E: Into<ToolError>`.
#[diagnostic::on_unimplemented(
    message = "a tool cannot return `{Self}`",
    label = "this return type cannot be rendered as a tool result",
    note = "return `String`, a number, `bool`, `Content`, `Vec<Content>`, `CallToolResult`, `Json<T>` (with `T: Serialize + JsonSchema`), or a `Result` of one of those whose error converts into `ToolError` (`ServiceError`, `ServiceValidationError`)"
)]
pub trait IntoCallToolResult {
    /// Renders the value.
    fn into_call_tool_result(self) -> Result<CallToolResult, ToolError>;

    /// The output schema this return type advertises, if any.
    fn output_schema() -> Option<Value> {
        None
    }

    /// The value rendered for its response: the same result as
    /// [`into_call_tool_result`](Self::into_call_tool_result), in the form that costs least
    /// to encode. What the runtime calls; the default is right for every type.
    #[doc(hidden)]
    fn into_tool_output(self) -> Result<ToolOutput, ToolError>
    where
        Self: Sized,
    {
        self.into_call_tool_result().map(ToolOutput::from)
    }
}

impl IntoCallToolResult for CallToolResult {
    fn into_call_tool_result(self) -> Result<CallToolResult, ToolError> {
        Ok(self)
    }
}

impl IntoCallToolResult for String {
    fn into_call_tool_result(self) -> Result<CallToolResult, ToolError> {
        self.into_tool_output().map(ToolOutput::into_result)
    }

    fn into_tool_output(self) -> Result<ToolOutput, ToolError> {
        Ok(ToolOutput::text(self))
    }
}

impl IntoCallToolResult for &'static str {
    fn into_call_tool_result(self) -> Result<CallToolResult, ToolError> {
        self.to_owned().into_call_tool_result()
    }

    fn into_tool_output(self) -> Result<ToolOutput, ToolError> {
        self.to_owned().into_tool_output()
    }
}

impl IntoCallToolResult for () {
    fn into_call_tool_result(self) -> Result<CallToolResult, ToolError> {
        Ok(CallToolResult::success(Vec::new()))
    }
}

impl IntoCallToolResult for Content {
    fn into_call_tool_result(self) -> Result<CallToolResult, ToolError> {
        Ok(CallToolResult::success(vec![self]))
    }
}

impl IntoCallToolResult for Vec<Content> {
    fn into_call_tool_result(self) -> Result<CallToolResult, ToolError> {
        Ok(CallToolResult::success(self))
    }
}

macro_rules! render_as_json_text {
    ($($ty:ty),*) => {$(
        impl IntoCallToolResult for $ty {
            fn into_call_tool_result(self) -> Result<CallToolResult, ToolError> {
                self.into_tool_output().map(ToolOutput::into_result)
            }

            fn into_tool_output(self) -> Result<ToolOutput, ToolError> {
                // Written straight as JSON (a non-finite float as `null`), with no `Value`
                // and no formatter in between.
                ToolOutput::scalar(&self).map_err(|e| ToolError::from(
                    crate::ServiceError::new(format!("could not encode the result: {e}")),
                ))
            }
        }
    )*};
}

render_as_json_text!(
    bool, i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f32, f64
);

impl<T: Serialize + JsonSchema> IntoCallToolResult for Json<T> {
    fn into_call_tool_result(self) -> Result<CallToolResult, ToolError> {
        Ok(CallToolResult::structured(serde_json::to_value(self.0)?))
    }

    fn output_schema() -> Option<Value> {
        Some(root_schema_for::<T>().to_value())
    }
}

impl<R: IntoCallToolResult, E: Into<ToolError>> IntoCallToolResult for Result<R, E> {
    fn into_call_tool_result(self) -> Result<CallToolResult, ToolError> {
        self.map_err(Into::into)?.into_call_tool_result()
    }

    fn into_tool_output(self) -> Result<ToolOutput, ToolError> {
        self.map_err(Into::into)?.into_tool_output()
    }

    fn output_schema() -> Option<Value> {
        R::output_schema()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service_error::ServiceError;
    use serde_json::json;

    #[test]
    fn scalars_render_as_json_text() {
        assert_eq!(3.5f64.into_call_tool_result().unwrap().text(), Some("3.5"));
        assert_eq!(true.into_call_tool_result().unwrap().text(), Some("true"));
        assert_eq!((-3i64).into_call_tool_result().unwrap().text(), Some("-3"));
        assert_eq!(5.0f64.into_call_tool_result().unwrap().text(), Some("5.0"));
        assert_eq!(
            f64::NAN.into_call_tool_result().unwrap().text(),
            Some("null")
        );
        assert_eq!("hi".into_call_tool_result().unwrap().text(), Some("hi"));
    }

    #[test]
    fn json_gives_structured_content_a_text_mirror_and_a_schema() {
        #[derive(Serialize, JsonSchema)]
        struct Out {
            n: u32,
        }
        let result = Json(Out { n: 2 }).into_call_tool_result().unwrap();
        assert_eq!(result.structured_content, Some(json!({"n": 2})));
        assert_eq!(result.text(), Some(r#"{"n":2}"#));
        let schema = <Result<Json<Out>, ServiceError>>::output_schema().unwrap();
        assert_eq!(schema["type"], "object");
        assert_eq!(schema["properties"]["n"]["type"], "integer");
    }

    #[test]
    fn errors_pass_through_results() {
        let r: Result<String, ServiceError> = Err(ServiceError::new("boom"));
        assert!(matches!(
            r.into_call_tool_result(),
            Err(ToolError::Service(_))
        ));
    }
}
