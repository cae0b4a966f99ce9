use mcp_runtime::prelude::*;

#[derive(Deserialize, JsonSchema)]
struct Query {
    id: u64,
}

/// One invoice.
#[mcp_resource(uri = "invoices://{id}")]
fn invoice(id: u64, #[args] query: Query) -> String {
    format!("{id} {}", query.id)
}

fn main() {}
