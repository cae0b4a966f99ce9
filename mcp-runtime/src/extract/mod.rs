//! How generated code turns a request into a binding's parameters.
//!
//! What a parameter may be is decided by traits, never by the macro reading type names:
//! [`ToolParameter`] for tool parameters (any `Deserialize + JsonSchema` type is an
//! argument; `Context` and `State<T>` are injected), [`PromptParameter`] for prompt
//! parameters (string-like arguments, or injected), [`TemplateValue`] for URI template
//! variables, and [`Injected`] for parameters that must come from the server, not the client.

mod arguments;
mod missing;
mod prompt;
mod raw;
mod receiver;
mod template;
mod text;
mod tool;

pub use arguments::Arguments;
pub(crate) use missing::MissingValue;
pub use prompt::{PromptArgsBuilder, PromptArguments, PromptParameter};
pub use raw::RawArguments;
pub use receiver::method_state;
pub use template::{ResourceRequest, TemplateValue};
pub use tool::{Injected, Requirements, ToolParameter};
