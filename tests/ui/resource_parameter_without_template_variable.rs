use mcp_runtime::prelude::*;

/// One thing.
#[mcp_resource(uri = "x://{id}")]
fn r(id: u64, extra: String) -> String {
    format!("{id}{extra}")
}

fn main() {}
