//! The bindings the macros submit, and the frozen [`Registry`] a server serves.

mod common;
pub(crate) use common::Common;
mod completion;
mod freeze;
mod frozen;
mod info;
mod listing;
mod pages;
mod prompt;
mod resource;
pub(crate) mod schema;
mod tool;
mod validator;

pub(crate) use completion::Completer;
pub use completion::{Complete, CompletionRequest};
#[cfg(feature = "http")]
pub(crate) use frozen::Visible;
pub(crate) use frozen::{FrozenTool, PageRef, Registry};
pub use info::{BindingInfo, BindingKind};
pub(crate) use pages::ListKind;
pub use prompt::PromptBinding;
pub use resource::ResourceBinding;
pub use schema::InputSchemaBuilder;
pub use tool::ToolBinding;
pub(crate) use tool::{Declared, ToolCall, ToolFuture, ToolHandler};

/// One binding of any kind.
#[derive(Debug, Clone)]
pub enum Binding {
    /// A tool.
    Tool(ToolBinding),
    /// A resource or resource template.
    Resource(ResourceBinding),
    /// A prompt.
    Prompt(PromptBinding),
}

impl From<ToolBinding> for Binding {
    fn from(b: ToolBinding) -> Self {
        Binding::Tool(b)
    }
}

impl From<ResourceBinding> for Binding {
    fn from(b: ResourceBinding) -> Self {
        Binding::Resource(b)
    }
}

impl From<PromptBinding> for Binding {
    fn from(b: PromptBinding) -> Self {
        Binding::Prompt(b)
    }
}

impl Binding {
    /// What filters see of the binding.
    pub fn info(&self) -> BindingInfo<'_> {
        let (kind, common) = match self {
            Binding::Tool(b) => (BindingKind::Tool, &b.common),
            Binding::Resource(b) => (BindingKind::Resource, &b.common),
            Binding::Prompt(b) => (BindingKind::Prompt, &b.common),
        };
        BindingInfo::new(kind, common)
    }
}

/// What `#[mcp_tool]`, `#[mcp_resource]` and `#[mcp_prompt]` submit to `inventory`: a
/// function that builds the binding, run once when a server is built.
#[doc(hidden)]
pub struct Registration {
    build: fn() -> Binding,
}

impl Registration {
    #[doc(hidden)]
    pub const fn new(build: fn() -> Binding) -> Self {
        Registration { build }
    }

    /// Every binding the macros registered anywhere in the binary.
    pub(crate) fn collect() -> Vec<Binding> {
        inventory::iter::<Registration>
            .into_iter()
            .map(|r| (r.build)())
            .collect()
    }
}

inventory::collect!(Registration);
