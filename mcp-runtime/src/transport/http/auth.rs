//! Authentication of HTTP requests, the resource metadata document, and the challenges
//! that point clients at it.

use super::reply::{Rejection, json_response};
use crate::auth::{challenge, insufficient_scope};
use crate::context::Principal;
use crate::protocol::{RpcError, codes};
use crate::shared::HttpConfig;
use crate::shared::Shared;
use axum::body::Body;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Response, StatusCode, header};
use std::sync::Arc;

/// The request's principal: `None` when the server authenticates no one, `401` with a
/// challenge when the authenticator refuses.
pub(crate) async fn principal(
    config: &HttpConfig,
    request: &Parts,
) -> Result<Option<Arc<Principal>>, Rejection> {
    let Some(authenticator) = &config.authenticator else {
        return Ok(None);
    };
    match authenticator.0.authenticate(request).await {
        Ok(principal) => Ok(Some(Arc::new(principal))),
        Err(refusal) => {
            let message = match refusal.description() {
                Some(why) => format!("unauthorized: {why}"),
                None => "unauthorized: send Authorization: Bearer <token>".to_owned(),
            };
            let error = RpcError::new(codes::INVALID_REQUEST, message);
            Err(Rejection::rpc(StatusCode::UNAUTHORIZED, None, &error)
                .with_challenge(&challenge(&refusal, metadata_url(config).as_deref())))
        }
    }
}

fn metadata_url(config: &HttpConfig) -> Option<String> {
    config
        .protected_resource
        .as_ref()
        .map(crate::auth::ProtectedResource::metadata_url)
}

/// `403` and an `insufficient_scope` challenge for an answer that is a scope denial
/// (`-32006` naming the scopes that would allow the call); `None` for any other answer.
pub(crate) fn scope_denial(
    config: &HttpConfig,
    response: &str,
) -> Option<(StatusCode, HeaderValue)> {
    // Errors are small; a large answer is a result and is not scanned.
    if response.len() > 64 * 1024 || !response.contains("requiredScopes") {
        return None;
    }
    let reply: serde_json::Value = serde_json::from_str(response).ok()?;
    let error = reply.get("error")?;
    if error["code"] != codes::PERMISSION_DENIED {
        return None;
    }
    let scopes: Vec<String> = error["data"]["requiredScopes"]
        .as_array()?
        .iter()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect();
    if scopes.is_empty() {
        return None;
    }
    let challenge = insufficient_scope(&scopes, metadata_url(config).as_deref());
    Some((
        StatusCode::FORBIDDEN,
        HeaderValue::from_str(&challenge).ok()?,
    ))
}

/// `GET /.well-known/oauth-protected-resource...`: the metadata document (RFC 9728).
pub(crate) async fn metadata(State(server): State<Arc<Shared>>) -> Response<Body> {
    let document = server
        .config
        .http
        .protected_resource
        .as_ref()
        .map(crate::auth::ProtectedResource::document)
        .unwrap_or_default();
    let mut response = json_response(StatusCode::OK, document.to_string());
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}
