//! JWT access tokens (RFC 9068 style): signature from a configured key, a JWKS document or
//! a `jwks_uri` kept fresh as the issuer rotates its keys; issuer, audience (this
//! resource, RFC 8707), expiry and not-before.
//!
//! Every key is turned into a `DecodingKey` once, when it is read (`keys`); a `jwks_uri`
//! is fetched and refreshed by `cache`, through a `fetch::JwksFetcher`, with the settings
//! of `jwks_uri`.

mod cache;
#[cfg(test)]
mod cache_tests;
mod fetch;
mod jwks_uri;
mod keys;

pub use fetch::{FetchError, FetchFuture, JwksFetcher};
pub use jwks_uri::JwksUriBuilder;

use super::{AuthFuture, Authenticator, Unauthorized, bearer_token};
use crate::Error;
use crate::context::Principal;
use axum::http::request::Parts;
use cache::JwksCache;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::AlgorithmParameters;
use jsonwebtoken::{Algorithm, DecodingKey, Header, Validation};
use keys::{Key, KeySet};
use serde_json::Value;
use std::sync::Arc;

/// Validates `Authorization: Bearer` JWTs: the signature, `iss`, `aud` (which must name
/// this resource, so a token issued for another server is refused), `exp` and `nbf`
/// (30 s of leeway), and requires `sub`. The principal is the subject, with the scopes of
/// the `scope` claim (space-separated) or `scp` (an array), and every claim attached.
///
/// The keys come from a shared secret ([`from_secret`](Self::from_secret)), an RSA public
/// key ([`from_rsa_pem`](Self::from_rsa_pem)), a JWKS document given once
/// ([`from_jwks`](Self::from_jwks)) or the issuer's `jwks_uri`, fetched and refreshed as
/// keys rotate ([`from_jwks_uri`](Self::from_jwks_uri)).
///
/// ```
/// use mcp_runtime::auth::JwtAuthenticator;
///
/// let jwks = r#"{"keys":[{"kty":"oct","kid":"k1","alg":"HS256","k":"c2VjcmV0LWtleS1vZi10aGlydHktdHdvLWJ5dGVzLWxvbmch"}]}"#;
/// let auth = JwtAuthenticator::from_jwks(jwks, "https://auth.example.com", "https://mcp.example.com/mcp")
///     .expect("a valid JWKS document");
/// ```
#[derive(Clone)]
pub struct JwtAuthenticator {
    keys: Keys,
    issuer: String,
    audience: String,
}

#[derive(Clone)]
enum Keys {
    /// One key, whatever the token's `kid`.
    Single(Arc<Key>),
    /// A JWKS document given once: the key is chosen by the token's `kid`.
    Set(Arc<KeySet>),
    /// A JWKS fetched from a URI and kept fresh.
    Uri(Arc<JwksCache>),
}

impl std::fmt::Debug for JwtAuthenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtAuthenticator")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish_non_exhaustive()
    }
}

fn invalid_key(reason: impl std::fmt::Display) -> Error {
    Error::InvalidConfig {
        setting: "JwtAuthenticator",
        reason: reason.to_string(),
    }
}

fn unknown_key() -> Unauthorized {
    Unauthorized::invalid("token signed with an unknown key")
}

impl JwtAuthenticator {
    /// Tokens signed with a shared secret (HS256, HS384 or HS512).
    pub fn from_secret(
        secret: &[u8],
        issuer: impl Into<String>,
        audience: impl Into<String>,
    ) -> Result<Self, Error> {
        let key = DecodingKey::from_secret(secret).map_err(invalid_key)?;
        let algorithms = vec![Algorithm::HS256, Algorithm::HS384, Algorithm::HS512];
        let key = Key::new(key, algorithms);
        Ok(Self::new(Keys::Single(Arc::new(key)), issuer, audience))
    }

    /// Tokens signed with an RSA key (RS256/384/512, PS256/384/512), given as PEM.
    pub fn from_rsa_pem(
        pem: &[u8],
        issuer: impl Into<String>,
        audience: impl Into<String>,
    ) -> Result<Self, Error> {
        let key = DecodingKey::from_rsa_pem(pem).map_err(invalid_key)?;
        let algorithms = keys::family(&AlgorithmParameters::RSA(Default::default()));
        let key = Key::new(key, algorithms);
        Ok(Self::new(Keys::Single(Arc::new(key)), issuer, audience))
    }

    /// Tokens signed with any key of a JWKS document (the authorization server's
    /// `jwks_uri` content), chosen by the token's `kid`. The document is read once: for
    /// keys that rotate, use [`from_jwks_uri`](Self::from_jwks_uri). Keys marked
    /// `"use": "enc"` are left out; any other key that cannot verify signatures is an error.
    pub fn from_jwks(
        document: &str,
        issuer: impl Into<String>,
        audience: impl Into<String>,
    ) -> Result<Self, Error> {
        let (set, unusable) = KeySet::parse(document.as_bytes()).map_err(invalid_key)?;
        if let Some(key) = unusable.first() {
            return Err(invalid_key(format!(
                "the JWKS key `{}` cannot verify signatures: {}",
                key.kid, key.reason
            )));
        }
        Ok(Self::new(Keys::Set(Arc::new(set)), issuer, audience))
    }

    /// Tokens signed with a key of the JWKS at the issuer's `jwks_uri` (from its
    /// authorization-server metadata), fetched when first needed and refreshed as the
    /// issuer rotates its keys: when a token names a key not seen yet, and in the background
    /// once the keys are older than the refresh interval. Fetches are single-flight and at
    /// least a cool-down apart, so neither traffic nor a flood of made-up `kid`s can hammer
    /// the issuer; a failed fetch keeps the last good keys (and says so in a `tracing`
    /// warning), and until a first fetch succeeds tokens are refused (`401`) with a
    /// description saying so. See [`JwksUriBuilder`] for the settings and their defaults.
    ///
    /// The built-in client speaks plain `http://` (an issuer on loopback or a trusted
    /// network); for `https://` give a [`JwksFetcher`] with
    /// [`.fetcher(...)`](JwksUriBuilder::fetcher).
    ///
    /// ```
    /// use mcp_runtime::auth::JwtAuthenticator;
    /// use std::time::Duration;
    ///
    /// let auth = JwtAuthenticator::from_jwks_uri(
    ///     "http://127.0.0.1:8080/realms/mcp/protocol/openid-connect/certs",
    ///     "http://127.0.0.1:8080/realms/mcp",
    ///     "https://mcp.example.com/mcp",
    /// )
    /// .refresh_interval(Duration::from_secs(600))
    /// .unknown_kid_cooldown(Duration::from_secs(60))
    /// .build()
    /// .expect("an http:// URI needs no fetcher");
    /// ```
    pub fn from_jwks_uri(
        uri: impl Into<String>,
        issuer: impl Into<String>,
        audience: impl Into<String>,
    ) -> JwksUriBuilder {
        JwksUriBuilder::new(uri.into(), issuer.into(), audience.into())
    }

    fn with_cache(cache: Arc<JwksCache>, issuer: String, audience: String) -> Self {
        Self::new(Keys::Uri(cache), issuer, audience)
    }

    fn new(keys: Keys, issuer: impl Into<String>, audience: impl Into<String>) -> Self {
        JwtAuthenticator {
            keys,
            issuer: issuer.into(),
            audience: audience.into(),
        }
    }

    async fn verify(&self, token: &str) -> Result<Principal, Unauthorized> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| Unauthorized::invalid("malformed token"))?;
        let kid = header.kid.as_deref();
        match &self.keys {
            Keys::Single(key) => self.check(token, &header, key),
            Keys::Set(set) => self.check(token, &header, set.find(kid).ok_or_else(unknown_key)?),
            Keys::Uri(cache) => {
                let set = cache.keys_for(kid).await?;
                self.check(token, &header, set.find(kid).ok_or_else(unknown_key)?)
            }
        }
    }

    /// The token's claims, once its signature is the key's and they are this resource's.
    fn check(&self, token: &str, header: &Header, key: &Key) -> Result<Principal, Unauthorized> {
        if !key.allows(header.alg) {
            return Err(Unauthorized::invalid(
                "token signed with an algorithm this key does not use",
            ));
        }
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = 30;
        let data = jsonwebtoken::decode::<Value>(token, key.decoding(), &validation)
            .map_err(|e| Unauthorized::invalid(refusal(e.kind())))?;
        principal(data.claims)
    }
}

impl Authenticator for JwtAuthenticator {
    fn authenticate<'a>(&'a self, request: &'a Parts) -> AuthFuture<'a> {
        Box::pin(async move { self.verify(bearer_token(&request.headers)?).await })
    }
}

/// What the client is told: enough to fix its request, nothing about the key.
fn refusal(kind: &ErrorKind) -> String {
    match kind {
        ErrorKind::ExpiredSignature => "token expired".into(),
        ErrorKind::ImmatureSignature => "token not valid yet".into(),
        ErrorKind::InvalidIssuer => "token from another issuer".into(),
        ErrorKind::InvalidAudience => "token not issued for this resource".into(),
        ErrorKind::InvalidSignature => "bad signature".into(),
        ErrorKind::MissingRequiredClaim(claim) => format!("token lacks the `{claim}` claim"),
        _ => "malformed token".into(),
    }
}

fn principal(claims: Value) -> Result<Principal, Unauthorized> {
    let subject = claims["sub"]
        .as_str()
        .ok_or_else(|| Unauthorized::invalid("token lacks the `sub` claim"))?
        .to_owned();
    let scopes: Vec<String> = match (&claims["scope"], &claims["scp"]) {
        (Value::String(scope), _) => scope.split_whitespace().map(str::to_owned).collect(),
        (_, Value::Array(scp)) => scp
            .iter()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    Ok(Principal::new(subject)
        .with_scopes(scopes)
        .with_claims(claims))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{EncodingKey, Header, encode};
    use serde_json::json;

    const ISSUER: &str = "https://auth.example.com";
    const AUDIENCE: &str = "https://mcp.example.com/mcp";
    const SECRET: &[u8] = b"secret-key-of-thirty-two-bytes-long!";

    /// Single keys and static sets never wait, so a one-thread runtime is all they need.
    fn verify(auth: &JwtAuthenticator, token: &str) -> Result<Principal, Unauthorized> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(auth.verify(token))
    }

    fn now() -> u64 {
        jsonwebtoken::get_current_timestamp()
    }

    fn token(claims: Value, kid: Option<&str>) -> String {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = kid.map(str::to_owned);
        encode(&header, &claims, &EncodingKey::from_secret(SECRET).unwrap()).unwrap()
    }

    fn claims() -> Value {
        json!({ "iss": ISSUER, "aud": AUDIENCE, "sub": "alice", "exp": now() + 600, "scope": "read write" })
    }

    #[test]
    fn a_valid_token_is_its_subject_with_its_scopes() {
        let auth = JwtAuthenticator::from_secret(SECRET, ISSUER, AUDIENCE).unwrap();
        let principal = verify(&auth, &token(claims(), None)).unwrap();
        assert_eq!(principal.subject(), "alice");
        assert!(principal.has_scope("read") && principal.has_scope("write"));
        assert_eq!(principal.claims()["iss"], ISSUER);
    }

    #[test]
    fn every_claim_that_is_wrong_is_named() {
        let auth = JwtAuthenticator::from_secret(SECRET, ISSUER, AUDIENCE).unwrap();
        let with = |key: &str, value: Value| {
            let mut claims = claims();
            claims[key] = value;
            verify(&auth, &token(claims, None))
                .unwrap_err()
                .description()
                .unwrap()
                .to_owned()
        };
        assert_eq!(with("exp", json!(now() - 3600)), "token expired");
        assert_eq!(with("nbf", json!(now() + 3600)), "token not valid yet");
        assert_eq!(
            with("iss", json!("https://evil.example")),
            "token from another issuer"
        );
        assert_eq!(
            with("aud", json!("https://other.example/mcp")),
            "token not issued for this resource"
        );
        let mut no_sub = claims();
        no_sub.as_object_mut().unwrap().remove("sub");
        assert!(verify(&auth, &token(no_sub, None)).is_err());
        let other =
            JwtAuthenticator::from_secret(b"another-secret-of-thirty-two-byte", ISSUER, AUDIENCE)
                .unwrap();
        assert_eq!(
            verify(&other, &token(claims(), None))
                .unwrap_err()
                .description(),
            Some("bad signature")
        );
        assert_eq!(
            verify(&auth, "not.a.jwt").unwrap_err().description(),
            Some("malformed token")
        );
    }

    #[test]
    fn jwks_keys_are_chosen_by_kid_and_bound_to_their_algorithm() {
        use base64::Engine as _;
        let k = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(SECRET);
        let jwks =
            json!({ "keys": [{ "kty": "oct", "kid": "k1", "alg": "HS256", "k": k }] }).to_string();
        let auth = JwtAuthenticator::from_jwks(&jwks, ISSUER, AUDIENCE).unwrap();
        assert_eq!(
            verify(&auth, &token(claims(), Some("k1")))
                .unwrap()
                .subject(),
            "alice"
        );
        assert_eq!(
            verify(&auth, &token(claims(), Some("k2")))
                .unwrap_err()
                .description(),
            Some("token signed with an unknown key")
        );
        let mut header = Header::new(Algorithm::HS512);
        header.kid = Some("k1".into());
        let hs512 = encode(
            &header,
            &claims(),
            &EncodingKey::from_secret(SECRET).unwrap(),
        )
        .unwrap();
        assert_eq!(
            verify(&auth, &hs512).unwrap_err().description(),
            Some("token signed with an algorithm this key does not use")
        );
        assert!(JwtAuthenticator::from_jwks("{\"keys\":[]}", ISSUER, AUDIENCE).is_err());
        let unusable = json!({ "keys": [{ "kty": "oct", "kid": "empty", "k": "" }] }).to_string();
        let error = JwtAuthenticator::from_jwks(&unusable, ISSUER, AUDIENCE).unwrap_err();
        assert!(error.to_string().contains("`empty`"), "{error}");
        assert!(JwtAuthenticator::from_jwks("nonsense", ISSUER, AUDIENCE).is_err());
    }
}
