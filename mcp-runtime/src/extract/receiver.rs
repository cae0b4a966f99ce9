//! The value a `#[mcp_bindings]` method taking `&self` is called on: the server's
//! `State<T>`, the same one a `State<T>` parameter receives.

use super::Injected;
use crate::context::{Context, State};
use crate::service_error::ToolError;

/// The state a method is called on, or the error a missing `State<T>` parameter gives
/// (which `build()` prevents: the binding declares the state it needs). The glue names
/// it on the `impl` block's type, so a type that cannot be shared between threads is
/// reported there, with the compiler's own explanation of what is not `Sync`.
pub fn method_state<T: Send + Sync + 'static>(ctx: &Context) -> Result<State<T>, ToolError> {
    State::<T>::inject(ctx)
}
