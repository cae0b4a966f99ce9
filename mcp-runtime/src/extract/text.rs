//! Decodes a value that arrived as text (a URI template variable) into any `Deserialize`
//! type: numbers and booleans are parsed, strings and enum variants taken as they are,
//! and an absent value is `None` for `Option<T>`.

use serde::de::value::Error;
use serde::de::{self, Deserializer, IntoDeserializer, Visitor};

pub(crate) struct TextValue(pub Option<String>);

impl TextValue {
    fn text(self) -> Result<String, Error> {
        self.0.ok_or_else(|| de::Error::custom("missing value"))
    }

    fn parse<T: std::str::FromStr>(self, expected: &str) -> Result<T, Error> {
        let text = self.text()?;
        text.parse()
            .map_err(|_| de::Error::custom(format!("expected {expected}")))
    }
}

macro_rules! parse_as {
    ($($method:ident => $visit:ident : $ty:ty, $expected:literal;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.$visit(self.parse::<$ty>($expected)?)
        }
    )*};
}

impl<'de> Deserializer<'de> for TextValue {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_string(self.text()?)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            None => visitor.visit_none(),
            Some(text) => visitor.visit_some(TextValue(Some(text))),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_enum(self.text()?.into_deserializer())
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    parse_as! {
        deserialize_bool => visit_bool: bool, "true or false";
        deserialize_i8 => visit_i8: i8, "an integer (i8)";
        deserialize_i16 => visit_i16: i16, "an integer (i16)";
        deserialize_i32 => visit_i32: i32, "an integer";
        deserialize_i64 => visit_i64: i64, "an integer";
        deserialize_u8 => visit_u8: u8, "a non-negative integer below 256";
        deserialize_u16 => visit_u16: u16, "a non-negative integer below 65536";
        deserialize_u32 => visit_u32: u32, "a non-negative integer";
        deserialize_u64 => visit_u64: u64, "a non-negative integer";
        deserialize_f32 => visit_f32: f32, "a number";
        deserialize_f64 => visit_f64: f64, "a number";
        deserialize_char => visit_char: char, "a single character";
    }

    serde::forward_to_deserialize_any! {
        i128 u128 str string bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn decode<T: for<'de> Deserialize<'de>>(text: Option<&str>) -> Result<T, Error> {
        T::deserialize(TextValue(text.map(str::to_owned)))
    }

    #[test]
    fn decodes_scalars_options_and_enums() {
        #[derive(Deserialize, Debug, PartialEq)]
        #[serde(rename_all = "lowercase")]
        enum Color {
            Red,
        }
        assert_eq!(decode::<u64>(Some("42")).unwrap(), 42);
        assert_eq!(decode::<String>(Some("a b")).unwrap(), "a b");
        assert_eq!(decode::<Option<u32>>(None).unwrap(), None);
        assert_eq!(decode::<Option<u32>>(Some("7")).unwrap(), Some(7));
        assert!(decode::<bool>(Some("true")).unwrap());
        assert_eq!(decode::<Color>(Some("red")).unwrap(), Color::Red);
        let err = decode::<u64>(Some("abc")).unwrap_err().to_string();
        assert_eq!(err, "expected a non-negative integer");
        assert!(decode::<u64>(None).is_err());
    }
}
