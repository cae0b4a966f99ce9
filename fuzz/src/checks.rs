//! The checks every answer of the server must pass, and the stateless variant of a
//! message.

use crate::{CAPABILITIES_KEY, SERVER_INFO_KEY, STATELESS, VERSION_KEY};
use mcp_runtime::model::RequestId;
use mcp_runtime::testing::TestClient;
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::time::Duration;

/// What came back for one message.
#[derive(Debug)]
pub struct Sent {
    /// The response line, if any.
    pub line: Option<String>,
    /// Nothing came back within an hour (of the paused clock).
    pub hung: bool,
}

/// Sends one raw message on `client`.
pub async fn send(client: &TestClient, message: &[u8]) -> Sent {
    match tokio::time::timeout(Duration::from_secs(3600), client.send_raw(message)).await {
        Ok(line) => Sent { line, hung: false },
        Err(_) => Sent {
            line: None,
            hung: true,
        },
    }
}

/// Reads the notifications a call sent (they must each be JSON: `take_notifications`
/// panics otherwise) and checks they are JSON-RPC notifications.
pub async fn check_notifications(client: &TestClient) {
    for message in client.take_notifications().await {
        assert_eq!(message["jsonrpc"], "2.0", "notification {message}");
        assert!(message["method"].is_string(), "notification {message}");
        assert!(
            message.get("id").is_none(),
            "a server-to-client request in {message}"
        );
    }
}

fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if text.len() > 2000 {
        format!("{}...", &text[..text.floor_char_boundary(2000)])
    } else {
        text.into_owned()
    }
}

/// The top-level members of a message, as raw JSON (numbers are not range-checked, as
/// the server's own envelope does not check the members it ignores). `None` when the
/// message is not a JSON object.
fn members(message: &[u8]) -> Option<HashMap<String, Box<RawValue>>> {
    serde_json::from_slice(message).ok()
}

/// Checks the answer to `message`: every request gets one well-formed JSON-RPC response
/// carrying its id; only notifications and responses go unanswered; only a
/// `subscriptions/listen` stream stays open. Returns the parsed response.
pub fn check_answer(message: &[u8], sent: &Sent) -> Option<Value> {
    let members = members(message);
    let member = |name: &str| members.as_ref().and_then(|m| m.get(name)).map(|r| r.get());
    if sent.hung {
        let listen = member("method")
            .and_then(|m| serde_json::from_str::<String>(m).ok())
            .is_some_and(|m| m == "subscriptions/listen");
        assert!(listen, "no answer within an hour to {}", shown(message));
        return None;
    }
    let Some(line) = &sent.line else {
        assert!(
            members.is_some(),
            "no answer to a message that is not a JSON object: {}",
            shown(message)
        );
        // With duplicate members the server answers (an error), so the map is exact here.
        let notification = member("id").is_none();
        let response = member("method").is_none_or(|m| m == "null");
        assert!(
            notification || response,
            "no answer to a request: {}",
            shown(message)
        );
        return None;
    };
    let response = check_response_shape(line);
    let id = |raw: Option<&str>| raw.and_then(|r| serde_json::from_str::<RequestId>(r).ok());
    let answered = &response["id"];
    if let Ok(Value::Object(input)) = serde_json::from_slice::<Value>(message) {
        // What the server reads too, duplicate members included (the last one wins).
        if let Some(expected) = input
            .get("id")
            .and_then(|id| serde_json::from_value::<RequestId>(id.clone()).ok())
        {
            assert_eq!(
                answered,
                &serde_json::to_value(&expected).expect("an id serialises"),
                "the response to {} carries another id: {line}",
                shown(message)
            );
        }
    } else if let Some(expected) = id(member("id")) {
        // Some member is beyond what `Value` holds (such as 1e999): the id may be lost.
        assert!(
            answered.is_null()
                || answered == &serde_json::to_value(&expected).expect("an id serialises"),
            "the response to {} carries another id: {line}",
            shown(message)
        );
    }
    Some(response)
}

/// A JSON-RPC 2.0 response on one line: `jsonrpc`, `id` (string, integer or null), and
/// either an object `result` or an `error` with an integer `code` and a string `message`.
pub fn check_response_shape(line: &str) -> Value {
    assert!(!line.contains('\n'), "a response spans lines: {line}");
    let response: Value =
        serde_json::from_str(line).unwrap_or_else(|e| panic!("response is not JSON ({e}): {line}"));
    let object = response
        .as_object()
        .unwrap_or_else(|| panic!("response is not an object: {line}"));
    assert_eq!(object.get("jsonrpc"), Some(&json!("2.0")), "{line}");
    for key in object.keys() {
        assert!(
            matches!(key.as_str(), "jsonrpc" | "id" | "result" | "error"),
            "unexpected member `{key}` in {line}"
        );
    }
    let id = object
        .get("id")
        .unwrap_or_else(|| panic!("no id in {line}"));
    assert!(
        id.is_null() || id.is_i64() || id.is_string(),
        "bad id in {line}"
    );
    match (object.get("result"), object.get("error")) {
        (Some(result), None) => {
            assert!(result.is_object(), "result is not an object: {line}");
            assert!(!id.is_null(), "a result without an id: {line}");
        }
        (None, Some(error)) => {
            let error = error
                .as_object()
                .unwrap_or_else(|| panic!("error is not an object: {line}"));
            let code = error.get("code").and_then(Value::as_i64);
            assert!(
                code.is_some_and(|c| i32::try_from(c).is_ok()),
                "bad error code in {line}"
            );
            assert!(
                error.get("message").is_some_and(Value::is_string),
                "bad error message in {line}"
            );
            for key in error.keys() {
                assert!(
                    matches!(key.as_str(), "code" | "message" | "data"),
                    "unexpected member `{key}` in the error of {line}"
                );
            }
        }
        _ => panic!("not exactly one of result and error: {line}"),
    }
    response
}

/// A stateless-era result says what it is and who answered.
pub fn check_stateless_result(response: &Value) {
    if let Some(result) = response.get("result") {
        assert!(
            result["resultType"].is_string(),
            "stateless result without resultType: {response}"
        );
        assert!(
            result["_meta"][SERVER_INFO_KEY].is_object(),
            "stateless result without server info: {response}"
        );
    }
}

/// `message` as a stateless-era request: its params' `_meta` gets the revision and client
/// capabilities when it lacks them. `None` when it is not a JSON object with a method and
/// object (or no) params.
pub fn stateless_variant(message: &[u8]) -> Option<Vec<u8>> {
    let mut value: Value = serde_json::from_slice(message).ok()?;
    let object = value.as_object_mut()?;
    object.get("method")?.as_str()?;
    let params = object
        .entry("params")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()?;
    let meta = params
        .entry("_meta")
        .or_insert_with(|| Value::Object(Map::new()));
    if !meta.is_object() {
        *meta = Value::Object(Map::new());
    }
    let meta = meta.as_object_mut().expect("an object");
    meta.entry(VERSION_KEY).or_insert_with(|| json!(STATELESS));
    meta.entry(CAPABILITIES_KEY).or_insert_with(|| json!({}));
    serde_json::to_vec(&value).ok()
}
