//! Session records.

use mcp_runtime::store::{
    Created, Expiry, Patched, SessionPatch, SessionRecord, SessionStore, Store,
};
use mcp_runtime::{model::LogLevel, model::ProtocolVersion};
use serde_json::json;
use std::time::Duration;

pub const LONG: Duration = Duration::from_secs(3600);

/// A session record of `id` that expires after `idle` unused and `max_age` in all.
pub fn record(id: &str, owner: Option<&str>, idle: Duration, max_age: Duration) -> SessionRecord {
    SessionRecord::new(
        id.into(),
        owner.map(str::to_owned),
        ProtocolVersion::V2025_11_25,
        json!({ "sampling": {} }),
        Some(LogLevel::Warning),
        Expiry { idle, max_age },
    )
}

pub async fn create(sessions: &dyn SessionStore, id: &str) {
    let created = sessions
        .create(record(id, None, LONG, LONG), 100)
        .await
        .unwrap();
    assert_eq!(created, Created::Stored, "{id} is new");
}

pub async fn sessions_are_created_once_touched_patched_and_removed(store: &dyn Store) {
    let sessions = store.sessions();
    let created = sessions
        .create(record("s1", Some("alice"), LONG, LONG), 10)
        .await
        .unwrap();
    assert_eq!(created, Created::Stored);
    let again = sessions
        .create(record("s1", None, LONG, LONG), 10)
        .await
        .unwrap();
    assert_eq!(again, Created::Taken, "an id is created once");

    let touched = sessions.touch("s1").await.unwrap().expect("s1 lives");
    assert_eq!(touched.id, "s1");
    assert_eq!(touched.owner.as_deref(), Some("alice"));
    assert_eq!(touched.protocol_version, ProtocolVersion::V2025_11_25);
    assert_eq!(touched.client_capabilities, json!({ "sampling": {} }));
    assert_eq!(touched.log_level, Some(LogLevel::Warning));
    assert_eq!(
        touched.expiry,
        Expiry {
            idle: LONG,
            max_age: LONG
        }
    );
    assert!(sessions.touch("nobody").await.unwrap().is_none());

    let level = SessionPatch::LogLevel(Some(LogLevel::Debug));
    assert_eq!(sessions.patch("s1", level).await.unwrap(), Patched::Applied);
    let none = SessionPatch::LogLevel(None);
    assert_eq!(sessions.patch("s1", none).await.unwrap(), Patched::Applied);
    assert_eq!(sessions.touch("s1").await.unwrap().unwrap().log_level, None);

    let subscribe = |uri: &str| SessionPatch::Subscribe {
        uri: uri.into(),
        max: 1,
        max_bytes: 64,
    };
    assert_eq!(
        sessions.patch("s1", subscribe("a://1")).await.unwrap(),
        Patched::Applied
    );
    assert_eq!(
        sessions.patch("s1", subscribe("a://1")).await.unwrap(),
        Patched::Applied
    );
    assert_eq!(
        sessions.patch("s1", subscribe("a://2")).await.unwrap(),
        Patched::Refused
    );
    assert_eq!(sessions.audience(Some("a://1")).await.unwrap(), ["s1"]);
    assert!(sessions.audience(Some("a://2")).await.unwrap().is_empty());
    assert_eq!(sessions.audience(None).await.unwrap(), ["s1"]);
    let unsubscribe = SessionPatch::Unsubscribe {
        uri: "a://1".into(),
    };
    assert_eq!(
        sessions.patch("s1", unsubscribe).await.unwrap(),
        Patched::Applied
    );
    assert!(sessions.audience(Some("a://1")).await.unwrap().is_empty());

    // The bytes of a session's URIs are capped too: freed by unsubscribing.
    let within_bytes = |uri: &str| SessionPatch::Subscribe {
        uri: uri.into(),
        max: 100,
        max_bytes: 20,
    };
    let unsubscribe = |uri: &str| SessionPatch::Unsubscribe { uri: uri.into() };
    for (patch, outcome) in [
        (within_bytes("b://0123456789"), Patched::Applied),
        (within_bytes("b://abcdefghij"), Patched::Refused),
        (unsubscribe("b://0123456789"), Patched::Applied),
        (within_bytes("b://abcdefghij"), Patched::Applied),
    ] {
        assert_eq!(sessions.patch("s1", patch).await.unwrap(), outcome);
    }
    assert!(
        sessions
            .patch("s1", unsubscribe("b://abcdefghij"))
            .await
            .is_ok()
    );

    assert_eq!(sessions.count().await.unwrap(), 1);
    let live = vec!["s1".to_owned(), "nobody".to_owned()];
    assert_eq!(sessions.retain_live(live).await.unwrap(), ["s1"]);

    assert!(sessions.remove("s1").await.unwrap());
    assert!(!sessions.remove("s1").await.unwrap());
    assert!(sessions.touch("s1").await.unwrap().is_none());
    let level = SessionPatch::LogLevel(None);
    assert_eq!(sessions.patch("s1", level).await.unwrap(), Patched::Missing);
    assert!(sessions.audience(None).await.unwrap().is_empty());
    assert_eq!(sessions.count().await.unwrap(), 0);
}

pub async fn a_full_store_refuses_new_sessions_and_evicts_none(store: &dyn Store) {
    let sessions = store.sessions();
    for id in ["a", "b"] {
        let created = sessions
            .create(record(id, None, LONG, LONG), 2)
            .await
            .unwrap();
        assert_eq!(created, Created::Stored);
    }
    let created = sessions
        .create(record("c", None, LONG, LONG), 2)
        .await
        .unwrap();
    assert_eq!(created, Created::Full);
    for id in ["a", "b"] {
        assert!(sessions.touch(id).await.unwrap().is_some(), "{id} lives on");
    }
    assert!(sessions.touch("c").await.unwrap().is_none());
    assert_eq!(sessions.count().await.unwrap(), 2);
}

pub async fn sessions_expire_idle_and_at_their_maximum_age(store: &dyn Store) {
    let sessions = store.sessions();
    let short = Duration::from_millis(300);
    sessions
        .create(record("idle", None, short, LONG), 10)
        .await
        .unwrap();
    sessions
        .create(record("old", None, LONG, short * 2), 10)
        .await
        .unwrap();
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(
            sessions.touch("idle").await.unwrap().is_some(),
            "used, so alive"
        );
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        sessions.touch("idle").await.unwrap().is_none(),
        "idle too long"
    );
    assert!(
        sessions.touch("old").await.unwrap().is_none(),
        "too old however used"
    );
    sessions.sweep().await.unwrap();
    assert!(
        sessions
            .retain_live(vec!["idle".into(), "old".into()])
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn the_standalone_stream_is_claimed_by_one_holder_at_a_time(store: &dyn Store) {
    let sessions = store.sessions();
    create(&*sessions, "s").await;
    let claim = |holder: &str, lease: u64| SessionPatch::ClaimStream {
        holder: holder.into(),
        lease: Duration::from_millis(lease),
    };
    assert_eq!(
        sessions.patch("s", claim("a", 60_000)).await.unwrap(),
        Patched::Applied
    );
    assert_eq!(
        sessions.patch("s", claim("b", 60_000)).await.unwrap(),
        Patched::Refused
    );
    assert_eq!(
        sessions.patch("s", claim("a", 60_000)).await.unwrap(),
        Patched::Applied,
        "renewed"
    );
    let release = |holder: &str| SessionPatch::ReleaseStream {
        holder: holder.into(),
    };
    assert_eq!(
        sessions.patch("s", release("b")).await.unwrap(),
        Patched::Applied
    );
    assert_eq!(
        sessions.patch("s", claim("b", 200)).await.unwrap(),
        Patched::Refused,
        "b's release was a no-op"
    );
    assert_eq!(
        sessions.patch("s", release("a")).await.unwrap(),
        Patched::Applied
    );
    assert_eq!(
        sessions.patch("s", claim("b", 200)).await.unwrap(),
        Patched::Applied
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        sessions.patch("s", claim("c", 200)).await.unwrap(),
        Patched::Applied,
        "b's lease lapsed"
    );
    assert_eq!(
        sessions.patch("gone", claim("c", 200)).await.unwrap(),
        Patched::Missing
    );
}
