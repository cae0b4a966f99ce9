//! The argument validator, through `tools/call`: arbitrary arguments for tools whose input
//! schema has types, bounds, a pattern, an enum, required properties,
//! `additionalProperties: false` and nested arrays and objects.
//!
//! Input: JSON text of the arguments, or (when it is not JSON) bytes from which arbitrary
//! arguments are built. Checked, beyond "no panic": every call answers a result (never a
//! JSON-RPC error); the `validated` tool answers `isError` exactly when the arguments
//! break the schema (an independent check of this one schema decides), with one line per
//! failure naming a JSON path that exists in the arguments, and echoes valid arguments
//! unchanged; the `typed` tool (Rust types narrower than the schema) answers a result or
//! an `isError` naming paths, in both eras. A call sent as a message with its method before
//! its params (decoded in one pass with the envelope) is answered byte for byte as the same
//! call with its params first (decoded by the full decoder, then the handler).

#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use mcp_fuzz::{
    ARGUMENT_KEYS, CAPABILITIES_KEY, STATELESS, VERSION_KEY, arb_json, arb_object, run, server,
};
use mcp_runtime::model::CallToolResult;
use mcp_runtime::testing::TestClient;
use serde_json::{Map, Value, json};

fuzz_target!(|data: &[u8]| {
    let arguments = match serde_json::from_slice::<Value>(data) {
        Ok(arguments) => {
            // The arguments exactly as written: repeated or escaped member names too.
            if let Ok(text) = std::str::from_utf8(data) {
                run(decoders_agree(text));
            }
            arguments
        }
        Err(_) => {
            let mut u = Unstructured::new(data);
            let built = match u.ratio(7, 8) {
                Ok(true) => arb_object(&mut u, &ARGUMENT_KEYS, 3).map(Value::Object),
                _ => arb_json(&mut u, &ARGUMENT_KEYS, 3),
            };
            match built {
                Ok(arguments) => arguments,
                Err(_) => return,
            }
        }
    };
    run(async {
        let server = server();
        let session = TestClient::connect(server).await;

        let result = session
            .call_tool("validated", arguments.clone())
            .await
            .unwrap_or_else(|e| panic!("tools/call answered an error: {e:?}"));
        let valid = valid(&arguments);
        if valid {
            assert!(
                !result.is_error,
                "valid arguments {arguments} refused: {result:?}"
            );
            assert_eq!(
                result.structured_content.as_ref(),
                Some(&arguments),
                "arguments not passed on unchanged"
            );
        } else {
            assert!(
                result.is_error,
                "invalid arguments {arguments} accepted: {result:?}"
            );
            check_report(&arguments, &result, true);
        }

        let result = session
            .call_tool("typed", arguments.clone())
            .await
            .unwrap_or_else(|e| panic!("tools/call answered an error: {e:?}"));
        check_typed(&arguments, &result, valid);

        let stateless = TestClient::connect_uninitialized(server, None);
        let params = json!({
            "name": "typed",
            "arguments": arguments,
            "_meta": { VERSION_KEY: STATELESS, CAPABILITIES_KEY: {} }
        });
        let result = stateless
            .request("tools/call", params)
            .await
            .unwrap_or_else(|e| panic!("stateless tools/call answered an error: {e:?}"));
        assert_eq!(result["resultType"], "complete", "{result}");
        let result: CallToolResult = serde_json::from_value(result).expect("a tools/call result");
        check_typed(&arguments, &result, valid);
    });
});

/// Both ways of decoding a `tools/call` give one answer, for each of the tools.
async fn decoders_agree(arguments: &str) {
    let session = TestClient::connect(server()).await;
    for tool in ["validated", "typed"] {
        let params = format!(r#"{{"name":"{tool}","arguments":{arguments}}}"#);
        let method_first =
            format!(r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{params}}}"#);
        let params_first =
            format!(r#"{{"params":{params},"jsonrpc":"2.0","id":1,"method":"tools/call"}}"#);
        let one_pass = session.send_raw(method_first.as_bytes()).await;
        let full = session.send_raw(params_first.as_bytes()).await;
        assert_eq!(one_pass, full, "the two decoders disagree on {params}");
    }
}

fn check_typed(arguments: &Value, result: &CallToolResult, valid: bool) {
    if result.is_error {
        check_report(arguments, result, false);
    } else {
        assert!(valid, "invalid arguments {arguments} accepted: {result:?}");
    }
}

/// The text of an `isError` result is a report: `invalid arguments:`, then one line per
/// failure naming a JSON path (ten at most, then a line counting the rest). The validator's own reports name paths that exist in the
/// arguments (`/` is the whole object); a Rust type's refusal (wrapped in a JSON error
/// document) may name a missing argument.
fn check_report(arguments: &Value, result: &CallToolResult, from_validator: bool) {
    let text = result
        .text()
        .unwrap_or_else(|| panic!("an error result without text: {result:?}"));
    let (report, wrapped) = match serde_json::from_str::<Value>(text) {
        Ok(document) => {
            assert_eq!(document["error"]["type"], "validation_error", "{text}");
            let message = document["error"]["message"]
                .as_str()
                .unwrap_or_else(|| panic!("no message in {text}"))
                .to_owned();
            (message, true)
        }
        Err(_) => (text.to_owned(), false),
    };
    assert!(
        !(from_validator && wrapped),
        "the validator's report is wrapped: {text}"
    );
    let mut lines = report.split('\n');
    assert_eq!(lines.next(), Some("invalid arguments:"), "{report}");
    let mut failures = 0;
    let mut counted = false;
    for line in lines {
        assert!(!counted, "a line after the count of the rest: {report}");
        // Beyond ten failures the rest are counted, not described, on a last line.
        if is_count_of_the_rest(line) {
            assert_eq!(failures, 10, "a count before ten failures: {report}");
            counted = true;
            continue;
        }
        failures += 1;
        assert!(line.starts_with("- "), "line {line:?} of {report}");
        let path = path_of(line).unwrap_or_else(|| panic!("no path in {line:?}"));
        assert!(path.starts_with('/'), "path {path:?} in {line:?}");
        if !wrapped {
            // The server validates `{}` when the arguments are null.
            let root = if arguments.is_null() {
                &json!({})
            } else {
                arguments
            };
            let target = if path == "/" {
                Some(root)
            } else {
                root.pointer(path)
            };
            assert!(
                target.is_some(),
                "{path:?} (in {line:?}) is not in {arguments}"
            );
        }
    }
    assert!(failures > 0, "a report without failures: {report}");
}

/// `- and 5 more errors`, `- and 1 more error`, `- and 1000 or more errors besides`.
fn is_count_of_the_rest(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("- and ") else {
        return false;
    };
    let (number, words) = rest.split_once(' ').unwrap_or((rest, ""));
    number.parse::<u32>().is_ok()
        && matches!(words, "more error" | "more errors" | "or more errors besides")
}

/// The JSON path a report line names.
fn path_of(line: &str) -> Option<&str> {
    if let Some(rest) = line.strip_prefix("- value at ") {
        return rest.split(" does not satisfy").next();
    }
    let (_, path) = line.rsplit_once(" at ")?;
    Some(
        path.strip_suffix("; remove it")
            .or_else(|| path.strip_suffix("; remove them"))
            .unwrap_or(path),
    )
}

/// Whether `arguments` satisfy [`mcp_fuzz::arguments_schema`], decided without the
/// validator.
fn valid(arguments: &Value) -> bool {
    let Some(object) = arguments.as_object() else {
        return false;
    };
    object.contains_key("limit")
        && object.iter().all(|(key, value)| match key.as_str() {
            "limit" => integer(value).is_some_and(|n| (1.0..=1000.0).contains(&n)),
            "code" => value
                .as_str()
                .is_some_and(|s| s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())),
            "kind" => {
                value.is_null()
                    || value == "a"
                    || value == "b"
                    || value.as_f64().is_some_and(|n| n == 1.0)
            }
            "tags" => array(value, 4, |tag| {
                tag.as_str()
                    .is_some_and(|s| (1..=8).contains(&s.chars().count()))
            }),
            "matrix" => array(value, usize::MAX, |row| {
                array(row, usize::MAX, Value::is_number)
            }),
            "point" => object_with(value, &["x"], |key, v| match key {
                "x" => v.is_number(),
                "y" => v.as_f64().is_some_and(|y| y > 0.0),
                _ => false,
            }),
            "items" => array(value, usize::MAX, |item| {
                object_with(item, &["id"], |key, v| match key {
                    "id" => v.is_string(),
                    "qty" => integer(v).is_some_and(|n| n >= 0.0),
                    _ => false,
                })
            }),
            "flag" => value.is_boolean(),
            "note" => value.is_string() || value.is_null(),
            _ => false,
        })
}

/// The value of a JSON Schema integer: a number without a fractional part.
fn integer(value: &Value) -> Option<f64> {
    let n = value.as_f64()?;
    (value.is_i64() || value.is_u64() || n.fract() == 0.0).then_some(n)
}

fn array(value: &Value, max_items: usize, item: impl Fn(&Value) -> bool) -> bool {
    value
        .as_array()
        .is_some_and(|items| items.len() <= max_items && items.iter().all(item))
}

fn object_with(value: &Value, required: &[&str], member: impl Fn(&str, &Value) -> bool) -> bool {
    value
        .as_object()
        .is_some_and(|object: &Map<String, Value>| {
            required.iter().all(|key| object.contains_key(*key))
                && object.iter().all(|(key, v)| member(key, v))
        })
}
