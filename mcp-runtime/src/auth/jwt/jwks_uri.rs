//! The settings of a JWKS fetched from a URI, checked once when the authenticator is built.

use super::JwtAuthenticator;
use super::cache::{JwksCache, Policy, Source};
use super::fetch::{JwksFetcher, PlainHttp};
use crate::Error;
use axum::http::Uri;
use std::sync::Arc;
use std::time::Duration;

/// A JWKS fetched from the authorization server's `jwks_uri` and kept fresh, built by
/// [`JwtAuthenticator::from_jwks_uri`]; [`build`](Self::build) checks the settings.
///
/// | setting | default | what it bounds |
/// |---|---|---|
/// | [`refresh_interval`](Self::refresh_interval) | 5 min | how long a key the issuer withdrew is still accepted |
/// | [`unknown_kid_cooldown`](Self::unknown_kid_cooldown) | 30 s | fetches: at most one per cool-down, whatever the traffic |
/// | [`fetch_timeout`](Self::fetch_timeout) | 5 s | how long a request waits for a fetch it needs |
/// | [`max_document_size`](Self::max_document_size) | 1 MiB | the memory one fetch may take |
/// | [`fetcher`](Self::fetcher) | built in, `http://` only | the HTTP client (bring one for `https://`) |
#[must_use = "call .build() to get the JwtAuthenticator"]
pub struct JwksUriBuilder {
    uri: String,
    issuer: String,
    audience: String,
    policy: Policy,
    fetch_timeout: Duration,
    max_document_size: usize,
    fetcher: Option<Arc<dyn JwksFetcher>>,
}

impl std::fmt::Debug for JwksUriBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwksUriBuilder")
            .field("uri", &self.uri)
            .field("policy", &self.policy)
            .field("fetch_timeout", &self.fetch_timeout)
            .field("max_document_size", &self.max_document_size)
            .field("custom_fetcher", &self.fetcher.is_some())
            .finish_non_exhaustive()
    }
}

impl JwksUriBuilder {
    pub(super) fn new(uri: String, issuer: String, audience: String) -> JwksUriBuilder {
        JwksUriBuilder {
            uri,
            issuer,
            audience,
            // Issuers rotate keys over days and publish a new key before signing with it,
            // so keys are rarely missed; what the interval bounds is how long a key the
            // issuer withdrew (say, leaked) is still accepted. Five minutes is one small
            // GET per replica each time: nothing to the issuer.
            policy: Policy {
                refresh_interval: Duration::from_secs(300),
                cooldown: Duration::from_secs(30),
            },
            fetch_timeout: Duration::from_secs(5),
            // A JWKS is a few kilobytes; a megabyte leaves room for hundreds of keys.
            max_document_size: 1 << 20,
            fetcher: None,
        }
    }

    /// How old the keys may grow before a request refreshes them, in the background (the
    /// request goes on with the keys it has). Fetches are never closer than the cool-down,
    /// so an interval below it acts as the cool-down.
    pub fn refresh_interval(mut self, every: Duration) -> Self {
        self.policy.refresh_interval = every;
        self
    }

    /// The least time between two fetches. A token naming a key the cache lacks makes
    /// a fetch unless one started within this time, so a flood of made-up `kid`s costs
    /// the issuer one request per cool-down; the same bound spaces the retries while the
    /// issuer is down. A key first used within the cool-down after a fetch is refused
    /// until it has passed.
    pub fn unknown_kid_cooldown(mut self, cooldown: Duration) -> Self {
        self.policy.cooldown = cooldown;
        self
    }

    /// How long one fetch may take, connection included. A request that needs the fetch
    /// (its key is unknown) waits up to this long.
    pub fn fetch_timeout(mut self, timeout: Duration) -> Self {
        self.fetch_timeout = timeout;
        self
    }

    /// The largest JWKS document read, in bytes; a larger one is a failed fetch.
    pub fn max_document_size(mut self, bytes: usize) -> Self {
        self.max_document_size = bytes;
        self
    }

    /// Fetches through `fetcher` instead of the built-in plain-HTTP client: needed for
    /// `https://` URIs (mcp-runtime bundles no TLS stack); the URI is then passed to it as
    /// written, whatever its scheme. [`JwksFetcher`] shows one on reqwest.
    pub fn fetcher(mut self, fetcher: impl JwksFetcher) -> Self {
        self.fetcher = Some(Arc::new(fetcher));
        self
    }

    /// The authenticator. Nothing is fetched yet: the first request that needs a key
    /// does it, so an issuer that is down while the server starts delays tokens, not the
    /// start. Fails if a setting is zero, or if the URI is not `http://` and no
    /// [`fetcher`](Self::fetcher) was given.
    pub fn build(self) -> Result<JwtAuthenticator, Error> {
        let fetcher = match self.fetcher {
            Some(fetcher) => fetcher,
            None => {
                check_plain_http(&self.uri)?;
                Arc::new(PlainHttp)
            }
        };
        nonzero(self.policy.refresh_interval, "refresh_interval", "")?;
        nonzero(
            self.policy.cooldown,
            "unknown_kid_cooldown",
            ": it is what bounds the fetches a flood of unknown kids causes",
        )?;
        nonzero(self.fetch_timeout, "fetch_timeout", "")?;
        if self.max_document_size == 0 {
            return Err(invalid("max_document_size must be above zero".into()));
        }
        let source = Source {
            uri: self.uri,
            fetcher,
            timeout: self.fetch_timeout,
            max_bytes: self.max_document_size,
        };
        let cache = JwksCache::new(source, self.policy);
        Ok(JwtAuthenticator::with_cache(
            Arc::new(cache),
            self.issuer,
            self.audience,
        ))
    }
}

fn invalid(reason: String) -> Error {
    Error::InvalidConfig {
        setting: "JwtAuthenticator::from_jwks_uri",
        reason,
    }
}

fn nonzero(value: Duration, name: &str, why: &str) -> Result<(), Error> {
    if value.is_zero() {
        return Err(invalid(format!("{name} must be above zero{why}")));
    }
    Ok(())
}

/// The built-in fetcher's URIs: `http://host[:port]/path`.
fn check_plain_http(uri: &str) -> Result<(), Error> {
    let parsed: Uri = uri.parse().map_err(|e| {
        invalid(format!(
            "`{uri}` is not a URI ({e}); expected the issuer's jwks_uri, like http://127.0.0.1:8080/jwks.json"
        ))
    })?;
    match (parsed.scheme_str(), parsed.host()) {
        (Some("http"), Some(host)) => {
            if !is_loopback(host) {
                tracing::warn!(
                    uri,
                    "the JWKS is fetched over plain HTTP from another host: whoever sits \
                     on the path can swap the keys; use https:// with a fetcher unless \
                     the network is trusted"
                );
            }
            Ok(())
        }
        (Some("https"), _) => Err(invalid(format!(
            "`{uri}` needs TLS and mcp-runtime bundles no TLS client: pass your own with \
             .fetcher(...) (a JwksFetcher; its documentation shows one on reqwest), or \
             serve the JWKS over http:// on a trusted network"
        ))),
        _ => Err(invalid(format!(
            "`{uri}` is not an http:// URI with a host; the built-in fetcher speaks plain \
             HTTP only (for anything else pass a JwksFetcher with .fetcher(...))"
        ))),
    }
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::FetchFuture;

    fn build(uri: &str) -> Result<JwtAuthenticator, Error> {
        JwtAuthenticator::from_jwks_uri(uri, "https://issuer", "https://resource").build()
    }

    struct Nothing;

    impl JwksFetcher for Nothing {
        fn fetch<'a>(&'a self, _: &'a str, _: usize) -> FetchFuture<'a> {
            Box::pin(async { Err("nothing here".into()) })
        }
    }

    #[test]
    fn https_without_a_fetcher_says_what_to_do() {
        let error = build("https://auth.example.com/jwks")
            .unwrap_err()
            .to_string();
        assert!(error.contains(".fetcher(...)"), "{error}");
        assert!(error.contains("JwksFetcher"), "{error}");
        let with = JwtAuthenticator::from_jwks_uri("https://auth.example.com/jwks", "i", "a")
            .fetcher(Nothing)
            .build();
        assert!(with.is_ok());
    }

    #[test]
    fn only_absolute_http_uris_go_to_the_built_in_fetcher() {
        assert!(build("http://127.0.0.1:8080/jwks.json").is_ok());
        assert!(build("http://[::1]/jwks").is_ok());
        for bad in ["ftp://host/jwks", "/jwks.json", "http://", "not a uri"] {
            let error = build(bad).unwrap_err().to_string();
            assert!(error.contains("http://"), "{bad}: {error}");
        }
    }

    #[test]
    fn zero_settings_are_refused_by_name() {
        let zero = |builder: JwksUriBuilder| builder.build().unwrap_err().to_string();
        let base = || JwtAuthenticator::from_jwks_uri("http://localhost/jwks", "i", "a");
        assert!(zero(base().unknown_kid_cooldown(Duration::ZERO)).contains("unknown_kid_cooldown"));
        assert!(zero(base().refresh_interval(Duration::ZERO)).contains("refresh_interval"));
        assert!(zero(base().fetch_timeout(Duration::ZERO)).contains("fetch_timeout"));
        assert!(zero(base().max_document_size(0)).contains("max_document_size"));
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        for host in ["localhost", "127.0.0.1", "[::1]", "LOCALHOST"] {
            assert!(is_loopback(host), "{host}");
        }
        for host in ["auth.example.com", "10.0.0.1", "[2001:db8::1]"] {
            assert!(!is_loopback(host), "{host}");
        }
    }
}
