//! The catalogue page's HTML: the whole listing is server-rendered (readable without
//! JavaScript); the script only makes the try-it forms send their calls. Every string that
//! comes from a binding is written through [`Escaped`].

use super::html::Escaped;
use super::schema::{Parameter, example_arguments, parameters};
use crate::registry::{PromptBinding, ResourceBinding, ToolBinding, Visible};
use mcp_uri_template::UriTemplate;
use serde_json::Value;
use std::fmt::Write as _;
use std::time::Duration;

/// What the page shows besides the bindings.
pub(super) struct PageInfo<'a> {
    pub server_name: &'a str,
    pub server_title: Option<&'a str>,
    pub server_version: &'a str,
    pub instructions: Option<&'a str>,
    /// The MCP endpoint, relative to the page.
    pub endpoint: &'a str,
    /// The directory of the page's stylesheet and script, relative to the page.
    pub assets: &'a str,
    /// Whether the endpoint authenticates callers: the page then offers a token field.
    pub authenticated: bool,
}

/// The page for one caller: what `visible` lets them see.
pub(super) fn render(info: &PageInfo<'_>, visible: &Visible<'_>) -> String {
    let tools: Vec<&ToolBinding> = visible.tools().collect();
    let resources: Vec<&ResourceBinding> = visible.resources().collect();
    let templates: Vec<(&ResourceBinding, &UriTemplate)> = visible.templates().collect();
    let prompts: Vec<&PromptBinding> = visible.prompts().collect();
    let count = tools.len() + resources.len() + templates.len() + prompts.len();
    let mut page = String::with_capacity(4096 + count * 2048);
    head(&mut page, info);
    let summary = [
        counted(tools.len(), "tool"),
        counted(resources.len(), "resource"),
        counted(templates.len(), "resource template"),
        counted(prompts.len(), "prompt"),
    ]
    .join(" · ");
    let _ = write!(page, r#"<p id="summary">{summary}</p>"#);
    page.push_str(
        r#"<p class="controls" hidden><label>Filter <input id="filter" type="search" placeholder="name, description or tag"></label></p>"#,
    );
    section(&mut page, "tools", "Tools", &tools, tool);
    section(&mut page, "resources", "Resources", &resources, |p, r| {
        resource(p, r, None);
    });
    let template_section = |p: &mut String, (r, t): &(&ResourceBinding, &UriTemplate)| {
        resource(p, r, Some(t));
    };
    section(
        &mut page,
        "templates",
        "Resource templates",
        &templates,
        template_section,
    );
    section(&mut page, "prompts", "Prompts", &prompts, prompt);
    page.push_str("</main></body></html>\n");
    page
}

/// `1 tool`, `2 tools`.
fn counted(count: usize, noun: &str) -> String {
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {noun}{plural}")
}

fn head(page: &mut String, info: &PageInfo<'_>) {
    let name = info.server_title.unwrap_or(info.server_name);
    let _ = write!(
        page,
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{name} · catalogue</title><link rel="stylesheet" href="{assets}/catalogue.css"><script defer src="{assets}/catalogue.js"></script></head><body data-endpoint="{endpoint}"><header><h1>{name} <small>{version}</small></h1>"#,
        name = Escaped(name),
        assets = Escaped(info.assets),
        endpoint = Escaped(info.endpoint),
        version = Escaped(info.server_version),
    );
    if let Some(instructions) = info.instructions {
        let _ = write!(
            page,
            r#"<p class="instructions">{}</p>"#,
            Escaped(instructions)
        );
    }
    if info.authenticated {
        page.push_str(
            r#"<p class="token"><label>Bearer token for the calls below <input id="token" type="password" autocomplete="off"></label></p>"#,
        );
    }
    page.push_str("</header><main>");
}

/// A section of one kind of binding; none at all is said, not left empty.
fn section<T>(
    page: &mut String,
    id: &str,
    heading: &str,
    items: &[T],
    card: impl Fn(&mut String, &T),
) {
    let _ = write!(page, r#"<section id="{id}"><h2>{heading}</h2>"#);
    if items.is_empty() {
        let _ = write!(
            page,
            r#"<p class="none">No {} here.</p>"#,
            heading.to_lowercase()
        );
    }
    for item in items {
        card(page, item);
    }
    page.push_str("</section>");
}

/// A binding's card: its heading, texts and facts; `body` adds the rest.
fn card_start(page: &mut String, kind: &str, common: &crate::registry::Common, label: &str) {
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

fn facts(page: &mut String, common: &crate::registry::Common, extra: &[(&str, String)]) {
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

fn tool(page: &mut String, tool: &&ToolBinding) {
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

fn prompt(page: &mut String, prompt: &&PromptBinding) {
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
