//! Arbitrary HTTP requests to the Streamable HTTP router, in process: any method, any
//! mix of session ids (a live one, an unknown one, garbage), protocol-version headers,
//! `Last-Event-ID`, `Accept`, `Content-Type`, `Origin` and `Host` values, and any body.
//! Each must be answered (no panic, which the router would otherwise answer `500`) with a
//! status other than a 5xx, and a refusal must carry a JSON-RPC error body.

#![no_main]

use arbitrary::Arbitrary;
use http_body_util::BodyExt;
use libfuzzer_sys::fuzz_target;
use mcp_fuzz::{run, server};
use std::sync::OnceLock;
use std::time::Duration;

#[derive(Arbitrary, Debug)]
enum Text {
    Live,
    Unknown,
    Given(String),
}

#[derive(Arbitrary, Debug)]
struct Input {
    method: u8,
    session: Option<Text>,
    version: Option<u8>,
    last_event_id: Option<String>,
    accept: u8,
    content_type: u8,
    origin: Option<String>,
    host: Option<String>,
    extra: Vec<(String, String)>,
    body: Vec<u8>,
}

const VERSIONS: [&str; 6] = ["2025-11-25", "2025-06-18", "2025-03-26", "2026-07-28", "2024-11-05", "x"];
const ACCEPTS: [&str; 4] = ["application/json, text/event-stream", "text/event-stream", "application/json", "*/*"];

/// A session initialized once, for requests that name a live one.
fn live_session(router: &axum::Router) -> &'static str {
    static LIVE: OnceLock<String> = OnceLock::new();
    LIVE.get_or_init(|| {
        let body = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"fuzz","version":"0"}}}"#;
        let request = http::Request::post("/mcp")
            .header("host", "localhost")
            .header("content-type", "application/json")
            .header("accept", ACCEPTS[0])
            .body(axum::body::Body::from(body))
            .expect("a request");
        let response = run(call(router, request));
        response
            .headers()
            .get("mcp-session-id")
            .and_then(|v| v.to_str().ok())
            .expect("initialize gave a session")
            .to_owned()
    })
}

async fn call(router: &axum::Router, request: http::Request<axum::body::Body>) -> http::Response<axum::body::Body> {
    let mut router = router.clone();
    match tower_service::Service::call(&mut router, request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

fn router() -> &'static axum::Router {
    static ROUTER: OnceLock<axum::Router> = OnceLock::new();
    ROUTER.get_or_init(|| run(async { server().router() }))
}

fuzz_target!(|input: Input| {
    let router = router();
    let live = live_session(router);
    let method = match input.method % 5 {
        0 | 1 => "POST",
        2 => "GET",
        3 => "DELETE",
        _ => "PATCH",
    };
    let mut request = http::Request::builder().method(method).uri("/mcp");
    let header = |request: http::request::Builder, name: &str, value: &str| match http::HeaderValue::from_str(value) {
        Ok(value) => request.header(name, value),
        Err(_) => request,
    };
    request = header(request, "host", input.host.as_deref().unwrap_or("localhost"));
    request = header(request, "accept", ACCEPTS[usize::from(input.accept) % ACCEPTS.len()]);
    if input.content_type % 4 != 3 {
        request = header(request, "content-type", "application/json");
    }
    match &input.session {
        Some(Text::Live) => request = header(request, "mcp-session-id", live),
        Some(Text::Unknown) => request = header(request, "mcp-session-id", &"0".repeat(64)),
        Some(Text::Given(text)) => request = header(request, "mcp-session-id", text),
        None => {}
    }
    if let Some(version) = input.version {
        request = header(request, "mcp-protocol-version", VERSIONS[usize::from(version) % VERSIONS.len()]);
    }
    if let Some(id) = &input.last_event_id {
        request = header(request, "last-event-id", id);
    }
    if let Some(origin) = &input.origin {
        request = header(request, "origin", origin);
    }
    for (name, value) in input.extra.iter().take(4) {
        if let Ok(name) = http::HeaderName::from_bytes(name.as_bytes()) {
            request = header(request, name.as_str(), value);
        }
    }
    let Ok(request) = request.body(axum::body::Body::from(input.body)) else {
        return;
    };
    // DELETE of the live session would end it for every later input: keep it alive.
    if method == "DELETE" && matches!(input.session, Some(Text::Live)) {
        return;
    }
    run(async {
        let response = call(router, request).await;
        let status = response.status();
        assert!(!status.is_server_error() || status == http::StatusCode::SERVICE_UNAVAILABLE, "{status}");
        let streaming = response
            .headers()
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
        let mut body = response.into_body();
        if streaming {
            // A stream may be long-lived: its first frames are enough.
            for _ in 0..4 {
                match tokio::time::timeout(Duration::from_secs(1), body.frame()).await {
                    Ok(Some(Ok(_))) => {}
                    _ => break,
                }
            }
            return;
        }
        let bytes = body.collect().await.expect("a readable body").to_bytes();
        if status.is_client_error() && !bytes.is_empty() {
            let error: serde_json::Value = serde_json::from_slice(&bytes).expect("a JSON refusal");
            assert!(error["error"]["code"].is_i64(), "{error}");
        }
    });
});
