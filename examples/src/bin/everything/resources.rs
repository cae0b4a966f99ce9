//! The conformance suite's resource fixtures.

use crate::media::RED_PIXEL_PNG;
use mcp_runtime::prelude::*;
use serde_json::json;

/// A static text resource.
#[mcp_resource(
    uri = "test://static-text",
    name = "static-text",
    title = "Static Text Resource",
    mime_type = "text/plain"
)]
fn static_text() -> &'static str {
    "This is the content of the static text resource."
}

/// A static binary resource (a PNG image).
#[mcp_resource(
    uri = "test://static-binary",
    name = "static-binary",
    mime_type = "image/png"
)]
fn static_binary() -> Vec<u8> {
    RED_PIXEL_PNG.to_vec()
}

/// A resource clients can subscribe to.
#[mcp_resource(
    uri = "test://watched-resource",
    name = "watched-resource",
    mime_type = "text/plain"
)]
fn watched_resource() -> &'static str {
    "Watched resource content"
}

/// Data for an id, through a URI template.
#[mcp_resource(
    uri = "test://template/{id}/data",
    name = "template",
    mime_type = "application/json"
)]
fn template(id: String) -> String {
    json!({ "id": id, "templateTest": true, "data": format!("Data for ID: {id}") }).to_string()
}
