//! The stateless era (2026-07-28): what every request carries in `_meta`, how it is
//! validated, and what every result carries back.

use super::{LogLevel, ProtocolVersion, RpcError, codes};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};

pub(crate) const PROTOCOL_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
pub(crate) const CLIENT_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";
pub(crate) const LOG_LEVEL: &str = "io.modelcontextprotocol/logLevel";
pub(crate) const SERVER_INFO: &str = "io.modelcontextprotocol/serverInfo";

/// Whether a request's params carry the stateless era's per-request version in `_meta`. A
/// cheap textual look first: 2025-era requests rarely contain the key, so they are seldom
/// parsed twice; when they do (a tool argument quoting it), `_meta` itself decides.
pub(crate) fn carries_stateless_meta(params: Option<&RawValue>) -> bool {
    #[derive(Deserialize)]
    struct MetaKeys {
        #[serde(rename = "_meta", default)]
        meta: Option<std::collections::HashMap<String, serde::de::IgnoredAny>>,
    }
    params.is_some_and(|p| {
        p.get().contains(PROTOCOL_VERSION)
            && serde_json::from_str::<MetaKeys>(p.get())
                .ok()
                .and_then(|keys| keys.meta)
                .is_some_and(|meta| meta.contains_key(PROTOCOL_VERSION))
    })
}

/// What a stateless request says about itself.
#[derive(Debug, Clone)]
pub(crate) struct StatelessMeta {
    pub version: ProtocolVersion,
    pub capabilities: Value,
    /// `None`: the client wants no log messages for this request.
    pub log_level: Option<LogLevel>,
}

#[derive(Deserialize)]
struct ParamsMeta {
    #[serde(rename = "_meta", default)]
    meta: Option<Map<String, Value>>,
}

/// Reads and checks the per-request fields, in the order the specification gives: required
/// fields present (`-32602`), the `MCP-Protocol-Version` header agreeing when there is one
/// (`-32020`), the revision spoken here (`-32022`).
pub(crate) fn read_meta(
    params: Option<&RawValue>,
    header_version: Option<&str>,
) -> Result<StatelessMeta, RpcError> {
    let missing = |field: &str| {
        RpcError::invalid_params(format!("invalid params: _meta[\"{field}\"] is required"))
    };
    let meta = params
        .and_then(|p| serde_json::from_str::<ParamsMeta>(p.get()).ok())
        .and_then(|p| p.meta)
        .ok_or_else(|| missing(PROTOCOL_VERSION))?;
    let requested = meta
        .get(PROTOCOL_VERSION)
        .and_then(Value::as_str)
        .ok_or_else(|| missing(PROTOCOL_VERSION))?;
    let capabilities = meta
        .get(CLIENT_CAPABILITIES)
        .filter(|c| c.is_object())
        .ok_or_else(|| missing(CLIENT_CAPABILITIES))?;
    if let Some(header) = header_version
        && header != requested
    {
        return Err(RpcError::new(
            codes::HEADER_MISMATCH,
            format!("header mismatch: MCP-Protocol-Version is {header} but _meta says {requested}"),
        ));
    }
    let version = ProtocolVersion::parse_any(requested).ok_or_else(|| unsupported(requested))?;
    let log_level = match meta.get(LOG_LEVEL) {
        None => None,
        Some(level) => Some(serde_json::from_value(level.clone()).map_err(|_| {
            RpcError::invalid_params(format!("invalid params: unknown log level {level}"))
        })?),
    };
    Ok(StatelessMeta {
        version,
        capabilities: capabilities.clone(),
        log_level,
    })
}

/// `-32022`, listing what is spoken here.
pub(crate) fn unsupported(requested: &str) -> RpcError {
    let supported: Vec<&str> = ProtocolVersion::SUPPORTED
        .iter()
        .map(|v| v.as_str())
        .collect();
    RpcError::new(
        codes::UNSUPPORTED_PROTOCOL_VERSION,
        format!("unsupported protocol version {requested}"),
    )
    .with_data(json!({ "supported": supported, "requested": requested }))
}

/// How long, and for whom, a client may cache a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheHint {
    /// Milliseconds the result stays fresh (0: stale at once).
    pub ttl_ms: u64,
    /// Whether the result may be shared between users (`public`) or not (`private`).
    pub public: bool,
}

/// Adds what every stateless result carries (`resultType`, the server's identity in `_meta`,
/// caching hints where they apply) to an encoded result object.
pub(crate) fn decorate(
    result: &RawValue,
    result_type: &str,
    server_info: &Value,
    cache: Option<CacheHint>,
) -> Box<RawValue> {
    let mut object: Map<String, Value> = serde_json::from_str(result.get()).unwrap_or_default();
    let complete = *object
        .entry("resultType")
        .or_insert_with(|| json!(result_type))
        == "complete";
    // Interim results (input_required) are never cached.
    if let Some(cache) = cache.filter(|_| complete) {
        object.insert("ttlMs".into(), json!(cache.ttl_ms));
        object.insert(
            "cacheScope".into(),
            json!(if cache.public { "public" } else { "private" }),
        );
    }
    let meta = object.entry("_meta").or_insert_with(|| json!({}));
    if let Some(meta) = meta.as_object_mut() {
        meta.insert(SERVER_INFO.into(), server_info.clone());
    }
    serde_json::value::to_raw_value(&object).expect("a JSON map always serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(value: Value) -> Box<RawValue> {
        serde_json::value::to_raw_value(&value).unwrap()
    }

    fn meta(fields: Value) -> Box<RawValue> {
        raw(json!({ "_meta": fields }))
    }

    #[test]
    fn fields_are_checked_in_the_specified_order() {
        let caps = json!({});
        assert_eq!(
            read_meta(None, None).unwrap_err().code,
            codes::INVALID_PARAMS
        );
        let no_caps = meta(json!({ PROTOCOL_VERSION: "2026-07-28" }));
        assert_eq!(
            read_meta(Some(&no_caps), None).unwrap_err().code,
            codes::INVALID_PARAMS
        );
        let good = meta(json!({ PROTOCOL_VERSION: "2026-07-28", CLIENT_CAPABILITIES: caps }));
        let mismatch = read_meta(Some(&good), Some("2025-11-25")).unwrap_err();
        assert_eq!(mismatch.code, codes::HEADER_MISMATCH);
        let future = meta(json!({ PROTOCOL_VERSION: "v999", CLIENT_CAPABILITIES: {} }));
        let error = read_meta(Some(&future), Some("v999")).unwrap_err();
        assert_eq!(error.code, codes::UNSUPPORTED_PROTOCOL_VERSION);
        assert_eq!(error.data.unwrap()["requested"], "v999");
        let ok = read_meta(Some(&good), Some("2026-07-28")).unwrap();
        assert_eq!(
            (ok.version, ok.log_level),
            (ProtocolVersion::V2026_07_28, None)
        );
    }

    #[test]
    fn only_the_key_in_meta_makes_a_request_stateless() {
        let stateless = meta(json!({ PROTOCOL_VERSION: 5 }));
        assert!(carries_stateless_meta(Some(&stateless)));
        for session_era in [
            json!({ "name": "echo", "arguments": { "text": PROTOCOL_VERSION } }),
            json!({ "arguments": { PROTOCOL_VERSION: "2026-07-28" } }),
            json!({ "_meta": PROTOCOL_VERSION }),
            json!({ "_meta": { "note": PROTOCOL_VERSION } }),
        ] {
            assert!(
                !carries_stateless_meta(Some(&raw(session_era.clone()))),
                "{session_era}"
            );
        }
        assert!(!carries_stateless_meta(None));
    }

    #[test]
    fn decoration_adds_result_type_server_info_and_cache_hints() {
        let decorated = decorate(
            &raw(json!({ "tools": [] })),
            "complete",
            &json!({ "name": "s" }),
            Some(CacheHint {
                ttl_ms: 5,
                public: false,
            }),
        );
        let value: Value = serde_json::from_str(decorated.get()).unwrap();
        assert_eq!(
            value,
            json!({ "tools": [], "resultType": "complete", "ttlMs": 5, "cacheScope": "private", "_meta": { SERVER_INFO: { "name": "s" } } })
        );
    }
}
