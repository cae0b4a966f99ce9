//! Runs one request through the in-process pipeline many times, for a profiler:
//!
//! ```text
//! cargo build --release -p mcp-benches --bin profile_dispatch
//! valgrind --tool=callgrind target/release/profile_dispatch tools/call 20000
//! ```
//!
//! The first argument picks the request (`tools/call`, `resources/read`, `prompts/get`,
//! `tools/list`, `stateless`, or `floor` for the floor itself), the second the number of
//! calls.

use mcp_benches::{CALL_ADD, CALL_ADD_STATELESS, GET_GREET, LIST_TOOLS, READ_NOTE};
use mcp_runtime::McpServer;
use mcp_runtime::testing::TestClient;

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "tools/call".to_owned());
    let count: usize = args.next().map_or(100_000, |n| n.parse().expect("a count"));
    let request = match which.as_str() {
        "tools/call" => CALL_ADD,
        "resources/read" => READ_NOTE,
        "prompts/get" => GET_GREET,
        "tools/list" => LIST_TOOLS,
        "stateless" => CALL_ADD_STATELESS,
        "floor" => CALL_ADD,
        other => panic!("unknown request {other}"),
    };
    if which == "floor" {
        for _ in 0..count {
            std::hint::black_box(mcp_benches::floor(std::hint::black_box(CALL_ADD)));
        }
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let server = McpServer::builder("bench", "1.0").build().expect("builds");
    runtime.block_on(async {
        let client = TestClient::connect(&server).await;
        let first = client.send_raw(request).await.expect("an answer");
        assert!(first.contains("\"result\""), "{first}");
        for _ in 0..count {
            std::hint::black_box(client.send_raw(std::hint::black_box(request)).await);
        }
    });
}
