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

    fn request(authorization: Option<&str>) -> Parts {
        let mut request = axum::http::Request::builder();
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        request.body(()).unwrap().into_parts().0
    }

    #[tokio::test]
    async fn known_tokens_are_their_principals() {
        let tokens = BearerTokens::new().token("s3cret", Principal::new("dev").with_scopes(["a"]));
        let principal = tokens
            .authenticate(&request(Some("Bearer s3cret")))
            .await
            .unwrap();
        assert_eq!(
            (principal.subject(), principal.scopes()),
            ("dev", &["a".to_owned()][..])
        );
        assert_eq!(
            tokens
                .authenticate(&request(Some("Bearer s3cre")))
                .await
                .unwrap_err(),
            Unauthorized::invalid("unknown token")
        );
        assert_eq!(
            tokens.authenticate(&request(None)).await.unwrap_err(),
            Unauthorized::missing()
        );
    }
}
