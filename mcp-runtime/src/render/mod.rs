//! How a binding's return value becomes a result: one trait per binding kind, one impl per
//! return shape, so the compiler checks the shape and new shapes are new impls.

mod json;
mod output;
mod prompt;
mod resource;
mod tool;

pub use json::Json;
pub use output::ToolOutput;
pub use prompt::IntoGetPromptResult;
pub use resource::IntoReadResourceResult;
pub use tool::IntoCallToolResult;
