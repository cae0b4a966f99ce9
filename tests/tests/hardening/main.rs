//! Faults an attacker or an operator brings: every combination of era markers, headers and
//! methods on HTTP; stdio input that ends in the middle of things; budgets a caller could
//! renew at will; clients that stall. Most of these tests failed before the fix they guard.

use mcp_runtime::prelude::*;

/// Echo the text back (the one tool every server here has).
#[mcp_tool]
fn echo(text: String) -> String {
    text
}

mod memory;
mod rate_limit_keys;
mod routing;
mod session_life;
mod silent_calls;
mod stalled;
mod stdio;
mod user_panics;
