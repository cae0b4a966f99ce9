//! One pass over a well-formed request: the envelope, and for a `tools/call` its params too,
//! decoded together, borrowing from the message. A `tools/call` is the request a server
//! answers most, and decoding its params a second time cost about as much as the rest of
//! its dispatch.
//!
//! Only what decodes cleanly is taken here. Anything else (a response, a malformed message,
//! a `tools/call` whose params are not the right shape) returns `None` and is decoded again
//! by [`parse_incoming`](super::parse_incoming), which words every rejection: the two
//! decoders never disagree on an answer, because this one never gives one.

use super::jsonrpc::{Incoming, RequestId, method};
#[cfg(feature = "http")]
use super::jsonrpc::{Rejected, parse_incoming};
use crate::extract::RawArguments;
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// A `tools/call`'s params.
#[derive(Deserialize)]
pub(crate) struct ToolCallParams<'a> {
    /// Borrowed from the request unless it holds escapes.
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    /// Split into members kept as sent: decoded by the parameters that take them.
    #[serde(borrow, default)]
    pub arguments: Option<RawArguments<'a>>,
    /// Kept as sent: it says which era the request belongs to, and what dispatch reads of
    /// it is decoded only when it is there.
    #[serde(rename = "_meta", borrow, default)]
    pub meta: Option<&'a RawValue>,
    /// A multi-round retry's answers and state (2026 era). Boxed: rare, and the params
    /// are moved several times on their way to the call.
    #[serde(rename = "inputResponses", default)]
    pub input_responses: Option<Box<Value>>,
    #[serde(rename = "requestState", default)]
    pub request_state: Option<Box<str>>,
}

/// A message decoded in one pass.
pub(crate) enum Decoded<'a> {
    /// A `tools/call` request, its params decoded.
    ToolCall {
        id: RequestId,
        params: ToolCallParams<'a>,
    },
    /// Any other request, or a notification.
    Incoming(Incoming),
}

#[cfg(feature = "http")]
impl Decoded<'_> {
    /// The request's id; `None` for a notification or a response.
    pub(crate) fn request_id(&self) -> Option<&RequestId> {
        match self {
            Decoded::ToolCall { id, .. } | Decoded::Incoming(Incoming::Request { id, .. }) => {
                Some(id)
            }
            Decoded::Incoming(_) => None,
        }
    }

    /// The method of a request or notification; `None` for a response.
    pub(crate) fn method(&self) -> Option<&str> {
        match self {
            Decoded::ToolCall { .. } => Some("tools/call"),
            Decoded::Incoming(
                Incoming::Request { method, .. } | Incoming::Notification { method, .. },
            ) => Some(method),
            Decoded::Incoming(Incoming::Response { .. }) => None,
        }
    }

    /// A request's `_meta`, when it carries the stateless era's per-request fields there
    /// (see [`stateless`](super::stateless)); `None` for anything else.
    pub(crate) fn stateless_meta_text(&self) -> Option<&RawValue> {
        match self {
            Decoded::ToolCall { params, .. } => params.meta,
            Decoded::Incoming(Incoming::Request { params, .. }) => {
                super::stateless::meta_of(params.as_deref())
            }
            Decoded::Incoming(_) => None,
        }
    }
}

/// Decodes any message: in one pass when it can, else with the full decoder, which words
/// every rejection.
#[cfg(feature = "http")]
pub(crate) fn decode_message(bytes: &[u8]) -> Result<Decoded<'_>, Rejected> {
    match decode(bytes) {
        Some(decoded) => Ok(decoded),
        None => parse_incoming(bytes).map(Decoded::Incoming),
    }
}

/// Decodes a request or notification in one pass; `None` when it is anything else or is
/// malformed in any way. Inlined into each of its two callers: called, its large result
/// is written out and moved again, which cost more than the call saves.
#[inline(always)]
pub(crate) fn decode(bytes: &[u8]) -> Option<Decoded<'_>> {
    // JSON text is UTF-8 (RFC 8259), also in the fields no handler reads.
    let text = std::str::from_utf8(bytes).ok()?;
    let envelope: Envelope<'_> = serde_json::from_str(text).ok()?;
    if envelope.jsonrpc.map(RawValue::get) != Some("\"2.0\"") {
        return None;
    }
    let name = envelope.method?;
    match (envelope.id, envelope.params) {
        (Some(id), Params::ToolCall(params)) => Some(Decoded::ToolCall { id, params }),
        (_, Params::ToolCall(_)) => None,
        (_, Params::Text(Some(params))) if !params.get().starts_with('{') => None,
        (id, Params::Text(params)) => {
            let method = method(Cow::Borrowed(name));
            let params = params.map(RawValue::to_owned);
            Some(Decoded::Incoming(match id {
                Some(id) => Incoming::Request { id, method, params },
                None => Incoming::Notification { method, params },
            }))
        }
    }
}

struct Envelope<'a> {
    jsonrpc: Option<&'a RawValue>,
    id: Option<RequestId>,
    method: Option<&'a str>,
    params: Params<'a>,
}

enum Params<'a> {
    Text(Option<&'a RawValue>),
    ToolCall(ToolCallParams<'a>),
}

impl<'de> Deserialize<'de> for Envelope<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EnvelopeVisitor)
    }
}

struct EnvelopeVisitor;

impl<'de> Visitor<'de> for EnvelopeVisitor {
    type Value = Envelope<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-RPC request")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut envelope = Envelope {
            jsonrpc: None,
            id: None,
            method: None,
            params: Params::Text(None),
        };
        let mut seen_params = false;
        // A key with escapes is not borrowable: the message goes the other way.
        while let Some(key) = map.next_key::<&'de str>()? {
            let repeated = match key {
                "jsonrpc" => envelope.jsonrpc.replace(map.next_value()?).is_some(),
                "id" => envelope.id.replace(map.next_value()?).is_some(),
                "method" => envelope.method.replace(map.next_value()?).is_some(),
                "params" => {
                    // Params before the method are kept as text, as for any other method
                    // (the `tools/call` handler decodes them then).
                    envelope.params = if envelope.method == Some("tools/call") {
                        Params::ToolCall(map.next_value_seed(AnObject)?)
                    } else {
                        Params::Text(map.next_value()?)
                    };
                    std::mem::replace(&mut seen_params, true)
                }
                "result" | "error" => return Err(de::Error::custom("a response")),
                _ => map.next_value::<IgnoredAny>().map(|_| false)?,
            };
            if repeated {
                return Err(de::Error::custom("a repeated member"));
            }
        }
        Ok(envelope)
    }
}

/// `tools/call` params decoded only from an object: a derived struct would also be decoded
/// from an array, by position, which the full decoder refuses as params.
struct AnObject;

impl<'de> de::DeserializeSeed<'de> for AnObject {
    type Value = ToolCallParams<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for AnObject {
    type Value = ToolCallParams<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("tools/call params")
    }

    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
        ToolCallParams::deserialize(de::value::MapAccessDeserializer::new(map))
    }
}

#[cfg(test)]
mod tests {
    use super::super::jsonrpc::parse_incoming;
    use super::*;

    #[test]
    fn a_tool_call_is_decoded_with_its_envelope() {
        let message = br#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"add","arguments":{"a":2,"b":3.5},"_meta":{"progressToken":1}}}"#;
        let Some(Decoded::ToolCall { id, params }) = decode(message) else {
            panic!("a tools/call");
        };
        assert_eq!(id, RequestId::Number(7));
        assert!(matches!(params.name, Cow::Borrowed("add")));
        let arguments = params.arguments.expect("arguments");
        assert_eq!(arguments.take::<f64>("b").unwrap(), 3.5);
        assert_eq!(
            params.meta.map(RawValue::get),
            Some(r#"{"progressToken":1}"#)
        );
    }

    #[test]
    fn other_messages_keep_their_params_as_text() {
        let request =
            br#"{"jsonrpc":"2.0","id":"x","method":"tools/list","params":{"cursor":"c"}}"#;
        let Some(Decoded::Incoming(Incoming::Request { id, method, params })) = decode(request)
        else {
            panic!("a request");
        };
        assert_eq!(id, RequestId::String("x".into()));
        assert!(matches!(method, Cow::Borrowed("tools/list")));
        assert_eq!(params.unwrap().get(), r#"{"cursor":"c"}"#);
        // A tool call whose params come before its method: text, decoded by its handler.
        let params_first =
            br#"{"params":{"name":"add"},"jsonrpc":"2.0","id":1,"method":"tools/call"}"#;
        assert!(matches!(
            decode(params_first),
            Some(Decoded::Incoming(Incoming::Request {
                params: Some(_),
                ..
            }))
        ));
        let notification = br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;
        assert!(matches!(
            decode(notification),
            Some(Decoded::Incoming(Incoming::Notification {
                params: None,
                ..
            }))
        ));
    }

    /// Whatever this decoder does not take is the full decoder's to answer: a response, or
    /// a message that decoder rejects (so the two can never answer it differently).
    #[test]
    fn anything_not_taken_cleanly_is_left_to_the_full_decoder() {
        let left: &[&[u8]] = &[
            br#"{"jsonrpc":"2.0","id":1,"result":{}}"#,
            br#"{"jsonrpc":"2.0","id":1,"error":{"code":1,"message":"m"}}"#,
            br#"{"jsonrpc":"2.0","id":1,"id":2,"method":"ping"}"#,
            br#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#,
            br#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#,
            br#"{"id":1,"method":"ping"}"#,
            br#"{"jsonrpc":"2.0","id":1,"method":"ping","params":[1]}"#,
            br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":5}}"#,
            br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a","name":"b"}}"#,
            br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":null}"#,
            br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":["add",{}]}"#,
            br#"{"jsonrpc":"2.0","method":"tools/call","params":{"name":"a"}}"#,
            br#"{"jsonrpc":"2.0","id":1,"method":"ping"} x"#,
            br#"{"jsonrpc":"2.0","id":1,"method":"ping""#,
            br#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#,
            br#"{"jsonrpc":"2.0","id":1}"#,
            b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"x\":\"\xff\"}",
        ];
        for message in left {
            let shown = String::from_utf8_lossy(message);
            assert!(decode(message).is_none(), "taken: {shown}");
            let full = parse_incoming(message);
            assert!(
                matches!(full, Err(_) | Ok(Incoming::Response { .. }))
                    || shown.contains("tools/call"),
                "the full decoder takes {shown} as a request"
            );
        }
        // A member name with escapes cannot be borrowed: valid, but the other decoder's.
        let escaped = br#"{"jsonrpc":"2.0","id":1,"\u006dethod":"ping"}"#;
        assert!(decode(escaped).is_none());
        assert!(matches!(
            parse_incoming(escaped),
            Ok(Incoming::Request { .. })
        ));
    }
}
