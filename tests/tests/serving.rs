//! `serve_http_until` on a real port: graceful shutdown that lets calls in flight finish
//! within the grace period, and rate limits keyed by the client's address.

use mcp_runtime::prelude::*;
use mcp_runtime::{McpServerBuilder, model::codes};
use mcp_tests::http::McpHttp;
use serde_json::json;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// Takes most of a second.
#[mcp_tool]
async fn unhurried() -> &'static str {
    tokio::time::sleep(Duration::from_millis(800)).await;
    "finished"
}

/// Once per minute per caller.
#[mcp_tool(rate_limit = "1/min")]
fn once() -> &'static str {
    "once"
}

fn builder() -> McpServerBuilder {
    McpServer::builder("serving", "1.0")
        .filter(|b| b.module_path().is_some_and(|m| m.starts_with("serving")))
}

/// Serves on a free loopback port until the returned sender fires (or is dropped).
async fn start(
    builder: McpServerBuilder,
) -> (
    SocketAddr,
    oneshot::Sender<()>,
    tokio::task::JoinHandle<Result<(), mcp_runtime::Error>>,
) {
    let addr = mcp_tests::http::free_loopback_addr();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = builder.build().unwrap();
    let serving = tokio::spawn(async move {
        server
            .serve_http_until(&addr.to_string(), async {
                let _ = stopped.await;
            })
            .await
    });
    mcp_tests::http::wait_until_accepting(addr).await;
    (addr, stop, serving)
}

#[tokio::test]
async fn shutdown_lets_calls_in_flight_finish_and_refuses_new_connections() {
    let (addr, stop, serving) = start(builder().shutdown_grace(Duration::from_secs(5))).await;
    let mut client = McpHttp::new(addr);
    client.initialize(json!({})).await;
    let call = tokio::spawn(async move { client.call_tool("unhurried", json!({})).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let began = Instant::now();
    stop.send(()).unwrap();
    let result = call.await.unwrap();
    assert_eq!(result["content"][0]["text"], "finished");
    serving.await.unwrap().unwrap();
    assert!(
        began.elapsed() < Duration::from_secs(5),
        "no need to wait out the grace period"
    );
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn shutdown_ends_open_get_streams_at_once() {
    let (addr, stop, serving) = start(builder().shutdown_grace(Duration::from_secs(10))).await;
    let mut client = McpHttp::new(addr);
    client.initialize(json!({})).await;
    let mut stream = client.get(None).await;
    assert_eq!(stream.status, 200);
    stream.next_event().await.expect("the priming event");
    let began = Instant::now();
    stop.send(()).unwrap();
    assert!(stream.next_event().await.is_none(), "the stream ended");
    serving.await.unwrap().unwrap();
    let took = began.elapsed();
    assert!(
        took < Duration::from_secs(2),
        "an open GET cost the grace period: {took:?}"
    );
}

#[tokio::test]
async fn shutdown_cancels_what_still_runs_at_the_deadline() {
    let (addr, stop, serving) = start(builder().shutdown_grace(Duration::from_millis(300))).await;
    let mut client = McpHttp::new(addr);
    client.initialize(json!({})).await;
    let call = tokio::spawn(async move {
        client
            .request("tools/call", json!({ "name": "unhurried" }))
            .await
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let began = Instant::now();
    stop.send(()).unwrap();
    serving.await.unwrap().unwrap();
    let took = began.elapsed();
    assert!(
        took >= Duration::from_millis(250) && took < Duration::from_secs(3),
        "{took:?}"
    );
    drop(call);
}

#[tokio::test]
async fn without_a_principal_rate_limits_count_per_client_address() {
    let (addr, _stop, _serving) = start(builder()).await;
    let mut first = McpHttp::new(addr);
    first.initialize(json!({})).await;
    assert_eq!(
        first.call_tool("once", json!({})).await["content"][0]["text"],
        "once"
    );
    // Another session from the same address shares the address's budget.
    let mut second = McpHttp::new(addr);
    second.initialize(json!({})).await;
    let limited = second
        .request("tools/call", json!({ "name": "once" }))
        .await
        .json()
        .await;
    assert_eq!(limited["error"]["code"], codes::RATE_LIMITED, "{limited}");
}
