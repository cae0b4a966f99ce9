//! With a sampler that drops everything, calls are served as usual and no span is exported.
//! (Its own test binary: it installs a different global tracer provider.)

use mcp_runtime::prelude::*;
use mcp_runtime::testing::TestClient;
use opentelemetry_sdk::trace::{InMemorySpanExporter, Sampler, SdkTracerProvider};
use serde_json::json;

/// Echo the text.
#[mcp_tool]
fn echo(text: String) -> String {
    text
}

#[tokio::test]
async fn a_drop_everything_sampler_records_nothing() {
    let spans = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_sampler(Sampler::AlwaysOff)
        .with_simple_exporter(spans.clone())
        .build();
    opentelemetry::global::set_tracer_provider(provider);
    let server = McpServer::builder("unsampled", "1.0").build().unwrap();
    let client = TestClient::connect(&server).await;
    for i in 0..50 {
        let result = client
            .call_tool("echo", json!({ "text": format!("call {i}") }))
            .await
            .unwrap();
        assert_eq!(result.text(), Some(format!("call {i}").as_str()));
    }
    assert!(spans.get_finished_spans().unwrap().is_empty());
}
