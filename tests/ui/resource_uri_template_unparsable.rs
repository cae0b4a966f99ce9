use mcp_runtime::prelude::*;

/// One file.
#[mcp_resource(uri = "files://{id")]
fn file(id: u64) -> String {
    id.to_string()
}

fn main() {}
