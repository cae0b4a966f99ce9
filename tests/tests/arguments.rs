//! A tool call's arguments on their way into the parameters. Tools whose parameter types
//! accept only what their schema does decode straight from the request's text; the others
//! are checked against the schema first. Either way a call is answered as if it had been
//! validated against the schema first: these tests hold both paths to that.

use mcp_runtime::prelude::*;
use mcp_runtime::testing::TestClient;
use serde::Deserializer;
use serde_json::{Value, json};

/// Scale a number (every parameter's type is one whose decoding is the schema check).
#[mcp_tool]
fn scale(n: u8, factor: f64, label: Option<String>) -> String {
    format!("{}{}", label.unwrap_or_default(), f64::from(n) * factor)
}

/// A level from 1 to 5: its schema says more than its `Deserialize` (any u8) checks.
#[derive(Deserialize, JsonSchema)]
struct Level(#[schemars(range(min = 1, max = 5))] u8);

/// Set a level (a parameter whose type is looser than its schema).
#[mcp_tool]
fn set_level(level: Level) -> String {
    format!("level {}", level.0)
}

/// Decoding panics (a `Deserialize` of the application's that has a bug).
struct Explosive;

impl<'de> Deserialize<'de> for Explosive {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fuse;
        impl serde::de::Visitor<'_> for Fuse {
            type Value = Explosive;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("anything")
            }
            fn visit_u64<E>(self, _: u64) -> Result<Explosive, E> {
                panic!("a bug in a Deserialize impl")
            }
        }
        d.deserialize_any(Fuse)
    }
}

impl JsonSchema for Explosive {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Explosive".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "integer" })
    }
}

/// Never gets to run.
#[mcp_tool]
fn explode(value: Explosive) -> &'static str {
    let Explosive = value;
    "unreachable"
}

#[derive(Deserialize, JsonSchema)]
struct Range {
    from: i64,
    #[schemars(range(max = 100))]
    to: i64,
}

/// The whole arguments object as one struct.
#[mcp_tool]
fn span(#[args] range: Range) -> i64 {
    range.to - range.from
}

async fn client() -> TestClient {
    let server = McpServer::builder("arguments", "1.0").build().unwrap();
    TestClient::connect(&server).await
}

/// The result of `tools/call` with `arguments` exactly as written (repeated or escaped
/// member names cannot be written as a `Value`).
async fn call_raw(client: &TestClient, tool: &str, arguments: &str) -> Value {
    let request = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{{"name":"{tool}","arguments":{arguments}}}}}"#
    );
    let line = client
        .send_raw(request.as_bytes())
        .await
        .expect("an answer");
    serde_json::from_str(&line).unwrap()
}

fn text(response: &Value) -> &str {
    response["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("a text result: {response}"))
}

fn refusal(response: &Value) -> &str {
    assert_eq!(response["result"]["isError"], true, "{response}");
    text(response)
}

#[tokio::test]
async fn exact_parameters_decode_straight_from_the_request() {
    let client = client().await;
    let ok = call_raw(&client, "scale", r#"{"n": 3, "factor": 1.5}"#).await;
    assert_eq!(text(&ok), "4.5");
    let labelled = call_raw(&client, "scale", r#"{"label":"x=","n":2,"factor":2}"#).await;
    assert_eq!(text(&labelled), "x=4");
    // Member names with escapes, and a repeated member (the last one counts, as in the
    // schema check, which sees a map).
    let escaped = call_raw(&client, "scale", r#"{"\u006e": 2, "factor": 1, "n": 5}"#).await;
    assert_eq!(text(&escaped), "5");
}

#[tokio::test]
async fn exact_parameters_that_do_not_decode_get_the_schema_report() {
    let client = client().await;
    // Both paths are named, not only the first that failed to decode.
    let wrong = call_raw(&client, "scale", r#"{"n": "two", "factor": true}"#).await;
    let report = refusal(&wrong);
    assert!(report.contains("expected an integer at /n"), "{report}");
    assert!(report.contains("expected a number at /factor"), "{report}");
    let too_big = call_raw(&client, "scale", r#"{"n": 300, "factor": 1}"#).await;
    assert!(
        refusal(&too_big).contains("expected a number <= 255 at /n"),
        "{too_big}"
    );
    let extra = call_raw(&client, "scale", r#"{"n": 1, "factor": 1, "zzz": 0}"#).await;
    assert!(
        refusal(&extra).contains("unexpected property \"zzz\""),
        "{extra}"
    );
    let missing = call_raw(&client, "scale", r#"{"n": 1}"#).await;
    assert!(
        refusal(&missing).contains("missing required property \"factor\""),
        "{missing}"
    );
    let not_object = call_raw(&client, "scale", "[1, 2]").await;
    assert!(
        refusal(&not_object).contains("expected an object at /"),
        "{not_object}"
    );
}

#[tokio::test]
async fn what_the_schema_accepts_and_the_type_refuses_names_the_type() {
    let client = client().await;
    // 3.0 is an integer to JSON Schema, not to u8.
    let float = call_raw(&client, "scale", r#"{"n": 3.0, "factor": 1}"#).await;
    assert!(refusal(&float).contains("expected u8 at /n"), "{float}");
}

#[tokio::test]
async fn looser_types_are_held_to_their_schema() {
    let client = client().await;
    let ok = call_raw(&client, "set_level", r#"{"level": 4}"#).await;
    assert_eq!(text(&ok), "level 4");
    // Level's Deserialize takes any u8: only the schema refuses 9.
    let beyond = call_raw(&client, "set_level", r#"{"level": 9}"#).await;
    assert!(
        refusal(&beyond).contains("expected a number <= 5 at /level"),
        "{beyond}"
    );
    let whole = call_raw(&client, "span", r#"{"from": 1, "to": 50}"#).await;
    assert_eq!(text(&whole), "49");
    let over = call_raw(&client, "span", r#"{"from": 1, "to": 500}"#).await;
    assert!(
        refusal(&over).contains("expected a number <= 100 at /to"),
        "{over}"
    );
}

#[tokio::test]
async fn a_panic_while_extracting_is_an_internal_error_and_serving_goes_on() {
    let client = client().await;
    let exploded = call_raw(&client, "explode", r#"{"value": 1}"#).await;
    assert_eq!(exploded["error"]["code"], -32603, "{exploded}");
    let after = client
        .call_tool("scale", json!({"n": 1, "factor": 2}))
        .await;
    assert_eq!(after.unwrap().text(), Some("2"));
}

#[tokio::test]
async fn numbers_beyond_f64_are_invalid_params_on_both_paths() {
    let client = client().await;
    for (tool, arguments) in [
        ("scale", r#"{"n": 1, "factor": 1e400}"#),
        ("set_level", r#"{"level": 1e400}"#),
    ] {
        let answer = call_raw(&client, tool, arguments).await;
        assert_eq!(answer["error"]["code"], -32602, "{tool}: {answer}");
    }
}
