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
    Ok(match plain_text(result) {
        Some(json) => json,
        None => serde_json::to_string(result)?,
    })
}

/// The JSON text of a result of text blocks and nothing else; `None` for any other.
fn plain_text(result: &CallToolResult) -> Option<String> {
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
    plain.then(|| {
        let texts = result.content.iter().filter_map(Content::as_text);
        text_blocks(texts, result.is_error)
    })
}

/// The JSON text of a successful result whose content is one text block, `text`.
pub(crate) fn one_text_block(text: &str) -> String {
    text_blocks([text].into_iter(), false)
}

/// The JSON text of a result of these text blocks (unannotated), sized with room to spare
/// for the response envelope to be written around it in place.
fn text_blocks<'a>(texts: impl Iterator<Item = &'a str> + Clone, is_error: bool) -> String {
    let (count, text_len) = texts
        .clone()
        .fold((0, 0), |(count, len), text| (count + 1, len + text.len()));
    let mut json = String::with_capacity(64 + text_len + 32 * count);
    json.push_str(r#"{"content":["#);
    for (i, text) in texts.enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(r#"{"type":"text","text":"#);
        push_string(&mut json, text);
        json.push('}');
    }
    json.push(']');
    if is_error {
        json.push_str(r#","isError":true"#);
    }
    json.push('}');
    json
}

/// Appends `text` as a JSON string, escaped as serde_json escapes: `"`, `\` and the
/// control characters, with the short forms where JSON has them.
fn push_string(json: &mut String, text: &str) {
    json.push('"');
    let mut plain_from = 0;
    for (at, byte) in text.bytes().enumerate() {
        let short = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        // Every byte escaped is ASCII, so each cut falls between characters.
        json.push_str(&text[plain_from..at]);
        plain_from = at + 1;
        if short.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            json.push_str("\\u00");
            json.push(char::from(HEX[usize::from(byte >> 4)]));
            json.push(char::from(HEX[usize::from(byte & 0xf)]));
        } else {
            json.push_str(short);
        }
    }
    json.push_str(&text[plain_from..]);
    json.push('"');
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

    #[test]
    fn strings_are_escaped_as_serde_escapes_them() {
        let every_ascii: String = (0u8..=0x7f).map(char::from).collect();
        for text in [
            every_ascii.as_str(),
            "",
            "plain",
            "é ✓ 🦀\u{2028}\u{7f}",
            "\"\\/",
        ] {
            let mut json = String::new();
            push_string(&mut json, text);
            assert_eq!(json, serde_json::to_string(text).unwrap(), "{text:?}");
        }
    }
}
