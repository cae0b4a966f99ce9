//! The JSON text of a `tools/call` result.
//!
//! Most results are text blocks and nothing else. serde's derived encoding of one costs
//! three times what the rest of its response does (each member name is escaped again on
//! every call, and the block's tag goes through the enum's machinery), so that shape is
//! written here directly; every other shape is left to serde. A test holds the two to
//! the same bytes.

use super::{CallToolResult, Content};

/// `result` as JSON text, exactly as serde_json encodes it.
pub(crate) fn call_tool_result(result: &CallToolResult) -> Result<String, serde_json::Error> {
    let plain = result.structured_content.is_none()
        && result.meta.is_none()
        && result.content.iter().all(|block| {
            matches!(
                block,
                Content::Text {
                    annotations: None,
                    ..
                }
            )
        });
    if !plain {
        return serde_json::to_string(result);
    }
    let text_len: usize = result.content.iter().map(text_len).sum();
    let mut json = Vec::with_capacity(64 + text_len + 32 * result.content.len());
    json.extend_from_slice(br#"{"content":["#);
    for (i, block) in result.content.iter().enumerate() {
        if i > 0 {
            json.push(b',');
        }
        if let Content::Text { text, .. } = block {
            json.extend_from_slice(br#"{"type":"text","text":"#);
            serde_json::to_writer(&mut json, text)?;
            json.push(b'}');
        }
    }
    json.push(b']');
    if result.is_error {
        json.extend_from_slice(br#","isError":true"#);
    }
    json.push(b'}');
    // serde_json writes UTF-8, and so does every literal above.
    String::from_utf8(json).map_err(|_| serde::ser::Error::custom("result text is not UTF-8"))
}

fn text_len(block: &Content) -> usize {
    match block {
        Content::Text { text, .. } => text.len(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Annotations;
    use serde_json::json;

    #[test]
    fn every_shape_is_encoded_as_serde_encodes_it() {
        let mut error = CallToolResult::error("tool `x` failed: \"quoted\"\n\ttabbed \u{1}");
        let cases = [
            CallToolResult::default(),
            CallToolResult::success(vec![Content::text("5.0")]),
            CallToolResult::success(vec![Content::text(""), Content::text("é ✓ 🦀 \\ /")]),
            error.clone(),
            {
                error.content.push(Content::text("second"));
                error
            },
            CallToolResult::structured(json!({ "n": 1 })),
            CallToolResult::success(vec![Content::Text {
                text: "with hints".into(),
                annotations: Some(Annotations {
                    audience: None,
                    priority: Some(0.5),
                }),
            }]),
            CallToolResult::success(vec![
                Content::text("a"),
                Content::image([0u8, 1], "image/png"),
            ]),
            CallToolResult {
                meta: Some(json!({ "k": "v" })),
                ..CallToolResult::success(vec![Content::text("m")])
            },
        ];
        for result in cases {
            assert_eq!(
                call_tool_result(&result).unwrap(),
                serde_json::to_string(&result).unwrap(),
                "{result:?}"
            );
        }
    }
}
