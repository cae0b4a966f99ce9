//! [`RedisStore`]: the state of several replicas shared through one Redis (7.0 or later).

mod bus;
mod channels;
mod client;
mod events;
mod keys;
mod limits;
mod scripts;
mod sessions;
mod tasks;

use super::{Bus, EventLog, RateLimitStore, SessionStore, Store, StoreError, TaskStore};
use crate::error::Error;
use channels::{Channels, Routes};
use client::Redis;
use keys::Keys;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{IntoConnectionInfo, ProtocolVersion, PushInfo};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

/// Sessions, SSE event logs, the bus between replicas, tasks and rate-limit counters in
/// Redis, so that several replicas of a server behind any load balancer serve as one: a
/// session initialized on one replica serves on all, a stream dropped on one resumes on
/// another, a limit of `3/min` holds across them.
///
/// ```no_run
/// # async fn f() -> Result<(), mcp_runtime::Error> {
/// use mcp_runtime::McpServer;
/// use mcp_runtime::store::RedisStore;
///
/// let store = RedisStore::connect("redis://127.0.0.1:6379").await?;
/// let server = McpServer::builder("svc", "1.0").store(store).build()?;
/// # Ok(()) }
/// ```
///
/// One multiplexed RESP3 connection serves every request; it reconnects and resubscribes by
/// itself after Redis restarts. Every multi-step update is a Lua script, every expiry a
/// Redis TTL. While Redis cannot be reached, requests are refused at once with `503` and
/// `Retry-After` (never `404`, which would make clients start over) and open SSE streams
/// end; rate limits refuse calls they cannot count unless told to
/// [fail open](RedisStoreBuilder::rate_limits_fail_open).
#[derive(Clone)]
pub struct RedisStore {
    inner: Arc<Inner>,
}

struct Inner {
    redis: Redis,
    keys: Keys,
    replica: String,
    options: Options,
    routes: Arc<Routes>,
    channels: Channels,
    /// The idle time of the sessions seen last, in ms (0 before any): what a request slides
    /// a session's expiry by, and when an index entry is stale.
    session_idle_ms: AtomicU64,
    /// The sessions whose index entry moved in this period, and when it began.
    indexed: std::sync::Mutex<(u64, std::collections::HashSet<String>)>,
    /// The namespace's shared secret for multi-round `requestState`.
    request_state_key: Vec<u8>,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("replica", &self.inner.replica)
            .field("namespace", &self.inner.keys)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
struct Options {
    namespace: String,
    timeout: Duration,
    task_lease: Duration,
    fail_open: bool,
    replica: Option<String>,
}

/// Options of a [`RedisStore`], then [`connect`](Self::connect).
///
/// ```no_run
/// # async fn f() -> Result<(), mcp_runtime::Error> {
/// use mcp_runtime::store::RedisStore;
/// use std::time::Duration;
///
/// let store = RedisStore::builder("redis://redis.internal:6379")
///     .namespace("invoicing")
///     .operation_timeout(Duration::from_millis(500))
///     .connect()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct RedisStoreBuilder {
    url: String,
    options: Options,
}

impl RedisStoreBuilder {
    /// The prefix of every key and channel (default `mcp`): servers sharing one Redis each
    /// take their own; replicas of one server share it.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.options.namespace = namespace.into();
        self
    }

    /// How long one operation may take before the store counts as unavailable (default
    /// 2 s): requests are refused then, never left waiting.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = timeout;
        self
    }

    /// How long a replica's claim on the tasks it runs lasts without renewal (default 30 s;
    /// renewed every third of it). When a replica dies, its tasks are reported failed once
    /// the lease lapses.
    pub fn task_lease(mut self, lease: Duration) -> Self {
        self.options.task_lease = lease;
        self
    }

    /// Admit calls whose rate limit cannot be counted because Redis is unavailable
    /// (default off: they are refused).
    pub fn rate_limits_fail_open(mut self, fail_open: bool) -> Self {
        self.options.fail_open = fail_open;
        self
    }

    /// This replica's name on the bus (default: random). Names must differ between the
    /// replicas sharing a namespace.
    pub fn replica_name(mut self, name: impl Into<String>) -> Self {
        self.options.replica = Some(name.into());
        self
    }

    /// Connects (RESP3) and subscribes to the channels of every replica and of this one.
    pub async fn connect(self) -> Result<RedisStore, Error> {
        connect(&self.url, self.options).await.map_err(Error::Store)
    }
}

impl RedisStore {
    /// Connects to the Redis at `url` (`redis://host:port/db`, `rediss://` with TLS support
    /// compiled in, `redis+unix:///path`) with the default options.
    pub async fn connect(url: &str) -> Result<RedisStore, Error> {
        Self::builder(url).connect().await
    }

    /// A store at `url`, configured before it connects.
    pub fn builder(url: impl Into<String>) -> RedisStoreBuilder {
        RedisStoreBuilder {
            url: url.into(),
            options: Options {
                namespace: "mcp".into(),
                timeout: Duration::from_secs(2),
                task_lease: Duration::from_secs(30),
                fail_open: false,
                replica: None,
            },
        }
    }

    /// This replica's name on the bus.
    pub fn replica(&self) -> &str {
        &self.inner.replica
    }

    /// How many round trips to Redis this store made so far (a pipeline is one).
    pub fn round_trips(&self) -> u64 {
        self.inner.redis.round_trips()
    }
}

async fn connect(url: &str, options: Options) -> Result<RedisStore, StoreError> {
    let unavailable = |e: redis::RedisError| StoreError::unavailable(format!("Redis: {e}"));
    let info = url.into_connection_info().map_err(unavailable)?;
    // RESP3: pub/sub messages arrive on the same connection as every command.
    let settings = info
        .redis_settings()
        .clone()
        .set_protocol(ProtocolVersion::RESP3);
    let client = redis::Client::open(info.set_redis_settings(settings)).map_err(unavailable)?;
    let replica = options.replica.clone().unwrap_or_else(random_name);
    let keys = Keys::new(&options.namespace);
    let routes = Arc::new(Routes::new(keys.clone(), &replica));
    let pushes = Arc::clone(&routes);
    let config = ConnectionManagerConfig::new()
        .set_push_sender(move |push: PushInfo| {
            pushes.receive(push);
            Ok::<(), std::convert::Infallible>(())
        })
        .set_automatic_resubscription()
        // Fail fast while Redis is away (two attempts, each within half the operation's
        // time); the next command tries again.
        .set_number_of_retries(1)
        .set_min_delay(Duration::from_millis(50))
        .set_max_delay(Duration::from_millis(250))
        .set_connection_timeout(Some(options.timeout / 2))
        .set_response_timeout(Some(options.timeout));
    let connection = tokio::time::timeout(
        options.timeout,
        ConnectionManager::new_with_config(client, config),
    )
    .await
    .map_err(|_| StoreError::unavailable("Redis did not answer in time"))?
    .map_err(unavailable)?;
    let redis = Redis::new(connection, options.timeout);
    let mut subscriber = redis.connection();
    let own = [keys.everyone(), keys.replica(&replica)];
    tokio::time::timeout(options.timeout, subscriber.subscribe(&own))
        .await
        .map_err(|_| StoreError::unavailable("Redis did not confirm SUBSCRIBE in time"))?
        .map_err(unavailable)?;
    let request_state_key = shared_secret(&redis, &keys).await?;
    Ok(RedisStore {
        inner: Arc::new(Inner {
            channels: Channels::new(redis.clone()),
            redis,
            keys,
            replica,
            options,
            routes,
            session_idle_ms: AtomicU64::new(0),
            indexed: Default::default(),
            request_state_key,
        }),
    })
}

/// The namespace's secret for multi-round `requestState`: made by the first replica that
/// connects (256 bits from the CSPRNG), read by the others. Whoever can read the Redis can
/// read it: as they can every session.
async fn shared_secret(redis: &Redis, keys: &Keys) -> Result<Vec<u8>, StoreError> {
    let mut fresh = [0u8; 32];
    getrandom::fill(&mut fresh).expect("the operating system's random source works");
    let fresh: String = fresh.iter().map(|b| format!("{b:02x}")).collect();
    let key = keys.request_state_secret();
    let mut pipeline = redis::pipe();
    pipeline
        .cmd("SET")
        .arg(&key)
        .arg(fresh)
        .arg("NX")
        .ignore()
        .get(&key);
    let (secret,): (String,) = redis.pipeline(&pipeline).await?;
    Ok(secret.into_bytes())
}

/// 64 random bits as hex: a replica's name when none is given.
fn random_name() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store for RedisStore {
    fn sessions(&self) -> Arc<dyn SessionStore> {
        Arc::new(self.clone())
    }

    fn events(&self) -> Arc<dyn EventLog> {
        Arc::new(self.clone())
    }

    fn bus(&self) -> Arc<dyn Bus> {
        Arc::new(self.clone())
    }

    fn tasks(&self) -> Arc<dyn TaskStore> {
        Arc::new(self.clone())
    }

    fn rate_limits(&self) -> Arc<dyn RateLimitStore> {
        Arc::new(self.clone())
    }

    fn request_state_key(&self) -> Option<Vec<u8>> {
        Some(self.inner.request_state_key.clone())
    }
}
