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
}
