//! With the `otel` feature: one SERVER span per dispatch from the global tracer, and the
//! `mcp.server.operation.duration` histogram from the global meter. Nothing is installed or
//! sampled here; the application's providers decide. Attributes beyond what a sampler may
//! look at are only built when the span is recording.

use super::options::SpanNames;
use super::scope::BindingScope;
use super::{Operation, Outcome, TelemetryConfig};
use crate::context::{RequestEnv, TransportKind};
use crate::protocol::RequestMeta;
use opentelemetry::global;
use opentelemetry::metrics::Histogram;
use opentelemetry::propagation::Extractor;
use opentelemetry::trace::{Span, SpanKind, Status, TraceContextExt, Tracer};
use opentelemetry::{Context, KeyValue};
use std::borrow::Cow;
use std::sync::OnceLock;
use std::time::Instant;

/// The instrumentation scope of every span and instrument.
const SCOPE: &str = "mcp_runtime";

/// One dispatch span, held in the context the binding runs in.
pub(crate) struct DispatchSpan {
    /// The span is in here: the binding's scope makes this context current.
    context: Context,
    scope: BindingScope,
    recording: bool,
    started: Instant,
    operation: Operation,
    /// Borrowed for bindings declared with the macros: no allocation per call.
    binding: Cow<'static, str>,
    config: TelemetryConfig,
}

impl std::fmt::Debug for DispatchSpan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DispatchSpan")
            .field("operation", &self.operation)
            .finish_non_exhaustive()
    }
}

impl DispatchSpan {
    // A `&Cow` rather than `&str`: cloning a borrowed `Cow` copies a pointer, a `&str` would
    // have to be copied into a `String` for the span and the histogram.
    #[allow(clippy::ptr_arg)]
    pub(crate) fn start(
        config: &TelemetryConfig,
        operation: Operation,
        binding: &Cow<'static, str>,
        env: &RequestEnv,
        meta: Option<&RequestMeta>,
    ) -> Self {
        let config = *config;
        let tracer = global::tracer(SCOPE);
        let name: Cow<'static, str> = match config.span_names {
            SpanNames::Contract => operation.contract_name().into(),
            SpanNames::Conventions => format!("{} {binding}", operation.method()).into(),
        };
        // What a sampler may look at goes in at the start; the rest only if recorded.
        let span = tracer
            .span_builder(name)
            .with_kind(SpanKind::Server)
            .with_attributes([
                KeyValue::new("mcp.method.name", operation.method()),
                KeyValue::new("mcp.binding.name", binding.clone()),
            ])
            .start_with_context(&tracer, &parent_context(meta, env));
        let recording = span.is_recording();
        let context = Context::current_with_span(span);
        let mut dispatch = DispatchSpan {
            scope: BindingScope::new(operation, binding, env, context.clone()),
            context,
            recording,
            started: Instant::now(),
            operation,
            binding: binding.clone(),
            config,
        };
        if dispatch.recording {
            dispatch.describe(env);
        }
        dispatch
    }

    /// Where the binding's own code runs.
    pub(crate) fn scope(&self) -> BindingScope {
        self.scope.clone()
    }

    fn describe(&mut self, env: &RequestEnv) {
        let binding = self.binding.clone();
        let span = self.context.span();
        span.set_attribute(KeyValue::new(
            "mcp.protocol.version",
            env.protocol_version().as_str(),
        ));
        if let Some(session) = env.session_id() {
            span.set_attribute(KeyValue::new("mcp.session.id", session.to_owned()));
        }
        span.set_attribute(KeyValue::new(
            "jsonrpc.request.id",
            env.request_id().to_string(),
        ));
        span.set_attribute(KeyValue::new(
            "network.transport",
            transport_name(env.transport()),
        ));
        match self.operation {
            Operation::ToolsCall => {
                span.set_attribute(KeyValue::new("gen_ai.tool.name", binding));
                span.set_attribute(KeyValue::new("gen_ai.operation.name", "execute_tool"));
            }
            Operation::PromptsGet => {
                span.set_attribute(KeyValue::new("gen_ai.prompt.name", binding))
            }
            Operation::ResourcesRead | Operation::CompletionComplete => {}
        }
    }

    /// The URI the client sent, template variables resolved.
    pub(crate) fn set_resource_uri(&mut self, uri: &str) {
        if self.recording {
            self.context
                .span()
                .set_attribute(KeyValue::new("mcp.resource.uri", uri.to_owned()));
        }
    }

    /// The argument or template variable being completed.
    pub(crate) fn set_completion_argument(&mut self, argument: &str) {
        if self.recording {
            self.context.span().set_attribute(KeyValue::new(
                "mcp.completion.argument",
                argument.to_owned(),
            ));
        }
    }

    /// A tool's arguments, only with `record_payloads`.
    pub(crate) fn record_arguments(&mut self, arguments: &crate::extract::RawArguments<'_>) {
        if self.recording
            && self.config.record_payloads
            && let Ok(arguments) = arguments.to_value()
        {
            self.context.span().set_attribute(KeyValue::new(
                "gen_ai.tool.call.arguments",
                arguments.to_string(),
            ));
        }
    }

    /// A tool's result, only with `record_payloads`.
    pub(crate) fn record_result(&mut self, result: &crate::render::ToolOutput) {
        if self.recording && self.config.record_payloads {
            let text = result.to_json().unwrap_or_default();
            self.context
                .span()
                .set_attribute(KeyValue::new("gen_ai.tool.call.result", text));
        }
    }

    /// A tool's `ServiceError`, only with `record_service_exceptions`.
    pub(crate) fn record_service_error(&mut self, error: &crate::ServiceError) {
        if self.recording && self.config.record_service_exceptions {
            self.context.span().record_error(error);
        }
    }

    pub(crate) fn end(mut self, outcome: Outcome) {
        let error_type: Option<Cow<'static, str>> = match outcome {
            Outcome::Ok => None,
            Outcome::RpcError(code) => Some(code.to_string().into()),
            Outcome::ToolError => Some("tool_error".into()),
        };
        if let Some(error_type) = &error_type {
            if self.recording {
                self.context
                    .span()
                    .set_attribute(KeyValue::new("error.type", error_type.clone()));
                if let Outcome::RpcError(code) = outcome {
                    self.context
                        .span()
                        .set_attribute(KeyValue::new("rpc.response.status_code", code.to_string()));
                }
            }
            self.context
                .span()
                .set_status(Status::error(error_type.clone()));
        }
        self.context.span().end();
        let mut attributes = vec![
            KeyValue::new("mcp.method.name", self.operation.method()),
            KeyValue::new("mcp.binding.name", std::mem::take(&mut self.binding)),
        ];
        if let Some(error_type) = error_type {
            attributes.push(KeyValue::new("error.type", error_type));
        }
        duration_histogram().record(self.started.elapsed().as_secs_f64(), &attributes);
    }
}

fn transport_name(transport: TransportKind) -> &'static str {
    match transport {
        TransportKind::Stdio => "pipe",
        TransportKind::Http => "tcp",
        TransportKind::InProcess => "inproc",
    }
}

/// `mcp.server.operation.duration`, made once from the global meter provider (install yours
/// before serving).
fn duration_histogram() -> &'static Histogram<f64> {
    static HISTOGRAM: OnceLock<Histogram<f64>> = OnceLock::new();
    HISTOGRAM.get_or_init(|| {
        global::meter(SCOPE)
            .f64_histogram("mcp.server.operation.duration")
            .with_unit("s")
            .with_description("Duration of MCP requests served, by method and binding")
            .build()
    })
}

/// The parent: the request's `_meta.traceparent` (SEP-414), else the HTTP request's trace
/// headers, read through the globally installed propagator; else the current context.
fn parent_context(meta: Option<&RequestMeta>, env: &RequestEnv) -> Context {
    let from_meta = meta.filter(|m| m.traceparent.is_some()).map(|m| Carrier {
        traceparent: m.traceparent.as_deref(),
        tracestate: m.tracestate.as_deref(),
    });
    let from_headers = http_trace_headers(env);
    match from_meta.or(from_headers) {
        Some(carrier) => global::get_text_map_propagator(|propagator| propagator.extract(&carrier)),
        None => Context::current(),
    }
}

/// The trace context of the HTTP request that carried the message, if it has one.
#[cfg(feature = "http")]
fn http_trace_headers(env: &RequestEnv) -> Option<Carrier<'_>> {
    let headers = &env.http_request()?.headers;
    let read = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    Some(Carrier {
        traceparent: Some(read("traceparent")?),
        tracestate: read("tracestate"),
    })
}

#[cfg(not(feature = "http"))]
fn http_trace_headers(_: &RequestEnv) -> Option<Carrier<'_>> {
    None
}

struct Carrier<'a> {
    traceparent: Option<&'a str>,
    tracestate: Option<&'a str>,
}

impl Extractor for Carrier<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        match key {
            "traceparent" => self.traceparent,
            "tracestate" => self.tracestate,
            _ => None,
        }
    }

    fn keys(&self) -> Vec<&str> {
        vec!["traceparent", "tracestate"]
    }
}
