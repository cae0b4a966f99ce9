//! Every guard tripped on the wire: authentication (`401` and its challenge), the resource
//! metadata, sessions bound to their principal, scope denials (`-32006`, `403` on HTTP),
//! listings filtered per caller, rate limits on every kind of binding, and the bounds on
//! results, requests in flight, subscriptions and listeners.

use jsonwebtoken::{EncodingKey, Header, encode};
use mcp_runtime::prelude::*;
use mcp_runtime::testing::TestClient;
use mcp_runtime::{
    BearerTokens, CompletionRequest, JwtAuthenticator, McpServerBuilder, Permission as _,
    Principal, ProtectedResource, RateLimitAlgorithm, RequestEnv, codes, scopes,
};
use mcp_tests::http::{self, McpHttp, send};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::Duration;

const RESOURCE: &str = "http://127.0.0.1/mcp";
const METADATA_URL: &str = "http://127.0.0.1/.well-known/oauth-protected-resource/mcp";
const ISSUER: &str = "https://auth.example.com";
const SECRET: &[u8] = b"a-signing-secret-of-32-bytes-ok!";

/// Who is calling.
#[mcp_tool(read_only)]
fn whoami(ctx: Context) -> String {
    ctx.env()
        .principal()
        .map_or("nobody".into(), |p| p.subject().to_owned())
}

/// Pay an invoice.
#[mcp_tool(permission = scopes(["invoices:write"]))]
fn pay(id: u64) -> String {
    format!("paid {id}")
}

fn is_admin(env: &RequestEnv) -> bool {
    env.principal().is_some_and(|p| p.has_scope("admin"))
}

/// Read any invoice: its readers or an admin.
#[mcp_tool(permission = scopes(["invoices:read"]).or(is_admin))]
fn audit(id: u64) -> String {
    format!("invoice {id}")
}

/// Purge paid invoices: writers who are also admins.
#[mcp_tool(destructive, permission = scopes(["invoices:write"]).and(is_admin))]
fn purge() -> &'static str {
    "purged"
}

/// Twice per minute per caller.
#[mcp_tool(rate_limit = "2/min")]
fn scarce() -> &'static str {
    "ok"
}

/// Shares a budget with `grouped_b`.
#[mcp_tool(rate_limit = "2/min", rate_limit_group = "pair")]
fn grouped_a() -> &'static str {
    "a"
}

/// Shares a budget with `grouped_a`.
#[mcp_tool(rate_limit_group = "pair")]
fn grouped_b() -> &'static str {
    "b"
}

fn colours(_: CompletionRequest) -> Vec<String> {
    vec!["red".into(), "green".into()]
}

/// A colour, once per minute per caller; its completions have a budget of their own.
#[mcp_resource(uri = "colour://{name}", rate_limit = "1/min", complete = colours)]
fn colour(name: String) -> String {
    name
}

/// A greeting, once per minute per caller.
#[mcp_prompt(rate_limit = "1/min")]
fn hello(name: String) -> String {
    format!("Hello, {name}")
}

/// A result of `size` bytes.
#[mcp_tool]
fn big(size: usize) -> String {
    "x".repeat(size)
}

/// A resource of a megabyte.
#[mcp_resource(uri = "big://blob")]
fn big_blob() -> String {
    "y".repeat(1 << 20)
}

/// Waits a while.
#[mcp_tool]
async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_millis(500)).await;
    "slow done"
}

/// Asks the client for its roots; says how that went.
#[mcp_tool]
async fn ask_roots(ctx: Context) -> String {
    match ctx.roots().await {
        Ok(roots) => format!("{} roots", roots.len()),
        Err(error) => error.to_string(),
    }
}

/// Reports progress five times, a little apart, then answers.
#[mcp_tool]
async fn five_steps(ctx: Context) -> &'static str {
    for step in 1..=5 {
        ctx.progress(f64::from(step), Some(5.0)).await;
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    "five steps"
}

fn builder() -> McpServerBuilder {
    McpServer::builder("security", "1.0")
        .filter(|b| b.module_path().is_some_and(|m| m.starts_with("security")))
}

fn tokens() -> BearerTokens {
    BearerTokens::new()
        .token(
            "alice-token",
            Principal::new("alice").with_scopes(["invoices:write", "invoices:read"]),
        )
        .token("bob-token", Principal::new("bob"))
        .token("root-token", Principal::new("root").with_scopes(["admin"]))
}

fn protected() -> ProtectedResource {
    ProtectedResource::new(RESOURCE)
        .authorization_server(ISSUER)
        .scopes(["invoices:read", "invoices:write"])
}

async fn serve(builder: McpServerBuilder) -> SocketAddr {
    let server = builder.build().expect("the test server builds");
    http::serve(server.router()).await
}

async fn authenticated() -> SocketAddr {
    serve(
        builder()
            .authenticate(tokens())
            .protected_resource(protected()),
    )
    .await
}

async fn post(addr: SocketAddr, authorization: Option<&str>, body: &Value) -> http::Response {
    let mut headers = vec![
        ("content-type", "application/json"),
        ("accept", "application/json, text/event-stream"),
    ];
    if let Some(authorization) = authorization {
        headers.push(("authorization", authorization));
    }
    send(addr, "POST", "/mcp", &headers, body.to_string()).await
}

fn initialize() -> Value {
    json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": http::VERSION, "capabilities": {},
        "clientInfo": { "name": "t", "version": "1" } } })
}

#[tokio::test]
async fn requests_without_valid_credentials_are_401_with_a_challenge() {
    let addr = authenticated().await;
    let missing = post(addr, None, &initialize()).await;
    assert_eq!(missing.status, 401);
    assert_eq!(
        missing.header("www-authenticate"),
        Some(format!("Bearer resource_metadata=\"{METADATA_URL}\"").as_str())
    );
    assert_eq!(
        missing.json().await["error"]["code"],
        codes::INVALID_REQUEST
    );

    let wrong = post(addr, Some("Bearer guess"), &initialize()).await;
    assert_eq!(wrong.status, 401);
    let challenge = wrong.header("www-authenticate").unwrap().to_owned();
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    assert!(challenge.contains(METADATA_URL), "{challenge}");

    // GET and DELETE are authenticated too, before the session is even looked at.
    let get = send(addr, "GET", "/mcp", &[("accept", "text/event-stream")], "").await;
    assert_eq!(get.status, 401);
    let delete = send(addr, "DELETE", "/mcp", &[("mcp-session-id", "x")], "").await;
    assert_eq!(delete.status, 401);
}

#[tokio::test]
async fn the_resource_metadata_is_served_at_both_well_known_paths() {
    let addr = authenticated().await;
    for path in [
        "/.well-known/oauth-protected-resource/mcp",
        "/.well-known/oauth-protected-resource",
    ] {
        let response = send(addr, "GET", path, &[], "").await;
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(
            response.json().await,
            json!({
                "resource": RESOURCE,
                "authorization_servers": [ISSUER],
                "bearer_methods_supported": ["header"],
                "scopes_supported": ["invoices:read", "invoices:write"],
            })
        );
    }
    let plain = serve(builder()).await;
    let none = send(
        plain,
        "GET",
        "/.well-known/oauth-protected-resource",
        &[],
        "",
    )
    .await;
    assert_eq!(none.status, 404, "no metadata unless configured");
}

#[tokio::test]
async fn the_principal_reaches_bindings_and_owns_its_session() {
    let addr = authenticated().await;
    let mut alice = McpHttp::new(addr).with_bearer("alice-token");
    alice.initialize(json!({})).await;
    let result = alice.call_tool("whoami", json!({})).await;
    assert_eq!(result["content"][0]["text"], "alice");

    // Bob presenting Alice's session id finds no such session.
    let mut bob = alice.clone().with_bearer("bob-token");
    let stolen = bob.request("ping", json!({})).await;
    assert_eq!(stolen.status, 404);
    let stolen_get = bob.get(None).await;
    assert_eq!(stolen_get.status, 404);
    assert_eq!(bob.delete().await.status, 404);
    // Alice's session is untouched.
    let ping = alice.request("ping", json!({})).await;
    assert_eq!(ping.status, 200);
}

#[tokio::test]
async fn a_scope_denial_is_403_with_insufficient_scope() {
    let addr = authenticated().await;
    let mut bob = McpHttp::new(addr).with_bearer("bob-token");
    bob.initialize(json!({})).await;
    let denied = bob
        .request(
            "tools/call",
            json!({ "name": "pay", "arguments": { "id": 7 } }),
        )
        .await;
    assert_eq!(denied.status, 403);
    assert_eq!(
        denied.header("www-authenticate"),
        Some(
            format!(
                "Bearer error=\"insufficient_scope\", scope=\"invoices:write\", \
                 resource_metadata=\"{METADATA_URL}\""
            )
            .as_str()
        )
    );
    let body = denied.json().await;
    assert_eq!(body["error"]["code"], codes::PERMISSION_DENIED);
    assert_eq!(
        body["error"]["data"]["requiredScopes"],
        json!(["invoices:write"])
    );

    let mut alice = McpHttp::new(addr).with_bearer("alice-token");
    alice.initialize(json!({})).await;
    let paid = alice.call_tool("pay", json!({ "id": 7 })).await;
    assert_eq!(paid["content"][0]["text"], "paid 7");
}

#[tokio::test]
async fn either_permission_of_an_or_allows() {
    let server = builder().build().unwrap();
    let call = |who: Option<Principal>| {
        let server = &server;
        async move {
            let client = TestClient::connect_as(server, who).await;
            client.call_tool("audit", json!({ "id": 1 })).await
        }
    };
    let reader = Principal::new("r").with_scopes(["invoices:read"]);
    assert!(call(Some(reader)).await.is_ok());
    let admin = Principal::new("a").with_scopes(["admin"]);
    assert!(call(Some(admin)).await.is_ok());
    let refused = call(Some(Principal::new("x"))).await.unwrap_err();
    assert_eq!(refused.code, codes::PERMISSION_DENIED);
    assert_eq!(
        refused.data.unwrap()["requiredScopes"],
        json!(["invoices:read"])
    );
}

fn jwt(audience: &str, subject: &str) -> String {
    let exp = jsonwebtoken::get_current_timestamp() + 600;
    let claims = json!({ "iss": ISSUER, "aud": audience, "sub": subject, "exp": exp,
        "scope": "invoices:read" });
    let key = EncodingKey::from_secret(SECRET).unwrap();
    encode(&Header::default(), &claims, &key).unwrap()
}

#[tokio::test]
async fn jwts_are_bound_to_this_resource() {
    let auth = JwtAuthenticator::from_secret(SECRET, ISSUER, RESOURCE).unwrap();
    let addr = serve(builder().authenticate(auth).protected_resource(protected())).await;
    let mut carol = McpHttp::new(addr).with_bearer(&jwt(RESOURCE, "carol"));
    carol.initialize(json!({})).await;
    let result = carol.call_tool("whoami", json!({})).await;
    assert_eq!(result["content"][0]["text"], "carol");

    let elsewhere = jwt("https://another.example/mcp", "carol");
    let refused = post(addr, Some(&format!("Bearer {elsewhere}")), &initialize()).await;
    assert_eq!(refused.status, 401);
    let challenge = refused.header("www-authenticate").unwrap().to_owned();
    assert!(
        challenge.contains("token not issued for this resource"),
        "{challenge}"
    );
}

#[tokio::test]
async fn filtered_listings_show_each_caller_what_it_may_use() {
    let server = builder().filter_listings(true).build().unwrap();
    let names = |tools: Vec<Value>| -> Vec<String> {
        tools
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let alice = Principal::new("alice").with_scopes(["invoices:write"]);
    let with_scope = TestClient::connect_as(&server, Some(alice)).await;
    assert!(names(with_scope.list_tools().await.unwrap()).contains(&"pay".to_owned()));
    let without = TestClient::connect_as(&server, Some(Principal::new("bob"))).await;
    let visible = names(without.list_tools().await.unwrap());
    assert!(!visible.contains(&"pay".to_owned()) && !visible.contains(&"audit".to_owned()));
    assert!(visible.contains(&"whoami".to_owned()));
}

#[tokio::test]
async fn a_server_can_require_a_permission_on_every_tool() {
    let error = builder().require_permissions(true).build().unwrap_err();
    let message = error.to_string();
    assert!(message.contains("whoami"), "{message}");
    assert!(!message.contains("pay"), "{message}");
    assert!(message.contains("require_permissions"), "{message}");
}

async fn retry_after(result: Result<Value, mcp_runtime::RpcError>) -> u64 {
    let error = result.expect_err("over the limit");
    assert_eq!(error.code, codes::RATE_LIMITED, "{error:?}");
    error.data.unwrap()["retryAfter"].as_u64().unwrap()
}

#[tokio::test]
async fn rate_limits_guard_tools_resources_prompts_and_completions() {
    let server = builder().build().unwrap();
    let client = TestClient::connect_as(&server, Some(Principal::new("p"))).await;
    let call = |name: &'static str| client.request("tools/call", json!({ "name": name }));
    assert!(call("scarce").await.is_ok());
    assert!(call("scarce").await.is_ok());
    let wait = retry_after(call("scarce").await).await;
    assert!((1..=60).contains(&wait));

    let read = || client.request("resources/read", json!({ "uri": "colour://red" }));
    assert!(read().await.is_ok());
    retry_after(read().await).await;
    // Completion has a budget of its own: reading did not spend it.
    let complete = || {
        client.request(
            "completion/complete",
            json!({ "ref": { "type": "ref/resource", "uri": "colour://{name}" },
                "argument": { "name": "name", "value": "r" } }),
        )
    };
    assert!(complete().await.is_ok());
    retry_after(complete().await).await;

    let get = || {
        client.request(
            "prompts/get",
            json!({ "name": "hello", "arguments": { "name": "x" } }),
        )
    };
    assert!(get().await.is_ok());
    retry_after(get().await).await;

    // Another caller has budgets of its own.
    let other = TestClient::connect_as(&server, Some(Principal::new("q"))).await;
    assert!(
        other
            .request("tools/call", json!({ "name": "scarce" }))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_rate_limit_group_is_one_budget() {
    let server = builder().build().unwrap();
    let client = TestClient::connect_as(&server, Some(Principal::new("p"))).await;
    assert!(
        client
            .request("tools/call", json!({ "name": "grouped_a" }))
            .await
            .is_ok()
    );
    assert!(
        client
            .request("tools/call", json!({ "name": "grouped_b" }))
            .await
            .is_ok()
    );
    retry_after(
        client
            .request("tools/call", json!({ "name": "grouped_a" }))
            .await,
    )
    .await;
    retry_after(
        client
            .request("tools/call", json!({ "name": "grouped_b" }))
            .await,
    )
    .await;
}

#[tokio::test]
async fn the_token_bucket_refills_one_call_at_a_time() {
    let server = builder()
        .rate_limit_algorithm(RateLimitAlgorithm::TokenBucket)
        .build()
        .unwrap();
    let client = TestClient::connect_as(&server, Some(Principal::new("p"))).await;
    let call = || client.request("tools/call", json!({ "name": "scarce" }));
    assert!(call().await.is_ok());
    assert!(call().await.is_ok());
    // 2 per minute: the next token comes in 30 s.
    assert_eq!(retry_after(call().await).await, 30);
}

#[tokio::test]
async fn results_over_max_result_bytes_are_refused_whole() {
    let server = builder().max_result_bytes(64 * 1024).build().unwrap();
    let client = TestClient::connect(&server).await;
    let small = client
        .call_tool("big", json!({ "size": 1000 }))
        .await
        .unwrap();
    assert!(!small.is_error);
    let large = client
        .call_tool("big", json!({ "size": 100_000 }))
        .await
        .unwrap();
    assert!(large.is_error);
    let text = large.text().unwrap();
    assert!(text.contains("max_result_bytes (65536)"), "{text}");
    let read = client.read_resource("big://blob").await.unwrap_err();
    assert_eq!(read.code, codes::INTERNAL_ERROR);
    assert!(
        read.message.contains("max_result_bytes"),
        "{}",
        read.message
    );
}

#[tokio::test]
async fn requests_over_the_in_flight_caps_are_refused_at_once() {
    let server = builder().max_in_flight(100, 2).build().unwrap();
    let client = TestClient::connect(&server).await;
    let slow = || client.request("tools/call", json!({ "name": "slow" }));
    let (a, b, c) = tokio::join!(slow(), slow(), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        client
            .request("tools/call", json!({ "name": "slow" }))
            .await
    });
    assert!(a.is_ok() && b.is_ok());
    let busy = c.unwrap_err();
    assert_eq!(busy.code, codes::RATE_LIMITED);
    assert!(
        busy.message.contains("max_in_flight_per_session"),
        "{}",
        busy.message
    );
    // Once they are done there is room again.
    assert!(slow().await.is_ok());

    let server = builder().max_in_flight(1, 10).build().unwrap();
    let first = TestClient::connect(&server).await;
    let second = TestClient::connect(&server).await;
    let (a, b) = tokio::join!(
        first.request("tools/call", json!({ "name": "slow" })),
        async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            second
                .request("tools/call", json!({ "name": "slow" }))
                .await
        }
    );
    assert!(a.is_ok());
    assert!(b.unwrap_err().message.contains("max_in_flight"));
}

async fn listen(client: &TestClient) -> Result<Value, mcp_runtime::RpcError> {
    let meta = json!({ "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {} });
    let params = json!({ "notifications": { "toolsListChanged": true }, "_meta": meta });
    client.request("subscriptions/listen", params).await
}

#[tokio::test]
async fn subscriptions_and_listeners_are_capped() {
    let server = builder().max_subscriptions(1, 1).build().unwrap();
    let client = TestClient::connect(&server).await;
    let subscribe =
        |uri: &'static str| client.request("resources/subscribe", json!({ "uri": uri }));
    assert!(subscribe("colour://red").await.is_ok());
    assert!(
        subscribe("colour://red").await.is_ok(),
        "the same one again is no new one"
    );
    let over = subscribe("colour://blue").await.unwrap_err();
    assert_eq!(over.code, codes::INVALID_REQUEST);
    assert!(
        over.message.contains("max_subscriptions"),
        "{}",
        over.message
    );

    let holder = TestClient::connect_uninitialized(&server, None);
    let held = tokio::spawn({
        let server = server.clone();
        async move {
            let holder = TestClient::connect_uninitialized(&server, None);
            let _ = tokio::time::timeout(Duration::from_millis(500), listen(&holder)).await;
        }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let refused = listen(&holder).await.unwrap_err();
    assert_eq!(refused.code, codes::RATE_LIMITED);
    assert!(
        refused.message.contains("max_listeners"),
        "{}",
        refused.message
    );
    held.await.unwrap();
}

#[tokio::test]
async fn both_permissions_of_an_and_must_allow() {
    let server = builder().build().unwrap();
    let call = |who: Principal| {
        let server = &server;
        async move {
            let client = TestClient::connect_as(server, Some(who)).await;
            client.call_tool("purge", json!({})).await
        }
    };
    let writer = Principal::new("w").with_scopes(["invoices:write"]);
    let refused = call(writer).await.unwrap_err();
    assert_eq!(refused.code, codes::PERMISSION_DENIED);
    let admin = Principal::new("a").with_scopes(["admin"]);
    assert_eq!(
        call(admin).await.unwrap_err().data.unwrap()["requiredScopes"],
        json!(["invoices:write"])
    );
    let both = Principal::new("b").with_scopes(["invoices:write", "admin"]);
    assert!(call(both).await.is_ok());
}

#[tokio::test]
async fn requests_to_the_client_waiting_for_answers_are_capped() {
    let server = builder()
        .max_pending_client_requests(1)
        .client_request_timeout(Duration::from_millis(600))
        .build()
        .unwrap();
    let client = TestClient::connect_uninitialized(&server, None);
    let hello = json!({ "protocolVersion": http::VERSION, "capabilities": { "roots": {} },
        "clientInfo": { "name": "t", "version": "1" } });
    client.request("initialize", hello).await.unwrap();
    let (first, second) = tokio::join!(client.call_tool("ask_roots", json!({})), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        client.call_tool("ask_roots", json!({})).await
    });
    assert_eq!(
        second.unwrap().text(),
        Some("too many requests to the client are waiting for answers")
    );
    assert_eq!(
        first.unwrap().text(),
        Some("the client did not answer in time")
    );
}

#[tokio::test]
async fn an_sse_stream_keeps_only_its_last_events_for_resumption() {
    let addr = serve(builder().sse_replay(2, 64)).await;
    let mut client = McpHttp::new(addr);
    client.initialize(json!({})).await;
    let params = json!({ "name": "five_steps", "arguments": {}, "_meta": { "progressToken": 1 } });
    let mut stream = client.request("tools/call", params).await;
    assert_eq!(stream.header("content-type"), Some("text/event-stream"));
    let mut ids = Vec::new();
    while let Some(event) = stream.next_event().await {
        if !event.data.is_empty() {
            ids.push(event.id.expect("every event has an id"));
        }
    }
    assert_eq!(ids.len(), 6, "five progress notifications and the answer");
    let lost = client.get(Some(&ids[0])).await;
    assert_eq!(lost.status, 404);
    assert!(lost.text().await.contains("no longer held"));
    let mut kept = client.get(Some(&ids[4])).await;
    assert_eq!(kept.status, 200);
    let last = kept.next_event().await.expect("the answer is replayed");
    assert_eq!(last.json()["result"]["content"][0]["text"], "five steps");
}
