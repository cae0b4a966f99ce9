//! What only a shared store does: two replicas on one Redis see one state, and a Redis
//! that goes away makes the store fail at once, then serve again when it is back.

use super::bus::{arrives, inbox};
use super::events::{held, limits, session};
use super::limits::{ALGORITHMS, admits};
use super::sessions::{LONG, record};
use mcp_runtime::store::{RedisStore, Store, StreamKey, Topic};
use mcp_runtime::{guard::RateLimit, guard::RateLimitError};
use mcp_tests::redis::RedisServer;
use std::time::{Duration, Instant};

async fn replica(redis: &RedisServer) -> RedisStore {
    RedisStore::builder(redis.url())
        .operation_timeout(Duration::from_millis(500))
        .connect()
        .await
        .expect("connect a replica")
}

#[tokio::test]
async fn two_replicas_share_sessions_logs_tasks_and_budgets() {
    let redis = RedisServer::start();
    let (a, b) = (replica(&redis).await, replica(&redis).await);
    assert_ne!(a.replica(), b.replica(), "replicas have names of their own");
    session(&a, "s", limits(16, 8)).await;
    assert!(
        b.sessions().touch("s").await.unwrap().is_some(),
        "created on a, found on b"
    );
    let stream = a.events().open("s", limits(16, 8)).await.unwrap().unwrap();
    let mut watch = b.events().watch(&stream).await.unwrap();
    a.events()
        .append(&stream, "from a".into(), false)
        .await
        .unwrap();
    tokio::time::timeout(Duration::from_secs(5), watch.changed())
        .await
        .expect("b's reader woke for a's append");
    assert_eq!(
        held(&*b.events(), &stream, 0).await.0,
        [(1, "from a".into())]
    );

    let three = RateLimit::new(3, Duration::from_secs(60));
    for algorithm in ALGORITHMS {
        let scope = format!("shared/{algorithm:?}");
        let (on_a, on_b) = (
            a.rate_limits().limiter(&scope, three, algorithm),
            b.rate_limits().limiter(&scope, three, algorithm),
        );
        assert_eq!(admits(&*on_a, "alice").await, Ok(()));
        assert_eq!(admits(&*on_b, "alice").await, Ok(()));
        assert_eq!(admits(&*on_a, "alice").await, Ok(()));
        assert!(
            admits(&*on_b, "alice").await.is_err(),
            "{algorithm:?}: one budget across replicas"
        );
    }

    let received = inbox(&*b.bus());
    a.bus()
        .publish(&Topic::Everyone, b"hello".to_vec())
        .await
        .unwrap();
    a.bus()
        .publish(&Topic::Replica(b.replica().into()), b"hello b".to_vec())
        .await
        .unwrap();
    assert!(arrives(&received, b"hello").await);
    assert!(arrives(&received, b"hello b").await);
}

#[tokio::test]
async fn without_redis_every_operation_fails_at_once_and_serves_again_after() {
    let mut redis = RedisServer::start_persistent();
    let store = replica(&redis).await;
    let sessions = store.sessions();
    sessions
        .create(record("s", None, LONG, LONG), 10)
        .await
        .unwrap();
    let limiter = store.rate_limits().limiter(
        "tool/x",
        RateLimit::new(3, Duration::from_secs(60)),
        ALGORITHMS[0],
    );
    let open = RedisStore::builder(redis.url())
        .rate_limits_fail_open(true)
        .operation_timeout(Duration::from_millis(500))
        .connect()
        .await
        .unwrap();
    let lenient = open.rate_limits().limiter(
        "tool/x",
        RateLimit::new(3, Duration::from_secs(60)),
        ALGORITHMS[0],
    );

    redis.kill();
    let started = Instant::now();
    assert!(
        sessions.touch("s").await.is_err(),
        "an error, not a missing session"
    );
    assert!(
        matches!(
            limiter.check("alice").await,
            Err(RateLimitError::Unavailable(_))
        ),
        "fails closed"
    );
    assert!(
        lenient.check("alice").await.is_ok(),
        "fails open when told to"
    );
    assert!(
        store
            .events()
            .read_after(&StreamKey::standalone("s"), 0)
            .await
            .is_err()
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "failed promptly: {:?}",
        started.elapsed()
    );

    redis.restart();
    let deadline = Instant::now() + Duration::from_secs(10);
    let record = loop {
        match sessions.touch("s").await {
            Ok(record) => break record,
            Err(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await
            }
            Err(error) => panic!("the store did not come back: {error}"),
        }
    };
    assert!(record.is_some(), "the append-only file kept the session");
    assert_eq!(admits(&*limiter, "alice").await, Ok(()));
}

#[tokio::test]
async fn scripts_are_loaded_again_when_redis_forgot_them() {
    let redis = RedisServer::start();
    let store = replica(&redis).await;
    session(&store, "s", limits(16, 8)).await;
    assert!(store.sessions().touch("s").await.unwrap().is_some());
    redis.cli(&["SCRIPT", "FLUSH"]);
    assert!(
        store.sessions().touch("s").await.unwrap().is_some(),
        "touch, a pipelined script"
    );
    redis.cli(&["SCRIPT", "FLUSH"]);
    store
        .events()
        .announce(vec!["s".into()], "notice".into())
        .await
        .unwrap();
    assert_eq!(
        held(&*store.events(), &StreamKey::standalone("s"), 0)
            .await
            .0,
        [(1, "notice".into())]
    );
}
