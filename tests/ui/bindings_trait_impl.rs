use mcp_runtime::prelude::*;

trait Describe {
    fn describe(&self) -> String;
}

struct Service;

#[mcp_bindings]
impl Describe for Service {
    /// Describe the service.
    #[mcp_tool]
    fn describe(&self) -> String {
        "a service".into()
    }
}

fn main() {}
