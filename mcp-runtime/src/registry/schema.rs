//! JSON Schemas for bindings: one generator configuration, built once at `build()`.

use crate::extract::Requirements;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The generator every binding schema comes from: JSON Schema 2020-12 with subschemas
/// inlined, since many clients do not follow `$ref`.
pub fn generator() -> SchemaGenerator {
    let mut settings = SchemaSettings::draft2020_12();
    settings.inline_subschemas = true;
    settings.meta_schema = None;
    SchemaGenerator::new(settings)
}

/// The standalone schema of `T` (used for `#[args]` structs and `Json<T>` outputs).
pub fn root_schema_for<T: JsonSchema>() -> Schema {
    generator().into_root_schema_for::<T>()
}

/// Whether a parameter of type `T` must be present: true unless `T` accepts a missing
/// value (as `Option<T>` does). Decided by serde, exactly as a call decodes it.
pub fn is_required<T: DeserializeOwned>() -> bool {
    T::deserialize(crate::extract::MissingValue).is_err()
}

/// Builds a tool's input schema from its parameters, one property each.
pub struct InputSchemaBuilder<'g> {
    generator: &'g mut SchemaGenerator,
    properties: Map<String, Value>,
    required: Vec<Value>,
    requirements: Requirements,
}

impl<'g> InputSchemaBuilder<'g> {
    pub(crate) fn new(generator: &'g mut SchemaGenerator) -> Self {
        InputSchemaBuilder {
            generator,
            properties: Map::new(),
            required: Vec::new(),
            requirements: Requirements::default(),
        }
    }

    /// What the tool needs from the builder (state types).
    pub fn requirements(&mut self) -> &mut Requirements {
        &mut self.requirements
    }

    /// Adds the property `name` of type `T`.
    pub fn property<T: JsonSchema + DeserializeOwned>(
        &mut self,
        name: &str,
        description: Option<&str>,
    ) {
        let mut schema = self.generator.subschema_for::<T>();
        if let (Some(description), Some(object)) = (description, schema.as_object_mut()) {
            object.insert("description".into(), Value::String(description.into()));
        }
        self.properties.insert(name.into(), schema.to_value());
        if is_required::<T>() {
            self.required.push(Value::String(name.into()));
        }
    }

    /// Marks the property `name` as mirrored in the `Mcp-Param-{header}` HTTP header
    /// (`x-mcp-header`), so intermediaries can route on it.
    pub fn header_parameter(&mut self, name: &str, header: &str) {
        if let Some(Value::Object(property)) = self.properties.get_mut(name) {
            property.insert("x-mcp-header".into(), Value::String(header.into()));
        }
    }

    pub(crate) fn finish(self) -> (Value, Requirements) {
        let mut schema = Map::new();
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), Value::Object(self.properties));
        if !self.required.is_empty() {
            schema.insert("required".into(), Value::Array(self.required));
        }
        schema.insert("additionalProperties".into(), Value::Bool(false));
        (Value::Object(schema), self.requirements)
    }
}

/// Whether a schema describes JSON objects (what MCP's `inputSchema` and the 2025 era's
/// `outputSchema` must be).
pub(crate) fn is_object_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn options_are_optional_and_everything_else_required() {
        assert!(is_required::<u32>());
        assert!(is_required::<String>());
        assert!(is_required::<Vec<u8>>());
        assert!(!is_required::<Option<u32>>());
    }

    #[test]
    fn builder_lists_properties_descriptions_and_required() {
        let mut generator = generator();
        let mut builder = InputSchemaBuilder::new(&mut generator);
        builder.property::<f64>("a", Some("first"));
        builder.property::<Option<String>>("label", None);
        let (schema, _) = builder.finish();
        assert_eq!(schema["required"], json!(["a"]));
        assert_eq!(
            schema["properties"]["a"],
            json!({"type": "number", "format": "double", "description": "first"})
        );
        assert_eq!(schema["additionalProperties"], json!(false));
        assert!(is_object_schema(&schema));
    }
}
