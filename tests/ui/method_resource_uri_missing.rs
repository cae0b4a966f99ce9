use mcp_runtime::prelude::*;

struct Files;

#[mcp_bindings]
impl Files {
    /// The README.
    #[mcp_resource(mime_type = "text/markdown")]
    fn readme(&self) -> String {
        "# Files".into()
    }
}

fn main() {}
