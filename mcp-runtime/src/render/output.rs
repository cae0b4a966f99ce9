//! A tool's value on its way from the call to the response.
//!
//! Most tools return a `String`, a number or a `bool`: a result of one text block. Built
//! as a `CallToolResult`, each such call would allocate the block's `Vec` (and a number
//! its `String`) only for the response's encoder to read them once and drop them. A
//! [`ToolOutput`] keeps such a value as its text, a scalar's inline, and writes the
//! result's JSON from it directly; every other value is a `CallToolResult` as before.

use crate::protocol::{CallToolResult, Content, call_tool_result_text, one_text_block};
use serde::Serialize;

/// A tool's value rendered as its result: what the runtime carries from a call to its
/// response. Made by [`IntoCallToolResult::into_tool_output`](super::IntoCallToolResult);
/// generated code names it, and it is not a public API.
#[doc(hidden)]
#[derive(Debug)]
pub struct ToolOutput(Output);

#[derive(Debug)]
enum Output {
    /// A result of any shape.
    Result(CallToolResult),
    /// A successful result of one text block: this text.
    Text(String),
    /// The same for a scalar's JSON text, which fits inline.
    Scalar(ScalarText),
}

impl ToolOutput {
    /// A successful result of one text block.
    pub(crate) fn text(text: String) -> Self {
        ToolOutput(Output::Text(text))
    }

    /// A successful result of one text block holding `value`'s JSON text, as serde_json
    /// writes it (a non-finite float as `null`). For numbers and `bool`s; a value whose
    /// text is longer than any of theirs is an error.
    pub(crate) fn scalar<T: Serialize>(value: &T) -> Result<Self, serde_json::Error> {
        ScalarText::of(value).map(|text| ToolOutput(Output::Scalar(text)))
    }

    /// Whether the result reports the tool's failure (`isError`).
    pub(crate) fn is_error(&self) -> bool {
        match &self.0 {
            Output::Result(result) => result.is_error,
            Output::Text(_) | Output::Scalar(_) => false,
        }
    }

    /// The result, when it is held as one; a single text block is not (and has nothing a
    /// caller would change).
    pub(crate) fn result_mut(&mut self) -> Option<&mut CallToolResult> {
        match &mut self.0 {
            Output::Result(result) => Some(result),
            Output::Text(_) | Output::Scalar(_) => None,
        }
    }

    /// The result as a `CallToolResult`.
    pub(crate) fn into_result(self) -> CallToolResult {
        match self.0 {
            Output::Result(result) => result,
            Output::Text(text) => CallToolResult::success(vec![Content::text(text)]),
            Output::Scalar(text) => CallToolResult::success(vec![Content::text(text.as_str())]),
        }
    }

    /// The result's JSON text, exactly as serde_json encodes its `CallToolResult`.
    pub(crate) fn to_json(&self) -> Result<String, serde_json::Error> {
        match &self.0 {
            Output::Result(result) => call_tool_result_text(result),
            Output::Text(text) => Ok(one_text_block(text)),
            Output::Scalar(text) => Ok(one_text_block(text.as_str())),
        }
    }
}

impl From<CallToolResult> for ToolOutput {
    fn from(result: CallToolResult) -> Self {
        ToolOutput(Output::Result(result))
    }
}

/// A scalar's JSON text, inline.
#[derive(Debug)]
struct ScalarText {
    bytes: [u8; ScalarText::CAPACITY],
    len: usize,
}

impl ScalarText {
    /// Room for the longest text of a number: 20 digits and a sign for an integer, 24
    /// characters for a float in its shortest form.
    const CAPACITY: usize = 32;

    fn of<T: Serialize>(value: &T) -> Result<Self, serde_json::Error> {
        let mut bytes = [0; Self::CAPACITY];
        let mut rest = &mut bytes[..];
        // Writing past the end is an error (`WriteZero`), never a truncated text.
        serde_json::to_writer(&mut rest, value)?;
        let len = Self::CAPACITY - rest.len();
        Ok(ScalarText { bytes, len })
    }

    fn as_str(&self) -> &str {
        // serde_json writes UTF-8 only.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Annotations;
    use serde_json::json;

    /// Every form encodes as serde_json encodes the `CallToolResult` it stands for.
    #[test]
    fn each_form_encodes_as_its_result_does() {
        let outputs = [
            ToolOutput::text("plain".into()),
            ToolOutput::text("needs \"escapes\"\n\u{1}".into()),
            ToolOutput::text(String::new()),
            ToolOutput::scalar(&2.5f64).unwrap(),
            ToolOutput::scalar(&true).unwrap(),
            ToolOutput::from(CallToolResult::error("failed")),
            ToolOutput::from(CallToolResult::structured(json!({ "n": 1 }))),
        ];
        for output in outputs {
            let json = output.to_json().unwrap();
            let result = output.into_result();
            assert_eq!(json, serde_json::to_string(&result).unwrap(), "{result:?}");
        }
    }

    #[test]
    fn scalars_are_written_as_serde_json_writes_them() {
        fn check<T: Serialize + std::fmt::Debug>(value: T) {
            let text = ScalarText::of(&value).unwrap();
            assert_eq!(
                text.as_str(),
                serde_json::to_string(&value).unwrap(),
                "{value:?}"
            );
        }
        check(i64::MIN);
        check(u64::MAX);
        check(-f64::MAX);
        check(f64::MIN_POSITIVE);
        check(-5e-324f64);
        check(f32::MIN);
        check(f64::NAN);
        check(f64::NEG_INFINITY);
        check(5.0f64);
        check(false);
    }

    #[test]
    fn a_text_too_long_to_be_a_scalar_is_an_error() {
        assert!(ToolOutput::scalar(&"x".repeat(40)).is_err());
    }

    #[test]
    fn only_a_held_result_reports_an_error_or_can_be_changed() {
        let mut failed = ToolOutput::from(CallToolResult::error("no"));
        assert!(failed.is_error());
        assert!(failed.result_mut().is_some());
        let mut text = ToolOutput::text("yes".into());
        assert!(!text.is_error());
        assert!(text.result_mut().is_none());
        let annotated = CallToolResult::success(vec![Content::Text {
            text: "hint".into(),
            annotations: Some(Annotations {
                audience: None,
                priority: Some(1.0),
            }),
        }]);
        assert_eq!(ToolOutput::from(annotated.clone()).into_result(), annotated);
    }
}
