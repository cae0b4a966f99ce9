//! Static bearer tokens: for development and tests, not for production secrets.

use super::{AuthFuture, Authenticator, Unauthorized, bearer_token};
use crate::context::Principal;
use axum::http::request::Parts;
use std::collections::HashMap;

/// Accepts a fixed set of bearer tokens, each standing for one principal. Tokens are
/// compared in constant time, so response timing does not reveal how much of one matched.
#[derive(Debug, Clone, Default)]
pub struct BearerTokens {
    tokens: HashMap<String, Principal>,
}

impl BearerTokens {
    /// No tokens yet: every request is refused.
    pub fn new() -> Self {
        Self::default()
    }

    /// Accepts `token` as `principal`.
    pub fn token(mut self, token: impl Into<String>, principal: Principal) -> Self {
        self.tokens.insert(token.into(), principal);
        self
    }
}

impl Authenticator for BearerTokens {
    fn authenticate<'a>(&'a self, request: &'a Parts) -> AuthFuture<'a> {
        let found = bearer_token(&request.headers).and_then(|presented| {
            // Every token is compared, whichever matches.
            let mut found = None;
            for (token, principal) in &self.tokens {
                if constant_time_eq(token.as_bytes(), presented.as_bytes()) {
                    found = Some(principal.clone());
                }
            }
            found.ok_or_else(|| Unauthorized::invalid("unknown token"))
        });
        Box::pin(std::future::ready(found))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[tokio::test]
    async fn known_tokens_are_their_principals() {
        let tokens = BearerTokens::new().token("s3cret", Principal::new("dev").with_scopes(["a"]));
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_static("Bearer s3cret"));
        let principal = tokens.authenticate(&headers).await.unwrap();
        assert_eq!(
            (principal.subject(), principal.scopes()),
            ("dev", &["a".to_owned()][..])
        );
        headers.insert("authorization", HeaderValue::from_static("Bearer s3cre"));
        assert_eq!(
            tokens.authenticate(&headers).await.unwrap_err(),
            Unauthorized::invalid("unknown token")
        );
        assert_eq!(
            tokens.authenticate(&HeaderMap::new()).await.unwrap_err(),
            Unauthorized::missing()
        );
    }
}
