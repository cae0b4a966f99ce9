//! Arbitrary JSON values, built from fuzzer bytes.

use arbitrary::Unstructured;
use serde_json::{Map, Value, json};

/// An arbitrary JSON value at most `depth` levels deep; strings and object keys are often
/// taken from `words`.
pub fn arb_json(u: &mut Unstructured<'_>, words: &[&str], depth: u32) -> arbitrary::Result<Value> {
    let kinds = if depth == 0 { 7 } else { 9 };
    Ok(match u.choose_index(kinds)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => json!(u.arbitrary::<i8>()?),
        3 => json!(u.arbitrary::<i64>()?),
        4 => json!(u.arbitrary::<u64>()?),
        5 => {
            let f: f64 = if u.arbitrary()? {
                f64::from(u.arbitrary::<i16>()?) / 4.0
            } else {
                u.arbitrary()?
            };
            serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
        }
        6 => Value::String(arb_word(u, words)?),
        7 => {
            let len = u.choose_index(5)?;
            let mut items = Vec::with_capacity(len);
            for _ in 0..len {
                items.push(arb_json(u, words, depth - 1)?);
            }
            Value::Array(items)
        }
        _ => Value::Object(arb_object(u, words, depth - 1)?),
    })
}

/// An arbitrary JSON object (see [`arb_json`]).
pub fn arb_object(
    u: &mut Unstructured<'_>,
    words: &[&str],
    depth: u32,
) -> arbitrary::Result<Map<String, Value>> {
    let len = u.choose_index(6)?;
    let mut map = Map::new();
    for _ in 0..len {
        let key = arb_word(u, words)?;
        map.insert(key, arb_json(u, words, depth)?);
    }
    Ok(map)
}

/// One of `words`, or any short string.
pub fn arb_word(u: &mut Unstructured<'_>, words: &[&str]) -> arbitrary::Result<String> {
    if !words.is_empty() && u.ratio(3, 4)? {
        Ok((*u.choose(words)?).to_owned())
    } else {
        Ok(u.arbitrary::<&str>()?.chars().take(24).collect())
    }
}
