//! The client's IP address, which keys rate limits when no principal does: the socket's
//! peer, or behind a trusted proxy the address that proxy says it forwarded for.

use crate::shared::HttpConfig;
use axum::http::request::Parts;
use std::net::IpAddr;

/// The peer of the connection (when served with `ConnectInfo`, as `serve_http` is); when
/// that peer is a trusted proxy, the right-most `X-Forwarded-For` entry that is not one
/// (entries to its left were written by the client and prove nothing). `None` when the
/// server was not given the peer.
pub(super) fn client_address(http: &HttpConfig, parts: &Parts) -> Option<IpAddr> {
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip())?;
    if !is_trusted(http, peer) {
        return Some(peer);
    }
    let forwarded = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for entry in forwarded.iter().rev() {
        // A hop that is not an address (`unknown`, an obfuscated identifier) ends what can
        // be believed: the proxy's own address stands for the client then.
        let Ok(address) = entry.parse::<IpAddr>() else {
            return Some(peer);
        };
        if !is_trusted(http, address) {
            return Some(address);
        }
    }
    Some(peer)
}

fn is_trusted(http: &HttpConfig, address: IpAddr) -> bool {
    http.trusted_proxies
        .iter()
        .any(|proxy| *proxy == address.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::extract::ConnectInfo;

    fn parts(peer: &str, forwarded: &[&str]) -> Parts {
        let mut request = axum::http::Request::builder();
        for value in forwarded {
            request = request.header("x-forwarded-for", *value);
        }
        let (mut parts, ()) = request.body(()).unwrap().into_parts();
        parts.extensions.insert(ConnectInfo(
            format!("{peer}:4000")
                .parse::<std::net::SocketAddr>()
                .unwrap(),
        ));
        parts
    }

    fn config(trusted: &[&str]) -> HttpConfig {
        HttpConfig {
            trusted_proxies: trusted.iter().map(|a| a.parse().unwrap()).collect(),
            ..HttpConfig::default()
        }
    }

    fn address(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let http = config(&[]);
        assert_eq!(
            client_address(&http, &parts("203.0.113.9", &["198.51.100.1"])),
            address("203.0.113.9")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client() {
        let http = config(&["10.0.0.1", "10.0.0.2"]);
        // The client wrote a forged first entry; the proxies appended what they saw.
        let seen = parts("10.0.0.1", &["6.6.6.6, 198.51.100.7", "10.0.0.2"]);
        assert_eq!(client_address(&http, &seen), address("198.51.100.7"));
    }

    #[test]
    fn a_trusted_proxy_that_forwards_nothing_believable_stands_for_the_client() {
        let http = config(&["10.0.0.1"]);
        assert_eq!(
            client_address(&http, &parts("10.0.0.1", &[])),
            address("10.0.0.1")
        );
        assert_eq!(
            client_address(&http, &parts("10.0.0.1", &["unknown"])),
            address("10.0.0.1")
        );
    }

    #[test]
    fn without_connect_info_there_is_no_address() {
        let (parts, ()) = axum::http::Request::builder()
            .body(())
            .unwrap()
            .into_parts();
        assert_eq!(client_address(&config(&[]), &parts), None);
    }
}
