//! What `build()` accepts, refuses and selects: duplicate names, filters, hand-built
//! bindings checked like macro ones, missing state.

use super::*;

#[test]
fn two_bindings_with_one_name_fail_the_build_naming_both_locations() {
    let error = McpServer::builder("test", "1.0").build().unwrap_err();
    let Error::DuplicateBinding {
        kind,
        name,
        first,
        second,
    } = &error
    else {
        panic!("{error}")
    };
    assert_eq!((*kind, name.as_str()), ("tool", "clash"));
    assert!(
        first.contains("tests/registry/main.rs:") && second.contains("tests/registry/main.rs:"),
        "{first} / {second}"
    );
    assert_ne!(first, second);
    let message = error.to_string();
    assert!(
        message.contains("rename one") && message.contains(first) && message.contains(second),
        "{message}"
    );

    let by_hand = ToolBinding::new("charge", |_: Arguments, _: Context| async { "again" });
    let error = only_tag("money").tool(by_hand).build().unwrap_err();
    assert!(
        error.to_string().contains("a binding registered by hand"),
        "{error}"
    );
}

#[tokio::test]
async fn filters_select_by_module_tag_and_name() {
    let server = McpServer::builder("billing", "1.0")
        .filter(|b| b.in_module("registry::billing"))
        .build()
        .unwrap();
    assert_eq!(server.tool_names(), ["charge"]);
    let server = only_tag("money").build().unwrap();
    assert_eq!(server.tool_names(), ["charge", "refund"]);
    let server = McpServer::builder("one", "1.0")
        .filter(|b| b.kind() == BindingKind::Tool && b.name() == "open_ticket")
        .build()
        .unwrap();
    assert_eq!(server.tool_names(), ["open_ticket"]);
    // `in_module` matches whole path segments, not prefixes of names.
    let server = McpServer::builder("none", "1.0")
        .filter(|b| b.in_module("registry::bill"))
        .build()
        .unwrap();
    assert!(server.tool_names().is_empty());
}

#[tokio::test]
async fn hand_built_tools_are_validated_like_macro_ones() {
    let echo = ToolBinding::new("echo", |mut args: Arguments, _: Context| async move { args.take::<String>("text") })
        .description("Echo.")
        .input_schema(json!({ "type": "object", "properties": { "text": { "type": "string", "minLength": 2 } }, "required": ["text"] }));
    let server = McpServer::builder("manual", "1.0")
        .filter(|b| b.module_path().is_none())
        .tool(echo)
        .build()
        .unwrap();
    let client = TestClient::connect(&server).await;
    assert_eq!(
        client
            .call_tool("echo", json!({ "text": "hi" }))
            .await
            .unwrap()
            .text(),
        Some("hi")
    );
    let short = client
        .call_tool("echo", json!({ "text": "h" }))
        .await
        .unwrap();
    assert!(
        short.is_error
            && short
                .text()
                .unwrap()
                .contains("at least 2 characters at /text"),
        "{short:?}"
    );
    let listed = client.list_tools().await.unwrap();
    assert_eq!(listed[0]["description"], "Echo.");
}

#[test]
fn invalid_hand_built_bindings_and_missing_state_fail_the_build() {
    let nameless = ToolBinding::new("has space", |_: Arguments, _: Context| async { "x" });
    let error = only_tag("none").tool(nameless).build().unwrap_err();
    assert!(
        error.to_string().contains("not a valid tool name"),
        "{error}"
    );
    let arrays = ToolBinding::new("arrays", |_: Arguments, _: Context| async { "x" })
        .input_schema(json!({ "type": "array" }));
    let error = only_tag("none").tool(arrays).build().unwrap_err();
    assert!(
        error.to_string().contains("must describe an object"),
        "{error}"
    );
    let template = ResourceBinding::new("bad", "x://{id", |_: ResourceRequest, _: Context| async {
        "x"
    });
    let error = only_tag("none").resource(template).build().unwrap_err();
    assert!(error.to_string().contains("does not parse"), "{error}");
    let error = only_tag("stateful").build().unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("State<registry::Counter>") && message.contains(".state(value)"),
        "{message}"
    );
}
