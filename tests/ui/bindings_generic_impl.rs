use mcp_runtime::prelude::*;

struct Store<T>(T);

#[mcp_bindings]
impl<T: Send + Sync + 'static> Store<T> {
    /// Count the items.
    #[mcp_tool]
    fn count(&self) -> u64 {
        1
    }
}

fn main() {}
