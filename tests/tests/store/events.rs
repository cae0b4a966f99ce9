//! SSE event logs.

use super::sessions::create;
use mcp_runtime::store::{EventLog, LogLimits, Read, Store, StreamKey};
use std::time::Duration;

pub fn limits(events: usize, streams: usize) -> LogLimits {
    LogLimits {
        events_per_stream: events,
        streams_per_session: streams,
        idle: Duration::from_secs(60),
        bytes_per_session: 1 << 24,
        bytes_total: 1 << 30,
    }
}

/// A live session `id` with its standalone stream.
pub async fn session(store: &dyn Store, id: &str, limits: LogLimits) {
    create(&*store.sessions(), id).await;
    store.events().open_standalone(id, limits).await.unwrap();
}

/// The events a read holds (sequence, data), whether the stream ended, and its cuts.
pub async fn held(
    events: &dyn EventLog,
    key: &StreamKey,
    after: u64,
) -> (Vec<(u64, String)>, bool, u64) {
    match events.read_after(key, after).await.unwrap() {
        Read::Held {
            events,
            closed,
            cuts,
        } => (
            events.into_iter().map(|e| (e.sequence, e.data)).collect(),
            closed,
            cuts,
        ),
        other => panic!("{key:?} after {after} is not held: {other:?}"),
    }
}

pub async fn streams_log_events_in_order_and_end_with_the_response(store: &dyn Store) {
    session(store, "s", limits(16, 8)).await;
    let events = store.events();
    let first = events.open("s", limits(16, 8)).await.unwrap().unwrap();
    let second = events.open("s", limits(16, 8)).await.unwrap().unwrap();
    assert_eq!((first.stream(), second.stream()), (1, 2));
    assert_eq!(events.last_sequence(&first).await.unwrap(), Some(0));
    assert_eq!(held(&*events, &first, 0).await, (vec![], false, 0));

    assert_eq!(
        events.append(&first, "one".into(), false).await.unwrap(),
        Some(1)
    );
    assert_eq!(
        events.append(&first, "two".into(), false).await.unwrap(),
        Some(2)
    );
    assert_eq!(events.last_sequence(&first).await.unwrap(), Some(2));
    assert_eq!(
        held(&*events, &first, 0).await,
        (vec![(1, "one".into()), (2, "two".into())], false, 0)
    );
    assert_eq!(held(&*events, &first, 1).await.0, [(2, "two".into())]);
    events.cut(&first).await.unwrap();
    assert_eq!(held(&*events, &first, 2).await, (vec![], false, 1));
    assert_eq!(
        events
            .append(&first, "response".into(), true)
            .await
            .unwrap(),
        Some(3)
    );
    assert_eq!(
        held(&*events, &first, 2).await,
        (vec![(3, "response".into())], true, 1)
    );
    assert_eq!(
        events.append(&first, "late".into(), false).await.unwrap(),
        None,
        "nothing after the end"
    );

    events.close(&second).await.unwrap();
    assert_eq!(held(&*events, &second, 0).await, (vec![], true, 0));
    assert_eq!(
        events.append(&second, "late".into(), false).await.unwrap(),
        None
    );
    assert!(
        events
            .open("nobody", limits(16, 8))
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn logs_are_bounded_and_say_what_they_no_longer_hold(store: &dyn Store) {
    session(store, "s", limits(2, 2)).await;
    let events = store.events();
    let stream = events.open("s", limits(2, 2)).await.unwrap().unwrap();
    for data in ["a", "b", "c"] {
        events.append(&stream, data.into(), false).await.unwrap();
    }
    assert_eq!(
        events.read_after(&stream, 0).await.unwrap(),
        Read::Lost { oldest: 2 },
        "event 1 fell out"
    );
    assert_eq!(
        held(&*events, &stream, 1).await.0,
        [(2, "b".into()), (3, "c".into())]
    );
    let unknown = StreamKey::new("s", 99);
    assert_eq!(events.read_after(&unknown, 0).await.unwrap(), Read::Unknown);
    assert_eq!(events.last_sequence(&unknown).await.unwrap(), None);
    // Beyond two streams, the oldest is forgotten once it ended; never while running.
    let second = events.open("s", limits(2, 2)).await.unwrap().unwrap();
    let third = events.open("s", limits(2, 2)).await.unwrap().unwrap();
    assert!(
        matches!(
            events.read_after(&stream, 1).await.unwrap(),
            Read::Held { .. }
        ),
        "a running stream is kept"
    );
    events.append(&stream, "end".into(), true).await.unwrap();
    let fourth = events.open("s", limits(2, 2)).await.unwrap().unwrap();
    let fifth = events.open("s", limits(2, 2)).await.unwrap().unwrap();
    assert!(matches!(
        events.read_after(&fourth, 0).await.unwrap(),
        Read::Held { .. }
    ));
    assert!(matches!(
        events.read_after(&fifth, 0).await.unwrap(),
        Read::Held { .. }
    ));
    assert_eq!(
        events.read_after(&stream, 1).await.unwrap(),
        Read::Unknown,
        "the oldest stream is forgotten once it ended"
    );
    assert!(matches!(
        events.read_after(&second, 0).await.unwrap(),
        Read::Held { .. }
    ));
    assert!(matches!(
        events.read_after(&third, 0).await.unwrap(),
        Read::Held { .. }
    ));
    store.sessions().remove("s").await.unwrap();
    assert_eq!(
        events.read_after(&third, 0).await.unwrap(),
        Read::Unknown,
        "gone with its session"
    );
    assert_eq!(
        events
            .read_after(&StreamKey::standalone("s"), 0)
            .await
            .unwrap(),
        Read::Unknown
    );
}

pub async fn watches_wake_on_appends_cuts_and_closes(store: &dyn Store) {
    session(store, "s", limits(16, 8)).await;
    let events = store.events();
    let stream = events.open("s", limits(16, 8)).await.unwrap().unwrap();
    for change in ["append", "cut", "close"] {
        let mut watch = events.watch(&stream).await.unwrap();
        let writer = store.events();
        let key = stream.clone();
        tokio::spawn(async move {
            match change {
                "append" => drop(writer.append(&key, "x".into(), false).await.unwrap()),
                "cut" => writer.cut(&key).await.unwrap(),
                _ => writer.close(&key).await.unwrap(),
            }
        });
        tokio::time::timeout(Duration::from_secs(5), watch.changed())
            .await
            .unwrap_or_else(|_| panic!("the watch saw the {change}"));
    }
}

pub async fn notices_reach_the_standalone_stream_of_live_sessions(store: &dyn Store) {
    session(store, "a", limits(16, 8)).await;
    session(store, "b", limits(16, 8)).await;
    let events = store.events();
    let sessions = vec!["a".to_owned(), "b".to_owned(), "gone".to_owned()];
    events.announce(sessions, "notice".into()).await.unwrap();
    for id in ["a", "b"] {
        let standalone = StreamKey::standalone(id);
        assert_eq!(
            held(&*events, &standalone, 0).await.0,
            [(1, "notice".into())]
        );
    }
    assert_eq!(
        events
            .read_after(&StreamKey::standalone("gone"), 0)
            .await
            .unwrap(),
        Read::Unknown,
        "no stream is made for a session that is gone"
    );
}
