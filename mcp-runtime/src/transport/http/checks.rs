//! What every request must satisfy before it is read: DNS-rebinding defence (`Host`,
//! `Origin`), media types, and the protocol-version header.

use super::reply::Rejection;
use crate::protocol::ProtocolVersion;
use crate::shared::HttpConfig;
use axum::http::{HeaderMap, StatusCode, header};

/// `Host` and `Origin` must name this server (localhost forms by default): a page on another
/// site that resolves its name to 127.0.0.1 must not reach it.
pub(crate) fn origin_and_host(headers: &HeaderMap, config: &HttpConfig) -> Result<(), Rejection> {
    if !config.any_host {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        if !config
            .allowed_hosts
            .iter()
            .any(|allowed| host_matches(host, allowed))
        {
            return Err(Rejection::new(
                StatusCode::FORBIDDEN,
                "forbidden: the Host header names no host this server answers for",
            ));
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        if !config
            .allowed_origins
            .iter()
            .any(|allowed| origin_matches(origin, allowed))
        {
            return Err(Rejection::new(
                StatusCode::FORBIDDEN,
                "forbidden: requests from this Origin are not accepted",
            ));
        }
    }
    Ok(())
}

/// `host[:port]` against an allowed host name (any port).
fn host_matches(host: &str, allowed: &str) -> bool {
    let name = if host.starts_with('[') {
        host.find(']').map_or(host, |end| &host[..=end])
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    name.eq_ignore_ascii_case(allowed)
}

/// `scheme://host[:port]` against an allowed origin, or a bare allowed host (any scheme, port).
fn origin_matches(origin: &str, allowed: &str) -> bool {
    if allowed.contains("://") {
        return origin.eq_ignore_ascii_case(allowed);
    }
    origin
        .split_once("://")
        .is_some_and(|(_, authority)| host_matches(authority, allowed))
}

/// POST bodies are JSON.
pub(crate) fn content_type_is_json(headers: &HeaderMap) -> Result<(), Rejection> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        Err(Rejection::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported media type: send the message as Content-Type: application/json",
        ))
    }
}

/// The media ranges `Accept` lists, parameters dropped. Read as bytes: splitting a `str`
/// at a `char` searches with `memchr` from each piece, which cost more than the rest of the
/// check for a header this short.
fn media_ranges(headers: &HeaderMap) -> impl Iterator<Item = &[u8]> {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .flat_map(|value| value.as_bytes().split(|&b| b == b','))
        .map(|item| {
            item.split(|&b| b == b';')
                .next()
                .unwrap_or(item)
                .trim_ascii()
        })
}

/// Whether a media range covers `media` (a `kind/subtype`): itself, `kind/*` or `*/*`.
fn covers(range: &[u8], media: &str) -> bool {
    let media = media.as_bytes();
    if range.eq_ignore_ascii_case(media) {
        return true;
    }
    let Some(kind) = range.strip_suffix(b"/*") else {
        return false;
    };
    kind == b"*"
        || (media.get(kind.len()) == Some(&b'/') && media[..kind.len()].eq_ignore_ascii_case(kind))
}

/// Whether `Accept` lists `media` (or a wildcard covering it).
pub(crate) fn accepts(headers: &HeaderMap, media: &str) -> bool {
    media_ranges(headers).any(|range| covers(range, media))
}

/// A POST must accept both answers the server may give: JSON and an SSE stream.
pub(crate) fn post_accepts_json_and_sse(headers: &HeaderMap) -> Result<(), Rejection> {
    // One pass over the header, which every POST sends.
    let (mut json, mut sse) = (false, false);
    for range in media_ranges(headers) {
        json = json || covers(range, "application/json");
        sse = sse || covers(range, "text/event-stream");
    }
    if json && sse {
        Ok(())
    } else {
        Err(Rejection::new(
            StatusCode::NOT_ACCEPTABLE,
            "not acceptable: a POST must send Accept: application/json, text/event-stream",
        ))
    }
}

/// The `MCP-Protocol-Version` header of a request after `initialize`: absent means
/// 2025-03-26 (clients before it did not send one); anything unsupported is `400`.
pub(crate) fn protocol_version(headers: &HeaderMap) -> Result<ProtocolVersion, Rejection> {
    match headers.get(&super::header_names::MCP_PROTOCOL_VERSION) {
        None => Ok(ProtocolVersion::V2025_03_26),
        Some(value) => value
            .to_str()
            .ok()
            .and_then(ProtocolVersion::parse)
            .ok_or_else(|| {
                Rejection::new(
                    StatusCode::BAD_REQUEST,
                    "bad request: unsupported MCP-Protocol-Version header",
                )
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    header::HeaderName::from_static(k),
                    HeaderValue::from_static(v),
                )
            })
            .collect()
    }

    #[test]
    fn localhost_forms_pass_and_foreign_hosts_or_origins_do_not() {
        let config = HttpConfig::default();
        for host in ["localhost:3000", "127.0.0.1:8000", "[::1]:9", "localhost"] {
            assert!(
                origin_and_host(&headers(&[("host", host)]), &config).is_ok(),
                "{host}"
            );
        }
        assert!(origin_and_host(&headers(&[("host", "evil.example:80")]), &config).is_err());
        let ok = headers(&[
            ("host", "localhost:3000"),
            ("origin", "http://localhost:5173"),
        ]);
        assert!(origin_and_host(&ok, &config).is_ok());
        let evil = headers(&[
            ("host", "localhost:3000"),
            ("origin", "https://evil.example"),
        ]);
        assert!(origin_and_host(&evil, &config).is_err());
    }

    #[test]
    fn accept_and_content_type_are_read_like_http_does() {
        for (accept, acceptable) in [
            ("application/json, text/event-stream", true),
            ("*/*", true),
            ("Application/*;q=0.9, TEXT/Event-Stream", true),
            ("text/*, */json", false),
            ("application/json", false),
        ] {
            assert_eq!(
                post_accepts_json_and_sse(&headers(&[("accept", accept)])).is_ok(),
                acceptable,
                "{accept}"
            );
        }
        assert!(
            content_type_is_json(&headers(&[(
                "content-type",
                "application/json; charset=utf-8"
            )]))
            .is_ok()
        );
        assert!(content_type_is_json(&headers(&[("content-type", "text/plain")])).is_err());
    }

    #[test]
    fn protocol_version_header() {
        assert_eq!(
            protocol_version(&HeaderMap::new()).unwrap(),
            ProtocolVersion::V2025_03_26
        );
        assert_eq!(
            protocol_version(&headers(&[("mcp-protocol-version", "2025-06-18")])).unwrap(),
            ProtocolVersion::V2025_06_18
        );
        assert!(protocol_version(&headers(&[("mcp-protocol-version", "1999-01-01")])).is_err());
    }
}
