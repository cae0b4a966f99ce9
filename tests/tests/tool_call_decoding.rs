//! A `tools/call` whose method comes before its params (what clients send) is decoded in
//! one pass with its envelope; any other order, or a message that pass does not take, goes
//! through the full decoder and the handler's own decoding of the params. Both ways must
//! answer every request alike, byte for byte.

use mcp_runtime::ServiceError;
use mcp_runtime::prelude::*;
use mcp_runtime::testing::TestClient;

/// Add two numbers.
#[mcp_tool]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

/// Greets, or fails as the tool itself decides.
#[mcp_tool]
fn greet(name: String) -> Result<String, ServiceError> {
    if name.is_empty() {
        return Err(ServiceError::new("a name is required"));
    }
    Ok(format!("hello {name}"))
}

const STATELESS_META: &str = r#"{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}"#;

/// Params of `tools/call` requests: well-formed, refused by the tool, and malformed.
fn params_cases() -> Vec<String> {
    let mut cases: Vec<String> = [
        r#"{"name":"add","arguments":{"a":2,"b":3}}"#,
        r#"{"arguments":{"b":3,"a":2},"name":"add"}"#,
        r#"{"name":"add","arguments":{"a":2,"b":3},"_meta":{"progressToken":"p"}}"#,
        r#"{"name":"add","arguments":{"a":"two","b":3}}"#,
        r#"{"name":"add","arguments":{"a":2}}"#,
        r#"{"name":"add","arguments":{"a":2,"b":3,"c":4}}"#,
        r#"{"name":"add","arguments":[2,3]}"#,
        r#"{"name":"add","arguments":{"a":1e400,"b":3}}"#,
        r#"{"name":"add","arguments":{"a":1,"a":2,"b":3}}"#,
        r#"{"name":"greet","arguments":{"name":""}}"#,
        r#"{"name":"gr\u0065et","arguments":{"name":"Ada"}}"#,
        r#"{"name":"nope","arguments":{}}"#,
        r#"{"name":5,"arguments":{}}"#,
        r#"{"name":"add","name":"greet"}"#,
        r#"{"arguments":{}}"#,
        r#"{"name":"add","arguments":{"a":2,"b":3},"_meta":{"progressToken":[]}}"#,
        r#"{"name":"add","arguments":{"a":2,"b":3},"_meta":7}"#,
        r#"{"name":"add","arguments":{"a":2,"b":3},"requestState":5}"#,
        r#"null"#,
        r#"[]"#,
        // Params must be an object: serde would take a struct from an array, by position.
        r#"["add",{"a":2,"b":3}]"#,
    ]
    .map(str::to_owned)
    .to_vec();
    // The same in the stateless era, whose `_meta` says so.
    cases.push(format!(
        r#"{{"name":"add","arguments":{{"a":2,"b":3}},"_meta":{STATELESS_META}}}"#
    ));
    cases.push(format!(
        r#"{{"name":"add","arguments":{{"a":"x"}},"_meta":{STATELESS_META}}}"#
    ));
    cases
}

#[tokio::test]
async fn a_tool_call_is_answered_alike_whatever_order_its_members_come_in() {
    let server = McpServer::builder("decoding", "1.0").build().unwrap();
    let client = TestClient::connect(&server).await;
    for params in params_cases() {
        let method_first =
            format!(r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{params}}}"#);
        let params_first =
            format!(r#"{{"params":{params},"id":1,"jsonrpc":"2.0","method":"tools/call"}}"#);
        let one_pass = client.send_raw(method_first.as_bytes()).await;
        let full = client.send_raw(params_first.as_bytes()).await;
        assert_eq!(one_pass, full, "params {params}");
        let answer = one_pass.unwrap_or_else(|| panic!("no answer to {params}"));
        assert!(
            answer.starts_with(r#"{"jsonrpc":"2.0","id":1,"#),
            "{answer}"
        );
    }
}

#[tokio::test]
async fn the_one_pass_decoder_answers_what_the_handler_decides() {
    let server = McpServer::builder("decoding", "1.0").build().unwrap();
    let client = TestClient::connect(&server).await;
    let call = |params: &str| {
        format!(r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{params}}}"#)
    };
    let ok = client
        .send_raw(call(r#"{"name":"add","arguments":{"a":2,"b":3}}"#).as_bytes())
        .await
        .unwrap();
    assert!(ok.contains(r#""text":"5.0""#), "{ok}");
    let unknown = client
        .send_raw(call(r#"{"name":"nope"}"#).as_bytes())
        .await
        .unwrap();
    assert!(
        unknown.contains("-32602") && unknown.contains("Unknown tool: nope"),
        "{unknown}"
    );
    let bad_name = client
        .send_raw(call(r#"{"name":5}"#).as_bytes())
        .await
        .unwrap();
    assert!(bad_name.contains("-32602"), "{bad_name}");
    let stateless = client
        .send_raw(
            call(&format!(
                r#"{{"name":"add","arguments":{{"a":2,"b":3}},"_meta":{STATELESS_META}}}"#
            ))
            .as_bytes(),
        )
        .await
        .unwrap();
    assert!(
        stateless.contains(r#""resultType":"complete""#),
        "{stateless}"
    );
}
