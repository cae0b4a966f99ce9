//! Missing client capability.

use super::*;

#[tokio::test]
async fn a_request_lacking_a_capability_the_binding_needs_is_refused_with_32021() {
    let addr = start().await;
    let args = json!({ "prompt": "hello" });
    let without = call_tool(
        addr,
        "ask_model",
        args.clone(),
        json!({ "elicitation": {} }),
        json!({}),
    )
    .await;
    let error = error_of(without, 400, -32021).await;
    assert_eq!(
        error["data"],
        json!({ "requiredCapabilities": { "sampling": {} } }),
        "{error}"
    );

    // However the binding handles the refusal, the request itself is refused.
    let fallback = call_tool(addr, "model_or_default", json!({}), json!({}), json!({})).await;
    let error = error_of(fallback, 400, -32021).await;
    assert_eq!(
        error["data"]["requiredCapabilities"],
        json!({ "sampling": {} })
    );

    let elicits = call_tool(
        addr,
        "one_question",
        json!({}),
        json!({ "sampling": {} }),
        json!({}),
    )
    .await;
    let error = error_of(elicits, 400, -32021).await;
    assert_eq!(
        error["data"]["requiredCapabilities"],
        json!({ "elicitation": {} })
    );

    // Declared: the model is asked through input_required, maxTokens an integer.
    let with = call_tool(
        addr,
        "ask_model",
        args.clone(),
        json!({ "sampling": {} }),
        json!({}),
    )
    .await;
    let (requests, state) = input_required(&result_of(with).await);
    let request = &requests["sampling-1"];
    assert_eq!(request["method"], "sampling/createMessage", "{requests}");
    assert!(request["params"]["maxTokens"].is_u64(), "{requests}");
    assert_eq!(
        request["params"],
        json!({ "messages": [{ "role": "user", "content": { "type": "text", "text": "hello" } }],
            "maxTokens": 100 })
    );
    let answer = json!({ "sampling-1": { "role": "assistant",
        "content": { "type": "text", "text": "hi there" }, "model": "m1" } });
    let retry = json!({ "inputResponses": answer, "requestState": state });
    let done =
        result_of(call_tool(addr, "ask_model", args, json!({ "sampling": {} }), retry).await).await;
    assert_eq!(text_of(&done), "m1 said: hi there");
}
