use mcp_runtime::prelude::*;

/// One invoice line.
#[mcp_resource(uri = "invoices://{id}/lines/{line}")]
fn line(id: u64) -> String {
    id.to_string()
}

fn main() {}
