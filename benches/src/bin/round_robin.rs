//! A loopback load balancer for the replica benchmark: each new connection goes to the next
//! backend in turn, bytes copied both ways. Usage: `round_robin <backend port>...`, listening
//! on `$PORT` like the benchmark's servers.
//! The in-memory server is measured behind it too, so that both sides pay for the hop.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::net::{TcpListener, TcpStream};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port = std::env::var("PORT").expect("PORT");
    let backends: Vec<String> = std::env::args()
        .skip(1)
        .map(|p| format!("127.0.0.1:{p}"))
        .collect();
    assert!(!backends.is_empty(), "usage: round_robin <backend port>...");
    let listener = TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    let next = Arc::new(AtomicUsize::new(0));
    loop {
        let (mut client, _) = listener.accept().await?;
        let backend = backends[next.fetch_add(1, Ordering::Relaxed) % backends.len()].clone();
        tokio::spawn(async move {
            let _ = client.set_nodelay(true);
            if let Ok(mut server) = TcpStream::connect(backend).await {
                let _ = server.set_nodelay(true);
                let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
            }
        });
    }
}
