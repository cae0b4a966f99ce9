//! How each binding appears in its list result (the wire form of `Tool`, `Resource`,
//! `ResourceTemplate` and `Prompt`).

use super::common::Common;
use super::schema::is_object_schema;
use super::{PromptBinding, ResourceBinding, ToolBinding};
use serde_json::{Map, Value, json};

fn insert_opt(object: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        object.insert(key.into(), Value::String(value.into()));
    }
}

/// A listing with the `name`, `title` and `description` every kind has.
fn named(common: &Common) -> Map<String, Value> {
    let mut object = Map::new();
    object.insert("name".into(), json!(common.name));
    insert_opt(&mut object, "title", common.title.as_deref());
    insert_opt(&mut object, "description", common.description.as_deref());
    object
}

pub(crate) fn tool(binding: &ToolBinding) -> Value {
    let mut object = named(&binding.common);
    object.insert("inputSchema".into(), binding.input_schema.clone());
    // The 2025 era requires an object output schema; other shapes are served as text only.
    if let Some(schema) = binding
        .output_schema
        .as_ref()
        .filter(|s| is_object_schema(s))
    {
        object.insert("outputSchema".into(), schema.clone());
    }
    if !binding.annotations.is_empty() {
        object.insert("annotations".into(), json!(binding.annotations));
    }
    if !binding.icons.is_empty() {
        object.insert("icons".into(), json!(binding.icons));
    }
    if let Some(meta) = &binding.meta {
        object.insert("_meta".into(), meta.clone());
    }
    Value::Object(object)
}

pub(crate) fn resource(binding: &ResourceBinding, is_template: bool) -> Value {
    let mut object = named(&binding.common);
    let uri_key = if is_template { "uriTemplate" } else { "uri" };
    object.insert(uri_key.into(), json!(binding.uri));
    insert_opt(&mut object, "mimeType", binding.mime_type.as_deref());
    Value::Object(object)
}

pub(crate) fn prompt(binding: &PromptBinding) -> Value {
    let mut object = named(&binding.common);
    if !binding.arguments.is_empty() {
        object.insert("arguments".into(), json!(binding.arguments));
    }
    Value::Object(object)
}
