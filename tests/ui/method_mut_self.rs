use mcp_runtime::prelude::*;

struct Counter {
    count: u64,
}

#[mcp_bindings]
impl Counter {
    /// Counts one more.
    #[mcp_tool]
    fn bump(&mut self) -> u64 {
        self.count += 1;
        self.count
    }
}

fn main() {}
