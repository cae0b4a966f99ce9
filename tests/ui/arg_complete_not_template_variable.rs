use mcp_runtime::prelude::*;

fn ids(_: mcp_runtime::binding::CompletionRequest) -> Vec<String> {
    vec!["1".into()]
}

/// One invoice.
#[mcp_resource(uri = "invoices://{id}")]
fn invoice(id: u64, #[arg(complete = ids)] ctx: Context) -> String {
    let _ = ctx;
    id.to_string()
}

fn main() {}
