//! The catalogue page's HTML: the whole listing is server-rendered (readable without
//! JavaScript); the script only makes the try-it forms send their calls. The bindings'
//! cards come from [`Cards`]; every other string is written through [`Escaped`].

use super::cards::Cards;
use super::html::Escaped;
use crate::registry::{PromptBinding, ResourceBinding, ToolBinding, Visible};
use mcp_uri_template::UriTemplate;
use std::fmt::Write as _;

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

/// The page for one caller: the cards of what `visible` lets them see.
pub(super) fn render(info: &PageInfo<'_>, visible: &Visible<'_>, cards: &Cards) -> String {
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
    section(&mut page, "tools", "Tools", &tools, |p, t| cards.tool(p, t));
    section(&mut page, "resources", "Resources", &resources, |p, r| {
        cards.resource(p, r, None);
    });
    let template_section = |p: &mut String, (r, t): &(&ResourceBinding, &UriTemplate)| {
        cards.resource(p, r, Some(t));
    };
    section(
        &mut page,
        "templates",
        "Resource templates",
        &templates,
        template_section,
    );
    section(&mut page, "prompts", "Prompts", &prompts, |p, b| {
        cards.prompt(p, b)
    });
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
