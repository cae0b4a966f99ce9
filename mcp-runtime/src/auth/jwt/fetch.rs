//! How a JWKS document is fetched: the [`JwksFetcher`] trait, so any HTTP client (and any
//! TLS stack) can be plugged in, and the built-in fetcher for `http://` URIs on hyper, so
//! the crate carries no TLS stack of its own.

use axum::body::Body;
use axum::http::{Request, Uri, header};
use hyper_util::rt::TokioIo;
use std::future::Future;
use std::pin::Pin;

/// Why a fetch failed: any error, told to the operator in a `tracing` warning.
pub type FetchError = Box<dyn std::error::Error + Send + Sync>;

/// What a [`JwksFetcher`] returns.
pub type FetchFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<u8>, FetchError>> + Send + 'a>>;

/// Fetches the JWKS document of an issuer's `jwks_uri`, for
/// [`JwtAuthenticator::from_jwks_uri`](crate::auth::JwtAuthenticator::from_jwks_uri).
///
/// The built-in fetcher speaks plain `http://` only; for `https://` bring the client you
/// already use, with its TLS stack and roots, through
/// [`JwksUriBuilder::fetcher`](crate::auth::JwksUriBuilder::fetcher). The authenticator bounds
/// the time of each fetch and refuses a body over its size limit; a fetcher should still
/// stop reading once `max_bytes` is passed, so a huge answer is not held in memory.
///
/// With [reqwest](https://docs.rs/reqwest) (add it with a TLS feature to your Cargo.toml):
///
/// ```ignore
/// use mcp_runtime::{auth::FetchFuture, auth::JwksFetcher};
///
/// struct Reqwest(reqwest::Client);
///
/// impl JwksFetcher for Reqwest {
///     fn fetch<'a>(&'a self, uri: &'a str, max_bytes: usize) -> FetchFuture<'a> {
///         Box::pin(async move {
///             let mut response = self.0.get(uri).send().await?.error_for_status()?;
///             let mut body = Vec::new();
///             while let Some(chunk) = response.chunk().await? {
///                 if body.len() + chunk.len() > max_bytes {
///                     return Err(format!("the JWKS document is over {max_bytes} bytes").into());
///                 }
///                 body.extend_from_slice(&chunk);
///             }
///             Ok(body)
///         })
///     }
/// }
/// ```
///
/// Or from a file a sidecar keeps up to date (the "URI" is then a path):
///
/// ```
/// use mcp_runtime::{auth::FetchFuture, auth::JwksFetcher, auth::JwtAuthenticator};
///
/// struct MountedFile;
///
/// impl JwksFetcher for MountedFile {
///     fn fetch<'a>(&'a self, path: &'a str, max_bytes: usize) -> FetchFuture<'a> {
///         let path = path.to_owned();
///         Box::pin(async move {
///             let body = tokio::task::spawn_blocking(move || std::fs::read(path)).await??;
///             if body.len() > max_bytes {
///                 return Err(format!("the JWKS file is over {max_bytes} bytes").into());
///             }
///             Ok(body)
///         })
///     }
/// }
///
/// let auth = JwtAuthenticator::from_jwks_uri(
///     "/run/secrets/jwks.json",
///     "https://auth.example.com",
///     "https://mcp.example.com/mcp",
/// )
/// .fetcher(MountedFile)
/// .build()
/// .expect("a fetcher is given, so any URI will do");
/// ```
pub trait JwksFetcher: Send + Sync + 'static {
    /// The body of a successful `GET uri`, at most `max_bytes` long; an error for anything
    /// else (a status other than 2xx, a broken connection, a body too large).
    fn fetch<'a>(&'a self, uri: &'a str, max_bytes: usize) -> FetchFuture<'a>;
}

/// The built-in fetcher: one HTTP/1.1 connection per fetch. Fetches happen at most once
/// per cool-down, so a pool of connections would buy nothing.
pub(super) struct PlainHttp;

impl JwksFetcher for PlainHttp {
    fn fetch<'a>(&'a self, uri: &'a str, max_bytes: usize) -> FetchFuture<'a> {
        Box::pin(get(uri, max_bytes))
    }
}

async fn get(uri: &str, max_bytes: usize) -> Result<Vec<u8>, FetchError> {
    let uri: Uri = uri.parse()?;
    let authority = uri.authority().ok_or("the URI has no host")?.clone();
    // `Uri::host` keeps the brackets of an IPv6 literal; the resolver wants it bare.
    let host = authority
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']');
    let port = authority.port_u16().unwrap_or(80);
    let runtime = tokio::runtime::Handle::try_current()
        .map_err(|_| "the built-in JWKS fetcher needs a tokio runtime")?;
    let stream = tokio::net::TcpStream::connect((host, port)).await?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    // The connection is driven beside the request and ends once `sender` and the body are
    // dropped, whether the fetch finished or its time ran out.
    runtime.spawn(connection);
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let request = Request::get(path)
        .header(header::HOST, authority.as_str())
        .header(header::ACCEPT, "application/jwk-set+json, application/json")
        .body(Body::empty())?;
    let response = sender.send_request(request).await?;
    let status = response.status();
    if status.is_redirection() {
        let location = response.headers().get(header::LOCATION);
        let location = location.and_then(|l| l.to_str().ok()).unwrap_or("nowhere");
        return Err(format!(
            "the issuer answered {status}, to {location}: redirects are not followed, \
             configure the URI they lead to"
        )
        .into());
    }
    if !status.is_success() {
        return Err(format!("the issuer answered {status}").into());
    }
    let body = axum::body::to_bytes(Body::new(response.into_body()), max_bytes)
        .await
        .map_err(|e| format!("reading the document (at most {max_bytes} bytes) failed: {e}"))?;
    Ok(body.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    use axum::routing::get as route;

    async fn serve(router: Router) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await });
        format!("http://{addr}")
    }

    #[tokio::test]
    async fn the_body_of_a_2xx_is_the_document_and_anything_else_says_why() {
        let base = serve(
            Router::new()
                .route("/jwks", route(|| async { "{\"keys\":[]}" }))
                .route("/big", route(|| async { "x".repeat(2048) }))
                .route(
                    "/moved",
                    route(|| async {
                        (StatusCode::FOUND, [("location", "/jwks")]).into_response()
                    }),
                ),
        )
        .await;
        let body = PlainHttp
            .fetch(&format!("{base}/jwks"), 1024)
            .await
            .unwrap();
        assert_eq!(body, b"{\"keys\":[]}");
        let error = |path: &'static str| {
            let uri = format!("{base}{path}");
            async move { PlainHttp.fetch(&uri, 1024).await.unwrap_err().to_string() }
        };
        assert!(error("/nothing").await.contains("404"));
        let moved = error("/moved").await;
        assert!(moved.contains("302") && moved.contains("/jwks"), "{moved}");
        let big = error("/big").await;
        assert!(big.contains("at most 1024 bytes"), "{big}");
    }

    #[tokio::test]
    async fn an_issuer_that_is_not_there_is_an_error_not_a_hang() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let uri = format!("http://{addr}/jwks");
        assert!(PlainHttp.fetch(&uri, 1024).await.is_err());
    }
}
