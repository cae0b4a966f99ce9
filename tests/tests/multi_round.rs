//! Multi-round requests (MRTR) of the stateless era over HTTP: a binding that asks the
//! client for input answers `input_required` with keyed requests and a signed
//! `requestState`; the retry carries the answers. The same binding, unchanged, asks the
//! client directly in the 2025 era. Also: a missing client capability (`-32021`).

use mcp_runtime::prelude::*;
use mcp_runtime::{ElicitResult, SamplingRequest};
use mcp_tests::http::{self, McpHttp, Response, SseEvent, send};
use serde_json::{Value, json};
use std::net::SocketAddr;

const MODERN: &str = "2026-07-28";
const VERSION_KEY: &str = "io.modelcontextprotocol/protocolVersion";
const CAPABILITIES_KEY: &str = "io.modelcontextprotocol/clientCapabilities";
const SERVER_INFO_KEY: &str = "io.modelcontextprotocol/serverInfo";

// ---------------------------------------------------------------------------------------
// Bindings and server
// ---------------------------------------------------------------------------------------

fn form(field: &str) -> Value {
    json!({ "type": "object", "properties": { field: { "type": "string" } }, "required": [field] })
}

/// The accepted value of `field`, or what the user did instead.
fn field(answer: &ElicitResult, field: &str) -> String {
    match answer.content.as_ref().and_then(|c| c.get(field)) {
        Some(Value::String(text)) => text.clone(),
        _ => format!("({:?})", answer.action),
    }
}

/// Ask two questions about `topic`, one after the other.
#[mcp_tool]
async fn two_questions(topic: String, ctx: Context) -> Result<String, ServiceError> {
    let first = ctx
        .input_key("first")
        .elicit(&format!("What is your name ({topic})?"), form("name"))
        .await?;
    let second = ctx
        .input_key("second")
        .elicit("What is your favourite colour?", form("colour"))
        .await?;
    Ok(format!(
        "{topic}: {} likes {}",
        field(&first, "name"),
        field(&second, "colour")
    ))
}

/// Ask for a name, a model's greeting and the roots, all at once (default keys).
#[mcp_tool]
async fn three_at_once(ctx: Context) -> Result<String, ServiceError> {
    let (name, greeting, roots) = tokio::join!(
        ctx.elicit("Your name?", form("name")),
        ctx.sample(SamplingRequest::new(50).user("A greeting, please")),
        ctx.roots(),
    );
    let (name, greeting, roots) = (name?, greeting?, roots?);
    let uris: Vec<&str> = roots.iter().map(|r| r.uri.as_str()).collect();
    Ok(format!(
        "{} {} ({})",
        greeting.content.as_text().unwrap_or("(no text)"),
        field(&name, "name"),
        uris.join(", ")
    ))
}

/// Ask one question (default key).
#[mcp_tool]
async fn one_question(ctx: Context) -> Result<String, ServiceError> {
    let answer = ctx.elicit("Your name?", form("name")).await?;
    Ok(format!("Hello, {}!", field(&answer, "name")))
}

/// Ask the client's model.
#[mcp_tool]
async fn ask_model(prompt: String, ctx: Context) -> Result<String, ServiceError> {
    let answer = ctx.sample(SamplingRequest::new(100).user(prompt)).await?;
    Ok(format!(
        "{} said: {}",
        answer.model,
        answer.content.as_text().unwrap_or("(no text)")
    ))
}

/// Ask the client's model, falling back when it cannot be asked.
#[mcp_tool]
async fn model_or_default(ctx: Context) -> String {
    match ctx.sample(SamplingRequest::new(10).user("hi")).await {
        Ok(answer) => answer.model,
        Err(_) => "no model".into(),
    }
}

/// A prompt that asks the user for context first.
#[mcp_prompt]
async fn with_context(ctx: Context) -> Result<String, ServiceError> {
    let answer = ctx
        .input_key("context")
        .elicit("Which context?", form("context"))
        .await?;
    Ok(format!("Use {}", field(&answer, "context")))
}

/// A tool without `Context`: it cannot ask for input.
#[mcp_tool]
fn shout(text: String) -> String {
    text.to_uppercase()
}

async fn start() -> SocketAddr {
    let server = McpServer::builder("multi-round", "1")
        .filter(|b| {
            b.module_path()
                .is_some_and(|m| m.starts_with("multi_round"))
        })
        .build()
        .expect("the test server builds");
    http::serve(server.router()).await
}

// ---------------------------------------------------------------------------------------
// A stateless HTTP client
// ---------------------------------------------------------------------------------------

fn meta(capabilities: Value) -> Value {
    json!({ VERSION_KEY: MODERN, CAPABILITIES_KEY: capabilities })
}

/// A stateless `tools/call` of `name` with `extra` top-level params (inputResponses,
/// requestState), declaring `capabilities`, with conforming headers.
async fn call_tool(
    addr: SocketAddr,
    name: &str,
    arguments: Value,
    capabilities: Value,
    extra: Value,
) -> Response {
    let mut params = json!({ "name": name, "arguments": arguments, "_meta": meta(capabilities) });
    for (k, v) in extra.as_object().expect("extra params are an object") {
        params[k] = v.clone();
    }
    let body = json!({ "jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params });
    let headers = [
        ("content-type", "application/json"),
        ("accept", "application/json, text/event-stream"),
        ("mcp-protocol-version", MODERN),
        ("mcp-method", "tools/call"),
        ("mcp-name", name),
    ];
    send(addr, "POST", "/mcp", &headers, body.to_string()).await
}

/// A stateless `prompts/get` of `name` with `extra` top-level params.
async fn get_prompt(addr: SocketAddr, name: &str, capabilities: Value, extra: Value) -> Response {
    let mut params = json!({ "name": name, "arguments": {}, "_meta": meta(capabilities) });
    for (k, v) in extra.as_object().expect("extra params are an object") {
        params[k] = v.clone();
    }
    let body = json!({ "jsonrpc": "2.0", "id": 1, "method": "prompts/get", "params": params });
    let headers = [
        ("content-type", "application/json"),
        ("accept", "application/json, text/event-stream"),
        ("mcp-protocol-version", MODERN),
        ("mcp-method", "prompts/get"),
        ("mcp-name", name),
    ];
    send(addr, "POST", "/mcp", &headers, body.to_string()).await
}

/// The JSON-RPC message of a JSON answer with `status`.
async fn json_answer(response: Response, status: u16) -> Value {
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.header("mcp-session-id"), None);
    let actual = response.status;
    let body = response.json().await;
    assert_eq!(actual, status, "{body}");
    body
}

async fn result_of(response: Response) -> Value {
    let mut body = json_answer(response, 200).await;
    assert!(body.get("error").is_none(), "{body}");
    body["result"].take()
}

async fn error_of(response: Response, status: u16, code: i64) -> Value {
    let mut body = json_answer(response, status).await;
    assert_eq!(body["error"]["code"], code, "{body}");
    body["error"].take()
}

/// A refused `requestState`: `-32602` naming it.
async fn state_refused(response: Response) {
    let error = error_of(response, 200, -32602).await;
    assert!(
        error["message"].as_str().unwrap().contains("requestState"),
        "{error}"
    );
}

/// An `input_required` result: checks its shape; returns (inputRequests, requestState).
fn input_required(result: &Value) -> (Value, String) {
    assert_eq!(result["resultType"], "input_required", "{result}");
    assert_eq!(
        result["_meta"][SERVER_INFO_KEY],
        json!({ "name": "multi-round", "version": "1" })
    );
    assert!(
        result.get("ttlMs").is_none() && result.get("content").is_none(),
        "{result}"
    );
    let state = result["requestState"]
        .as_str()
        .expect("a requestState")
        .to_owned();
    assert!(!state.is_empty());
    (result["inputRequests"].clone(), state)
}

fn elicitation(message: &str, field: &str) -> Value {
    json!({ "method": "elicitation/create",
        "params": { "mode": "form", "message": message, "requestedSchema": form(field) } })
}

fn accept(field: &str, value: &str) -> Value {
    json!({ "action": "accept", "content": { field: value } })
}

fn text_of(result: &Value) -> &str {
    result["content"][0]["text"]
        .as_str()
        .expect("a text result")
}

const ELICITATION: &str = r#"{ "elicitation": {} }"#;

fn elicitation_capability() -> Value {
    serde_json::from_str(ELICITATION).unwrap()
}

// ---------------------------------------------------------------------------------------
// 4. Multi-round requests
// ---------------------------------------------------------------------------------------

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
async fn a_malformed_answer_is_invalid_params() {
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
            .contains("inputResponses"),
        "{error}"
    );
}

#[tokio::test]
async fn a_malformed_answer_is_reported_under_its_key() {
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

// ---------------------------------------------------------------------------------------
// 5. Missing client capability
// ---------------------------------------------------------------------------------------

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
