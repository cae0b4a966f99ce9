//! The `crate = path` key: bindings of a crate that knows the runtime only by another name
//! (`renamed_runtime`) compile, register and serve as any others.

use mcp_runtime::McpServer;
use mcp_runtime::testing::TestClient;
use mcp_tests_renamed_runtime::{Kitchen, TAG};
use serde_json::json;

fn server() -> McpServer {
    McpServer::builder("renamed", "1.0")
        .filter(|b| b.has_tag(TAG))
        .state(Kitchen { chef: "Ada".into() })
        .build()
        .expect("builds")
}

#[tokio::test]
async fn functions_with_the_key_are_served() {
    let client = TestClient::connect(&server()).await;
    let order = client.call_tool("order", json!({ "item": "tea", "count": 2 }));
    assert_eq!(order.await.unwrap().text(), Some("\"2 x tea\""));
    let read = client.read_resource("menu://toast").await.unwrap();
    assert_eq!(
        serde_json::to_value(&read.contents[0]).unwrap()["text"],
        "toast: on the menu"
    );
    let completed = client.complete_template_variable("menu://{item}", "item", "to");
    assert_eq!(completed.await.unwrap().values, ["toast"]);
}

#[tokio::test]
async fn methods_take_the_key_from_their_impl() {
    let client = TestClient::connect(&server()).await;
    let chef = client.call_tool("chef", json!({})).await.unwrap();
    assert_eq!(chef.text(), Some("Ada"));
    let prompt = client.get_prompt("ask", json!({ "dish": "soup" }));
    let prompt = serde_json::to_value(prompt.await.unwrap()).unwrap();
    assert_eq!(
        prompt["messages"][0]["content"]["text"],
        "Ask Ada for soup."
    );
    let dishes = client.complete_prompt_argument("ask", "dish", "t");
    assert_eq!(dishes.await.unwrap().values, ["tea", "toast"]);
}
