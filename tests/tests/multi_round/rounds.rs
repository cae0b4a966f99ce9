//! Multi-round requests.

use super::*;

#[tokio::test]
async fn an_answer_sealed_in_the_state_cannot_be_replaced_by_a_later_round() {
    let addr = start().await;
    let caps = elicitation_capability;
    let args = json!({ "topic": "intro" });
    let round1 =
        result_of(call_tool(addr, "two_questions", args.clone(), caps(), json!({})).await).await;
    let (_, s1) = input_required(&round1);
    let retry = json!({ "inputResponses": { "first": accept("name", "Ada") }, "requestState": s1 });
    let round2 =
        result_of(call_tool(addr, "two_questions", args.clone(), caps(), retry).await).await;
    let (_, s2) = input_required(&round2);
    // The last round also sends another answer to the first question: the signed one wins.
    let answers =
        json!({ "first": accept("name", "Mallory"), "second": accept("colour", "green") });
    let retry = json!({ "inputResponses": answers, "requestState": s2 });
    let done = result_of(call_tool(addr, "two_questions", args, caps(), retry).await).await;
    assert_eq!(text_of(&done), "intro: Ada likes green");
}

#[tokio::test]
async fn two_sequential_questions_take_three_rounds_carrying_both_answers() {
    let addr = start().await;
    let caps = elicitation_capability;
    let args = json!({ "topic": "intro" });

    let round1 =
        result_of(call_tool(addr, "two_questions", args.clone(), caps(), json!({})).await).await;
    let (requests, s1) = input_required(&round1);
    assert_eq!(
        requests,
        json!({ "first": elicitation("What is your name (intro)?", "name") })
    );

    let answer1 = json!({ "first": accept("name", "Ada") });
    let retry = json!({ "inputResponses": answer1, "requestState": s1 });
    let round2 =
        result_of(call_tool(addr, "two_questions", args.clone(), caps(), retry).await).await;
    let (requests, s2) = input_required(&round2);
    assert_eq!(
        requests,
        json!({ "second": elicitation("What is your favourite colour?", "colour") }),
        "the answered question is not asked again"
    );
    assert_ne!(s1, s2, "the state now carries the first answer");

    // The last round answers only the second question: the first comes from the state.
    let answer2 = json!({ "second": accept("colour", "green") });
    let retry = json!({ "inputResponses": answer2, "requestState": s2 });
    let done = result_of(call_tool(addr, "two_questions", args.clone(), caps(), retry).await).await;
    assert_eq!(
        done,
        json!({ "content": [{ "type": "text", "text": "intro: Ada likes green" }],
            "resultType": "complete",
            "_meta": { SERVER_INFO_KEY: { "name": "multi-round", "version": "1" } } })
    );
    assert!(done.get("requestState").is_none() && done.get("inputRequests").is_none());
}

#[tokio::test]
async fn concurrent_questions_are_asked_in_one_round_under_default_keys() {
    let addr = start().await;
    let caps = json!({ "elicitation": {}, "sampling": {}, "roots": {} });
    let round1 =
        result_of(call_tool(addr, "three_at_once", json!({}), caps.clone(), json!({})).await).await;
    let (requests, state) = input_required(&round1);
    assert_eq!(
        requests,
        json!({
            "elicitation-1": elicitation("Your name?", "name"),
            "sampling-1": { "method": "sampling/createMessage", "params": {
                "messages": [{ "role": "user", "content": { "type": "text", "text": "A greeting, please" } }],
                "maxTokens": 50 } },
            "roots-1": { "method": "roots/list", "params": {} },
        })
    );

    let answers = json!({
        "elicitation-1": accept("name", "Ada"),
        "sampling-1": { "role": "assistant", "content": { "type": "text", "text": "Hi" }, "model": "m" },
        "roots-1": { "roots": [{ "uri": "file:///a" }, { "uri": "file:///b", "name": "b" }] },
    });
    let retry = json!({ "inputResponses": answers, "requestState": state });
    let done = result_of(call_tool(addr, "three_at_once", json!({}), caps, retry).await).await;
    assert_eq!(done["resultType"], "complete", "{done}");
    assert_eq!(text_of(&done), "Hi Ada (file:///a, file:///b)");
}

#[tokio::test]
async fn a_changed_request_state_is_refused() {
    let addr = start().await;
    let caps = elicitation_capability;
    let args = json!({ "topic": "t" });
    let round1 =
        result_of(call_tool(addr, "two_questions", args.clone(), caps(), json!({})).await).await;
    let (_, s1) = input_required(&round1);

    let answer = json!({ "first": accept("name", "Ada") });
    let tampered = json!({ "inputResponses": answer, "requestState": format!("{s1}x") });
    state_refused(call_tool(addr, "two_questions", args.clone(), caps(), tampered).await).await;

    // A forged payload with the old signature.
    let (payload, tag) = s1.split_once('.').expect("<payload>.<tag>");
    let forged = format!("{}A.{tag}", &payload[..payload.len() - 1]);
    let forged = json!({ "inputResponses": answer, "requestState": forged });
    error_of(
        call_tool(addr, "two_questions", args.clone(), caps(), forged).await,
        200,
        -32602,
    )
    .await;

    // Not a state at all.
    let junk = json!({ "inputResponses": answer, "requestState": "junk" });
    error_of(
        call_tool(addr, "two_questions", args, caps(), junk).await,
        200,
        -32602,
    )
    .await;
}

#[tokio::test]
async fn a_binding_without_context_keeps_no_round_so_a_stray_state_is_not_read() {
    let addr = start().await;
    // No round is opened for a binding that cannot ask: a state is not opened, nor needed.
    let stray = json!({ "inputResponses": {}, "requestState": "junk" });
    let args = json!({ "text": "hi" });
    let done = result_of(call_tool(addr, "shout", args, json!({}), stray.clone()).await).await;
    assert_eq!(
        (done["resultType"].as_str(), text_of(&done)),
        (Some("complete"), "HI")
    );
    // A binding that sees its Context still has its state checked.
    let caps = elicitation_capability();
    state_refused(call_tool(addr, "two_questions", json!({ "topic": "t" }), caps, stray).await)
        .await;
}

#[tokio::test]
async fn a_request_state_replayed_against_another_request_is_refused() {
    let addr = start().await;
    let caps = elicitation_capability;
    let round1 = result_of(
        call_tool(
            addr,
            "two_questions",
            json!({ "topic": "a" }),
            caps(),
            json!({}),
        )
        .await,
    )
    .await;
    let (_, s1) = input_required(&round1);
    let answer = json!({ "first": accept("name", "Ada") });
    let retry = json!({ "inputResponses": answer, "requestState": s1 });

    let other_arguments = call_tool(
        addr,
        "two_questions",
        json!({ "topic": "b" }),
        caps(),
        retry.clone(),
    )
    .await;
    let error = error_of(other_arguments, 200, -32602).await;
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("another request"),
        "{error}"
    );
    let other_tool = call_tool(addr, "one_question", json!({}), caps(), retry.clone()).await;
    error_of(other_tool, 200, -32602).await;

    // The same request still accepts it.
    let same = call_tool(
        addr,
        "two_questions",
        json!({ "topic": "a" }),
        caps(),
        retry,
    )
    .await;
    let (requests, _) = input_required(&result_of(same).await);
    assert!(requests.get("second").is_some(), "{requests}");
}

#[tokio::test]
async fn an_answer_given_up_front_completes_a_single_round_tool() {
    let addr = start().await;
    let answers = json!({ "inputResponses": { "elicitation-1": accept("name", "Grace") } });
    let done = result_of(
        call_tool(
            addr,
            "one_question",
            json!({}),
            elicitation_capability(),
            answers,
        )
        .await,
    )
    .await;
    assert_eq!(done["resultType"], "complete", "{done}");
    assert_eq!(text_of(&done), "Hello, Grace!");

    let declined = json!({ "inputResponses": { "elicitation-1": { "action": "decline" } } });
    let done = result_of(
        call_tool(
            addr,
            "one_question",
            json!({}),
            elicitation_capability(),
            declined,
        )
        .await,
    )
    .await;
    assert_eq!(text_of(&done), "Hello, (Decline)!");
}

#[tokio::test]
async fn a_malformed_answer_is_invalid_params_reported_under_its_key() {
    let addr = start().await;
    let answers = json!({ "inputResponses": { "elicitation-1": 12345 } });
    let response = call_tool(
        addr,
        "one_question",
        json!({}),
        elicitation_capability(),
        answers,
    )
    .await;
    let error = error_of(response, 200, -32602).await;
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains(r#"inputResponses["elicitation-1"]"#),
        "{error}"
    );
}

#[tokio::test]
async fn a_prompt_asks_for_input_the_same_way() {
    let addr = start().await;
    let first =
        result_of(get_prompt(addr, "with_context", elicitation_capability(), json!({})).await)
            .await;
    let (requests, state) = input_required(&first);
    assert_eq!(
        requests,
        json!({ "context": elicitation("Which context?", "context") })
    );

    // A state of this prompt is no good for a tool, and a tool's none for this prompt.
    let answer = json!({ "context": accept("context", "billing") });
    let misused = json!({ "inputResponses": answer, "requestState": state });
    let tool = call_tool(
        addr,
        "one_question",
        json!({}),
        elicitation_capability(),
        misused.clone(),
    )
    .await;
    error_of(tool, 200, -32602).await;

    let done =
        result_of(get_prompt(addr, "with_context", elicitation_capability(), misused).await).await;
    assert_eq!(done["resultType"], "complete", "{done}");
    assert_eq!(
        done["messages"][0]["content"]["text"], "Use billing",
        "{done}"
    );

    let without = get_prompt(addr, "with_context", json!({}), json!({})).await;
    let error = error_of(without, 400, -32021).await;
    assert_eq!(
        error["data"]["requiredCapabilities"],
        json!({ "elicitation": {} })
    );
}

/// A `message` event's data (skipping the 2025 priming event).
async fn next_message(stream: &mut Response) -> Value {
    loop {
        let event: SseEvent = stream.next_event().await.expect("an event");
        if !event.data.is_empty() {
            return event.json();
        }
    }
}

#[tokio::test]
async fn the_same_binding_asks_the_client_directly_in_the_2025_era() {
    let addr = start().await;
    let mut client = McpHttp::new(addr);
    client.initialize(elicitation_capability()).await;
    let call = json!({ "jsonrpc": "2.0", "id": 5, "method": "tools/call",
        "params": { "name": "two_questions", "arguments": { "topic": "old" } } });
    let mut stream = client.post(&call).await;
    assert_eq!(stream.status, 200);
    assert_eq!(stream.header("content-type"), Some("text/event-stream"));

    let mut seen = Vec::new();
    for (expected, answer) in [
        (
            elicitation("What is your name (old)?", "name"),
            accept("name", "Ada"),
        ),
        (
            elicitation("What is your favourite colour?", "colour"),
            accept("colour", "blue"),
        ),
    ] {
        let request = next_message(&mut stream).await;
        assert_eq!(request["method"], expected["method"], "{request}");
        assert_eq!(request["params"], expected["params"], "{request}");
        assert!(
            request["id"].is_i64() || request["id"].is_string(),
            "{request}"
        );
        seen.push(request["id"].clone());
        let reply = json!({ "jsonrpc": "2.0", "id": request["id"], "result": answer });
        let accepted = client.post(&reply).await;
        assert_eq!(
            (accepted.status, accepted.text().await),
            (202, String::new())
        );
    }
    assert_ne!(seen[0], seen[1], "two requests to the client");
    let response = next_message(&mut stream).await;
    assert_eq!(
        response,
        json!({ "jsonrpc": "2.0", "id": 5, "result": {
            "content": [{ "type": "text", "text": "old: Ada likes blue" }] } }),
        "no resultType, no input_required in the 2025 era"
    );
    assert_eq!(stream.next_event().await, None);
}
