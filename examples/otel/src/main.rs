//! An MCP server whose every tool call, resource read and prompt is a span exported over
//! OTLP/HTTP, with the `mcp.server.operation.duration` histogram beside it.
//!
//! ```sh
//! # Jaeger all-in-one listens for OTLP on 4318; any collector works.
//! OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 cargo run -p mcp-example-otel           # HTTP on 127.0.0.1:3000/mcp
//! OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 cargo run -p mcp-example-otel -- --stdio
//! ```
//!
//! A client that sends `_meta.traceparent` (or a `traceparent` HTTP header) sees the server's
//! spans under its own trace.

use mcp_runtime::prelude::*;
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::metrics::SdkMeterProvider;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;

/// Add two numbers.
#[mcp_tool(read_only)]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

/// Fail on purpose, to see an error span.
#[mcp_tool]
fn always_fails() -> Result<String, ServiceError> {
    Err(ServiceError::new("this tool always fails"))
}

fn install_telemetry() -> Result<(SdkTracerProvider, SdkMeterProvider), Box<dyn std::error::Error>>
{
    let resource = Resource::builder()
        .with_service_name("mcp-example-otel")
        .build();
    let spans = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .build()?;
    let tracer_provider = SdkTracerProvider::builder()
        .with_resource(resource.clone())
        .with_batch_exporter(spans)
        .build();
    let metrics = opentelemetry_otlp::MetricExporter::builder()
        .with_http()
        .build()?;
    let meter_provider = SdkMeterProvider::builder()
        .with_resource(resource)
        .with_periodic_exporter(metrics)
        .build();
    // The server reads the caller's trace context through the global propagator.
    opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
    opentelemetry::global::set_tracer_provider(tracer_provider.clone());
    opentelemetry::global::set_meter_provider(meter_provider.clone());
    Ok((tracer_provider, meter_provider))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (tracer_provider, meter_provider) = install_telemetry()?;
    let server = McpServer::builder("otel-demo", env!("CARGO_PKG_VERSION"))
        .filter(|binding| {
            binding
                .module_path()
                .is_some_and(|m| m.starts_with("mcp_example_otel"))
        })
        .record_service_exceptions(true)
        .build()?;
    let served = if std::env::args().any(|arg| arg == "--stdio") {
        eprintln!("otel-demo: serving over stdio; spans go to $OTEL_EXPORTER_OTLP_ENDPOINT");
        server.serve_stdio().await
    } else {
        eprintln!(
            "otel-demo: serving http://127.0.0.1:3000/mcp; spans go to $OTEL_EXPORTER_OTLP_ENDPOINT"
        );
        server.serve_http("127.0.0.1:3000").await
    };
    // Flushes what is batched; a collector that is down must not turn a clean exit into a failure.
    if let Err(e) = tracer_provider.shutdown() {
        eprintln!("otel-demo: could not flush spans: {e}");
    }
    if let Err(e) = meter_provider.shutdown() {
        eprintln!("otel-demo: could not flush metrics: {e}");
    }
    Ok(served?)
}
