//! In-process dispatch: a trivial `tools/call` from request bytes to response bytes through
//! the whole pipeline (decode, route, guards, validation, the call, rendering, encoding),
//! no transport; against the floor of a bare serde_json parse and canned response. Also
//! the same call in the stateless era (2026-07-28), `resources/read` through a template,
//! `prompts/get`, and the first page of `tools/list` at 10 and 1,000 tools.
//!
//! `cargo bench -p mcp-benches --bench dispatch`; add `--features otel` to measure the same
//! dispatch with OpenTelemetry compiled in and a sampler that drops every span.

use criterion::{Criterion, criterion_group, criterion_main};
use mcp_benches::{
    CALL_ADD, CALL_ADD_STATELESS, GET_GREET, LIST_TOOLS, READ_NOTE, floor, server_with_tools,
};
use mcp_runtime::McpServer;
use mcp_runtime::testing::TestClient;
use std::hint::black_box;

fn dispatch(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    #[cfg(feature = "otel")]
    opentelemetry::global::set_tracer_provider(
        opentelemetry_sdk::trace::SdkTracerProvider::builder()
            .with_sampler(opentelemetry_sdk::trace::Sampler::AlwaysOff)
            .build(),
    );
    let server = McpServer::builder("bench", "1.0").build().unwrap();
    let client = runtime.block_on(TestClient::connect(&server));
    let answer = runtime.block_on(client.send_raw(CALL_ADD)).unwrap();
    assert_eq!(
        answer,
        floor(CALL_ADD),
        "the pipeline and the floor answer the same bytes"
    );

    let mut group = c.benchmark_group("tools_call");
    group.bench_function("floor_serde_json", |b| {
        b.iter(|| floor(black_box(CALL_ADD)))
    });
    let name = if cfg!(feature = "otel") {
        "dispatch_otel_sampler_off"
    } else {
        "dispatch"
    };
    group.bench_function(name, |b| {
        b.to_async(&runtime)
            .iter(|| client.send_raw(black_box(CALL_ADD)))
    });
    group.finish();

    let mut group = c.benchmark_group("other_methods");
    for (name, request) in [
        ("tools_call_stateless_2026", CALL_ADD_STATELESS),
        ("resources_read_template", READ_NOTE),
        ("prompts_get", GET_GREET),
    ] {
        let answer = runtime.block_on(client.send_raw(request)).unwrap();
        assert!(answer.contains("\"result\""), "{name}: {answer}");
        group.bench_function(name, |b| {
            b.to_async(&runtime)
                .iter(|| client.send_raw(black_box(request)))
        });
    }
    group.finish();

    // A page of tools/list is served pre-serialised: its cost must not grow with the
    // number of tools.
    let mut group = c.benchmark_group("tools_list_first_page");
    for count in [10, 1_000] {
        let server = server_with_tools(count);
        let client = runtime.block_on(TestClient::connect(&server));
        let answer = runtime.block_on(client.send_raw(LIST_TOOLS)).unwrap();
        assert!(answer.contains("tool_00000"), "{answer}");
        group.bench_function(format!("{count}_tools"), |b| {
            b.to_async(&runtime)
                .iter(|| client.send_raw(black_box(LIST_TOOLS)))
        });
    }
    group.finish();
}

criterion_group!(benches, dispatch);
criterion_main!(benches);
