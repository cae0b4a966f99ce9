//! Dispatch spans captured by a real OpenTelemetry SDK (in-memory exporters installed as the
//! global providers), over the stdio transport (in-process pipes) and over HTTP (a socket).
//! Tests run in parallel against one global provider, so each one sends its own trace
//! context and looks only at spans of its own trace.

use mcp_runtime::prelude::*;
use mcp_runtime::{RequestEnv, SpanNames};
use mcp_tests::http::{self, McpHttp};
use opentelemetry::KeyValue;
use opentelemetry::trace::{SpanId, SpanKind, Status, TraceId};
use opentelemetry_sdk::metrics::data::{AggregatedMetrics, MetricData};
use opentelemetry_sdk::metrics::{InMemoryMetricExporter, PeriodicReader, SdkMeterProvider};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::OnceLock;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// Echo the text.
#[mcp_tool]
fn echo(text: String) -> String {
    text
}

/// Fail as a service.
#[mcp_tool]
fn broken() -> Result<String, ServiceError> {
    Err(ServiceError::new("backend down"))
}

/// Refuse the input.
#[mcp_tool]
fn picky() -> Result<String, ServiceValidationError> {
    Err(ServiceValidationError::new("not like that"))
}

fn nobody(_: &RequestEnv) -> bool {
    false
}

/// Refused for everyone.
#[mcp_tool(permission = nobody)]
fn locked() -> &'static str {
    "never"
}

/// A note by id.
#[mcp_resource(uri = "notes://{id}")]
fn note(id: u32) -> String {
    format!("note {id}")
}

/// Greet someone.
#[mcp_prompt]
fn greet(#[arg(complete = names)] name: String) -> String {
    format!("Greet {name}")
}

fn names(_: mcp_runtime::binding::CompletionRequest) -> Vec<String> {
    vec!["Ada".into()]
}

struct Telemetry {
    spans: InMemorySpanExporter,
    metrics: InMemoryMetricExporter,
    meter_provider: SdkMeterProvider,
}

fn telemetry() -> &'static Telemetry {
    static TELEMETRY: OnceLock<Telemetry> = OnceLock::new();
    TELEMETRY.get_or_init(|| {
        let spans = InMemorySpanExporter::default();
        let tracer_provider = SdkTracerProvider::builder()
            .with_simple_exporter(spans.clone())
            .build();
        let metrics = InMemoryMetricExporter::default();
        let meter_provider = SdkMeterProvider::builder()
            .with_reader(PeriodicReader::builder(metrics.clone()).build())
            .build();
        opentelemetry::global::set_tracer_provider(tracer_provider);
        opentelemetry::global::set_meter_provider(meter_provider.clone());
        opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
        Telemetry {
            spans,
            metrics,
            meter_provider,
        }
    })
}

fn server(
    configure: impl FnOnce(mcp_runtime::McpServerBuilder) -> mcp_runtime::McpServerBuilder,
) -> McpServer {
    telemetry();
    let builder = McpServer::builder("traced", "1.0")
        .filter(|b| b.module_path().is_some_and(|m| m.starts_with("telemetry")));
    configure(builder).build().unwrap()
}

/// A fresh trace to parent a request on: (trace id, parent span id, traceparent).
fn trace() -> (TraceId, SpanId, String) {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let trace = TraceId::from_hex(&format!(
        "{:032x}",
        0xabc0_0000_0000_0000u128 + u128::from(n)
    ))
    .unwrap();
    let parent = SpanId::from_hex(&format!("{:016x}", 0x1000 + n)).unwrap();
    (trace, parent, format!("00-{trace}-{parent}-01"))
}

fn spans_of(trace: TraceId) -> Vec<SpanData> {
    let spans = telemetry().spans.get_finished_spans().unwrap();
    spans
        .into_iter()
        .filter(|s| s.span_context.trace_id() == trace)
        .collect()
}

fn attributes(span: &SpanData) -> HashMap<String, String> {
    span.attributes
        .iter()
        .map(|KeyValue { key, value, .. }| (key.to_string(), value.to_string()))
        .collect()
}

fn expect(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The server on the stdio transport, over an in-process pipe.
struct Pipe {
    to_server: tokio::io::DuplexStream,
    from_server: tokio::io::Lines<BufReader<tokio::io::DuplexStream>>,
}

impl Pipe {
    async fn connect(server: McpServer) -> Pipe {
        let (to_server, server_in) = tokio::io::duplex(1 << 16);
        let (server_out, from_server) = tokio::io::duplex(1 << 16);
        tokio::spawn(server.serve_io(server_in, server_out));
        let mut pipe = Pipe {
            to_server,
            from_server: BufReader::new(from_server).lines(),
        };
        let hello = json!({ "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": { "name": "t", "version": "1" } });
        pipe.request(0, "initialize", hello).await;
        pipe
    }

    async fn request(&mut self, id: i64, method: &str, params: Value) -> Value {
        let line = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params })
            .to_string()
            + "\n";
        self.to_server.write_all(line.as_bytes()).await.unwrap();
        loop {
            let line = self
                .from_server
                .next_line()
                .await
                .unwrap()
                .expect("a response");
            let message: Value = serde_json::from_str(&line).unwrap();
            if message["id"] == id {
                return message;
            }
        }
    }
}

#[tokio::test]
async fn a_tool_call_over_stdio_is_one_server_span_with_every_attribute() {
    let (trace, parent, traceparent) = trace();
    let mut pipe = Pipe::connect(server(|b| b)).await;
    let params = json!({ "name": "echo", "arguments": { "text": "hi" }, "_meta": { "traceparent": traceparent } });
    let answer = pipe.request(7, "tools/call", params).await;
    assert_eq!(answer["result"]["content"][0]["text"], "hi");
    let spans = spans_of(trace);
    assert_eq!(spans.len(), 1, "{spans:?}");
    let span = &spans[0];
    assert_eq!(
        (span.name.as_ref(), &span.span_kind),
        ("mcp.tools.call", &SpanKind::Server)
    );
    assert_eq!(
        span.parent_span_id, parent,
        "the caller's _meta.traceparent is the parent"
    );
    assert_eq!(span.status, Status::Unset);
    assert_eq!(
        attributes(span),
        expect(&[
            ("mcp.method.name", "tools/call"),
            ("mcp.binding.name", "echo"),
            ("mcp.protocol.version", "2025-11-25"),
            ("jsonrpc.request.id", "7"),
            ("network.transport", "pipe"),
            ("gen_ai.tool.name", "echo"),
            ("gen_ai.operation.name", "execute_tool"),
        ]),
        "no session id on stdio, no arguments without record_payloads"
    );
}

#[tokio::test]
async fn reads_prompts_and_completions_over_http_carry_their_own_attributes() {
    let (trace, parent, traceparent) = trace();
    let addr = http::serve(server(|b| b).router()).await;
    let mut client = McpHttp::new(addr);
    client.initialize(json!({})).await;
    let session = client.session.clone().unwrap();
    let meta = json!({ "traceparent": traceparent });
    for (method, params) in [
        (
            "resources/read",
            json!({ "uri": "notes://42", "_meta": meta }),
        ),
        (
            "prompts/get",
            json!({ "name": "greet", "arguments": { "name": "Ada" }, "_meta": meta }),
        ),
        (
            "completion/complete",
            json!({ "ref": { "type": "ref/prompt", "name": "greet" }, "argument": { "name": "name", "value": "A" }, "_meta": meta }),
        ),
    ] {
        let response = client.request(method, params).await;
        assert_eq!(response.status, 200, "{method}");
    }
    let spans = spans_of(trace);
    let by_name: HashMap<&str, &SpanData> = spans.iter().map(|s| (s.name.as_ref(), s)).collect();
    assert_eq!(by_name.len(), 3, "{spans:?}");
    let common = |binding: &str, method: &str, request: &str| {
        expect(&[
            ("mcp.method.name", method),
            ("mcp.binding.name", binding),
            ("mcp.protocol.version", "2025-11-25"),
            ("mcp.session.id", session.as_str()),
            ("jsonrpc.request.id", request),
            ("network.transport", "tcp"),
        ])
    };
    let mut read = common("note", "resources/read", "2");
    read.insert("mcp.resource.uri".into(), "notes://42".into());
    assert_eq!(attributes(by_name["mcp.resources.read"]), read);
    let mut get = common("greet", "prompts/get", "3");
    get.insert("gen_ai.prompt.name".into(), "greet".into());
    assert_eq!(attributes(by_name["mcp.prompts.get"]), get);
    let mut complete = common("greet", "completion/complete", "4");
    complete.insert("mcp.completion.argument".into(), "name".into());
    assert_eq!(attributes(by_name["mcp.completion.complete"]), complete);
    assert!(
        spans
            .iter()
            .all(|s| s.parent_span_id == parent && s.span_kind == SpanKind::Server)
    );
}

#[tokio::test]
async fn the_http_traceparent_header_parents_spans_when_meta_has_none() {
    let (header_trace, header_parent, header_traceparent) = trace();
    let (meta_trace, _, meta_traceparent) = trace();
    let addr = http::serve(server(|b| b).router()).await;
    let mut client = McpHttp::new(addr);
    client.initialize(json!({})).await;
    let mut headers = client.headers();
    headers.push(("traceparent", &header_traceparent));
    let call = |id: i64, meta: Value| {
        json!({ "jsonrpc": "2.0", "id": id, "method": "tools/call", "params": { "name": "echo", "arguments": { "text": "x" }, "_meta": meta } }).to_string()
    };
    let from_header = http::send(addr, "POST", "/mcp", &headers, call(10, json!({}))).await;
    assert_eq!(from_header.status, 200);
    let from_meta = http::send(
        addr,
        "POST",
        "/mcp",
        &headers,
        call(11, json!({ "traceparent": meta_traceparent })),
    )
    .await;
    assert_eq!(from_meta.status, 200);
    let spans = spans_of(header_trace);
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].parent_span_id, header_parent);
    assert_eq!(spans_of(meta_trace).len(), 1, "_meta wins over the header");
}

#[tokio::test]
async fn failures_set_the_status_and_only_service_errors_are_recorded_when_asked() {
    let (trace, _, traceparent) = trace();
    let recording = Pipe::connect(server(|b| b.record_service_exceptions(true))).await;
    let quiet = Pipe::connect(server(|b| b)).await;
    let meta = json!({ "traceparent": traceparent });
    for (mut pipe, tool, id) in [(recording, "broken", 1), (quiet, "broken", 2)] {
        pipe.request(id, "tools/call", json!({ "name": tool, "_meta": meta }))
            .await;
        if id == 1 {
            pipe.request(3, "tools/call", json!({ "name": "picky", "_meta": meta }))
                .await;
            pipe.request(4, "tools/call", json!({ "name": "locked", "_meta": meta }))
                .await;
        }
    }
    let spans = spans_of(trace);
    let by_request: HashMap<String, &SpanData> = spans
        .iter()
        .map(|s| (attributes(s)["jsonrpc.request.id"].clone(), s))
        .collect();
    let exceptions = |span: &SpanData| span.events.iter().filter(|e| e.name == "exception").count();
    assert_eq!(
        exceptions(by_request["1"]),
        1,
        "recorded with record_service_exceptions"
    );
    assert_eq!(exceptions(by_request["2"]), 0, "not recorded by default");
    assert_eq!(
        exceptions(by_request["3"]),
        0,
        "validation errors are never recorded"
    );
    for request in ["1", "2", "3"] {
        let span = by_request[request];
        assert!(
            matches!(span.status, Status::Error { .. }),
            "isError is an error status"
        );
        assert_eq!(attributes(span)["error.type"], "tool_error");
    }
    let denied = attributes(by_request["4"]);
    assert_eq!(
        (
            denied["error.type"].as_str(),
            denied["rpc.response.status_code"].as_str()
        ),
        ("-32006", "-32006")
    );
}

#[tokio::test]
async fn requests_that_resolve_no_binding_open_no_span() {
    let (trace, _, traceparent) = trace();
    let mut pipe = Pipe::connect(server(|b| b)).await;
    let meta = json!({ "traceparent": traceparent });
    let unknown = pipe
        .request(1, "tools/call", json!({ "name": "nope", "_meta": meta }))
        .await;
    assert_eq!(unknown["error"]["code"], -32602);
    let malformed = pipe
        .request(2, "tools/call", json!({ "name": 5, "_meta": meta }))
        .await;
    assert_eq!(malformed["error"]["code"], -32602);
    let missing = pipe
        .request(
            3,
            "resources/read",
            json!({ "uri": "nothing://here", "_meta": meta }),
        )
        .await;
    assert_eq!(missing["error"]["code"], -32002);
    assert!(spans_of(trace).is_empty());
}

#[tokio::test]
async fn options_rename_spans_and_opt_in_to_payloads() {
    let (trace, _, traceparent) = trace();
    let mut pipe = Pipe::connect(server(|b| {
        b.span_names(SpanNames::Conventions).record_payloads(true)
    }))
    .await;
    let params = json!({ "name": "echo", "arguments": { "text": "secret" }, "_meta": { "traceparent": traceparent } });
    pipe.request(1, "tools/call", params).await;
    let spans = spans_of(trace);
    assert_eq!(spans[0].name, "tools/call echo");
    let recorded = attributes(&spans[0]);
    assert_eq!(
        recorded["gen_ai.tool.call.arguments"],
        r#"{"text":"secret"}"#
    );
    assert!(recorded["gen_ai.tool.call.result"].contains("secret"));
}

#[tokio::test]
async fn every_dispatch_is_measured_in_the_duration_histogram() {
    let mut pipe = Pipe::connect(server(|b| b)).await;
    pipe.request(
        1,
        "tools/call",
        json!({ "name": "echo", "arguments": { "text": "measured" } }),
    )
    .await;
    pipe.request(2, "tools/call", json!({ "name": "locked" }))
        .await;
    let telemetry = telemetry();
    telemetry.meter_provider.force_flush().unwrap();
    let exported = telemetry.metrics.get_finished_metrics().unwrap();
    let points: Vec<(HashMap<String, String>, u64)> = exported
        .iter()
        .flat_map(|rm| rm.scope_metrics())
        .flat_map(|sm| sm.metrics())
        .filter(|m| m.name() == "mcp.server.operation.duration")
        .flat_map(|m| match m.data() {
            AggregatedMetrics::F64(MetricData::Histogram(h)) => h
                .data_points()
                .map(|p| {
                    (
                        p.attributes()
                            .map(|kv| (kv.key.to_string(), kv.value.to_string()))
                            .collect(),
                        p.count(),
                    )
                })
                .collect::<Vec<_>>(),
            other => panic!("not a histogram: {other:?}"),
        })
        .collect();
    let find = |binding: &str| {
        points
            .iter()
            .find(|(a, _)| a.get("mcp.binding.name").map(String::as_str) == Some(binding))
    };
    let (echo, count) = find("echo").expect("echo was measured");
    assert_eq!(echo["mcp.method.name"], "tools/call");
    assert!(*count >= 1);
    let (locked, _) = find("locked").expect("locked was measured");
    assert_eq!(locked["error.type"], "-32006");
}
