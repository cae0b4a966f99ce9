//! Outgoing JSON-RPC messages: responses and notifications, as the lines a transport sends.

use super::{RequestId, RpcError};
use serde::Serialize;

#[derive(Serialize)]
struct ErrorOut<'a> {
    jsonrpc: &'static str,
    id: Option<&'a RequestId>,
    error: &'a RpcError,
}

/// Encodes a success response around `result`, JSON text. Written by hand: the result is
/// already JSON, so the envelope is a few appends around it (the hottest encode of the
/// server).
pub(crate) fn response_ok(id: &RequestId, result: &str) -> String {
    let mut line = String::with_capacity(result.len() + 64);
    with_id(id, |id| {
        for part in [RESPONSE_HEAD, id, RESPONSE_RESULT, result, "}"] {
            line.push_str(part);
        }
    });
    line
}

/// The same around a result in a `String` of its own, written in place when the string
/// has room for the envelope (what serde_json wrote usually has): no second buffer, no
/// copy of the result into it.
pub(crate) fn response_ok_around(id: &RequestId, mut result: String) -> String {
    let in_place = with_id(id, |id| {
        let head = RESPONSE_HEAD.len() + id.len() + RESPONSE_RESULT.len();
        if result.capacity() - result.len() <= head {
            return false;
        }
        for part in [RESPONSE_RESULT, id, RESPONSE_HEAD] {
            result.insert_str(0, part);
        }
        result.push('}');
        true
    });
    if in_place {
        result
    } else {
        response_ok(id, &result)
    }
}

const RESPONSE_HEAD: &str = r#"{"jsonrpc":"2.0","id":"#;
const RESPONSE_RESULT: &str = r#","result":"#;

/// Runs `f` with the id's JSON text.
fn with_id<T>(id: &RequestId, f: impl FnOnce(&str) -> T) -> T {
    match id {
        RequestId::Number(n) => f(itoa::Buffer::new().format(*n)),
        // A string's JSON form (quotes, escapes) from serde_json itself; it cannot fail.
        RequestId::String(s) => f(&serde_json::to_string(s).unwrap_or_default()),
    }
}

/// Encodes an error response (`id` is `null` when the request's id could not be read).
pub(crate) fn response_error(id: Option<&RequestId>, error: &RpcError) -> String {
    encode(&ErrorOut {
        jsonrpc: "2.0",
        id,
        error,
    })
}

/// The error code of a response line; `None` for a success response. A line written here
/// has its code at a known place, read without decoding the line (which would scan the
/// whole result); a line of any other shape is decoded.
#[cfg(any(feature = "http", test))]
pub(crate) fn error_code_of(line: &str) -> Option<i32> {
    code_at_known_place(line).unwrap_or_else(|| {
        #[derive(serde::Deserialize)]
        struct Code {
            code: i32,
        }
        #[derive(serde::Deserialize)]
        struct Response {
            error: Option<Code>,
        }
        serde_json::from_str::<Response>(line)
            .ok()
            .and_then(|r| r.error)
            .map(|e| e.code)
    })
}

/// `Some(code)` for a line shaped as [`response_ok`] or [`response_error`] write it; `None`
/// for any other shape.
#[cfg(any(feature = "http", test))]
fn code_at_known_place(line: &str) -> Option<Option<i32>> {
    let rest = line.strip_prefix(RESPONSE_HEAD)?;
    let rest = &rest[id_length(rest)?..];
    if rest.starts_with(RESPONSE_RESULT) {
        return Some(None);
    }
    let code = rest.strip_prefix(r#","error":{"code":"#)?;
    let end = code.find([',', '}'])?;
    code[..end].parse().ok().map(Some)
}

/// The length of the id at the start of `text`, as serde_json or itoa wrote it: `null`, an
/// integer, or a string (whose quotes inside are escaped).
#[cfg(any(feature = "http", test))]
fn id_length(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    match bytes.first()? {
        b'"' => {
            let mut at = 1;
            loop {
                match bytes.get(at)? {
                    b'\\' => at += 2,
                    b'"' => return Some(at + 1),
                    _ => at += 1,
                }
            }
        }
        b'n' => text.starts_with("null").then_some(4),
        _ => Some(
            bytes
                .iter()
                .position(|b| !(b.is_ascii_digit() || *b == b'-'))
                .unwrap_or(bytes.len()),
        ),
    }
}

#[derive(Serialize)]
struct NotificationOut<'a, P> {
    jsonrpc: &'static str,
    method: &'a str,
    params: P,
}

/// Encodes a notification.
pub(crate) fn notification(method: &str, params: impl Serialize) -> String {
    encode(&NotificationOut {
        jsonrpc: "2.0",
        method,
        params,
    })
}

fn encode(message: &impl Serialize) -> String {
    // Serialising these borrowed, already-valid structures cannot fail.
    serde_json::to_string(message).unwrap_or_else(|e| {
        let error = RpcError::internal(format!("could not encode a message: {e}"));
        format!(
            r#"{{"jsonrpc":"2.0","id":null,"error":{}}}"#,
            serde_json::json!(error)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_with_room_gets_its_envelope_in_place() {
        let id = RequestId::String("a\"b".into());
        let roomy = String::with_capacity(128) + r#"{"n":1}"#;
        let before = roomy.as_ptr();
        let line = response_ok_around(&id, roomy);
        assert_eq!(line, r#"{"jsonrpc":"2.0","id":"a\"b","result":{"n":1}}"#);
        assert_eq!(line.as_ptr(), before, "written in the result's own buffer");
        let tight = String::from(r#"{"n":1}"#);
        assert_eq!(
            response_ok_around(&RequestId::Number(7), tight),
            response_ok(&RequestId::Number(7), r#"{"n":1}"#)
        );
    }

    #[test]
    fn responses_are_encoded_with_their_id() {
        assert_eq!(
            response_ok(&RequestId::String("x".into()), "{}"),
            r#"{"jsonrpc":"2.0","id":"x","result":{}}"#
        );
        assert_eq!(
            response_ok(&RequestId::String("a\"b\n".into()), "{}"),
            r#"{"jsonrpc":"2.0","id":"a\"b\n","result":{}}"#
        );
        assert_eq!(
            response_ok(&RequestId::Number(-9_007_199_254_740_993), "{}"),
            r#"{"jsonrpc":"2.0","id":-9007199254740993,"result":{}}"#
        );
        let err = RpcError::method_not_found("nope");
        assert_eq!(
            response_error(None, &err),
            r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32601,"message":"Method not found: nope"}}"#
        );
    }

    /// The code read at its known place is the one a decoder finds, for every kind of id;
    /// a line of another shape is decoded instead.
    #[test]
    fn the_error_code_of_a_line_is_what_a_decoder_reads() {
        let decoded = |line: &str| -> Option<i32> {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            value["error"]["code"].as_i64().map(|c| c as i32)
        };
        let error = RpcError::new(-32006, "denied").with_data(serde_json::json!({"x": [1]}));
        let ids = [
            Some(RequestId::Number(-12)),
            Some(RequestId::Number(0)),
            Some(RequestId::String("a\\\"b,\"error\":{\"code\":1}".into())),
            Some(RequestId::String(String::new())),
            None,
        ];
        for id in &ids {
            let line = response_error(id.as_ref(), &error);
            assert_eq!(code_at_known_place(&line), Some(Some(-32006)), "{line}");
            assert_eq!(error_code_of(&line), decoded(&line), "{line}");
            if let Some(id) = id {
                let ok = response_ok(id, r#"{"error":{"code":5}}"#);
                assert_eq!(code_at_known_place(&ok), Some(None), "{ok}");
                assert_eq!(error_code_of(&ok), None, "{ok}");
            }
        }
        let reordered = r#"{"error":{"message":"m","code":-32601},"id":1,"jsonrpc":"2.0"}"#;
        assert_eq!(code_at_known_place(reordered), None);
        assert_eq!(error_code_of(reordered), Some(-32601));
    }
}
