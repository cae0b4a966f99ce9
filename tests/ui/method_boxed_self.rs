use mcp_runtime::prelude::*;

struct Greeter;

#[mcp_bindings]
impl Greeter {
    /// Greet someone.
    #[mcp_prompt]
    fn greet(self: Box<Self>, name: String) -> String {
        format!("Greet {name}.")
    }
}

fn main() {}
