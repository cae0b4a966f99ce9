//! `requestState`: what a multi-round request carries between rounds (the answers given so
//! far), signed with the server's key and bound to the request it belongs to, so a client
//! can neither change it nor replay it against another request.

use crate::protocol::RpcError;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

type HmacSha256 = Hmac<Sha256>;

/// How long a round may take before its state is refused.
const LIFETIME: Duration = Duration::from_secs(15 * 60);

/// The keys that sign and check request states: the first signs, every one verifies (so a
/// key can be rotated without refusing states signed just before).
#[derive(Clone)]
pub(crate) struct StateKeys {
    keys: Vec<Vec<u8>>,
}

impl std::fmt::Debug for StateKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StateKeys({} keys)", self.keys.len())
    }
}

impl StateKeys {
    /// A fresh random key (states then last as long as the process).
    pub(crate) fn random() -> Self {
        let mut key = vec![0u8; 32];
        getrandom::fill(&mut key).expect("the operating system's random source works");
        StateKeys { keys: vec![key] }
    }

    /// `current` signs; `previous` keys still verify.
    pub(crate) fn new(current: Vec<u8>, previous: Vec<Vec<u8>>) -> Self {
        let mut keys = vec![current];
        keys.extend(previous);
        StateKeys { keys }
    }

    fn mac(key: &[u8], payload: &[u8]) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
        mac.update(payload);
        mac
    }
}

#[derive(Serialize, Deserialize)]
struct Payload {
    /// The request this state belongs to (see [`request_digest`]).
    request: String,
    /// Answers of earlier rounds, by input key.
    answers: Map<String, Value>,
    /// Seconds since the epoch after which the state is refused.
    expires: u64,
}

/// A digest naming one request: its method, target and arguments, canonically encoded.
#[cfg(test)]
pub(crate) fn request_digest(method: &str, target: &str, arguments: &Value) -> String {
    digest_of(&canonical_request(method, target, arguments))
}

/// What a request's digest is taken of: method, target and arguments (keys sorted), each
/// followed by a NUL.
pub(crate) fn canonical_request(method: &str, target: &str, arguments: &Value) -> String {
    let mut request = String::with_capacity(method.len() + target.len() + 64);
    for part in [method, target, &arguments.to_string()] {
        request.push_str(part);
        request.push('\0');
    }
    request
}

/// The digest of a [`canonical_request`].
pub(crate) fn digest_of(canonical_request: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical_request.as_bytes()))
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Signs the answers so far for the request `digest`.
pub(crate) fn seal(keys: &StateKeys, digest: &str, answers: &Map<String, Value>) -> String {
    let payload = Payload {
        request: digest.to_owned(),
        answers: answers.clone(),
        expires: now() + LIFETIME.as_secs(),
    };
    let payload = serde_json::to_vec(&payload).expect("a payload always serialises");
    let tag = StateKeys::mac(&keys.keys[0], &payload)
        .finalize()
        .into_bytes();
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(&payload),
        URL_SAFE_NO_PAD.encode(tag)
    )
}

/// Checks a state the client sent back and returns the answers it carries.
pub(crate) fn open(
    keys: &StateKeys,
    digest: &str,
    state: &str,
) -> Result<Map<String, Value>, RpcError> {
    let refused = |why: &str| {
        RpcError::invalid_params(format!(
            "invalid requestState: {why}; start the request again without it"
        ))
    };
    let (payload, tag) = state
        .split_once('.')
        .ok_or_else(|| refused("not a state this server issued"))?;
    let payload = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| refused("not a state this server issued"))?;
    let tag = URL_SAFE_NO_PAD
        .decode(tag)
        .map_err(|_| refused("not a state this server issued"))?;
    let genuine = keys
        .keys
        .iter()
        .any(|key| StateKeys::mac(key, &payload).verify_slice(&tag).is_ok());
    if !genuine {
        return Err(refused("its signature does not match (was it changed?)"));
    }
    let payload: Payload = serde_json::from_slice(&payload).map_err(|_| refused("unreadable"))?;
    if payload.request != digest {
        return Err(refused("it belongs to another request"));
    }
    if payload.expires < now() {
        return Err(refused("it expired"));
    }
    Ok(payload.answers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answers() -> Map<String, Value> {
        json!({ "user_name": { "action": "accept", "content": { "name": "Ada" } } })
            .as_object()
            .unwrap()
            .clone()
    }

    #[test]
    fn a_sealed_state_opens_for_its_own_request_only() {
        let keys = StateKeys::random();
        let digest = request_digest("tools/call", "greet", &json!({ "x": 1 }));
        let state = seal(&keys, &digest, &answers());
        assert_eq!(open(&keys, &digest, &state).unwrap(), answers());
        let other = request_digest("tools/call", "greet", &json!({ "x": 2 }));
        assert!(
            open(&keys, &other, &state)
                .unwrap_err()
                .message
                .contains("another request")
        );
    }

    #[test]
    fn tampering_and_foreign_keys_are_refused() {
        let keys = StateKeys::random();
        let digest = request_digest("prompts/get", "p", &Value::Null);
        let state = seal(&keys, &digest, &answers());
        assert!(open(&keys, &digest, &format!("{state}-TAMPERED")).is_err());
        let (payload, tag) = state.split_once('.').unwrap();
        let forged = format!("{}x.{tag}", &payload[..payload.len() - 1]);
        assert!(open(&keys, &digest, &forged).is_err());
        assert!(
            open(&StateKeys::random(), &digest, &state).is_err(),
            "another server's key"
        );
    }

    #[test]
    fn a_rotated_key_still_opens_states_it_signed() {
        let old = StateKeys::new(b"old key".to_vec(), Vec::new());
        let digest = request_digest("tools/call", "t", &json!({}));
        let state = seal(&old, &digest, &answers());
        let rotated = StateKeys::new(b"new key".to_vec(), vec![b"old key".to_vec()]);
        assert!(open(&rotated, &digest, &state).is_ok());
    }
}
