//! Decoding keys built once, when a key or a JWKS document is read, so a request only looks
//! its key up by `kid` (building a key decodes base64 and, for RSA, big integers: work a
//! request should not repeat).

use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::Value;
use std::str::FromStr;

/// One key and the algorithms it may verify.
#[derive(Clone)]
pub(super) struct Key {
    kid: Option<String>,
    decoding: DecodingKey,
    algorithms: Vec<Algorithm>,
}

impl Key {
    /// A key given directly (a secret or a PEM), for every algorithm of its family.
    pub(super) fn new(decoding: DecodingKey, algorithms: Vec<Algorithm>) -> Key {
        Key {
            kid: None,
            decoding,
            algorithms,
        }
    }

    pub(super) fn decoding(&self) -> &DecodingKey {
        &self.decoding
    }

    /// Whether this key is for `alg`. The key decides, never the token alone, so a token
    /// cannot pick an algorithm the key was not meant for (no algorithm confusion).
    pub(super) fn allows(&self, alg: Algorithm) -> bool {
        self.algorithms.contains(&alg)
    }
}

/// The signing keys of a JWKS document.
#[derive(Clone)]
pub(super) struct KeySet {
    keys: Vec<Key>,
}

/// The kids only: a secret key must not reach a log.
impl std::fmt::Debug for KeySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kids = self
            .keys
            .iter()
            .map(|key| key.kid.as_deref().unwrap_or("(none)"));
        f.debug_list().entries(kids).finish()
    }
}

/// A key of a document that cannot verify signatures here, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Unusable {
    pub(super) kid: String,
    pub(super) reason: String,
}

impl KeySet {
    /// The signature keys of a JWKS document, and those of its keys that cannot be used.
    /// Keys marked `"use": "enc"` are for encryption and left out without a word: an
    /// issuer's document may hold them beside its signing keys. The document is refused if
    /// it is not JSON with a `keys` array, or if no key is left.
    pub(super) fn parse(document: &[u8]) -> Result<(KeySet, Vec<Unusable>), String> {
        #[derive(serde::Deserialize)]
        struct Document {
            keys: Vec<Value>,
        }
        let document: Document = serde_json::from_slice(document)
            .map_err(|e| format!("not a JWKS document (a JSON object with `keys`): {e}"))?;
        let mut keys = Vec::with_capacity(document.keys.len());
        let mut unusable = Vec::new();
        // Each key is read on its own: one key of a type this crate does not know must not
        // make the others unusable.
        for (index, value) in document.keys.into_iter().enumerate() {
            let kid = value["kid"]
                .as_str()
                .map_or_else(|| format!("#{index}"), str::to_owned);
            match serde_json::from_value::<Jwk>(value) {
                Ok(jwk) if is_for_encryption(&jwk) => {}
                Ok(jwk) => match DecodingKey::from_jwk(&jwk) {
                    Ok(decoding) => keys.push(Key {
                        algorithms: algorithms_of(&jwk),
                        kid: jwk.common.key_id,
                        decoding,
                    }),
                    Err(e) => unusable.push(Unusable {
                        kid,
                        reason: e.to_string(),
                    }),
                },
                Err(e) => unusable.push(Unusable {
                    kid,
                    reason: e.to_string(),
                }),
            }
        }
        if keys.is_empty() {
            let why: Vec<String> = unusable
                .iter()
                .map(|key| format!("`{}`: {}", key.kid, key.reason))
                .collect();
            return Err(format!(
                "the JWKS document has no key that can verify signatures{}{}",
                if why.is_empty() { "" } else { "; " },
                why.join("; ")
            ));
        }
        Ok((KeySet { keys }, unusable))
    }

    /// The key a token's `kid` names; a token without one may use the only key of a set of one.
    pub(super) fn find(&self, kid: Option<&str>) -> Option<&Key> {
        match kid {
            Some(kid) => self.keys.iter().find(|key| key.kid.as_deref() == Some(kid)),
            None if self.keys.len() == 1 => self.keys.first(),
            None => None,
        }
    }

    /// How many keys there are.
    pub(super) fn len(&self) -> usize {
        self.keys.len()
    }
}

fn is_for_encryption(jwk: &Jwk) -> bool {
    jwk.common.public_key_use == Some(PublicKeyUse::Encryption)
}

/// The algorithms a JWK may verify: its own `alg` if it names one, else its key family's.
fn algorithms_of(jwk: &Jwk) -> Vec<Algorithm> {
    let family = family(&jwk.algorithm);
    match &jwk.common.key_algorithm {
        Some(named) => match Algorithm::from_str(&named.to_string()) {
            Ok(alg) if family.contains(&alg) => vec![alg],
            // An `alg` of another family, or one that is not for signatures: no token may
            // use this key.
            _ => Vec::new(),
        },
        None => family,
    }
}

/// Every signature algorithm of a key family.
pub(super) fn family(parameters: &AlgorithmParameters) -> Vec<Algorithm> {
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
    use serde_json::json;

    const K: &str = "c2VjcmV0LWtleS1vZi10aGlydHktdHdvLWJ5dGVzLWxvbmch";

    fn parse(keys: Value) -> Result<(KeySet, Vec<Unusable>), String> {
        KeySet::parse(json!({ "keys": keys }).to_string().as_bytes())
    }

    #[test]
    fn keys_are_found_by_kid_and_a_lone_key_serves_tokens_without_one() {
        let (set, unusable) = parse(json!([
            { "kty": "oct", "kid": "a", "alg": "HS256", "k": K },
            { "kty": "oct", "kid": "b", "k": K },
        ]))
        .unwrap();
        assert!(unusable.is_empty());
        assert_eq!(set.len(), 2);
        let a = set.find(Some("a")).unwrap();
        assert!(a.allows(Algorithm::HS256) && !a.allows(Algorithm::HS512));
        let b = set.find(Some("b")).unwrap();
        assert!(b.allows(Algorithm::HS512) && !b.allows(Algorithm::RS256));
        assert!(set.find(Some("c")).is_none());
        assert!(set.find(None).is_none(), "two keys: a kid is needed");
        let (one, _) = parse(json!([{ "kty": "oct", "kid": "a", "k": K }])).unwrap();
        assert!(one.find(None).is_some());
    }

    #[test]
    fn keys_that_cannot_verify_are_set_aside_and_named() {
        let (set, unusable) = parse(json!([
            { "kty": "oct", "kid": "good", "k": K },
            { "kty": "RSA", "kid": "for-encryption", "use": "enc", "n": "AQAB", "e": "AQAB" },
            { "kty": "future-kind", "kid": "strange" },
            { "kty": "oct", "k": "" },
        ]))
        .unwrap();
        assert_eq!(set.len(), 1);
        let named: Vec<&str> = unusable.iter().map(|u| u.kid.as_str()).collect();
        assert_eq!(named, ["strange", "#3"], "encryption keys are not reported");
    }

    #[test]
    fn an_alg_outside_the_key_family_allows_nothing() {
        let (set, _) =
            parse(json!([{ "kty": "oct", "kid": "x", "alg": "RS256", "k": K }])).unwrap();
        let key = set.find(Some("x")).unwrap();
        assert!(!key.allows(Algorithm::RS256) && !key.allows(Algorithm::HS256));
    }

    #[test]
    fn documents_without_a_usable_key_are_refused() {
        assert!(parse(json!([])).unwrap_err().contains("no key"));
        let only_bad = parse(json!([{ "kty": "future-kind" }]));
        assert!(only_bad.unwrap_err().contains("no key"));
        let error = KeySet::parse(b"nonsense").unwrap_err();
        assert!(error.starts_with("not a JWKS document"), "{error}");
    }
}
