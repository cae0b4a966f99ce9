//! Shared pieces of the benchmarks: the bindings they dispatch to and the floor they are
//! measured against.

use mcp_runtime::prelude::*;
use serde::Deserialize;
use serde_json::value::RawValue;

/// Add two numbers.
#[mcp_tool(read_only)]
pub fn add(a: f64, b: f64) -> f64 {
    a + b
}

/// The request every `tools/call` benchmark sends.
pub const CALL_ADD: &[u8] = br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add","arguments":{"a":2,"b":3}}}"#;

/// The floor: what any JSON-RPC server must do at least, parse the request envelope and
/// write a response, with nothing in between.
pub fn floor(request: &[u8]) -> String {
    #[derive(Deserialize)]
    struct Envelope<'a> {
        #[serde(borrow)]
        id: &'a RawValue,
        #[serde(borrow)]
        #[allow(dead_code)]
        params: &'a RawValue,
    }
    let envelope: Envelope<'_> = serde_json::from_slice(request).expect("a valid request");
    format!(
        r#"{{"jsonrpc":"2.0","id":{},"result":{{"content":[{{"type":"text","text":"5.0"}}]}}}}"#,
        envelope.id.get()
    )
}
