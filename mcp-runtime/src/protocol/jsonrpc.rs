//! The JSON-RPC 2.0 envelope: decoding one incoming message, encoding responses.
//!
//! The envelope is decoded once, borrowing from the input; `params` stays raw JSON so each
//! handler decodes it straight into its own typed parameters (no intermediate `Value`).
//! This is the full decoder, which answers every malformed message; a well-formed request
//! is usually taken by [`one_pass`](super::one_pass) first.

use super::RpcError;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// A JSON-RPC request id: a string or an integer (MCP forbids `null`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum RequestId {
    /// An integer id.
    Number(i64),
    /// A string id.
    String(String),
}

/// Written out rather than derived: an untagged enum buffers its input to try each variant
/// in turn, and every request has an id.
impl<'de> Deserialize<'de> for RequestId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl serde::de::Visitor<'_> for IdVisitor {
            type Value = RequestId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an integer")
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<RequestId, E> {
                Ok(RequestId::Number(n))
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<RequestId, E> {
                i64::try_from(n)
                    .map(RequestId::Number)
                    .map_err(|_| E::custom("an integer id beyond the 64-bit range"))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<RequestId, E> {
                Ok(RequestId::String(s.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, s: String) -> Result<RequestId, E> {
                Ok(RequestId::String(s))
            }
        }
        d.deserialize_any(IdVisitor)
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestId::Number(n) => write!(f, "{n}"),
            RequestId::String(s) => f.write_str(s),
        }
    }
}

/// A message's method: a name this server knows is not copied out of the message.
pub(crate) type Method = Cow<'static, str>;

/// Every method name a server handles or hears, for [`Method`].
const KNOWN_METHODS: &[&str] = &[
    "tools/call",
    "tools/list",
    "resources/read",
    "resources/list",
    "resources/templates/list",
    "resources/subscribe",
    "resources/unsubscribe",
    "prompts/get",
    "prompts/list",
    "completion/complete",
    "ping",
    "initialize",
    "logging/setLevel",
    "server/discover",
    "subscriptions/listen",
    "tasks/get",
    "tasks/result",
    "tasks/update",
    "tasks/cancel",
    "tasks/list",
    "notifications/initialized",
    "notifications/cancelled",
    "notifications/roots/list_changed",
];

pub(super) fn method(name: Cow<'_, str>) -> Method {
    match KNOWN_METHODS.iter().find(|known| **known == name) {
        Some(known) => Cow::Borrowed(known),
        None => Cow::Owned(name.into_owned()),
    }
}

/// One decoded incoming message.
#[derive(Debug)]
pub(crate) enum Incoming {
    Request {
        id: RequestId,
        method: Method,
        params: Option<Box<RawValue>>,
    },
    Notification {
        method: Method,
        params: Option<Box<RawValue>>,
    },
    /// A client's answer to a server-to-client request.
    Response {
        id: RequestId,
        outcome: Result<Box<RawValue>, RpcError>,
    },
}

/// An incoming message that could not be decoded, with the id to answer to when one was found.
#[derive(Debug)]
pub(crate) struct Rejected {
    pub id: Option<RequestId>,
    pub error: RpcError,
    /// The message was a malformed response (no `method`, a `result` or an `error`): a
    /// response is never answered on a bidirectional stream, and its id (from the other
    /// side's numbering) is never echoed, so `id` is `None`.
    pub response: bool,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default)]
    jsonrpc: Option<&'a RawValue>,
    #[serde(default, deserialize_with = "present")]
    id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    method: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    params: Option<&'a RawValue>,
    #[serde(borrow, default)]
    result: Option<&'a RawValue>,
    #[serde(default)]
    error: Option<RpcError>,
}

/// Keeps an explicit `"id": null` distinguishable from a missing id.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

/// Decodes one JSON-RPC message.
pub(crate) fn parse_incoming(bytes: &[u8]) -> Result<Incoming, Rejected> {
    let parse_error = |e: serde_json::Error| Rejected {
        id: None,
        error: RpcError::parse_error(e),
        response: false,
    };
    // JSON text is UTF-8 (RFC 8259), also in the fields no handler reads.
    let text = std::str::from_utf8(bytes).map_err(|e| Rejected {
        id: None,
        error: RpcError::parse_error(format_args!("invalid UTF-8 at byte {}", e.valid_up_to())),
        response: false,
    })?;
    // Only an object can be a message. Anything else would be decoded as the envelope's
    // fields in order (an array as a struct), hiding what was really wrong.
    if !text.trim_start().starts_with('{') {
        return Err(match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Err(e) if e.is_syntax() || e.is_eof() => parse_error(e),
            _ => reject_shape(text),
        });
    }
    let envelope: Envelope<'_> = match serde_json::from_str(text) {
        Ok(envelope) => envelope,
        Err(e) if e.is_syntax() || e.is_eof() => return Err(parse_error(e)),
        Err(_) => return Err(reject_shape(text)),
    };
    let response =
        envelope.method.is_none() && (envelope.result.is_some() || envelope.error.is_some());
    let id = match envelope.id.map(parse_id).transpose() {
        Ok(id) => id,
        Err(error) => {
            return Err(Rejected {
                id: None,
                error,
                response,
            });
        }
    };
    let reject = |message: &'static str| Rejected {
        id: if response { None } else { id.clone() },
        error: RpcError::invalid_request(message),
        response,
    };
    if envelope.jsonrpc.map(RawValue::get) != Some("\"2.0\"") {
        return Err(reject("invalid request: \"jsonrpc\" must be \"2.0\""));
    }
    if let Some(name) = envelope.method {
        let method = method(name);
        if let Some(params) = envelope.params
            && !params.get().starts_with('{')
        {
            return Err(Rejected {
                id,
                error: RpcError::invalid_params("invalid params: \"params\" must be an object"),
                response: false,
            });
        }
        let params = envelope.params.map(RawValue::to_owned);
        return Ok(match id {
            Some(id) => Incoming::Request { id, method, params },
            None => Incoming::Notification { method, params },
        });
    }
    match (id.clone(), envelope.result, envelope.error) {
        (Some(id), Some(result), None) => Ok(Incoming::Response {
            id,
            outcome: Ok(result.to_owned()),
        }),
        (Some(id), None, Some(error)) => Ok(Incoming::Response {
            id,
            outcome: Err(error),
        }),
        _ => Err(reject(
            "invalid request: a message needs \"method\" (a request or notification) or \"id\" with \"result\" or \"error\" (a response)",
        )),
    }
}

fn parse_id(raw: &RawValue) -> Result<RequestId, RpcError> {
    serde_json::from_str(raw.get()).map_err(|_| {
        RpcError::invalid_request("invalid request: \"id\" must be a string or an integer")
    })
}

/// The message is JSON but not a JSON-RPC message; answer with the id if one can be found
/// (and it is not a response's).
fn reject_shape(text: &str) -> Rejected {
    #[derive(Deserialize)]
    struct IdOnly {
        id: Option<RequestId>,
    }
    let first = text.trim_start().as_bytes().first().copied();
    let value: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    let message = if first == Some(b'[') {
        "invalid request: batches are not supported; send one JSON-RPC message at a time"
    } else if first != Some(b'{') {
        "invalid request: a JSON-RPC message must be a JSON object"
    } else {
        "invalid request: \"method\" must be a string and \"params\" an object"
    };
    let response = value.get("method").is_none()
        && (value.get("result").is_some() || value.get("error").is_some());
    let id = IdOnly::deserialize(&value)
        .ok()
        .and_then(|only| only.id)
        .filter(|_| !response);
    Rejected {
        id,
        error: RpcError::invalid_request(message),
        response,
    }
}

/// Decodes a request's params into `T`, mapping every failure to `-32602`.
pub(crate) fn decode_params<'a, T: Deserialize<'a>>(
    params: Option<&'a RawValue>,
) -> Result<T, RpcError> {
    let text = params.map_or("{}", RawValue::get);
    serde_json::from_str(text).map_err(invalid_params)
}

/// Params that do not decode: `-32602`, with serde_json's reason.
pub(crate) fn invalid_params(e: serde_json::Error) -> RpcError {
    RpcError::invalid_params(format!(
        "invalid params: {}",
        strip_position(&e.to_string())
    ))
}

/// serde_json appends " at line 1 column 17"; the client gains nothing from it.
fn strip_position(message: &str) -> &str {
    message
        .find(" at line ")
        .map_or(message, |at| &message[..at])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::codes;

    fn rejected(text: &str) -> Rejected {
        parse_incoming(text.as_bytes()).expect_err("should be rejected")
    }

    #[test]
    fn known_methods_are_not_copied_and_others_are_kept_as_sent() {
        let method_of = |text: &str| match parse_incoming(text.as_bytes()).unwrap() {
            Incoming::Request { method, .. } | Incoming::Notification { method, .. } => method,
            Incoming::Response { .. } => panic!("a response"),
        };
        let known = method_of(r#"{"jsonrpc":"2.0","id":1,"method":"tools/call"}"#);
        assert!(matches!(known, Cow::Borrowed("tools/call")), "{known:?}");
        let escaped = method_of(r#"{"jsonrpc":"2.0","id":1,"method":"tools\/call"}"#);
        assert!(
            matches!(escaped, Cow::Borrowed("tools/call")),
            "{escaped:?}"
        );
        let unknown = method_of(r#"{"jsonrpc":"2.0","method":"vendor/thing"}"#);
        assert!(
            matches!(unknown, Cow::Owned(ref m) if m == "vendor/thing"),
            "{unknown:?}"
        );
    }

    #[test]
    fn decodes_requests_notifications_and_responses() {
        match parse_incoming(br#"{"jsonrpc":"2.0","id":7,"method":"ping"}"#).unwrap() {
            Incoming::Request { id, method, params } => {
                assert_eq!(id, RequestId::Number(7));
                assert_eq!(method, "ping");
                assert!(params.is_none());
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse_incoming(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#).unwrap(),
            Incoming::Notification { .. }
        ));
        assert!(matches!(
            parse_incoming(br#"{"jsonrpc":"2.0","id":"a","result":{}}"#).unwrap(),
            Incoming::Response { outcome: Ok(_), .. }
        ));
    }

    #[test]
    fn malformed_messages_get_the_right_code_and_keep_the_id_when_readable() {
        assert_eq!(rejected("{not json").error.code, codes::PARSE_ERROR);
        assert_eq!(rejected("").error.code, codes::PARSE_ERROR);
        let r = rejected(r#"{"jsonrpc":"1.0","id":3,"method":"ping"}"#);
        assert_eq!(
            (r.error.code, r.id),
            (codes::INVALID_REQUEST, Some(RequestId::Number(3)))
        );
        let r = rejected(r#"{"jsonrpc":"2.0","id":4,"method":5}"#);
        assert_eq!(
            (r.error.code, r.id),
            (codes::INVALID_REQUEST, Some(RequestId::Number(4)))
        );
        assert_eq!(
            rejected(r#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#)
                .error
                .code,
            codes::INVALID_REQUEST
        );
        assert_eq!(
            rejected(r#"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#)
                .error
                .code,
            codes::INVALID_REQUEST
        );
        assert_eq!(
            rejected(r#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#)
                .error
                .code,
            codes::INVALID_REQUEST
        );
        let r = rejected(r#"{"jsonrpc":"2.0","id":9,"method":"x","params":[1]}"#);
        assert_eq!(
            (r.error.code, r.id),
            (codes::INVALID_PARAMS, Some(RequestId::Number(9)))
        );
    }

    #[test]
    fn batches_and_other_non_objects_are_named_for_what_they_are() {
        for batch in [
            r#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#,
            " []",
            &format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
        ] {
            let r = rejected(batch);
            assert!(
                r.error.message.contains("batches are not supported"),
                "{r:?}"
            );
            assert_eq!((r.error.code, r.id), (codes::INVALID_REQUEST, None));
        }
        for scalar in ["42", r#""ping""#, "null", "true"] {
            let r = rejected(scalar);
            assert_eq!(r.error.code, codes::INVALID_REQUEST, "{scalar}");
            assert!(r.error.message.contains("must be a JSON object"), "{r:?}");
        }
        assert_eq!(rejected("[1,").error.code, codes::PARSE_ERROR);
    }

    #[test]
    fn invalid_utf8_is_a_parse_error_wherever_it_is() {
        for bytes in [
            &b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"x\":\"\xff\"}"[..],
            b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"pi\xffng\"}",
            b"\xff",
        ] {
            let r = parse_incoming(bytes).expect_err("invalid UTF-8");
            assert_eq!((r.error.code, &r.id), (codes::PARSE_ERROR, &None), "{r:?}");
        }
    }

    #[test]
    fn malformed_responses_are_flagged_and_their_ids_not_echoed() {
        for response in [
            r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}}"#,
            r#"{"jsonrpc":"2.0","error":{"code":-32700,"message":"x"}}"#,
            r#"{"jsonrpc":"2.0","id":5,"result":{},"error":{"code":1,"message":"x"}}"#,
            r#"{"jsonrpc":"2.0","id":5,"error":"boom"}"#,
            r#"{"jsonrpc":"1.0","id":5,"result":{}}"#,
            r#"{"jsonrpc":"2.0","id":[5],"result":{}}"#,
        ] {
            let r = rejected(response);
            assert!(r.response, "{response}");
            assert_eq!(
                (r.error.code, r.id),
                (codes::INVALID_REQUEST, None),
                "{response}"
            );
        }
        for request in [
            r#"{"jsonrpc":"2.0","id":5}"#,
            r#"{"jsonrpc":"1.0","id":5,"method":"ping"}"#,
            r#"{"jsonrpc":"2.0","id":5,"method":7}"#,
        ] {
            let r = rejected(request);
            assert!(!r.response, "{request}");
            assert_eq!(r.id, Some(RequestId::Number(5)), "{request}");
        }
    }

    #[test]
    fn params_decoding_errors_are_invalid_params_without_positions() {
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct P {
            name: String,
        }
        let raw = RawValue::from_string(r#"{"name":5}"#.into()).unwrap();
        let err = decode_params::<P>(Some(&raw)).unwrap_err();
        assert_eq!(err.code, codes::INVALID_PARAMS);
        assert!(!err.message.contains("line"), "{}", err.message);
    }
}
