use mcp_runtime::prelude::*;

struct Report {
    text: String,
}

#[mcp_bindings]
impl Report {
    /// The report's text.
    #[mcp_resource(uri = "report://text")]
    fn text(self) -> String {
        self.text
    }
}

fn main() {}
