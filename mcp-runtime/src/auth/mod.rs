//! Authentication on HTTP: an [`Authenticator`] turns a request's head into a
//! [`Principal`] or refuses it (`401`), and the server acts as an OAuth 2.1 resource
//! server: it publishes its [`ProtectedResource`] metadata (RFC 9728) and points clients at
//! it in `WWW-Authenticate`.
//!
//! ```standalone_crate
//! use mcp_runtime::prelude::*;
//! use mcp_runtime::{auth::BearerTokens, Principal, auth::ProtectedResource};
//!
//! let server = McpServer::builder("invoicing", "1.0")
//!     .authenticate(
//!         BearerTokens::new()
//!             .token("dev-token", Principal::new("dev").with_scopes(["invoices:read"])),
//!     )
//!     .protected_resource(
//!         ProtectedResource::new("http://127.0.0.1:8000/mcp")
//!             .authorization_server("https://auth.example.com")
//!             .scopes(["invoices:read", "invoices:write"]),
//!     )
//!     .build()
//!     .unwrap();
//! ```

mod bearer;
#[cfg(feature = "jwt")]
mod jwt;
mod resource;

pub use bearer::BearerTokens;
#[cfg(feature = "jwt")]
pub use jwt::{FetchError, FetchFuture, JwksFetcher, JwksUriBuilder, JwtAuthenticator};
pub use resource::ProtectedResource;
pub(crate) use resource::WELL_KNOWN;

use crate::context::Principal;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use std::future::Future;
use std::pin::Pin;

/// What an [`Authenticator`] returns.
pub type AuthFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Principal, Unauthorized>> + Send + 'a>>;

/// Establishes who sends an HTTP request, from its head: method, URI, headers, and the
/// extensions that tower layers in front of the server put there (a gateway's verified
/// identity, a tenant, a request id). Every request of the transport (POST, GET, DELETE)
/// goes through it before its body is read; a refusal is `401`.
///
/// ```
/// use mcp_runtime::{auth::AuthFuture, auth::Authenticator, Principal, auth::Unauthorized};
/// use axum::http::request::Parts;
///
/// /// Trusts a header set by a gateway in front of the server.
/// struct GatewayUser;
///
/// impl Authenticator for GatewayUser {
///     fn authenticate<'a>(&'a self, request: &'a Parts) -> AuthFuture<'a> {
///         Box::pin(async move {
///             let user = request.headers.get("x-gateway-user").and_then(|v| v.to_str().ok());
///             user.map(Principal::new).ok_or_else(Unauthorized::missing)
///         })
///     }
/// }
/// ```
pub trait Authenticator: Send + Sync + 'static {
    /// The request's principal, or why it has none.
    fn authenticate<'a>(&'a self, request: &'a Parts) -> AuthFuture<'a>;
}

/// Why a request was not authenticated: `401` with a `WWW-Authenticate: Bearer` challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unauthorized {
    description: Option<String>,
}

impl Unauthorized {
    /// The request carried no credentials.
    pub fn missing() -> Self {
        Unauthorized { description: None }
    }

    /// The credentials were not valid; `why` is told to the client (`error_description`),
    /// so it must not reveal secrets.
    pub fn invalid(why: impl Into<String>) -> Self {
        Unauthorized {
            description: Some(why.into()),
        }
    }

    /// What the client is told, if the credentials were there but not valid.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
}

/// The configured authenticator, shared by every request.
#[derive(Clone)]
pub(crate) struct SharedAuthenticator(pub std::sync::Arc<dyn Authenticator>);

impl std::fmt::Debug for SharedAuthenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Authenticator")
    }
}

/// The bearer token of an `Authorization` header, if there is one.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Result<&str, Unauthorized> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)
        .ok_or_else(Unauthorized::missing)?
        .to_str()
        .map_err(|_| Unauthorized::invalid("the Authorization header is not visible ASCII"))?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or_else(|| Unauthorized::invalid("expected Authorization: Bearer <token>"))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(Unauthorized::invalid(
            "expected Authorization: Bearer <token>",
        ));
    }
    Ok(token.trim())
}

/// The `WWW-Authenticate` challenge of a `401`, pointing at the resource metadata.
pub(crate) fn challenge(refusal: &Unauthorized, metadata_url: Option<&str>) -> String {
    let mut params = Vec::new();
    if let Some(url) = metadata_url {
        params.push(format!("resource_metadata=\"{}\"", quoted(url)));
    }
    if let Some(description) = refusal.description() {
        params.push("error=\"invalid_token\"".to_owned());
        params.push(format!("error_description=\"{}\"", quoted(description)));
    }
    joined(params)
}

/// The `WWW-Authenticate` challenge of a `403` for missing scopes.
pub(crate) fn insufficient_scope(scopes: &[String], metadata_url: Option<&str>) -> String {
    let mut params = vec![
        "error=\"insufficient_scope\"".to_owned(),
        format!("scope=\"{}\"", quoted(&scopes.join(" "))),
    ];
    if let Some(url) = metadata_url {
        params.push(format!("resource_metadata=\"{}\"", quoted(url)));
    }
    joined(params)
}

fn joined(params: Vec<String>) -> String {
    if params.is_empty() {
        "Bearer".to_owned()
    } else {
        format!("Bearer {}", params.join(", "))
    }
}

/// A quoted-string's content (RFC 9110): backslash and quote escaped, controls dropped.
fn quoted(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .flat_map(|c| match c {
            '"' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(authorization: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            "authorization",
            HeaderValue::from_str(authorization).unwrap(),
        );
        headers
    }

    #[test]
    fn bearer_tokens_are_read_case_insensitively_and_anything_else_is_invalid() {
        assert_eq!(bearer_token(&headers("Bearer abc")), Ok("abc"));
        assert_eq!(bearer_token(&headers("bearer  abc ")), Ok("abc"));
        assert_eq!(
            bearer_token(&HeaderMap::new()),
            Err(Unauthorized::missing())
        );
        for bad in ["Basic abc", "Bearer", "Bearer  ", "abc"] {
            assert!(
                bearer_token(&headers(bad))
                    .unwrap_err()
                    .description()
                    .is_some(),
                "{bad}"
            );
        }
    }

    #[test]
    fn challenges_quote_what_they_carry() {
        assert_eq!(challenge(&Unauthorized::missing(), None), "Bearer");
        assert_eq!(
            challenge(
                &Unauthorized::invalid("bad \"sig\""),
                Some("https://h/.well-known/oauth-protected-resource/mcp")
            ),
            "Bearer resource_metadata=\"https://h/.well-known/oauth-protected-resource/mcp\", \
             error=\"invalid_token\", error_description=\"bad \\\"sig\\\"\""
        );
        assert_eq!(
            insufficient_scope(&["a".into(), "b".into()], None),
            "Bearer error=\"insufficient_scope\", scope=\"a b\""
        );
    }
}
