//! A binding's own work is tied to its call: the `tracing` span `mcp.binding` is current
//! while the binding runs (across its awaits), and its OpenTelemetry dispatch span is the
//! current context, so spans a tool starts through either API are children of the call.

use mcp_runtime::prelude::*;
use mcp_runtime::testing::TestClient;
use mcp_tests::http::{self, McpHttp};
use opentelemetry::trace::{SpanId, Tracer};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tracing::span::{Attributes, Id};
use tracing_subscriber::layer::{Context as LayerContext, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// Looks a word up, in a span of its own, after an await.
#[mcp_tool]
async fn lookup(word: String) -> String {
    tokio::task::yield_now().await;
    let _lookup = tracing::info_span!("dictionary.lookup", word = %word).entered();
    tracing::info!("looking up");
    format!("{word}: found")
}

/// Queries through a client instrumented with OpenTelemetry alone.
#[mcp_tool]
async fn query() -> String {
    tokio::task::yield_now().await;
    let tracer = opentelemetry::global::tracer("database-client");
    tracer.in_span("db.query", |_| "rows".to_owned())
}

/// A resource read in a span of its own.
#[mcp_resource(uri = "words://{word}")]
fn word(word: String) -> String {
    let _read = tracing::info_span!("dictionary.read").entered();
    word
}

/// A span as the capturing layer saw it made.
#[derive(Debug, Clone)]
struct Seen {
    name: &'static str,
    parent: Option<&'static str>,
    fields: HashMap<String, String>,
}

/// Records every span's name, its parent's name and its fields.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Seen>>>);

struct Fields<'a>(&'a mut HashMap<String, String>);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S: tracing::Subscriber + for<'a> LookupSpan<'a>> tracing_subscriber::Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: LayerContext<'_, S>) {
        let parent = ctx.span(id).and_then(|s| s.parent()).map(|p| p.name());
        let mut fields = HashMap::new();
        attrs.record(&mut Fields(&mut fields));
        self.0.lock().unwrap().push(Seen {
            name: attrs.metadata().name(),
            parent,
            fields,
        });
    }

    fn on_record(&self, id: &Id, values: &tracing::span::Record<'_>, ctx: LayerContext<'_, S>) {
        let Some(name) = ctx.span(id).map(|s| s.name()) else {
            return;
        };
        let mut spans = self.0.lock().unwrap();
        if let Some(seen) = spans.iter_mut().rev().find(|s| s.name == name) {
            values.record(&mut Fields(&mut seen.fields));
        }
    }
}

impl Capture {
    fn named(&self, name: &str) -> Vec<Seen> {
        let spans = self.0.lock().unwrap();
        spans.iter().filter(|s| s.name == name).cloned().collect()
    }
}

#[tokio::test]
async fn a_tools_tracing_span_is_a_child_of_the_binding_span() {
    let capture = Capture::default();
    let _subscriber =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    let server = McpServer::builder("scope", "1.0").build().unwrap();
    // Over HTTP, for a session id; on this test's one thread, where the subscriber is set.
    let mut http = McpHttp::new(http::serve(server.router()).await);
    http.initialize(json!({})).await;
    let result = http.call_tool("lookup", json!({ "word": "quay" })).await;
    assert_eq!(result["content"][0]["text"], "quay: found");
    let lookup = capture.named("dictionary.lookup");
    assert_eq!(lookup.len(), 1, "{lookup:?}");
    assert_eq!(lookup[0].parent, Some("mcp.binding"));

    let binding = capture.named("mcp.binding");
    let call = binding
        .iter()
        .find(|s| s.fields.get("mcp.binding.name").map(String::as_str) == Some("lookup"))
        .expect("a binding span for the call");
    assert_eq!(call.fields["mcp.method.name"], "tools/call");
    assert_eq!(call.fields["jsonrpc.request.id"], "2");
    assert_eq!(
        Some(&call.fields["mcp.session.id"]),
        http.session.as_ref(),
        "{call:?}"
    );

    let client = TestClient::connect(&server).await;
    client.read_resource("words://quay").await.unwrap();
    let read = capture.named("dictionary.read");
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].parent, Some("mcp.binding"));
    let binding = capture.named("mcp.binding");
    assert!(binding.iter().any(|s| {
        s.fields.get("mcp.method.name").map(String::as_str) == Some("resources/read")
            && s.fields.get("mcp.binding.name").map(String::as_str) == Some("word")
    }));
}

fn exported(spans: &InMemorySpanExporter, name: &str) -> SpanData {
    let all = spans.get_finished_spans().unwrap();
    let mut named = all.iter().filter(|s| s.name == name);
    let span = named.next().unwrap_or_else(|| panic!("no span {name}"));
    assert!(named.next().is_none(), "one span {name}");
    span.clone()
}

/// Both OpenTelemetry checks in one test: they share the global tracer provider.
#[tokio::test]
async fn spans_started_in_a_binding_are_children_of_the_dispatch_span() {
    let spans = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(spans.clone())
        .build();
    opentelemetry::global::set_tracer_provider(provider.clone());
    let server = McpServer::builder("scope", "1.0").build().unwrap();
    let client = TestClient::connect(&server).await;

    // Plain OpenTelemetry: the dispatch span is the current context.
    client.call_tool("query", json!({})).await.unwrap();
    let dispatch = exported(&spans, "mcp.tools.call");
    let query = exported(&spans, "db.query");
    assert_eq!(query.parent_span_id, dispatch.span_context.span_id());
    assert_eq!(
        query.span_context.trace_id(),
        dispatch.span_context.trace_id()
    );
    spans.reset();

    // tracing with tracing-opentelemetry: the binding span sits under the dispatch span,
    // and the tool's own tracing span under it.
    let layer = tracing_opentelemetry::layer().with_tracer(opentelemetry::global::tracer("app"));
    let subscriber = tracing_subscriber::registry().with(layer);
    {
        let _subscriber = tracing::subscriber::set_default(subscriber);
        client
            .call_tool("lookup", json!({ "word": "quay" }))
            .await
            .unwrap();
    }
    let dispatch = exported(&spans, "mcp.tools.call");
    let binding = exported(&spans, "mcp.binding");
    let lookup = exported(&spans, "dictionary.lookup");
    assert_eq!(binding.parent_span_id, dispatch.span_context.span_id());
    assert_eq!(lookup.parent_span_id, binding.span_context.span_id());
    assert_eq!(
        dispatch.parent_span_id,
        SpanId::INVALID,
        "no trace context was sent"
    );
    provider.shutdown().unwrap();
}
