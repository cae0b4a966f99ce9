//! The stateless era (2026-07-28): what every request carries in `_meta`, how it is
//! validated, and what every result carries back.

use super::{LogLevel, ProtocolVersion, RpcError, codes};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};

pub(crate) const PROTOCOL_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
pub(crate) const CLIENT_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";
pub(crate) const SERVER_INFO: &str = "io.modelcontextprotocol/serverInfo";

/// A request's `_meta`, borrowed from the request: the other members of `params` (the
/// arguments) are skipped.
#[derive(Deserialize)]
struct ParamsMeta<'a> {
    #[serde(rename = "_meta", borrow, default)]
    meta: Option<&'a RawValue>,
}

/// The per-request fields of `_meta`: only the three read here are decoded.
#[derive(Deserialize)]
struct MetaFields<'a> {
    #[serde(rename = "io.modelcontextprotocol/protocolVersion", borrow, default)]
    #[serde(deserialize_with = "present")]
    version: Option<&'a RawValue>,
    #[serde(rename = "io.modelcontextprotocol/clientCapabilities", borrow, default)]
    #[serde(deserialize_with = "present")]
    capabilities: Option<&'a RawValue>,
    #[serde(rename = "io.modelcontextprotocol/logLevel", borrow, default)]
    #[serde(deserialize_with = "present")]
    log_level: Option<&'a RawValue>,
}

/// A member given as `null` is present (and wrong), not absent.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

/// A request's `_meta`, when its params mention the stateless era's version key at all.
pub(super) fn meta_of(params: Option<&RawValue>) -> Option<&RawValue> {
    if !mentions_version(params) {
        return None;
    }
    params
        .and_then(|p| serde_json::from_str::<ParamsMeta<'_>>(p.get()).ok())
        .and_then(|p| p.meta)
}

fn fields_of(meta: Option<&RawValue>) -> Option<MetaFields<'_>> {
    meta.and_then(|m| serde_json::from_str(m.get()).ok())
}

/// Whether a request's `_meta` carries the stateless era's per-request version.
#[cfg(any(feature = "http", test))]
pub(crate) fn carries_stateless_meta(meta: Option<&RawValue>) -> bool {
    fields_of(meta).is_some_and(|meta| meta.version.is_some())
}

/// The per-request fields of a request that carries them, checked (see [`read_meta`]);
/// `None` for a request of the 2025 era.
pub(crate) fn stateless_meta(params: Option<&RawValue>) -> Option<Result<StatelessMeta, RpcError>> {
    stateless_meta_of(meta_of(params))
}

/// [`stateless_meta`] of a request whose `_meta` was decoded with the rest of its params.
pub(crate) fn stateless_meta_of(
    meta: Option<&RawValue>,
) -> Option<Result<StatelessMeta, RpcError>> {
    if !mentions_version(meta) {
        return None;
    }
    let fields = fields_of(meta).filter(|fields| fields.version.is_some())?;
    Some(check(fields, None))
}

/// A cheap textual look first: 2025-era requests rarely contain the key, so they are seldom
/// parsed; when they do (a tool argument quoting it), `_meta` itself decides.
fn mentions_version(params: Option<&RawValue>) -> bool {
    // Built once: `str::contains` prepares its searcher on every call, which cost more than
    // the rest of the envelope decode.
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(PROTOCOL_VERSION));
    params.is_some_and(|p| FINDER.find(p.get().as_bytes()).is_some())
}

/// What a stateless request says about itself.
#[derive(Debug, Clone)]
pub(crate) struct StatelessMeta {
    pub version: ProtocolVersion,
    pub capabilities: Value,
    /// `None`: the client wants no log messages for this request.
    pub log_level: Option<LogLevel>,
}

/// Reads and checks the per-request fields, in the order the specification gives: required
/// fields present (`-32602`), the `MCP-Protocol-Version` header agreeing when there is one
/// (`-32020`), the revision spoken here (`-32022`).
#[cfg(any(feature = "http", test))]
pub(crate) fn read_meta(
    meta: Option<&RawValue>,
    header_version: Option<&str>,
) -> Result<StatelessMeta, RpcError> {
    let meta = fields_of(meta).ok_or_else(|| missing(PROTOCOL_VERSION))?;
    check(meta, header_version)
}

fn missing(field: &str) -> RpcError {
    RpcError::invalid_params(format!("invalid params: _meta[\"{field}\"] is required"))
}

fn check(meta: MetaFields<'_>, header_version: Option<&str>) -> Result<StatelessMeta, RpcError> {
    let requested: String = meta
        .version
        .and_then(|raw| serde_json::from_str(raw.get()).ok())
        .ok_or_else(|| missing(PROTOCOL_VERSION))?;
    let requested = requested.as_str();
    let capabilities: Value = meta
        .capabilities
        .filter(|raw| raw.get().starts_with('{'))
        .and_then(|raw| serde_json::from_str(raw.get()).ok())
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
    let log_level = match meta.log_level {
        None => None,
        Some(level) => Some(serde_json::from_str(level.get()).map_err(|_| {
            RpcError::invalid_params(format!("invalid params: unknown log level {level}"))
        })?),
    };
    Ok(StatelessMeta {
        version,
        capabilities,
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

impl CacheHint {
    /// `cacheScope`, as a JSON string.
    fn scope(self) -> &'static str {
        if self.public {
            "\"public\""
        } else {
            "\"private\""
        }
    }
}

/// Adds what every stateless result carries (`resultType`, the server's identity in `_meta`,
/// caching hints where they apply) to an encoded result object; returns its JSON text.
/// `result_type` is one of the specification's identifiers (`complete`...), written as is.
pub(crate) fn decorate(
    result: &str,
    result_type: &'static str,
    server_info: &RawValue,
    cache: Option<CacheHint>,
) -> String {
    splice(result, result_type, server_info, cache)
        .unwrap_or_else(|| merge(result, result_type, server_info, cache))
}

/// The common case, a result without `_meta`: its members are kept as they are and the new
/// ones appended, with no decoding of the result into a `Value` and back.
fn splice(
    text: &str,
    result_type: &'static str,
    server_info: &RawValue,
    cache: Option<CacheHint>,
) -> Option<String> {
    #[derive(Deserialize)]
    struct Reserved<'a> {
        #[serde(rename = "resultType", borrow, default)]
        result_type: Option<&'a RawValue>,
        #[serde(rename = "_meta", borrow, default)]
        meta: Option<&'a RawValue>,
    }
    let reserved: Reserved<'_> = serde_json::from_str(text).ok()?;
    if reserved.meta.is_some() {
        return None;
    }
    let open = text.trim_end().strip_suffix('}')?;
    let mut spliced = String::with_capacity(text.len() + server_info.get().len() + 128);
    spliced.push_str(open);
    let mut first = open.trim() == "{";
    // `value` parts are JSON text already; written piece by piece, with no formatting.
    let mut member = |name: &str, value: &[&str]| {
        if !std::mem::take(&mut first) {
            spliced.push(',');
        }
        spliced.push('"');
        spliced.push_str(name);
        spliced.push_str("\":");
        value.iter().for_each(|part| spliced.push_str(part));
    };
    let complete = match reserved.result_type {
        Some(given) => given.get() == "\"complete\"",
        None => {
            member("resultType", &["\"", result_type, "\""]);
            result_type == "complete"
        }
    };
    // Interim results (input_required) are never cached.
    if let Some(cache) = cache.filter(|_| complete) {
        member("ttlMs", &[itoa::Buffer::new().format(cache.ttl_ms)]);
        member("cacheScope", &[cache.scope()]);
    }
    let info = server_info.get();
    member("_meta", &["{\"", SERVER_INFO, "\":", info, "}"]);
    // Valid JSON by construction: an object's members, then members of valid values.
    spliced.push('}');
    Some(spliced)
}

/// A result with `_meta` of its own (or not an object): decoded, merged and encoded again.
fn merge(
    result: &str,
    result_type: &str,
    server_info: &RawValue,
    cache: Option<CacheHint>,
) -> String {
    let mut object: Map<String, Value> = serde_json::from_str(result).unwrap_or_default();
    let complete = *object
        .entry("resultType")
        .or_insert_with(|| json!(result_type))
        == "complete";
    if let Some(cache) = cache.filter(|_| complete) {
        object.insert("ttlMs".into(), json!(cache.ttl_ms));
        object.insert("cacheScope".into(), json!(cache.scope().trim_matches('"')));
    }
    let meta = object.entry("_meta").or_insert_with(|| json!({}));
    if let Some(meta) = meta.as_object_mut() {
        let server_info = serde_json::from_str(server_info.get()).unwrap_or_default();
        meta.insert(SERVER_INFO.into(), server_info);
    }
    Value::Object(object).to_string()
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
            read_meta(meta_of(Some(&no_caps)), None).unwrap_err().code,
            codes::INVALID_PARAMS
        );
        let good = meta(json!({ PROTOCOL_VERSION: "2026-07-28", CLIENT_CAPABILITIES: caps }));
        let mismatch = read_meta(meta_of(Some(&good)), Some("2025-11-25")).unwrap_err();
        assert_eq!(mismatch.code, codes::HEADER_MISMATCH);
        let future = meta(json!({ PROTOCOL_VERSION: "v999", CLIENT_CAPABILITIES: {} }));
        let error = read_meta(meta_of(Some(&future)), Some("v999")).unwrap_err();
        assert_eq!(error.code, codes::UNSUPPORTED_PROTOCOL_VERSION);
        assert_eq!(error.data.unwrap()["requested"], "v999");
        let ok = read_meta(meta_of(Some(&good)), Some("2026-07-28")).unwrap();
        assert_eq!(
            (ok.version, ok.log_level),
            (ProtocolVersion::V2026_07_28, None)
        );
    }

    #[test]
    fn only_the_key_in_meta_makes_a_request_stateless() {
        let stateless = meta(json!({ PROTOCOL_VERSION: 5 }));
        assert!(carries_stateless_meta(meta_of(Some(&stateless))));
        for session_era in [
            json!({ "name": "echo", "arguments": { "text": PROTOCOL_VERSION } }),
            json!({ "arguments": { PROTOCOL_VERSION: "2026-07-28" } }),
            json!({ "_meta": PROTOCOL_VERSION }),
            json!({ "_meta": { "note": PROTOCOL_VERSION } }),
        ] {
            assert!(
                !carries_stateless_meta(meta_of(Some(&raw(session_era.clone())))),
                "{session_era}"
            );
        }
        assert!(!carries_stateless_meta(None));
    }

    #[test]
    fn decoration_adds_result_type_server_info_and_cache_hints() {
        let info = raw(json!({ "name": "s" }));
        let hint = Some(CacheHint {
            ttl_ms: 5,
            public: false,
        });
        let decorated = |result: Value, cache| -> Value {
            let text = decorate(&result.to_string(), "complete", &info, cache);
            serde_json::from_str(&text).unwrap()
        };
        let server = json!({ SERVER_INFO: { "name": "s" } });
        // Spliced: results without `_meta`, empty or not.
        assert_eq!(
            decorated(json!({ "tools": [] }), hint),
            json!({ "tools": [], "resultType": "complete", "ttlMs": 5, "cacheScope": "private", "_meta": server })
        );
        assert_eq!(
            decorated(json!({}), None),
            json!({ "resultType": "complete", "_meta": server })
        );
        // A result type of the result's own wins, and only complete results are cached.
        assert_eq!(
            decorated(json!({ "resultType": "input_required", "x": 1 }), hint),
            json!({ "resultType": "input_required", "x": 1, "_meta": server })
        );
        // Merged: a result's own `_meta` keeps its members.
        assert_eq!(
            decorated(json!({ "content": [], "_meta": { "k": 1 } }), hint),
            json!({ "content": [], "resultType": "complete", "ttlMs": 5, "cacheScope": "private",
                    "_meta": { "k": 1, SERVER_INFO: { "name": "s" } } })
        );
    }
}
