//! `serve_http`'s accept loop: hyper's HTTP/1 connections with a header-read timeout (so a
//! client that sends half a request and stops is cut), a cap on open connections, and a
//! graceful shutdown that stops accepting, ends the long-lived streams, lets requests in
//! flight finish within the grace period and then cuts what is left.

use crate::shared::Shared;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};

/// After an accept error (out of file descriptors, most often), how long the loop waits
/// before accepting again, rather than spinning on the same error.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

pub(crate) async fn serve(
    server: Arc<Shared>,
    address: &str,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = TcpListener::bind(address).await?;
    let http = server.config.http.clone();
    let grace = server.config.shutdown_grace;
    let router = super::router(Arc::clone(&server));
    let most =
        u32::try_from(http.max_connections.clamp(1, Semaphore::MAX_PERMITS)).unwrap_or(u32::MAX);
    let slots = Arc::new(Semaphore::new(most as usize));
    // Each connection is a task of its own that ends by itself: nothing here holds it (a
    // finished task held in a set until reaped keeps its memory). The open ones are
    // counted by their slots; `stopping` asks them to close, `cutting` ends them.
    let (stopping, stop) = watch::channel(false);
    let (cutting, cut) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        // At the cap, nothing more is accepted until a connection closes: new clients wait
        // in the kernel's backlog rather than push out the ones being served.
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (tcp, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let connection = serve_connection(router.clone(), tcp, remote, &http, stop.clone());
        let mut cut = cut.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = connection => {}
                _ = cut.wait_for(|cutting| *cutting) => {}
            }
            drop(slot);
        });
    }
    drop(listener);
    // Connections finish the request they are on and close; streams that would never end
    // by themselves (GET) end now; calls get the grace period.
    let _ = stopping.send(true);
    server.begin_shutdown();
    let drained = async {
        // Every slot back: every connection closed.
        let _ = slots.acquire_many(most).await;
        server.calls_finished().await;
    };
    if tokio::time::timeout(grace, drained).await.is_err() {
        tracing::warn!(
            ?grace,
            "shutdown grace period over; ending what is still open"
        );
        server.cancel_everything();
        let _ = cutting.send(true);
    }
    Ok(())
}

/// One connection: HTTP/1 with keep-alive, the client's address in `ConnectInfo` (rate
/// limits key on it), and a graceful close once `stop` turns true.
fn serve_connection(
    router: axum::Router,
    tcp: TcpStream,
    remote: SocketAddr,
    http: &crate::shared::HttpConfig,
    mut stop: watch::Receiver<bool>,
) -> impl std::future::Future<Output = ()> + Send + 'static {
    // Without TCP_NODELAY every small SSE event waits for the client's delayed ACK
    // (~40 ms per event on keep-alive connections).
    let _ = tcp.set_nodelay(true);
    let service =
        hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(ConnectInfo(remote));
            let mut router = router.clone();
            // The router is always ready: no `poll_ready` is needed before `call`.
            tower_service::Service::call(&mut router, request)
        });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(http.header_read_timeout)
        .keep_alive(true);
    let connection = builder.serve_connection(TokioIo::new(tcp), service);
    async move {
        tokio::pin!(connection);
        tokio::select! {
            _ = connection.as_mut() => return,
            _ = stop.wait_for(|stopping| *stopping) => {}
        }
        connection.as_mut().graceful_shutdown();
        let _ = connection.await;
    }
}
