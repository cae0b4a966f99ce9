//! The frozen registry a server serves: bindings sorted and checked, validators compiled,
//! list pages serialised. Bindings can be disabled and enabled again at run time: lookups
//! skip disabled ones, and the pages are rebuilt and swapped in without a lock on reads.

use super::pages::{ListKind, Pages};
use super::validator::ArgumentValidator;
use super::{BindingKind, PromptBinding, ResourceBinding, ToolBinding, listing};
use crate::guard::Guards;
use crate::protocol::RpcError;
use arc_swap::ArcSwap;
use mcp_uri_template::UriTemplate;
use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether a binding is currently served.
#[derive(Debug)]
struct Enabled(AtomicBool);

impl Enabled {
    fn new() -> Self {
        Enabled(AtomicBool::new(true))
    }

    fn get(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }

    /// Sets the flag; whether it changed.
    fn set(&self, enabled: bool) -> bool {
        self.0.swap(enabled, Ordering::AcqRel) != enabled
    }
}

#[derive(Debug)]
pub(crate) struct FrozenTool {
    pub binding: ToolBinding,
    pub validator: ArgumentValidator,
    /// (argument, header name) for every argument marked `x-mcp-header`.
    #[cfg_attr(not(feature = "http"), allow(dead_code))]
    pub header_parameters: Vec<(String, String)>,
    /// The names of the input schema's properties: what a declared tool's arguments are
    /// split into.
    pub properties: Box<[Box<str>]>,
    enabled: Enabled,
}

impl FrozenTool {
    pub(crate) fn new(binding: ToolBinding, validator: ArgumentValidator) -> Self {
        let properties = binding
            .input_schema
            .get("properties")
            .and_then(|p| p.as_object());
        let names = properties.into_iter().flatten();
        let names = names.map(|(name, _)| name.as_str().into()).collect();
        let header_parameters = properties
            .into_iter()
            .flatten()
            .filter_map(|(name, schema)| {
                Some((
                    name.clone(),
                    schema.get("x-mcp-header")?.as_str()?.to_owned(),
                ))
            })
            .collect();
        FrozenTool {
            binding,
            validator,
            header_parameters,
            properties: names,
            enabled: Enabled::new(),
        }
    }
}

#[derive(Debug)]
pub(crate) struct FrozenResource {
    pub binding: ResourceBinding,
    pub template: UriTemplate,
    enabled: Enabled,
}

impl FrozenResource {
    pub(crate) fn new(binding: ResourceBinding, template: UriTemplate) -> Self {
        FrozenResource {
            binding,
            template,
            enabled: Enabled::new(),
        }
    }
}

#[derive(Debug)]
pub(crate) struct FrozenPrompt {
    pub binding: PromptBinding,
    enabled: Enabled,
}

impl FrozenPrompt {
    pub(crate) fn new(binding: PromptBinding) -> Self {
        FrozenPrompt {
            binding,
            enabled: Enabled::new(),
        }
    }
}

/// A resource that a URI resolved to, with the values of its template variables.
pub(crate) struct ResourceMatch<'a> {
    pub resource: &'a FrozenResource,
    pub values: Vec<Option<String>>,
}

/// The four lists, serialised.
#[derive(Debug)]
struct ListPages {
    tools: Pages,
    resources: Pages,
    templates: Pages,
    prompts: Pages,
}

/// One page of a list result, kept alive while it is written out.
#[derive(Debug)]
pub(crate) struct PageRef {
    pages: Arc<ListPages>,
    kind: ListKind,
    cursor: Option<String>,
}

impl Deref for PageRef {
    type Target = RawValue;
    fn deref(&self) -> &RawValue {
        let page = self.pages.of(self.kind).page(self.cursor.as_deref());
        page.expect("the cursor was checked when the PageRef was made")
    }
}

#[derive(Debug)]
pub(crate) struct Registry {
    tools: Vec<FrozenTool>,
    resources: Vec<FrozenResource>,
    fixed_uris: HashMap<String, usize>,
    /// Indexes of template resources, most specific (longest literal text) first.
    templates: Vec<usize>,
    prompts: Vec<FrozenPrompt>,
    page_size: usize,
    pages: ArcSwap<ListPages>,
}

impl Registry {
    pub(crate) fn new(
        tools: Vec<FrozenTool>,
        resources: Vec<FrozenResource>,
        fixed_uris: HashMap<String, usize>,
        templates: Vec<usize>,
        prompts: Vec<FrozenPrompt>,
        page_size: usize,
    ) -> Self {
        let mut registry = Registry {
            tools,
            resources,
            fixed_uris,
            templates,
            prompts,
            page_size,
            pages: ArcSwap::from_pointee(ListPages::empty()),
        };
        registry.pages = ArcSwap::from_pointee(registry.build_pages());
        registry
    }

    fn build_pages(&self) -> ListPages {
        let size = self.page_size;
        let all = |_: &Guards| true;
        let pages = |kind| Pages::build(kind, self.listings(kind, &all), size);
        ListPages {
            tools: pages(ListKind::Tools),
            resources: pages(ListKind::Resources),
            templates: pages(ListKind::ResourceTemplates),
            prompts: pages(ListKind::Prompts),
        }
    }

    /// The listings of the enabled bindings of `kind` whose guards `allowed` accepts, in
    /// name order.
    fn listings(&self, kind: ListKind, allowed: &dyn Fn(&Guards) -> bool) -> Vec<Value> {
        let visible = self.visible(allowed);
        match kind {
            ListKind::Tools => visible.tools().map(listing::tool).collect(),
            ListKind::Resources => visible
                .resources()
                .map(|r| listing::resource(r, false))
                .collect(),
            ListKind::ResourceTemplates => visible
                .templates()
                .map(|(r, _)| listing::resource(r, true))
                .collect(),
            ListKind::Prompts => visible.prompts().map(listing::prompt).collect(),
        }
    }

    /// The enabled bindings whose guards `allowed` accepts, in the order the lists give
    /// them: what a caller may see.
    pub(crate) fn visible<'a>(&'a self, allowed: &'a dyn Fn(&Guards) -> bool) -> Visible<'a> {
        Visible {
            registry: self,
            allowed,
        }
    }

    /// One page of a list of only what `allowed` accepts, built for this request
    /// (`filter_listings`).
    pub(crate) fn filtered_page(
        &self,
        kind: ListKind,
        cursor: Option<&str>,
        allowed: &dyn Fn(&Guards) -> bool,
    ) -> Result<Box<RawValue>, RpcError> {
        super::pages::page_of(kind, self.listings(kind, allowed), cursor, self.page_size)
    }

    /// Names of the tools no permission guards.
    pub(crate) fn unguarded_tools(&self) -> Vec<String> {
        self.tools
            .iter()
            .filter(|t| t.binding.common.guards.permissions.is_empty())
            .map(|t| t.binding.common.name.to_string())
            .collect()
    }

    #[cfg(feature = "http")]
    pub(crate) fn tool(&self, name: &str) -> Option<&FrozenTool> {
        self.tool_index(name).map(|index| &self.tools[index])
    }

    /// Where an enabled tool is, for holding on to it without a borrow of the registry.
    pub(crate) fn tool_index(&self, name: &str) -> Option<usize> {
        let index = self
            .tools
            .binary_search_by(|t| t.binding.common.name.as_ref().cmp(name))
            .ok()?;
        self.tools[index].enabled.get().then_some(index)
    }

    /// The tool at a [`tool_index`](Self::tool_index).
    pub(crate) fn tool_at(&self, index: usize) -> &FrozenTool {
        &self.tools[index]
    }

    pub(crate) fn prompt(&self, name: &str) -> Option<&FrozenPrompt> {
        let index = self
            .prompts
            .binary_search_by(|p| p.binding.common.name.as_ref().cmp(name))
            .ok()?;
        Some(&self.prompts[index]).filter(|p| p.enabled.get())
    }

    /// Resolves a URI: an exact fixed resource first, then the most specific template.
    pub(crate) fn match_resource(&self, uri: &str) -> Option<ResourceMatch<'_>> {
        if let Some(&index) = self.fixed_uris.get(uri) {
            let resource = &self.resources[index];
            if resource.enabled.get() {
                return Some(ResourceMatch {
                    resource,
                    values: Vec::new(),
                });
            }
        }
        self.templates
            .iter()
            .map(|&i| &self.resources[i])
            .filter(|r| r.enabled.get())
            .find_map(|resource| {
                let values = resource.template.match_uri(uri)?;
                Some(ResourceMatch { resource, values })
            })
    }

    /// The resource whose URI or template text is exactly `uri` (a completion reference).
    pub(crate) fn resource_by_template(&self, uri: &str) -> Option<&FrozenResource> {
        self.resources
            .iter()
            .find(|r| r.binding.uri == uri && r.enabled.get())
    }

    /// One page of a list; `-32602` for a cursor that names no page.
    pub(crate) fn page(&self, kind: ListKind, cursor: Option<&str>) -> Result<PageRef, RpcError> {
        let page = PageRef {
            pages: self.pages.load_full(),
            kind,
            cursor: cursor.map(str::to_owned),
        };
        page.pages.of(kind).page(cursor)?;
        Ok(page)
    }

    /// Enables or disables the binding `name` of `kind`. `None` when there is no such
    /// binding; otherwise whether anything changed (the lists were then rebuilt).
    pub(crate) fn set_enabled(&self, kind: BindingKind, name: &str, enabled: bool) -> Option<bool> {
        let flag = match kind {
            BindingKind::Tool => {
                &self
                    .tools
                    .iter()
                    .find(|t| t.binding.common.name == name)?
                    .enabled
            }
            BindingKind::Resource => {
                &self
                    .resources
                    .iter()
                    .find(|r| r.binding.common.name == name)?
                    .enabled
            }
            BindingKind::Prompt => {
                &self
                    .prompts
                    .iter()
                    .find(|p| p.binding.common.name == name)?
                    .enabled
            }
        };
        let changed = flag.set(enabled);
        if changed {
            self.pages.store(Arc::new(self.build_pages()));
        }
        Some(changed)
    }

    pub(crate) fn tool_names(&self) -> Vec<String> {
        self.tools
            .iter()
            .filter(|t| t.enabled.get())
            .map(|t| t.binding.common.name.to_string())
            .collect()
    }

    pub(crate) fn has_tools(&self) -> bool {
        !self.tools.is_empty()
    }

    pub(crate) fn has_task_tools(&self) -> bool {
        self.tools
            .iter()
            .any(|t| t.binding.task_support != crate::tasks::TaskSupport::None)
    }

    pub(crate) fn has_resources(&self) -> bool {
        !self.resources.is_empty()
    }

    pub(crate) fn has_prompts(&self) -> bool {
        !self.prompts.is_empty()
    }

    pub(crate) fn has_completions(&self) -> bool {
        self.prompts
            .iter()
            .any(|p| !p.binding.common.completions.is_empty())
            || self
                .resources
                .iter()
                .any(|r| !r.binding.common.completions.is_empty())
    }
}

impl ListPages {
    fn of(&self, kind: ListKind) -> &Pages {
        match kind {
            ListKind::Tools => &self.tools,
            ListKind::Resources => &self.resources,
            ListKind::ResourceTemplates => &self.templates,
            ListKind::Prompts => &self.prompts,
        }
    }

    fn empty() -> Self {
        ListPages {
            tools: Pages::build(ListKind::Tools, Vec::new(), 1),
            resources: Pages::build(ListKind::Resources, Vec::new(), 1),
            templates: Pages::build(ListKind::ResourceTemplates, Vec::new(), 1),
            prompts: Pages::build(ListKind::Prompts, Vec::new(), 1),
        }
    }
}

/// The bindings one caller may see, by kind ([`Registry::visible`]).
pub(crate) struct Visible<'a> {
    registry: &'a Registry,
    allowed: &'a dyn Fn(&Guards) -> bool,
}

impl<'a> Visible<'a> {
    fn shown(&self, enabled: &Enabled, common: &super::Common) -> bool {
        enabled.get() && (self.allowed)(&common.guards)
    }

    pub(crate) fn tools(&self) -> impl Iterator<Item = &'a ToolBinding> + '_ {
        let tools = self.registry.tools.iter();
        tools
            .filter(|t| self.shown(&t.enabled, &t.binding.common))
            .map(|t| &t.binding)
    }

    /// Fixed resources (a URI without template expressions).
    pub(crate) fn resources(&self) -> impl Iterator<Item = &'a ResourceBinding> + '_ {
        let resources = self.registry.resources.iter();
        resources
            .filter(|r| r.template.is_fixed() && self.shown(&r.enabled, &r.binding.common))
            .map(|r| &r.binding)
    }

    /// Resource templates, with their parsed templates.
    pub(crate) fn templates(
        &self,
    ) -> impl Iterator<Item = (&'a ResourceBinding, &'a UriTemplate)> + '_ {
        let resources = &self.registry.resources;
        let templates = self.registry.templates.iter().map(|&i| &resources[i]);
        templates
            .filter(|r| self.shown(&r.enabled, &r.binding.common))
            .map(|r| (&r.binding, &r.template))
    }

    pub(crate) fn prompts(&self) -> impl Iterator<Item = &'a PromptBinding> + '_ {
        let prompts = self.registry.prompts.iter();
        prompts
            .filter(|p| self.shown(&p.enabled, &p.binding.common))
            .map(|p| &p.binding)
    }
}
