use super::common::Common;

/// The three kinds of binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BindingKind {
    /// `#[mcp_tool]`.
    Tool,
    /// `#[mcp_resource]`.
    Resource,
    /// `#[mcp_prompt]`.
    Prompt,
}

/// What a filter sees of a binding: its kind, name, module and tags.
///
/// ```
/// # use mcp_runtime::McpServer;
/// let billing = McpServer::builder("billing", "1.0")
///     .filter(|b| b.in_module("my_app::billing") || b.has_tag("billing"));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct BindingInfo<'a> {
    kind: BindingKind,
    common: &'a Common,
}

impl<'a> BindingInfo<'a> {
    pub(crate) fn new(kind: BindingKind, common: &'a Common) -> Self {
        BindingInfo { kind, common }
    }

    /// Tool, resource or prompt.
    pub fn kind(&self) -> BindingKind {
        self.kind
    }

    /// The binding's name.
    pub fn name(&self) -> &'a str {
        &self.common.name
    }

    /// The module the binding was declared in (`None` for bindings built by hand).
    pub fn module_path(&self) -> Option<&'a str> {
        self.common.origin.module_path
    }

    /// Whether the binding was declared in `module` or one of its submodules.
    pub fn in_module(&self, module: &str) -> bool {
        self.module_path().is_some_and(|path| {
            path == module
                || path
                    .strip_prefix(module)
                    .is_some_and(|rest| rest.starts_with("::"))
        })
    }

    /// The binding's tags.
    pub fn tags(&self) -> impl Iterator<Item = &'a str> {
        self.common.origin.tags.iter().map(|t| t.as_ref())
    }

    /// Whether the binding has `tag`.
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags().any(|t| t == tag)
    }
}
