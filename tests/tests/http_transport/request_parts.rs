//! What bindings and authenticators see of the HTTP request: its head, with the extensions
//! tower layers in front of the server put there; and the CORS recipe of the README.

use super::*;
use axum::http::request::Parts;
use mcp_runtime::testing::TestClient;
use mcp_runtime::{Principal, auth::AuthFuture, auth::Authenticator, auth::Unauthorized};

/// The tenant a layer in front of the server resolved.
#[derive(Clone)]
struct Tenant(&'static str);

/// Says who calls: the tenant a layer set, the request id header, the principal.
#[mcp_tool]
fn caller(ctx: Context) -> String {
    let env = ctx.env();
    let Some(request) = env.http_request() else {
        return "not over HTTP".to_owned();
    };
    let tenant = request.extensions.get::<Tenant>().map_or("none", |t| t.0);
    let id = request
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("none");
    let principal = env.principal().map_or("anonymous", |p| p.subject());
    format!(
        "{} {} tenant={tenant} id={id} principal={principal}",
        request.method, request.uri
    )
}

#[tokio::test]
async fn bindings_see_the_request_head_and_the_extensions_layers_set() {
    let server = McpServer::builder("parts", "1.0")
        .state(Gate::default())
        .build()
        .unwrap();
    let router = server.router().layer(axum::Extension(Tenant("acme")));
    let mut client = McpHttp::new(http::serve(router).await);
    client.initialize(json!({})).await;
    let message = json!({ "jsonrpc": "2.0", "id": 7, "method": "tools/call",
        "params": { "name": "caller", "arguments": {} } });
    let mut headers = client.headers();
    headers.push(("x-request-id", "req-42"));
    let body = serde_json::to_vec(&message).unwrap();
    let response = send(client.addr, "POST", "/mcp", &headers, body).await;
    assert_eq!(response.status, 200);
    let reply = response.json().await;
    assert_eq!(
        reply["result"]["content"][0]["text"],
        "POST /mcp tenant=acme id=req-42 principal=anonymous"
    );

    // Elsewhere there is no HTTP request.
    let in_process = TestClient::connect(&server).await;
    let result = in_process.call_tool("caller", json!({})).await.unwrap();
    assert_eq!(
        serde_json::to_value(result).unwrap()["content"][0]["text"],
        "not over HTTP"
    );
}

fn initialize() -> String {
    json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": http::VERSION, "capabilities": {},
        "clientInfo": { "name": "t", "version": "1" } } })
    .to_string()
}

/// The identity a gateway layer verified (as a client certificate would be).
#[derive(Clone)]
struct GatewayIdentity(String);

/// Trusts only what the gateway layer verified, never a header a client could send.
struct FromGateway;

impl Authenticator for FromGateway {
    fn authenticate<'a>(&'a self, request: &'a Parts) -> AuthFuture<'a> {
        let identity = request.extensions.get::<GatewayIdentity>();
        let found = identity.map(|i| Principal::new(i.0.clone()));
        Box::pin(std::future::ready(found.ok_or_else(Unauthorized::missing)))
    }
}

#[tokio::test]
async fn an_authenticator_reads_the_extensions_layers_set() {
    let server = McpServer::builder("parts", "1.0")
        .state(Gate::default())
        .authenticate(FromGateway)
        .build()
        .unwrap();
    // Stands in for a gateway: it verifies a credential and records who it was.
    let gateway = axum::middleware::from_fn(
        |mut request: axum::extract::Request, next: axum::middleware::Next| async move {
            if request
                .headers()
                .get("x-gateway-ticket")
                .is_some_and(|t| t == "valid")
            {
                request
                    .extensions_mut()
                    .insert(GatewayIdentity("ada".into()));
            }
            next.run(request).await
        },
    );
    let addr = http::serve(server.router().layer(gateway)).await;

    let refused = send(addr, "POST", "/mcp", &McpHttp::new(addr).headers(), "{}").await;
    assert_eq!(refused.status, 401);

    let mut client = McpHttp::new(addr);
    let mut headers = client.headers();
    headers.push(("x-gateway-ticket", "valid"));
    let response = send(addr, "POST", "/mcp", &headers, initialize()).await;
    assert_eq!(response.status, 200);
    client.session = response.header("mcp-session-id").map(str::to_owned);
    let mut headers = client.headers();
    headers.push(("x-gateway-ticket", "valid"));
    let call = json!({ "jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": { "name": "caller", "arguments": {} } });
    let reply = send(addr, "POST", "/mcp", &headers, call.to_string())
        .await
        .json()
        .await;
    assert_eq!(
        reply["result"]["content"][0]["text"],
        "POST /mcp tenant=none id=none principal=ada"
    );
}

/// The README's CORS recipe, for a browser client on another origin.
fn cors_router(server: &McpServer) -> axum::Router {
    use axum::http::{HeaderName, Method, header};
    use tower_http::cors::CorsLayer;
    let cors = CorsLayer::new()
        .allow_origin(["https://app.example"
            .parse::<axum::http::HeaderValue>()
            .unwrap()])
        .allow_methods([Method::GET, Method::POST, Method::DELETE])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            HeaderName::from_static("mcp-session-id"),
            HeaderName::from_static("mcp-protocol-version"),
            HeaderName::from_static("mcp-method"),
            HeaderName::from_static("mcp-name"),
            HeaderName::from_static("last-event-id"),
        ])
        .expose_headers([
            HeaderName::from_static("mcp-session-id"),
            HeaderName::from_static("mcp-protocol-version"),
            header::WWW_AUTHENTICATE,
        ]);
    server.router().layer(cors)
}

#[tokio::test]
async fn the_cors_recipe_lets_a_browser_on_another_origin_read_the_session_id() {
    let server = McpServer::builder("parts", "1.0")
        .state(Gate::default())
        .allowed_origins(["https://app.example"])
        .build()
        .unwrap();
    let addr = http::serve(cors_router(&server)).await;

    let preflight = send(
        addr,
        "OPTIONS",
        "/mcp",
        &[
            ("origin", "https://app.example"),
            ("access-control-request-method", "POST"),
            (
                "access-control-request-headers",
                "content-type,mcp-session-id,mcp-protocol-version",
            ),
        ],
        "",
    )
    .await;
    assert_eq!(preflight.status, 200);
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some("https://app.example")
    );
    let allowed = preflight.header("access-control-allow-headers").unwrap();
    assert!(allowed.contains("mcp-session-id"), "{allowed}");
    assert!(allowed.contains("mcp-protocol-version"), "{allowed}");

    let mut client = McpHttp::new(addr);
    let mut headers = client.headers();
    headers.push(("origin", "https://app.example"));
    let response = send(addr, "POST", "/mcp", &headers, initialize()).await;
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("access-control-allow-origin"),
        Some("https://app.example")
    );
    let exposed = response.header("access-control-expose-headers").unwrap();
    assert!(exposed.contains("mcp-session-id"), "{exposed}");
    assert!(response.header("mcp-session-id").is_some());
    client.session = response.header("mcp-session-id").map(str::to_owned);

    // Another origin gets no CORS grant, and the server refuses it (DNS rebinding check).
    let mut headers = client.headers();
    headers.push(("origin", "https://evil.example"));
    let refused = send(addr, "POST", "/mcp", &headers, "{}").await;
    assert_eq!(refused.status, 403);
    assert_eq!(refused.header("access-control-allow-origin"), None);
}
