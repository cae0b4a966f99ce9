//! Each binding's card on the catalogue page (its texts, facts, schemas as tables and its
//! try-it form), rendered once when the router is made: a page is then the cards its
//! caller may see, copied. Every string that comes from a binding is written through
//! [`Escaped`].

use super::html::Escaped;
use super::schema::{Parameter, example_arguments, parameters};
use crate::registry::{Common, PromptBinding, ResourceBinding, ToolBinding, Visible};
use mcp_uri_template::UriTemplate;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Duration;

/// The rendered cards: tools and prompts by name, resources and templates by URI.
pub(super) struct Cards {
    tools: HashMap<Box<str>, Box<str>>,
    resources: HashMap<Box<str>, Box<str>>,
    prompts: HashMap<Box<str>, Box<str>>,
}

impl Cards {
    /// The card of every binding `visible` shows.
    pub(super) fn render_all(visible: &Visible<'_>) -> Cards {
        let rendered = |write: &dyn Fn(&mut String)| {
            let mut card = String::new();
            write(&mut card);
            card.into_boxed_str()
        };
        let fixed = visible.resources().map(|r| (r, None));
        let templates = visible.templates().map(|(r, t)| (r, Some(t)));
        Cards {
            tools: visible
                .tools()
                .map(|t| (t.common.name.as_ref().into(), rendered(&|p| tool(p, t))))
                .collect(),
            resources: fixed
                .chain(templates)
                .map(|(r, t)| (r.uri.as_ref().into(), rendered(&|p| resource(p, r, t))))
                .collect(),
            prompts: visible
                .prompts()
                .map(|b| (b.common.name.as_ref().into(), rendered(&|p| prompt(p, b))))
                .collect(),
        }
    }

    /// Appends a tool's card. A binding without one (disabled when the router was made,
    /// enabled since) gets it rendered for this page; likewise below.
    pub(super) fn tool(&self, page: &mut String, binding: &ToolBinding) {
        match self.tools.get(binding.common.name.as_ref()) {
            Some(card) => page.push_str(card),
            None => tool(page, binding),
        }
    }

    pub(super) fn resource(
        &self,
        page: &mut String,
        binding: &ResourceBinding,
        template: Option<&UriTemplate>,
    ) {
        match self.resources.get(binding.uri.as_ref()) {
            Some(card) => page.push_str(card),
            None => resource(page, binding, template),
        }
    }

    pub(super) fn prompt(&self, page: &mut String, binding: &PromptBinding) {
        match self.prompts.get(binding.common.name.as_ref()) {
            Some(card) => page.push_str(card),
            None => prompt(page, binding),
        }
    }
}

/// The start of a binding's card: its heading and description; the caller adds the rest.
fn card_start(page: &mut String, kind: &str, common: &Common, label: &str) {
    let name = Escaped(&common.name);
    let _ = write!(
        page,
        r#"<article class="binding" id="{kind}-{name}" data-kind="{kind}" data-name="{name}"><h3><code>{name}</code>"#
    );
    if let Some(title) = &common.title {
        let _ = write!(page, r#" <span class="title">{}</span>"#, Escaped(title));
    }
    let _ = write!(page, r#" <span class="kind">{label}</span></h3>"#);
    if let Some(description) = &common.description {
        let _ = write!(
            page,
            r#"<p class="description">{}</p>"#,
            Escaped(description)
        );
    }
}

fn facts(page: &mut String, common: &Common, extra: &[(&str, String)]) {
    let mut facts: Vec<(&str, String)> = extra.to_vec();
    if !common.origin.tags.is_empty() {
        facts.push(("tags", common.origin.tags.join(", ")));
    }
    if let Some(limit) = &common.guards.rate_limit {
        let window = seconds(limit.window());
        facts.push(("rate limit", format!("{} calls per {window}", limit.max())));
    }
    if let Some(timeout) = common.timeout {
        facts.push(("timeout", seconds(timeout)));
    }
    if facts.is_empty() {
        return;
    }
    page.push_str(r#"<dl class="facts">"#);
    for (name, value) in facts {
        let _ = write!(page, "<dt>{name}</dt><dd>{}</dd>", Escaped(&value));
    }
    page.push_str("</dl>");
}

fn seconds(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    format!("{seconds}s")
}

fn tool(page: &mut String, tool: &ToolBinding) {
    card_start(page, "tool", &tool.common, "tool");
    let annotations = &tool.annotations;
    let hints = [
        ("read-only", annotations.read_only_hint),
        ("destructive", annotations.destructive_hint),
        ("idempotent", annotations.idempotent_hint),
        ("open world", annotations.open_world_hint),
    ];
    let hints: Vec<String> = hints
        .iter()
        .filter_map(|(name, hint)| {
            hint.map(|on| {
                if on {
                    (*name).to_owned()
                } else {
                    format!("not {name}")
                }
            })
        })
        .collect();
    let mut extra = Vec::new();
    if !hints.is_empty() {
        extra.push(("hints", hints.join(", ")));
    }
    facts(page, &tool.common, &extra);
    schema_block(page, "Input", &tool.input_schema);
    if let Some(output) = &tool.output_schema {
        schema_block(page, "Output", output);
    }
    let example = serde_json::to_string_pretty(&example_arguments(&tool.input_schema))
        .unwrap_or_else(|_| "{}".to_owned());
    let rows = example.lines().count().clamp(2, 12);
    let _ = write!(
        page,
        r#"<form class="try" data-call="tool" data-name="{name}"><label>Arguments (JSON)<textarea name="arguments" rows="{rows}" spellcheck="false">{example}</textarea></label><button type="submit">Call {name}</button><pre class="result" aria-live="polite" hidden></pre></form></article>"#,
        name = Escaped(&tool.common.name),
        example = Escaped(&example),
    );
}

fn resource(page: &mut String, resource: &ResourceBinding, template: Option<&UriTemplate>) {
    let label = if template.is_some() {
        "resource template"
    } else {
        "resource"
    };
    let kind = if template.is_some() {
        "template"
    } else {
        "resource"
    };
    card_start(page, kind, &resource.common, label);
    let mut extra = vec![("URI", resource.uri.to_string())];
    if let Some(mime) = &resource.mime_type {
        extra.push(("MIME type", mime.to_string()));
    }
    facts(page, &resource.common, &extra);
    let _ = write!(page, r#"<form class="try" data-call="resource">"#);
    match template {
        Some(template) => {
            for variable in template.variables() {
                let _ = write!(
                    page,
                    r#"<label>{name}<input data-variable="{name}"{required}></label>"#,
                    name = Escaped(&variable.name),
                    required = if variable.optional { "" } else { " required" },
                );
            }
            let _ = write!(
                page,
                r#"<label>URI<input name="uri" data-template="{uri}" value="" spellcheck="false"></label>"#,
                uri = Escaped(&resource.uri),
            );
        }
        None => {
            let _ = write!(
                page,
                r#"<label>URI<input name="uri" value="{uri}" spellcheck="false"></label>"#,
                uri = Escaped(&resource.uri),
            );
        }
    }
    page.push_str(r#"<button type="submit">Read</button><pre class="result" aria-live="polite" hidden></pre></form></article>"#);
}

fn prompt(page: &mut String, prompt: &PromptBinding) {
    card_start(page, "prompt", &prompt.common, "prompt");
    facts(page, &prompt.common, &[]);
    if !prompt.arguments.is_empty() {
        page.push_str(r#"<table class="parameters"><thead><tr><th>Argument</th><th>Required</th><th>Description</th></tr></thead><tbody>"#);
        for argument in &prompt.arguments {
            let _ = write!(
                page,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                Escaped(&argument.name),
                if argument.required { "yes" } else { "no" },
                Escaped(argument.description.as_deref().unwrap_or("")),
            );
        }
        page.push_str("</tbody></table>");
    }
    let _ = write!(
        page,
        r#"<form class="try" data-call="prompt" data-name="{}">"#,
        Escaped(&prompt.common.name)
    );
    for argument in &prompt.arguments {
        let _ = write!(
            page,
            r#"<label>{name}<input data-argument="{name}"{required}></label>"#,
            name = Escaped(&argument.name),
            required = if argument.required { " required" } else { "" },
        );
    }
    page.push_str(r#"<button type="submit">Get</button><pre class="result" aria-live="polite" hidden></pre></form></article>"#);
}

/// A schema as a table of parameters, with the raw JSON Schema one click away.
fn schema_block(page: &mut String, heading: &str, schema: &Value) {
    let rows = parameters(schema);
    let _ = write!(page, r#"<h4>{heading}</h4>"#);
    if rows.is_empty() {
        page.push_str(r#"<p class="none">No parameters.</p>"#);
    } else {
        parameter_table(page, &rows);
    }
    let raw = serde_json::to_string_pretty(schema).unwrap_or_default();
    let _ = write!(
        page,
        r#"<details class="raw"><summary>{heading} JSON Schema</summary><pre>{}</pre></details>"#,
        Escaped(&raw)
    );
}

fn parameter_table(page: &mut String, rows: &[Parameter]) {
    page.push_str(r#"<table class="parameters"><thead><tr><th>Parameter</th><th>Type</th><th>Required</th><th>Default</th><th>Constraints</th><th>Description</th></tr></thead><tbody>"#);
    for row in rows {
        let _ = write!(
            page,
            "<tr><td><code>{path}</code></td><td>{kind}</td><td>{required}</td><td>{default}</td><td>",
            path = Escaped(&row.path),
            kind = Escaped(&row.type_label),
            required = if row.required { "yes" } else { "no" },
            default = Escaped(row.default.as_deref().unwrap_or("")),
        );
        for constraint in &row.constraints {
            let _ = write!(
                page,
                r#"<span class="constraint">{}</span> "#,
                Escaped(constraint)
            );
        }
        let _ = write!(
            page,
            "</td><td>{}</td></tr>",
            Escaped(row.description.as_deref().unwrap_or(""))
        );
    }
    page.push_str("</tbody></table>");
}
