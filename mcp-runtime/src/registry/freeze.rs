//! `build()`: checks every binding once and freezes them into a [`Registry`].

use super::common::Common;
use super::frozen::{FrozenPrompt, FrozenResource, FrozenTool, Registry};
use super::validator::ArgumentValidator;
use super::{Binding, ResourceBinding, ToolBinding};
use crate::context::StateMap;
use crate::error::Error;
use crate::guard::{Limiters, RateLimitAlgorithm};
use crate::store::RateLimitStore;
use mcp_uri_template::UriTemplate;
use std::collections::HashMap;

impl Registry {
    pub(crate) fn freeze(
        bindings: Vec<Binding>,
        states: &StateMap,
        page_size: usize,
        algorithm: RateLimitAlgorithm,
        counters: &dyn RateLimitStore,
    ) -> Result<Registry, Error> {
        let mut limiters = Limiters::new(algorithm, counters);
        for binding in &bindings {
            let common = match binding {
                Binding::Tool(b) => &b.common,
                Binding::Resource(b) => &b.common,
                Binding::Prompt(b) => &b.common,
            };
            limiters
                .declare(&common.guards)
                .map_err(|reason| Error::InvalidBinding {
                    name: common.name.to_string(),
                    reason,
                })?;
        }
        let limiters = &limiters;
        let (mut tools, mut resources, mut prompts) = (Vec::new(), Vec::new(), Vec::new());
        for binding in bindings {
            match binding {
                Binding::Tool(b) => tools.push(b),
                Binding::Resource(b) => resources.push(b),
                Binding::Prompt(b) => prompts.push(b),
            }
        }
        let tools = sorted_unique("tool", tools, |b| &b.common)?;
        let resources = sorted_unique("resource", resources, |b| &b.common)?;
        let prompts = sorted_unique("prompt", prompts, |b| &b.common)?;

        let tools = tools
            .into_iter()
            .map(|b| freeze_tool(b, states, limiters))
            .collect::<Result<Vec<_>, _>>()?;
        let resources = resources
            .into_iter()
            .map(|b| freeze_resource(b, states, limiters))
            .collect::<Result<Vec<_>, _>>()?;
        let prompts = prompts
            .into_iter()
            .map(|mut binding| {
                prepare("prompt", &mut binding.common, states, limiters)?;
                Ok(FrozenPrompt::new(binding))
            })
            .collect::<Result<Vec<_>, Error>>()?;

        let mut fixed_uris = HashMap::new();
        let mut templates = Vec::new();
        for (index, resource) in resources.iter().enumerate() {
            if resource.template.is_fixed() {
                if let Some(previous) = fixed_uris.insert(resource.binding.uri.to_string(), index) {
                    return Err(duplicate_uri(
                        &resources[previous].binding,
                        &resource.binding,
                    ));
                }
            } else {
                templates.push(index);
            }
        }
        templates.sort_by_key(|&i| std::cmp::Reverse(resources[i].template.literal_len()));

        Ok(Registry::new(
            tools, resources, fixed_uris, templates, prompts, page_size,
        ))
    }
}

/// Sorts by name and refuses two bindings of one kind with the same name.
fn sorted_unique<B>(
    kind: &'static str,
    mut bindings: Vec<B>,
    common: fn(&B) -> &Common,
) -> Result<Vec<B>, Error> {
    bindings.sort_by(|a, b| common(a).name.cmp(&common(b).name));
    for pair in bindings.windows(2) {
        let (first, second) = (common(&pair[0]), common(&pair[1]));
        if first.name == second.name {
            return Err(Error::DuplicateBinding {
                kind,
                name: first.name.to_string(),
                first: first.origin.describe(),
                second: second.origin.describe(),
            });
        }
    }
    Ok(bindings)
}

/// Checks what every kind needs and creates its rate limiter; `kind` and the name scope
/// the limiter's counters.
fn prepare(
    kind: &str,
    common: &mut Common,
    states: &StateMap,
    limiters: &Limiters<'_>,
) -> Result<(), Error> {
    if let Some(missing) = common
        .requirements
        .states
        .iter()
        .find(|s| !states.contains(s.id))
    {
        return Err(Error::InvalidBinding {
            name: common.name.to_string(),
            reason: format!(
                "it takes State<{}> but the builder was given none; add `.state(value)` to the builder",
                missing.name
            ),
        });
    }
    limiters
        .materialise(&format!("{kind}/{}", common.name), &mut common.guards)
        .map_err(|reason| Error::InvalidBinding {
            name: common.name.to_string(),
            reason,
        })
}

fn freeze_tool(
    mut binding: ToolBinding,
    states: &StateMap,
    limiters: &Limiters<'_>,
) -> Result<FrozenTool, Error> {
    let invalid = |reason: String| Error::InvalidBinding {
        name: binding.common.name.to_string(),
        reason,
    };
    if let Err(reason) = check_tool_name(&binding.common.name) {
        return Err(invalid(reason));
    }
    if !super::schema::is_object_schema(&binding.input_schema) {
        return Err(invalid(
            "its input schema must describe an object (`\"type\": \"object\"`)".into(),
        ));
    }
    let validator = ArgumentValidator::compile(&binding.input_schema).map_err(&invalid)?;
    prepare("tool", &mut binding.common, states, limiters)?;
    Ok(FrozenTool::new(binding, validator))
}

fn freeze_resource(
    mut binding: ResourceBinding,
    states: &StateMap,
    limiters: &Limiters<'_>,
) -> Result<FrozenResource, Error> {
    let template = UriTemplate::parse(&binding.uri).map_err(|e| Error::InvalidBinding {
        name: binding.common.name.to_string(),
        reason: format!("its URI template `{}` does not parse: {e}", binding.uri),
    })?;
    prepare("resource", &mut binding.common, states, limiters)?;
    Ok(FrozenResource::new(binding, template))
}

fn duplicate_uri(first: &ResourceBinding, second: &ResourceBinding) -> Error {
    Error::DuplicateBinding {
        kind: "resource URI",
        name: first.uri.to_string(),
        first: first.common.origin.describe(),
        second: second.common.origin.describe(),
    }
}

/// Tool names: 1 to 64 characters of `A-Z a-z 0-9 _ . -` (the same rule the macro checks).
pub(crate) fn check_tool_name(name: &str) -> Result<(), String> {
    let valid_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if (1..=64).contains(&name.len()) && valid_chars {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a valid tool name: use 1 to 64 characters of A-Z, a-z, 0-9, `_`, `.`, `-`"
        ))
    }
}
