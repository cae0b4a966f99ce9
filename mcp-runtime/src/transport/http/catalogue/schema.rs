//! A JSON Schema read for people: one row per parameter (nested object properties as
//! `parent.child`), with its type, whether it is required, its default, its constraints and
//! its description. Local `$ref`s (`#/$defs/...`, as schemars writes them) are followed.

use serde_json::{Map, Value};

/// How deep nested objects are opened into rows of their own; deeper ones stay `object`.
const MAX_DEPTH: usize = 4;
/// `$ref` hops followed before a reference is shown as it is (a cycle, or a long chain).
const MAX_HOPS: usize = 8;

/// One parameter of a schema.
#[derive(Debug, PartialEq)]
pub(super) struct Parameter {
    /// Its name; `parent.child` inside a nested object, `[]` for an array's items.
    pub path: String,
    pub type_label: String,
    pub required: bool,
    /// The default value, as compact JSON.
    pub default: Option<String>,
    /// `≥ 1`, `pattern ^a+$`, `one of "a", "b"`, ...
    pub constraints: Vec<String>,
    pub description: Option<String>,
}

/// The rows of `schema`: its properties when it describes an object, else one row for the
/// value itself (named `(value)`).
pub(super) fn parameters(schema: &Value) -> Vec<Parameter> {
    let mut rows = Vec::new();
    let resolved = resolve(schema, schema);
    if properties(resolved).is_some() {
        add_properties(schema, resolved, "", 0, &mut rows);
    } else if resolved.as_object().is_some_and(|o| !o.is_empty()) {
        rows.push(row(schema, "(value)".to_owned(), resolved, true, None));
    }
    rows
}

/// An example arguments object for the try-it form: each required property with its
/// default, else its first allowed value, else an empty value of its type.
pub(super) fn example_arguments(schema: &Value) -> Value {
    example_object(schema, resolve(schema, schema))
}

fn example_value(root: &Value, property: &Value) -> Value {
    let property = non_null(root, resolve(root, property));
    if let Some(default) = property.get("default") {
        return default.clone();
    }
    if let Some(first) = property.get("enum").and_then(|e| e.get(0)) {
        return first.clone();
    }
    if let Some(constant) = property.get("const") {
        return constant.clone();
    }
    let minimum = property.get("minimum").cloned();
    match primary_type(property) {
        Some("string") => Value::String(String::new()),
        Some("integer" | "number") => minimum.unwrap_or(Value::from(0)),
        Some("boolean") => Value::Bool(false),
        Some("array") => Value::Array(Vec::new()),
        Some("object") => example_object(root, property),
        _ => Value::Null,
    }
}

fn example_object(root: &Value, object: &Value) -> Value {
    let mut example = Map::new();
    if let Some(properties) = properties(object) {
        for name in required(object) {
            if let Some(property) = properties.get(name) {
                example.insert(name.to_owned(), example_value(root, property));
            }
        }
    }
    Value::Object(example)
}

fn add_properties(
    root: &Value,
    object: &Value,
    prefix: &str,
    depth: usize,
    rows: &mut Vec<Parameter>,
) {
    let Some(properties) = properties(object) else {
        return;
    };
    let required: Vec<&str> = required(object).collect();
    for (name, property) in properties {
        let path = format!("{prefix}{name}");
        let resolved = non_null(root, resolve(root, property));
        let description = text(property, "description");
        rows.push(row(
            root,
            path.clone(),
            resolve(root, property),
            required.contains(&name.as_str()),
            description,
        ));
        if depth + 1 < MAX_DEPTH {
            add_properties(root, resolved, &format!("{path}."), depth + 1, rows);
            if let Some(items) = resolved.get("items") {
                let items = non_null(root, resolve(root, items));
                add_properties(root, items, &format!("{path}[]."), depth + 1, rows);
            }
        }
    }
}

fn row(
    root: &Value,
    path: String,
    schema: &Value,
    required: bool,
    description: Option<String>,
) -> Parameter {
    let nullable = non_null(root, schema);
    Parameter {
        path,
        type_label: type_label(root, schema, 0),
        required,
        default: schema
            .get("default")
            .or_else(|| nullable.get("default"))
            .map(Value::to_string),
        constraints: constraints(nullable),
        description: description
            .or_else(|| text(schema, "description"))
            .or_else(|| text(nullable, "description")),
    }
}

/// `string`, `integer or null`, `array of string`, `"a" | "b"`...
fn type_label(root: &Value, schema: &Value, depth: usize) -> String {
    let schema = resolve(root, schema);
    if depth > MAX_DEPTH {
        return "…".to_owned();
    }
    if let Some(variants) = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array)
    {
        let labels: Vec<String> = variants
            .iter()
            .map(|v| type_label(root, v, depth + 1))
            .collect();
        return labels.join(" or ");
    }
    let named = match schema.get("type") {
        Some(Value::String(name)) => name.clone(),
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" or "),
        _ if schema.get("enum").is_some() || schema.get("const").is_some() => "value".to_owned(),
        _ if schema.get("properties").is_some() => "object".to_owned(),
        _ => "any".to_owned(),
    };
    match schema.get("items") {
        Some(items) if named.starts_with("array") => {
            format!("{named} of {}", type_label(root, items, depth + 1))
        }
        _ => named,
    }
}

fn constraints(schema: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let number = |key: &str| schema.get(key).filter(|v| v.is_number());
    for (key, symbol) in [
        ("minimum", "≥"),
        ("exclusiveMinimum", ">"),
        ("maximum", "≤"),
        ("exclusiveMaximum", "<"),
        ("multipleOf", "multiple of"),
    ] {
        if let Some(value) = number(key) {
            found.push(format!("{symbol} {value}"));
        }
    }
    for (key, what) in [
        ("minLength", "length ≥"),
        ("maxLength", "length ≤"),
        ("minItems", "items ≥"),
        ("maxItems", "items ≤"),
        ("minProperties", "properties ≥"),
        ("maxProperties", "properties ≤"),
    ] {
        if let Some(value) = number(key) {
            found.push(format!("{what} {value}"));
        }
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        found.push(format!("pattern {pattern}"));
    }
    if let Some(format) = schema.get("format").and_then(Value::as_str) {
        found.push(format!("format {format}"));
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let values: Vec<String> = values.iter().map(Value::to_string).collect();
        found.push(format!("one of {}", values.join(", ")));
    }
    if let Some(constant) = schema.get("const") {
        found.push(format!("exactly {constant}"));
    }
    if schema.get("uniqueItems") == Some(&Value::Bool(true)) {
        found.push("unique items".to_owned());
    }
    found
}

/// The schema a local `$ref` points at (followed up to [`MAX_HOPS`] times); any other
/// schema is itself.
fn resolve<'a>(root: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..MAX_HOPS {
        let Some(target) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| root.pointer(pointer))
        else {
            break;
        };
        schema = target;
    }
    schema
}

/// The one non-null variant of `anyOf: [T, null]` (an `Option<T>`), or the schema itself.
fn non_null<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    let variants = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array);
    let Some(variants) = variants else {
        return schema;
    };
    let is_null = |v: &Value| v.get("type").and_then(Value::as_str) == Some("null");
    let mut others = variants.iter().filter(|v| !is_null(resolve(root, v)));
    match (others.next(), others.next()) {
        (Some(only), None) => resolve(root, only),
        _ => schema,
    }
}

fn properties(schema: &Value) -> Option<&Map<String, Value>> {
    schema.get("properties").and_then(Value::as_object)
}

fn required(schema: &Value) -> impl Iterator<Item = &str> {
    let names = schema.get("required").and_then(Value::as_array);
    names.into_iter().flatten().filter_map(Value::as_str)
}

fn primary_type(schema: &Value) -> Option<&str> {
    match schema.get("type") {
        Some(Value::String(name)) => Some(name),
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .find(|n| *n != "null"),
        _ => None,
    }
}

fn text(schema: &Value, key: &str) -> Option<String> {
    schema.get(key).and_then(Value::as_str).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn by_path<'a>(rows: &'a [Parameter], path: &str) -> &'a Parameter {
        rows.iter()
            .find(|r| r.path == path)
            .unwrap_or_else(|| panic!("no row {path} in {rows:#?}"))
    }

    #[test]
    fn each_property_is_a_row_with_its_type_constraints_and_default() {
        let schema = json!({
            "type": "object",
            "properties": {
                "city": { "type": "string", "description": "Where", "minLength": 2, "pattern": "^[A-Z]" },
                "days": { "type": "integer", "minimum": 1, "maximum": 14, "default": 3 },
                "unit": { "type": "string", "enum": ["metric", "imperial"] }
            },
            "required": ["city"]
        });
        let rows = parameters(&schema);
        assert_eq!(rows.len(), 3);
        let city = by_path(&rows, "city");
        assert!(city.required);
        assert_eq!(city.type_label, "string");
        assert_eq!(city.constraints, ["length ≥ 2", "pattern ^[A-Z]"]);
        assert_eq!(city.description.as_deref(), Some("Where"));
        let days = by_path(&rows, "days");
        assert!(!days.required);
        assert_eq!(days.default.as_deref(), Some("3"));
        assert_eq!(days.constraints, ["≥ 1", "≤ 14"]);
        let unit = by_path(&rows, "unit");
        assert_eq!(unit.constraints, [r#"one of "metric", "imperial""#]);
    }

    #[test]
    fn references_options_and_nested_objects_are_opened() {
        // What schemars writes for `address: Option<Address>` and `tags: Vec<Tag>`.
        let schema = json!({
            "type": "object",
            "properties": {
                "address": { "anyOf": [{ "$ref": "#/$defs/Address" }, { "type": "null" }] },
                "tags": { "type": "array", "items": { "$ref": "#/$defs/Tag" }, "maxItems": 5 }
            },
            "$defs": {
                "Address": {
                    "type": "object",
                    "description": "A postal address",
                    "properties": { "zip": { "type": "string", "pattern": "^[0-9]{5}$" } },
                    "required": ["zip"]
                },
                "Tag": { "type": "object", "properties": { "label": { "type": "string" } } }
            }
        });
        let rows = parameters(&schema);
        let address = by_path(&rows, "address");
        assert_eq!(address.type_label, "object or null");
        assert_eq!(address.description.as_deref(), Some("A postal address"));
        let zip = by_path(&rows, "address.zip");
        assert!(zip.required);
        assert_eq!(zip.constraints, ["pattern ^[0-9]{5}$"]);
        assert_eq!(by_path(&rows, "tags").type_label, "array of object");
        assert_eq!(by_path(&rows, "tags").constraints, ["items ≤ 5"]);
        by_path(&rows, "tags[].label");
    }

    #[test]
    fn a_reference_cycle_ends() {
        let schema = json!({
            "type": "object",
            "properties": { "node": { "$ref": "#/$defs/Node" } },
            "$defs": { "Node": { "type": "object", "properties": { "next": { "$ref": "#/$defs/Node" } } } }
        });
        let rows = parameters(&schema);
        assert_eq!(rows.len(), MAX_DEPTH);
        assert_eq!(rows.last().unwrap().path, "node.next.next.next");
    }

    #[test]
    fn a_schema_that_is_not_an_object_is_one_row() {
        let rows = parameters(&json!({ "type": "array", "items": { "type": "number" } }));
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].path, "(value)");
        assert_eq!(rows[0].type_label, "array of number");
        assert!(parameters(&json!({})).is_empty());
    }

    #[test]
    fn the_example_fills_required_properties_only() {
        let schema = json!({
            "type": "object",
            "properties": {
                "city": { "type": "string" },
                "days": { "type": "integer", "minimum": 1 },
                "unit": { "enum": ["c", "f"] },
                "verbose": { "type": "boolean" },
                "at": { "$ref": "#/$defs/Point" }
            },
            "required": ["city", "days", "unit", "at"],
            "$defs": { "Point": { "type": "object", "properties": { "x": { "type": "number", "default": 0.5 } }, "required": ["x"] } }
        });
        assert_eq!(
            example_arguments(&schema),
            json!({ "city": "", "days": 1, "unit": "c", "at": { "x": 0.5 } })
        );
    }
}
