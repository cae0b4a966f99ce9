//! The catalogue (`McpServerBuilder::catalogue`): one HTML page listing what the caller may
//! see, with a form per binding that calls it through the MCP endpoint, and the page's
//! stylesheet and script, embedded in the binary and served beside it.

mod cards;
mod html;
mod page;
mod schema;

use super::reply::Rejection;
use super::{auth, checks};
use crate::context::{Outbound, Principal, RequestEnv, TransportKind};
use crate::dispatch::Connection;
use crate::session::Session;
use crate::shared::Shared;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Response, header};
use cards::Cards;
use std::sync::Arc;

const STYLESHEET: &str = include_str!("assets/catalogue.css");
const SCRIPT: &str = include_str!("assets/catalogue.js");

/// The page allows nothing but its own stylesheet, its own script and calls to its own
/// origin: were a string ever to escape its escaping, no injected script would run.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; script-src 'self'; \
     connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Adds the page and its assets at `path` to `router`, with the cards of `server`'s
/// bindings rendered now.
pub(crate) fn mount(
    router: Router<Arc<Shared>>,
    path: &str,
    server: &Shared,
) -> Router<Arc<Shared>> {
    let cards = Arc::new(Cards::render_all(&server.registry.visible(&|_| true)));
    let page = move |State(server): State<Arc<Shared>>, request: Parts| {
        let cards = Arc::clone(&cards);
        async move { page(server, request, &cards).await }
    };
    let asset = |body: &'static str, media: &'static str| {
        axum::routing::get(
            move |State(server): State<Arc<Shared>>, request: Parts| async move {
                asset_response(&server, &request, body, media)
            },
        )
    };
    router
        .route(path, axum::routing::get(page))
        .route(
            &format!("{path}/catalogue.css"),
            asset(STYLESHEET, "text/css; charset=utf-8"),
        )
        .route(
            &format!("{path}/catalogue.js"),
            asset(SCRIPT, "text/javascript; charset=utf-8"),
        )
}

/// Why a catalogue path cannot be served, if it cannot.
pub(crate) fn path_problem(path: &str, endpoint: &str) -> Option<&'static str> {
    if !path.starts_with('/') || path.len() < 2 {
        Some("the catalogue's path must start with `/` and name something, like `/catalogue`")
    } else if path.ends_with('/') {
        Some("the catalogue's path must not end with `/` (its assets are served under it)")
    } else if path == endpoint {
        Some("the catalogue's path is the MCP endpoint's; give it a path of its own")
    } else if path.starts_with("/.well-known/") {
        Some("the catalogue's path must not be under `/.well-known/`, which is for metadata")
    } else if path.contains(['{', '}', '*']) {
        Some("the catalogue's path must be a plain path, without `{`, `}` or `*`")
    } else {
        None
    }
}

/// `GET <catalogue>`: the page, for the caller the request authenticates.
async fn page(server: Arc<Shared>, request: Parts, cards: &Cards) -> Response<Body> {
    let result = async {
        checks::origin_and_host(&request.headers, &server.config.http)?;
        let principal = auth::principal(&server.config.http, &request).await?;
        Ok::<_, Rejection>(render_for(&server, principal, request, cards))
    };
    super::reply::contained(result).await
}

fn render_for(
    server: &Arc<Shared>,
    principal: Option<Arc<Principal>>,
    request: Parts,
    cards: &Cards,
) -> Response<Body> {
    let http = &server.config.http;
    let path = http.catalogue.as_deref().unwrap_or_default();
    let env = caller_env(server, principal, request);
    let filter = server.config.filter_listings;
    let allowed = |guards: &crate::guard::Guards| !filter || guards.permits(&env);
    let visible = server.registry.visible(&allowed);
    let last_segment = path.rsplit('/').next().unwrap_or_default();
    let info = page::PageInfo {
        server_name: &server.info.name,
        server_title: server.info.title.as_deref(),
        server_version: &server.info.version,
        instructions: server.instructions.as_deref(),
        endpoint: &relative_to(path, &http.path),
        assets: last_segment,
        authenticated: http.authenticator.is_some(),
    };
    let body = page::render(&info, &visible, cards);
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // What the page lists depends on who asked.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Authorization, Cookie"),
    );
    protect(headers);
    response
}

/// What the guards see of the page's caller: the environment a request of theirs on this
/// connection would have (no session of the endpoint's, no request in flight).
fn caller_env(
    server: &Arc<Shared>,
    principal: Option<Arc<Principal>>,
    request: Parts,
) -> RequestEnv {
    let session = Arc::new(Session::new(None, server.config.session_limits));
    // Nothing is ever sent to the page's caller over this connection.
    let (sender, _) = tokio::sync::mpsc::channel(1);
    let connection = Connection::new(
        Arc::clone(server),
        session,
        Outbound::new(sender),
        TransportKind::Http,
        principal,
    )
    .with_peer(super::client_address::client_address(
        &server.config.http,
        &request,
    ))
    .with_http_request(Arc::new(request));
    connection.caller_env()
}

fn asset_response(
    server: &Shared,
    request: &Parts,
    body: &'static str,
    media: &'static str,
) -> Response<Body> {
    if let Err(rejection) = checks::origin_and_host(&request.headers, &server.config.http) {
        return rejection.into_response();
    }
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    protect(headers);
    response
}

fn protect(headers: &mut axum::http::HeaderMap) {
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

/// `target` as a URL relative to the page at `page`, so that both still meet when the
/// router is nested under a prefix: `/catalogue` → `mcp`, `/docs/catalogue` → `../mcp`.
fn relative_to(page: &str, target: &str) -> String {
    let depth = page.trim_start_matches('/').matches('/').count();
    let relative = format!("{}{}", "../".repeat(depth), target.trim_start_matches('/'));
    // An empty reference would be the page itself, not an endpoint at the root.
    if relative.is_empty() {
        "./".to_owned()
    } else {
        relative
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_is_found_from_any_depth() {
        assert_eq!(relative_to("/catalogue", "/mcp"), "mcp");
        assert_eq!(relative_to("/docs/catalogue", "/mcp"), "../mcp");
        assert_eq!(relative_to("/a/b/catalogue", "/api/mcp"), "../../api/mcp");
        assert_eq!(relative_to("/catalogue", "/"), "./");
        assert_eq!(relative_to("/docs/catalogue", "/"), "../");
    }

    #[test]
    fn paths_that_cannot_be_served_are_named() {
        assert_eq!(path_problem("/catalogue", "/mcp"), None);
        assert_eq!(path_problem("/docs/catalogue", "/mcp"), None);
        for bad in [
            "catalogue",
            "/",
            "/catalogue/",
            "/mcp",
            "/{name}",
            "/*rest",
            "/.well-known/oauth-protected-resource",
        ] {
            assert!(path_problem(bad, "/mcp").is_some(), "{bad}");
        }
    }
}
