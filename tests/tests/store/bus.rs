//! The bus.

use mcp_runtime::store::{Bus, Store, Topic};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What a bus delivered to this inbox.
pub fn inbox(bus: &dyn Bus) -> Arc<Mutex<Vec<Vec<u8>>>> {
    let received = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&received);
    bus.attach(Arc::new(move |payload: &[u8]| {
        sink.lock().unwrap().push(payload.to_vec());
    }));
    received
}

/// Waits up to 5 s for `payload` to arrive.
pub async fn arrives(received: &Mutex<Vec<Vec<u8>>>, payload: &[u8]) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if received.lock().unwrap().iter().any(|p| p == payload) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    false
}

pub async fn the_bus_delivers_what_everyone_and_this_replica_hear(store: &dyn Store) {
    let bus = store.bus();
    let received = inbox(&*bus);
    bus.publish(&Topic::Everyone, b"to everyone".to_vec())
        .await
        .unwrap();
    let me = Topic::Replica(bus.replica().into());
    bus.publish(&me, b"to me".to_vec()).await.unwrap();
    let session = Topic::Session("s1".into());
    bus.join(&session).await.unwrap();
    bus.publish(&session, b"to s1".to_vec()).await.unwrap();
    for payload in [&b"to everyone"[..], b"to me", b"to s1"] {
        assert!(
            arrives(&received, payload).await,
            "{}",
            String::from_utf8_lossy(payload)
        );
    }
    bus.leave(&session).await.unwrap();
}
