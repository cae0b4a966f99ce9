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
    /// Every property's type accepts only what its schema does.
    exact: bool,
}

impl<'g> InputSchemaBuilder<'g> {
    pub(crate) fn new(generator: &'g mut SchemaGenerator) -> Self {
        InputSchemaBuilder {
            generator,
            properties: Map::new(),
            required: Vec::new(),
            requirements: Requirements::default(),
            exact: true,
        }
    }

    /// What the tool needs from the builder (state types).
    pub fn requirements(&mut self) -> &mut Requirements {
        &mut self.requirements
    }

    /// Adds the property `name` of type `T`.
    pub fn property<T: JsonSchema + DeserializeOwned + 'static>(
        &mut self,
        name: &str,
        description: Option<&str>,
    ) {
        self.exact &= decodes_exactly::<T>();
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

    /// The schema, what the parameters need, and whether decoding every argument is check
    /// enough (see [`decodes_exactly`]).
    pub(crate) fn finish(self) -> (Value, Requirements, bool) {
        let mut schema = Map::new();
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), Value::Object(self.properties));
        if !self.required.is_empty() {
            schema.insert("required".into(), Value::Array(self.required));
        }
        schema.insert("additionalProperties".into(), Value::Bool(false));
        (Value::Object(schema), self.requirements, self.exact)
    }
}

/// Whether `T` decodes only values its schema accepts, so that arguments which all decode
/// need no other check against the schema. True for the types whose schema (from
/// schemars) and `Deserialize` (from serde) are known to agree: booleans, strings, numbers
/// (an integer's schema bounds are its type's range), and `Option`s and `Vec`s of them.
/// Other types may accept more than their schema says (a hand-written `Deserialize`, an
/// attribute on a field), so their calls are checked against the schema first.
fn decodes_exactly<T: 'static>() -> bool {
    use std::any::TypeId;
    macro_rules! with_option_and_vec {
        ($($t:ty),*) => { [$(TypeId::of::<$t>(), TypeId::of::<Option<$t>>(), TypeId::of::<Vec<$t>>()),*] };
    }
    let exact = with_option_and_vec!(bool, String, f32, f64, i8, i16, i32, i64, u8, u16, u32, u64);
    exact.contains(&TypeId::of::<T>())
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
        let (schema, _, exact) = builder.finish();
        assert!(exact, "f64 and Option<String> decode exactly");
        assert_eq!(schema["required"], json!(["a"]));
        assert_eq!(
            schema["properties"]["a"],
            json!({"type": "number", "format": "double", "description": "first"})
        );
        assert_eq!(schema["additionalProperties"], json!(false));
        assert!(is_object_schema(&schema));
    }

    /// The claim `decodes_exactly` makes, checked against schemars and jsonschema: every
    /// probe a listed type decodes, its schema accepts.
    #[test]
    fn what_an_exact_type_decodes_its_schema_accepts() {
        let probes = json!([
            null, true, false, 0, 1, -1, 127, 128, -129, 255, 256, 65536, -32769,
            2147483648_i64, 4294967296_i64, -2147483649_i64, 9223372036854775807_i64,
            18446744073709551615_u64, -9223372036854775808_i64, 1.5, 3.0, -0.0, 1e30, -1e300,
            "", "text", [], [1, 2], [1.5], ["a"], [true], [null], {}, {"a": 1}
        ]);
        fn check<T: JsonSchema + DeserializeOwned + 'static>(probes: &[Value]) {
            let name = std::any::type_name::<T>();
            assert!(decodes_exactly::<T>(), "{name} is listed");
            let schema = generator().subschema_for::<T>().to_value();
            let validator = jsonschema::draft202012::new(&schema).unwrap();
            for probe in probes {
                if T::deserialize(probe).is_ok() {
                    assert!(
                        validator.is_valid(probe),
                        "{name} decodes {probe}, its schema {schema} refuses it"
                    );
                }
            }
        }
        macro_rules! check_all {
            ($($t:ty),*) => { $( check::<$t>(probes.as_array().unwrap()); check::<Option<$t>>(probes.as_array().unwrap()); check::<Vec<$t>>(probes.as_array().unwrap()); )* };
        }
        check_all!(bool, String, f32, f64, i8, i16, i32, i64, u8, u16, u32, u64);
        assert!(!decodes_exactly::<Value>());
        assert!(!decodes_exactly::<std::collections::HashMap<String, u8>>());
    }
}
