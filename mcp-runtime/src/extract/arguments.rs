use super::MissingValue;
use crate::service_error::{ServiceValidationError, ToolError};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A tool call's `arguments` object, already validated against the input schema.
#[derive(Debug, Default)]
pub struct Arguments {
    map: Map<String, Value>,
}

impl Arguments {
    pub(crate) fn new(map: Map<String, Value>) -> Self {
        Arguments { map }
    }

    /// Takes the argument `name` out, decoded as `T` (`Option<T>` when it may be absent).
    pub fn take<T: DeserializeOwned>(&mut self, name: &str) -> Result<T, ToolError> {
        let value = self.map.remove(name);
        decode_argument(name, value.map(|v| move || T::deserialize(v)))
    }

    /// The whole object decoded as `T` (what `#[args]` takes).
    pub fn into_object<T: DeserializeOwned>(self) -> Result<T, ToolError> {
        T::deserialize(Value::Object(self.map)).map_err(|e| invalid_argument("/", &e.to_string()))
    }

    /// The raw object.
    pub fn into_map(self) -> Map<String, Value> {
        self.map
    }

    /// The raw value of one argument, if present.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.map.get(name)
    }
}

/// Decodes the argument `name` with `decode`, or as absent when there is none (`None` for
/// an `Option`, an error for any other type).
pub(super) fn decode_argument<T: DeserializeOwned, E: std::fmt::Display>(
    name: &str,
    decode: Option<impl FnOnce() -> Result<T, E>>,
) -> Result<T, ToolError> {
    let decoded = match decode {
        Some(decode) => decode().map_err(|e| e.to_string()),
        None => T::deserialize(MissingValue).map_err(|_| "missing required argument".to_owned()),
    };
    decoded.map_err(|reason| invalid_argument(&format!("/{name}"), &reason))
}

/// The schema accepted the value but the type did not (a schema looser than its type).
/// serde's reason names the value it got (`invalid type: floating point `1e19`, expected
/// u64`); only what was expected is kept, so the client's input is not echoed back.
pub(super) fn invalid_argument(path: &str, reason: &str) -> ToolError {
    let reason = reason.find(" at line ").map_or(reason, |at| &reason[..at]);
    let reason = reason
        .find(", expected ")
        .map_or(reason, |at| &reason[at + 2..]);
    ServiceValidationError::new(format!("invalid arguments:\n- {reason} at {path}")).into()
}

impl<'de> Deserialize<'de> for Arguments {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Map::deserialize(d).map(Arguments::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(value: Value) -> Arguments {
        Arguments::new(value.as_object().unwrap().clone())
    }

    #[test]
    fn take_decodes_and_treats_absent_options_as_none() {
        let mut a = args(json!({"n": 3, "s": "x"}));
        assert_eq!(a.take::<u8>("n").unwrap(), 3);
        assert_eq!(a.take::<Option<String>>("s").unwrap().as_deref(), Some("x"));
        assert_eq!(a.take::<Option<String>>("absent").unwrap(), None);
        let err = a.take::<u8>("absent").unwrap_err().to_string();
        assert!(
            err.contains("missing required argument at /absent"),
            "{err}"
        );
    }

    #[test]
    fn type_mismatches_name_the_path() {
        let err = args(json!({"n": 300}))
            .take::<u8>("n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("expected u8 at /n"), "{err}");
        assert!(
            !err.contains("300"),
            "the client's value is not echoed: {err}"
        );
    }
}
