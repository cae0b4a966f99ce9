//! Shared pieces of the benchmarks: the bindings they dispatch to and the floor they are
//! measured against.

pub mod rmcp_add;

use mcp_runtime::McpServerBuilder;
use mcp_runtime::prelude::*;
use serde::Deserialize;
use serde_json::value::RawValue;

/// Add two numbers.
#[mcp_tool(read_only)]
pub fn add(a: f64, b: f64) -> f64 {
    a + b
}

/// A note by id (a resource template).
#[mcp_resource(uri = "notes://{id}", mime_type = "text/plain")]
pub fn note(id: u64) -> String {
    format!("note {id}")
}

/// Greet someone (a prompt with one argument).
#[mcp_prompt]
pub fn greet(name: String) -> String {
    format!("Say hello to {name}")
}

/// The request every `tools/call` benchmark sends.
pub const CALL_ADD: &[u8] = br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add","arguments":{"a":2,"b":3}}}"#;

/// The same call in the stateless era (2026-07-28): no session, everything in `_meta`.
pub const CALL_ADD_STATELESS: &[u8] = br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add","arguments":{"a":2,"b":3},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}"#;

/// `resources/read` through the `notes://{id}` template.
pub const READ_NOTE: &[u8] =
    br#"{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"notes://42"}}"#;

/// `prompts/get` of `greet`.
pub const GET_GREET: &[u8] = br#"{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"greet","arguments":{"name":"Ada"}}}"#;

/// The first page of `tools/list`.
pub const LIST_TOOLS: &[u8] = br#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#;

/// A server of `count` hand-built tools (`tool_00000`...), each with a two-property schema,
/// and none of the collected bindings: for measuring lists and registry size.
pub fn server_with_tools(count: usize) -> McpServer {
    builder_with_tools(count)
        .build()
        .expect("generated tools build")
}

/// The builder of [`server_with_tools`], for benchmarks that set more.
pub fn builder_with_tools(count: usize) -> McpServerBuilder {
    let schema = serde_json::json!({
        "type": "object",
        "properties": { "a": { "type": "number" }, "b": { "type": "number" } },
        "required": ["a", "b"]
    });
    (0..count).fold(
        McpServer::builder("bench", "1.0").filter(|_| false),
        |builder, i| {
            let tool = mcp_runtime::binding::ToolBinding::new(
                format!("tool_{i:05}"),
                |_: mcp_runtime::binding::Arguments, _: Context| async { "ok" },
            )
            .description("A generated tool.")
            .input_schema(schema.clone());
            builder.tool(tool)
        },
    )
}

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
