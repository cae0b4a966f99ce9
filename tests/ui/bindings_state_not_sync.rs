use mcp_runtime::prelude::*;
use std::cell::Cell;

struct Counter {
    count: Cell<u64>,
}

#[mcp_bindings]
impl Counter {
    /// Counts one more.
    #[mcp_tool]
    fn bump(&self) -> u64 {
        self.count.set(self.count.get() + 1);
        self.count.get()
    }

    /// The count.
    #[mcp_resource(uri = "counter://count")]
    fn count(&self) -> String {
        self.count.get().to_string()
    }
}

fn main() {}
