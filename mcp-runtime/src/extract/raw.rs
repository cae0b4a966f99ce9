use super::arguments::{decode_argument, invalid_argument};
use crate::service_error::ToolError;
use serde::de::value::SeqAccessDeserializer;
use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// A tool call's `arguments` as the client sent them: the object's members, each still
/// JSON text until the parameter that takes it decodes it, so a call builds no `Value`
/// tree. Decoded in the same pass as the rest of the request's params.
///
/// What `#[mcp_tool]` functions extract their parameters from (through
/// [`ToolParameter`](crate::binding::ToolParameter)).
#[derive(Debug)]
pub struct RawArguments<'a> {
    shape: Shape<'a>,
}

#[derive(Debug)]
enum Shape<'a> {
    /// An object, its members in the order sent (a repeated name is kept twice: the last
    /// one counts, as in a `serde_json::Map`).
    Members(Vec<(Cow<'a, str>, &'a RawValue)>),
    /// Anything else, which no input schema accepts. Boxed: rare, and small arguments
    /// are moved several times on their way to the call.
    Other(Box<Value>),
}

impl Default for RawArguments<'_> {
    /// No arguments: an empty object.
    fn default() -> Self {
        RawArguments {
            shape: Shape::Members(Vec::new()),
        }
    }
}

impl<'a> RawArguments<'a> {
    /// Whether the arguments are an object whose every member is one of `properties`.
    pub(crate) fn only_declared(&self, properties: &[Box<str>]) -> bool {
        match &self.shape {
            Shape::Members(members) => members
                .iter()
                .all(|(key, _)| properties.iter().any(|p| **p == **key)),
            Shape::Other(_) => false,
        }
    }

    /// The arguments as a `Value` (what the input schema is checked against). A member
    /// that is JSON but no `Value` (a number beyond `f64`) is an error.
    pub(crate) fn to_value(&self) -> Result<Value, serde_json::Error> {
        match &self.shape {
            Shape::Members(members) => members
                .iter()
                .map(|(key, text)| Ok((key.to_string(), serde_json::from_str(text.get())?)))
                .collect::<Result<_, _>>()
                .map(Value::Object),
            Shape::Other(value) => Ok(Value::clone(value)),
        }
    }

    /// Decodes the argument `name` as `T` (`Option<T>` when it may be absent).
    pub fn take<T: DeserializeOwned>(&self, name: &str) -> Result<T, ToolError> {
        let member = match &self.shape {
            Shape::Members(members) => members.iter().rev().find(|(key, _)| key == name),
            Shape::Other(_) => None,
        };
        decode_argument(
            name,
            member.map(|(_, text)| || serde_json::from_str(text.get())),
        )
    }

    /// The whole object decoded as `T` (what `#[args]` takes).
    pub fn object<T: DeserializeOwned>(&self) -> Result<T, ToolError> {
        let invalid = |e: serde_json::Error| invalid_argument("/", &e.to_string());
        T::deserialize(self.to_value().map_err(invalid)?).map_err(invalid)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawArguments<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let shape = d.deserialize_any(ShapeVisitor)?;
        Ok(RawArguments { shape })
    }
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("tool arguments")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let Some(Key(first)) = map.next_key()? else {
            return Ok(Shape::Members(Vec::new()));
        };
        // Sized once for the usual few parameters, not grown from empty member by member.
        let mut members = Vec::with_capacity(4);
        members.push((first, map.next_value()?));
        while let Some(Key(key)) = map.next_key()? {
            members.push((key, map.next_value()?));
        }
        Ok(Shape::Members(members))
    }

    fn visit_seq<S: SeqAccess<'de>>(self, seq: S) -> Result<Self::Value, S::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(other)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(other(v.into()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(other(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(other(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(other(v.into()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(other(v.into()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(other(Value::Null))
    }
}

fn other<'a>(value: Value) -> Shape<'a> {
    Shape::Other(Box::new(value))
}

/// A member name, borrowed from the request unless it holds escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(text: &str) -> RawArguments<'_> {
        serde_json::from_str(text).unwrap()
    }

    fn names(list: &[&str]) -> Vec<Box<str>> {
        list.iter().map(|n| Box::from(*n)).collect()
    }

    #[test]
    fn members_decode_into_their_parameters() {
        let args = parse(r#"{"a": 2, "b\u0021": "x"}"#);
        assert!(args.only_declared(&names(&["a", "b!", "c"])));
        assert_eq!(args.take::<f64>("a").unwrap(), 2.0);
        assert_eq!(args.take::<String>("b!").unwrap(), "x");
        assert_eq!(args.take::<Option<u8>>("c").unwrap(), None);
        let missing = args.take::<u8>("c").unwrap_err().to_string();
        assert!(
            missing.contains("missing required argument at /c"),
            "{missing}"
        );
    }

    #[test]
    fn a_repeated_member_keeps_its_last_value_as_a_map_would() {
        let args = parse(r#"{"a": 1, "b": 0, "a": 2}"#);
        assert_eq!(args.take::<u8>("a").unwrap(), 2);
        assert_eq!(args.to_value().unwrap(), json!({"a": 2, "b": 0}));
    }

    #[test]
    fn undeclared_members_and_non_objects_are_not_only_declared() {
        let declared = names(&["a"]);
        for text in [
            r#"{"a": 1, "z": 2}"#,
            "[1, {}]",
            "3",
            "-3",
            "1.5",
            r#""a""#,
            "true",
        ] {
            let args = parse(text);
            assert!(!args.only_declared(&declared), "{text}");
            let value: Value = serde_json::from_str(text).unwrap();
            assert_eq!(args.to_value().unwrap(), value, "{text}");
        }
    }

    #[test]
    fn no_arguments_are_an_empty_object() {
        let args = RawArguments::default();
        assert!(args.only_declared(&[]));
        assert_eq!(args.take::<Option<u8>>("a").unwrap(), None);
        assert_eq!(args.object::<Value>().unwrap(), json!({}));
    }

    #[test]
    fn members_beyond_value_are_errors_where_they_are_decoded() {
        let args = parse(r#"{"n": 1e400}"#);
        assert!(args.to_value().is_err());
        assert!(args.take::<f64>("n").is_err());
    }

    #[test]
    fn type_mismatches_name_the_path_without_the_value() {
        let err = parse(r#"{"n": 300}"#)
            .take::<u8>("n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("expected u8 at /n"), "{err}");
        assert!(!err.contains("300"), "{err}");
    }
}
