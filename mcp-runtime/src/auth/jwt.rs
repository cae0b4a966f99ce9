//! JWT access tokens (RFC 9068 style): signature from a configured key or a JWKS document,
//! issuer, audience (this resource, RFC 8707), expiry and not-before.

use super::{AuthFuture, Authenticator, Unauthorized, bearer_token};
use crate::Error;
use crate::context::Principal;
use axum::http::request::Parts;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

/// Validates `Authorization: Bearer` JWTs: the signature, `iss`, `aud` (which must name
/// this resource, so a token issued for another server is refused), `exp` and `nbf`
/// (30 s of leeway), and requires `sub`. The principal is the subject, with the scopes of
/// the `scope` claim (space-separated) or `scp` (an array), and every claim attached.
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
    /// One key, for the algorithms given.
    Single(DecodingKey, Vec<Algorithm>),
    /// A JWKS document: the key is chosen by the token's `kid`.
    Set(JwkSet),
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

impl JwtAuthenticator {
    /// Tokens signed with a shared secret (HS256, HS384 or HS512).
    pub fn from_secret(
        secret: &[u8],
        issuer: impl Into<String>,
        audience: impl Into<String>,
    ) -> Result<Self, Error> {
        let key = DecodingKey::from_secret(secret).map_err(invalid_key)?;
        let algorithms = vec![Algorithm::HS256, Algorithm::HS384, Algorithm::HS512];
        Ok(Self::new(Keys::Single(key, algorithms), issuer, audience))
    }

    /// Tokens signed with an RSA key (RS256/384/512, PS256/384/512), given as PEM.
    pub fn from_rsa_pem(
        pem: &[u8],
        issuer: impl Into<String>,
        audience: impl Into<String>,
    ) -> Result<Self, Error> {
        let key = DecodingKey::from_rsa_pem(pem).map_err(invalid_key)?;
        let algorithms = family(&AlgorithmParameters::RSA(Default::default()));
        Ok(Self::new(Keys::Single(key, algorithms), issuer, audience))
    }

    /// Tokens signed with any key of a JWKS document (the authorization server's
    /// `jwks_uri` content), chosen by the token's `kid`.
    pub fn from_jwks(
        document: &str,
        issuer: impl Into<String>,
        audience: impl Into<String>,
    ) -> Result<Self, Error> {
        let set: JwkSet = serde_json::from_str(document)
            .map_err(|e| invalid_key(format!("not a JWKS document: {e}")))?;
        if set.keys.is_empty() {
            return Err(invalid_key("the JWKS document has no keys"));
        }
        for jwk in &set.keys {
            DecodingKey::from_jwk(jwk).map_err(invalid_key)?;
        }
        Ok(Self::new(Keys::Set(set), issuer, audience))
    }

    fn new(keys: Keys, issuer: impl Into<String>, audience: impl Into<String>) -> Self {
        JwtAuthenticator {
            keys,
            issuer: issuer.into(),
            audience: audience.into(),
        }
    }

    fn verify(&self, token: &str) -> Result<Principal, Unauthorized> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| Unauthorized::invalid("malformed token"))?;
        let (key, allowed) = match &self.keys {
            Keys::Single(key, algorithms) => (key.clone(), algorithms.clone()),
            Keys::Set(set) => {
                let jwk = match &header.kid {
                    Some(kid) => set.find(kid),
                    None if set.keys.len() == 1 => set.keys.first(),
                    None => None,
                }
                .ok_or_else(|| Unauthorized::invalid("token signed with an unknown key"))?;
                let key = DecodingKey::from_jwk(jwk)
                    .map_err(|_| Unauthorized::invalid("token signed with an unknown key"))?;
                (key, algorithms_of(jwk))
            }
        };
        // The algorithm is the key's to decide, never the token's alone (no alg confusion).
        if !allowed.contains(&header.alg) {
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
        let data = jsonwebtoken::decode::<Value>(token, &key, &validation)
            .map_err(|e| Unauthorized::invalid(refusal(e.kind())))?;
        principal(data.claims)
    }
}

impl Authenticator for JwtAuthenticator {
    fn authenticate<'a>(&'a self, request: &'a Parts) -> AuthFuture<'a> {
        Box::pin(std::future::ready(
            bearer_token(&request.headers).and_then(|token| self.verify(token)),
        ))
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

/// The algorithms a JWK may verify: its own `alg` if it names one, else its key family's.
fn algorithms_of(jwk: &Jwk) -> Vec<Algorithm> {
    let family = family(&jwk.algorithm);
    match &jwk.common.key_algorithm {
        Some(named) => family
            .into_iter()
            .filter(|alg| format!("{alg:?}") == format!("{named:?}"))
            .collect(),
        None => family,
    }
}

fn family(parameters: &AlgorithmParameters) -> Vec<Algorithm> {
    use Algorithm::*;
    match parameters {
        AlgorithmParameters::RSA(_) => vec![RS256, RS384, RS512, PS256, PS384, PS512],
        AlgorithmParameters::EllipticCurve(_) => vec![ES256, ES384],
        AlgorithmParameters::OctetKeyPair(_) => vec![EdDSA],
        AlgorithmParameters::OctetKey(_) => vec![HS256, HS384, HS512],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{EncodingKey, Header, encode};
    use serde_json::json;

    const ISSUER: &str = "https://auth.example.com";
    const AUDIENCE: &str = "https://mcp.example.com/mcp";
    const SECRET: &[u8] = b"secret-key-of-thirty-two-bytes-long!";

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
        let principal = auth.verify(&token(claims(), None)).unwrap();
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
            auth.verify(&token(claims, None))
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
        assert!(auth.verify(&token(no_sub, None)).is_err());
        let other =
            JwtAuthenticator::from_secret(b"another-secret-of-thirty-two-byte", ISSUER, AUDIENCE)
                .unwrap();
        assert_eq!(
            other
                .verify(&token(claims(), None))
                .unwrap_err()
                .description(),
            Some("bad signature")
        );
        assert_eq!(
            auth.verify("not.a.jwt").unwrap_err().description(),
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
            auth.verify(&token(claims(), Some("k1"))).unwrap().subject(),
            "alice"
        );
        assert_eq!(
            auth.verify(&token(claims(), Some("k2")))
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
            auth.verify(&hs512).unwrap_err().description(),
            Some("token signed with an algorithm this key does not use")
        );
        assert!(JwtAuthenticator::from_jwks("{\"keys\":[]}", ISSUER, AUDIENCE).is_err());
        assert!(JwtAuthenticator::from_jwks("nonsense", ISSUER, AUDIENCE).is_err());
    }
}
