//! A panic in user code the runtime calls around a binding (a permission check, here
//! during list filtering and before a call) is contained: the request is answered, and
//! its slot among the session's requests in flight is given back.

use mcp_runtime::RequestEnv;
use mcp_runtime::prelude::*;
use mcp_tests::http::{self, McpHttp};
use serde_json::json;

fn panics(_: &RequestEnv) -> bool {
    panic!("a permission check with a bug")
}

/// Guarded by a permission that panics.
#[mcp_tool(permission = panics)]
fn guarded() -> &'static str {
    "never"
}

#[tokio::test]
async fn a_panicking_permission_refuses_and_holds_no_slot() {
    let server = McpServer::builder("panics", "0.0.0")
        .filter(|b| {
            b.module_path()
                .is_some_and(|m| m == "hardening" || m.ends_with("user_panics"))
        })
        .filter_listings(true)
        // Few slots: a leaked one per request would show within the loop below.
        .max_in_flight(4096, 8)
        .build()
        .expect("build");
    let addr = http::serve(server.router()).await;
    let mut client = McpHttp::new(addr);
    client.initialize(json!({})).await;
    for _ in 0..20 {
        let listed = client.request("tools/list", json!({})).await;
        assert_eq!(listed.status, 200);
        let listed = listed.json().await;
        let names: Vec<&str> = listed["result"]["tools"]
            .as_array()
            .expect("tools")
            .iter()
            .filter_map(|t| t["name"].as_str())
            .collect();
        assert_eq!(names, ["echo"], "{listed}");
        let refused = client
            .request("tools/call", json!({ "name": "guarded" }))
            .await;
        assert_eq!(refused.status, 200);
        let refused = refused.json().await;
        assert_eq!(refused["error"]["code"], -32603, "{refused}");
    }
    let result = client
        .call_tool("echo", json!({ "text": "still served" }))
        .await;
    assert_eq!(result["content"][0]["text"], "still served");
}
