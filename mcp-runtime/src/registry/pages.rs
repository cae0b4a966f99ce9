//! List results, serialised once at `build()` and served by page with opaque cursors.

use crate::protocol::RpcError;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::value::{RawValue, to_raw_value};
use serde_json::{Map, Value};

/// The four list methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListKind {
    Tools,
    Resources,
    ResourceTemplates,
    Prompts,
}

impl ListKind {
    fn key(self) -> &'static str {
        match self {
            ListKind::Tools => "tools",
            ListKind::Resources => "resources",
            ListKind::ResourceTemplates => "resourceTemplates",
            ListKind::Prompts => "prompts",
        }
    }
}

/// The pre-serialised pages of one list.
#[derive(Debug)]
pub(crate) struct Pages {
    kind: ListKind,
    pages: Vec<Box<RawValue>>,
}

impl Pages {
    pub(crate) fn build(kind: ListKind, items: Vec<Value>, page_size: usize) -> Pages {
        let page_size = page_size.max(1);
        let chunks: Vec<&[Value]> = if items.is_empty() {
            vec![&[]]
        } else {
            items.chunks(page_size).collect()
        };
        let count = chunks.len();
        let pages = chunks
            .into_iter()
            .enumerate()
            .map(|(index, chunk)| page_json(kind, chunk.to_vec(), index + 1 < count, index))
            .collect();
        Pages { kind, pages }
    }

    /// The page a cursor points at (the first page without one).
    pub(crate) fn page(&self, cursor: Option<&str>) -> Result<&RawValue, RpcError> {
        let index = page_index(self.kind, cursor, self.pages.len())?;
        Ok(&self.pages[index])
    }
}

/// The page `cursor` names among `count` (the first without one), or `-32602`.
fn page_index(kind: ListKind, cursor: Option<&str>, count: usize) -> Result<usize, RpcError> {
    match cursor {
        None => Ok(0),
        Some(cursor) => decode_cursor(kind, cursor)
            .filter(|index| *index < count)
            .ok_or_else(|| RpcError::invalid_params("invalid cursor: pass back a nextCursor from a previous page, or none for the first page")),
    }
}

/// Page `index` of a list of `kind`, with a cursor to the next page when there is one.
fn page_json(kind: ListKind, items: Vec<Value>, more: bool, index: usize) -> Box<RawValue> {
    let mut page = Map::new();
    page.insert(kind.key().into(), Value::Array(items));
    if more {
        page.insert(
            "nextCursor".into(),
            Value::String(encode_cursor(kind, index + 1)),
        );
    }
    to_raw_value(&page).expect("a JSON map always serialises")
}

/// The page `cursor` names of `items`, serialised for one request.
pub(crate) fn page_of(
    kind: ListKind,
    mut items: Vec<Value>,
    cursor: Option<&str>,
    page_size: usize,
) -> Result<Box<RawValue>, RpcError> {
    let size = page_size.max(1);
    let count = items.len().div_ceil(size).max(1);
    let index = page_index(kind, cursor, count)?;
    let start = (index * size).min(items.len());
    let end = (start + size).min(items.len());
    let page: Vec<Value> = items.drain(start..end).collect();
    Ok(page_json(kind, page, index + 1 < count, index))
}

fn encode_cursor(kind: ListKind, index: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{index}", kind.key()))
}

fn decode_cursor(kind: ListKind, cursor: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let (key, index) = text.split_once(':')?;
    (key == kind.key()).then(|| index.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(raw: &RawValue) -> Value {
        serde_json::from_str(raw.get()).unwrap()
    }

    #[test]
    fn pages_chain_through_cursors_and_end_without_one() {
        let items = (0..5).map(|i| json!({ "name": format!("t{i}") })).collect();
        let pages = Pages::build(ListKind::Tools, items, 2);
        let first = parse(pages.page(None).unwrap());
        assert_eq!(first["tools"].as_array().unwrap().len(), 2);
        let second = parse(pages.page(first["nextCursor"].as_str()).unwrap());
        let third = parse(pages.page(second["nextCursor"].as_str()).unwrap());
        assert_eq!(third["tools"], json!([{ "name": "t4" }]));
        assert!(third.get("nextCursor").is_none());
    }

    #[test]
    fn foreign_or_forged_cursors_are_refused() {
        let pages = Pages::build(ListKind::Tools, vec![json!({})], 1);
        let prompts_cursor = encode_cursor(ListKind::Prompts, 0);
        for bad in [
            "garbage",
            "",
            &encode_cursor(ListKind::Tools, 9),
            &prompts_cursor,
        ] {
            assert_eq!(
                pages.page(Some(bad)).unwrap_err().code,
                crate::protocol::codes::INVALID_PARAMS,
                "{bad}"
            );
        }
    }

    #[test]
    fn an_empty_list_is_one_empty_page() {
        let pages = Pages::build(ListKind::Prompts, Vec::new(), 10);
        assert_eq!(parse(pages.page(None).unwrap()), json!({ "prompts": [] }));
    }
}
