use super::arguments::{decode_argument, invalid_argument};
use crate::service_error::ToolError;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// A tool call's `arguments` object as the client sent it: each argument stays JSON text
/// until the parameter that takes it decodes it, so a call builds no `Value` tree.
///
/// What `#[mcp_tool]` functions extract their parameters from (through
/// [`ToolParameter`](crate::ToolParameter)); only the arguments a binding declared are
/// split out.
#[derive(Debug)]
pub struct RawArguments<'a> {
    /// The whole object (`{}` when the request had none).
    object: &'a str,
    members: Vec<(Cow<'a, str>, &'a RawValue)>,
}

/// The arguments are not an object of the declared properties: the caller validates them
/// against the schema instead, which says exactly what is wrong.
#[derive(Debug)]
pub(crate) struct Undeclared;

impl<'a> RawArguments<'a> {
    /// The whole object, split into the members named in `properties`. A member of another
    /// name, or anything but an object, is `Undeclared`. A repeated member keeps its last
    /// value, as a `serde_json::Map` (what the schema is checked against) does.
    pub(crate) fn split(
        object: Option<&'a RawValue>,
        properties: &[Box<str>],
    ) -> Result<Self, Undeclared> {
        let Some(object) = object else {
            return Ok(RawArguments::whole(None));
        };
        let members = object
            .deserialize_map(Members { properties })
            .map_err(|_| Undeclared)?;
        Ok(RawArguments {
            object: object.get(),
            members,
        })
    }

    /// The whole object, no member split out (what `#[args]` decodes from).
    pub(crate) fn whole(object: Option<&'a RawValue>) -> Self {
        RawArguments {
            object: object.map_or("{}", RawValue::get),
            members: Vec::new(),
        }
    }

    /// Decodes the argument `name` as `T` (`Option<T>` when it may be absent).
    pub fn take<T: DeserializeOwned>(&self, name: &str) -> Result<T, ToolError> {
        let member = self.members.iter().find(|(key, _)| key == name);
        decode_argument(
            name,
            member.map(|(_, text)| || serde_json::from_str(text.get())),
        )
    }

    /// The whole object decoded as `T` (what `#[args]` takes).
    pub fn object<T: DeserializeOwned>(&self) -> Result<T, ToolError> {
        serde_json::from_str(self.object).map_err(|e| invalid_argument("/", &e.to_string()))
    }
}

/// Splits an object into its members, refusing a name not in `properties`.
struct Members<'p> {
    properties: &'p [Box<str>],
}

impl<'de> Visitor<'de> for Members<'_> {
    type Value = Vec<(Cow<'de, str>, &'de RawValue)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of the declared arguments")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut members: Self::Value = Vec::with_capacity(self.properties.len());
        while let Some(Key(key)) = map.next_key()? {
            if !self.properties.iter().any(|p| **p == *key) {
                return Err(de::Error::custom("an undeclared argument"));
            }
            let value: &'de RawValue = map.next_value()?;
            // At most one member per property: the work stays linear in the object's size.
            match members.iter_mut().find(|(k, _)| *k == key) {
                Some(repeated) => repeated.1 = value,
                None => members.push((key, value)),
            }
        }
        Ok(members)
    }
}

/// A member name, borrowed from the request unless it holds escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
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

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_owned()).unwrap()
    }

    fn names(list: &[&str]) -> Vec<Box<str>> {
        list.iter().map(|n| Box::from(*n)).collect()
    }

    #[test]
    fn members_decode_into_their_parameters() {
        let text = raw(r#"{"a": 2, "b\u0021": "x"}"#);
        let args = RawArguments::split(Some(&text), &names(&["a", "b!", "c"])).unwrap();
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
    fn a_repeated_member_keeps_its_last_value() {
        let text = raw(r#"{"a": 1, "a": 2}"#);
        let args = RawArguments::split(Some(&text), &names(&["a"])).unwrap();
        assert_eq!(args.members.len(), 1);
        assert_eq!(args.take::<u8>("a").unwrap(), 2);
    }

    #[test]
    fn undeclared_members_and_non_objects_are_refused() {
        let declared = names(&["a"]);
        for text in [r#"{"a": 1, "z": 2}"#, "[1]", "3", r#""a""#] {
            let text = raw(text);
            assert!(
                RawArguments::split(Some(&text), &declared).is_err(),
                "{text}"
            );
        }
    }

    #[test]
    fn absent_arguments_are_an_empty_object() {
        let args = RawArguments::split(None, &names(&["a"])).unwrap();
        assert_eq!(args.take::<Option<u8>>("a").unwrap(), None);
        assert_eq!(
            args.object::<serde_json::Value>().unwrap(),
            serde_json::json!({})
        );
    }

    #[test]
    fn type_mismatches_name_the_path_without_the_value() {
        let text = raw(r#"{"n": 300}"#);
        let args = RawArguments::split(Some(&text), &names(&["n"])).unwrap();
        let err = args.take::<u8>("n").unwrap_err().to_string();
        assert!(err.contains("expected u8 at /n"), "{err}");
        assert!(!err.contains("300"), "{err}");
    }
}
