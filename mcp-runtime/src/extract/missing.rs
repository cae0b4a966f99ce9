use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// Stands for an argument the client left out: `Option<T>` decodes it as `None`, every
/// other type refuses it. Also how schemas decide what is `required`.
pub(crate) struct MissingValue;

/// The error a type gives when it cannot be left out.
#[derive(Debug)]
pub(crate) struct Missing;

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("missing value")
    }
}

impl std::error::Error for Missing {}

impl de::Error for Missing {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Missing
    }
}

impl<'de> Deserializer<'de> for MissingValue {
    type Error = Missing;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Missing> {
        Err(Missing)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Missing> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}
