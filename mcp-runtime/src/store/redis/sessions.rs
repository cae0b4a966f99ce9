//! Session records in Redis: a hash per session with the keys that live as long as it,
//! expired by their TTL (slid by every request); an index of sessions by last use, for
//! notices to all of them and for the cap on their number.

use super::RedisStore;
use super::client::evalsha;
use super::scripts::SCRIPTS;
use crate::protocol::{LogLevel, ProtocolVersion};
use crate::store::{
    Created, Expiry, Patched, SessionPatch, SessionRecord, SessionStore, StoreError, StoreFuture,
};
use redis::Pipeline;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since the epoch on this replica's clock (for the index's ordering only;
/// expiries are timed by Redis's own clock).
fn now_ms() -> u64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn level_field(level: Option<LogLevel>) -> String {
    level.map_or_else(String::new, |level| {
        serde_json::to_value(level)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    })
}

fn malformed(what: &str) -> StoreError {
    StoreError::unavailable(format!("a session record in Redis is malformed ({what})"))
}

/// What every request reads of a session, in one field (`r`) of its hash: one value to
/// decode rather than seven (the client library's decoding of each value costs more than
/// the whole of this JSON).
#[derive(serde::Serialize, serde::Deserialize)]
struct Essentials {
    owner: Option<String>,
    version: ProtocolVersion,
    created: u64,
    idle: u64,
    max: u64,
    capabilities: Box<serde_json::value::RawValue>,
}

/// A record from its essentials and log level (`""` for none).
fn record(id: &str, essentials: &str, level: &str) -> Result<(SessionRecord, u64), StoreError> {
    let essentials: Essentials =
        serde_json::from_str(essentials).map_err(|_| malformed("essentials"))?;
    let capabilities = serde_json::from_str(essentials.capabilities.get())
        .map_err(|_| malformed("capabilities"))?;
    let level = match level {
        "" => None,
        name => Some(
            serde_json::from_value(serde_json::Value::String(name.to_owned()))
                .map_err(|_| malformed("level"))?,
        ),
    };
    let expiry = Expiry {
        idle: Duration::from_millis(essentials.idle),
        max_age: Duration::from_millis(essentials.max),
    };
    let record = SessionRecord::new(
        id.to_owned(),
        essentials.owner,
        essentials.version,
        capabilities,
        level,
        expiry,
    );
    Ok((record, essentials.created))
}

impl RedisStore {
    /// The idle time of the sessions seen last: what makes an index entry stale.
    fn session_idle(&self) -> u64 {
        self.inner.session_idle_ms.load(Ordering::Relaxed)
    }

    fn saw_idle(&self, expiry: &Expiry) {
        self.inner
            .session_idle_ms
            .store(millis(expiry.idle), Ordering::Relaxed);
    }

    /// Drops every key of session `id` and its entries in the indexes.
    async fn forget(&self, id: &str) -> Result<bool, StoreError> {
        let keys = self.inner.keys.session(id);
        let fields: Vec<String> = self
            .inner
            .redis
            .query(redis::cmd("HKEYS").arg(keys.record()))
            .await?;
        let mut doomed = vec![keys.record()];
        let mut subscriptions = Vec::new();
        for field in &fields {
            if let Some(uri) = field.strip_prefix("sub:") {
                subscriptions.push(uri.to_owned());
            } else if let Some(n) = field
                .strip_prefix("log:")
                .and_then(|rest| rest.strip_suffix(":last"))
                .and_then(|n| n.parse().ok())
            {
                doomed.push(keys.log(n));
            }
        }
        let mut pipeline = redis::pipe();
        pipeline
            .del(doomed)
            .ignore()
            .zrem(self.inner.keys.sessions(), id)
            .ignore();
        for uri in subscriptions {
            pipeline
                .srem(self.inner.keys.subscribers(&uri), id)
                .ignore();
        }
        self.inner.redis.pipeline::<()>(&pipeline).await?;
        Ok(!fields.is_empty())
    }

    async fn create_session(
        &self,
        record: SessionRecord,
        max_sessions: usize,
    ) -> Result<Created, StoreError> {
        self.saw_idle(&record.expiry);
        let index = self.inner.keys.sessions();
        let stale = self.stale_before(millis(record.expiry.idle));
        let (live,): (usize,) = self
            .inner
            .redis
            .pipeline(
                redis::pipe()
                    .zrembyscore(&index, "-inf", stale)
                    .ignore()
                    .zcard(&index),
            )
            .await?;
        if live >= max_sessions.max(1) {
            // Approximate across replicas: two creating at once may both get in.
            return Ok(Created::Full);
        }
        let keys = self.inner.keys.session(&record.id);
        let essentials = serde_json::to_string(&Essentials {
            owner: record.owner.clone(),
            version: record.protocol_version,
            created: now_ms(),
            idle: millis(record.expiry.idle),
            max: millis(record.expiry.max_age),
            capabilities: serde_json::value::to_raw_value(&record.client_capabilities)
                .map_err(|_| malformed("capabilities"))?,
        })
        .map_err(|_| malformed("essentials"))?;
        let mut pipeline = redis::pipe();
        evalsha(
            &mut pipeline,
            &SCRIPTS.session_create,
            &[keys.record()],
            &[
                essentials.as_bytes(),
                level_field(record.log_level).as_bytes(),
                millis(record.expiry.idle).to_string().as_bytes(),
                millis(record.expiry.max_age).to_string().as_bytes(),
            ],
        );
        pipeline.zadd(&index, &record.id, now_ms()).ignore();
        let (stored,): (bool,) = self
            .inner
            .redis
            .pipeline_with_scripts(&pipeline, &[&SCRIPTS.session_create])
            .await?;
        Ok(if stored {
            Created::Stored
        } else {
            Created::Taken
        })
    }

    /// One round trip: the record's fields, its idle time started again, and (once in a
    /// while for each session) its place in the index of sessions by last use. The
    /// maximum age is checked on the fields read. Until this replica has seen a record, it
    /// does not know the idle time to slide by, and reads first.
    async fn touch_session(&self, id: &str) -> Result<Option<Arc<SessionRecord>>, StoreError> {
        let record_key = self.inner.keys.session(id).record();
        let now = now_ms();
        let mut idle = self.session_idle();
        let mut pipeline = redis::pipe();
        pipeline.cmd("HMGET").arg(&record_key).arg("r").arg("level");
        if idle > 0 {
            pipeline.cmd("PEXPIRE").arg(&record_key).arg(idle).ignore();
        }
        if self.index_due(id, now) {
            // Only an existing entry moves: the index never gains a session that is gone.
            pipeline
                .cmd("ZADD")
                .arg(self.inner.keys.sessions())
                .arg("XX")
                .arg(now)
                .arg(id)
                .ignore();
        }
        let ((essentials, level),): ((Option<String>, Option<String>),) =
            self.inner.redis.pipeline(&pipeline).await?;
        let Some(essentials) = essentials else {
            return Ok(None);
        };
        let (record, created) = record(id, &essentials, level.as_deref().unwrap_or(""))?;
        if created.saturating_add(millis(record.expiry.max_age)) <= now {
            self.forget(id).await?;
            return Ok(None);
        }
        if millis(record.expiry.idle) != idle {
            // Learned now: slide by the record's own idle time.
            idle = millis(record.expiry.idle);
            self.saw_idle(&record.expiry);
            self.inner
                .redis
                .query::<()>(redis::cmd("PEXPIRE").arg(&record_key).arg(idle))
                .await?;
        }
        Ok(Some(Arc::new(record)))
    }

    /// Whether `id`'s place in the index of sessions by last use is due to move: once per
    /// period (an eighth of the idle time) for each session, not on every request.
    fn index_due(&self, id: &str, now: u64) -> bool {
        let period = (self.session_idle() / 8).max(1_000);
        let mut indexed = self.inner.indexed.lock().unwrap_or_else(|e| e.into_inner());
        if now.saturating_sub(indexed.0) > period {
            indexed.0 = now;
            indexed.1.clear();
        }
        indexed.1.insert(id.to_owned())
    }

    /// Entries of the index older than this are stale: the idle time, and the period the
    /// index may lag by (none are, while the idle time is unknown).
    fn stale_before(&self, idle: u64) -> u64 {
        if idle == 0 {
            return 0;
        }
        let period = (idle / 8).max(1_000);
        now_ms().saturating_sub(idle.saturating_add(period))
    }

    async fn patch_session(&self, id: &str, patch: SessionPatch) -> Result<Patched, StoreError> {
        let keys = self.inner.keys.session(id);
        let record = keys.record();
        let redis = &self.inner.redis;
        let outcome: i64 = match patch {
            SessionPatch::LogLevel(level) => {
                let mut script = SCRIPTS.session_level.key(record);
                redis.script(script.arg(level_field(level))).await?
            }
            SessionPatch::Subscribe {
                uri,
                max,
                max_bytes,
            } => {
                let mut script = SCRIPTS.session_subscribe.key(record);
                let outcome = redis
                    .script(script.arg(&uri).arg(max).arg(max_bytes))
                    .await?;
                if outcome == 1 {
                    let index = self.inner.keys.subscribers(&uri);
                    redis
                        .query::<()>(redis::cmd("SADD").arg(index).arg(id))
                        .await?;
                }
                outcome
            }
            SessionPatch::Unsubscribe { uri } => {
                let mut script = SCRIPTS.session_unsubscribe.key(record);
                let outcome = redis.script(script.arg(&uri)).await?;
                let index = self.inner.keys.subscribers(&uri);
                redis
                    .query::<()>(redis::cmd("SREM").arg(index).arg(id))
                    .await?;
                outcome
            }
            SessionPatch::ClaimStream { holder, lease } => {
                let mut script = SCRIPTS.session_claim.key(record);
                redis.script(script.arg(holder).arg(millis(lease))).await?
            }
            SessionPatch::ReleaseStream { holder } => {
                let mut script = SCRIPTS.session_release.key(record);
                redis.script(script.arg(holder)).await?
            }
        };
        Ok(match outcome {
            1 => Patched::Applied,
            0 => Patched::Refused,
            _ => Patched::Missing,
        })
    }

    /// The live sessions subscribed to `uri`; those that expired leave its index.
    async fn subscribers(&self, uri: &str) -> Result<Vec<String>, StoreError> {
        let index = self.inner.keys.subscribers(uri);
        let candidates: Vec<String> = self
            .inner
            .redis
            .query(redis::cmd("SMEMBERS").arg(&index))
            .await?;
        if candidates.is_empty() {
            return Ok(candidates);
        }
        let (live, gone): (Vec<String>, Vec<String>) = {
            let alive = self.retain_live_ids(candidates.clone()).await?;
            candidates.into_iter().partition(|id| alive.contains(id))
        };
        if !gone.is_empty() {
            self.inner
                .redis
                .query::<()>(redis::cmd("SREM").arg(&index).arg(gone))
                .await?;
        }
        Ok(live)
    }

    async fn retain_live_ids(&self, ids: Vec<String>) -> Result<Vec<String>, StoreError> {
        let mut pipeline = Pipeline::new();
        for id in &ids {
            pipeline.exists(self.inner.keys.session(id).record());
        }
        let live: Vec<bool> = self.inner.redis.pipeline(&pipeline).await?;
        Ok(ids
            .into_iter()
            .zip(live)
            .filter_map(|(id, live)| live.then_some(id))
            .collect())
    }

    async fn live_sessions(&self) -> Result<Vec<String>, StoreError> {
        let stale = self.stale_before(self.session_idle());
        self.inner
            .redis
            .query(
                redis::cmd("ZRANGE")
                    .arg(self.inner.keys.sessions())
                    .arg(format!("({stale}"))
                    .arg("+inf")
                    .arg("BYSCORE"),
            )
            .await
    }
}

impl SessionStore for RedisStore {
    fn create(&self, record: SessionRecord, max_sessions: usize) -> StoreFuture<'_, Created> {
        Box::pin(self.create_session(record, max_sessions))
    }

    fn touch(&self, id: &str) -> StoreFuture<'_, Option<Arc<SessionRecord>>> {
        let id = id.to_owned();
        Box::pin(async move { self.touch_session(&id).await })
    }

    fn patch(&self, id: &str, patch: SessionPatch) -> StoreFuture<'_, Patched> {
        let id = id.to_owned();
        Box::pin(async move { self.patch_session(&id, patch).await })
    }

    fn remove(&self, id: &str) -> StoreFuture<'_, bool> {
        let id = id.to_owned();
        Box::pin(async move { self.forget(&id).await })
    }

    fn count(&self) -> StoreFuture<'_, usize> {
        Box::pin(async move { Ok(self.live_sessions().await?.len()) })
    }

    fn audience(&self, uri: Option<&str>) -> StoreFuture<'_, Vec<String>> {
        let uri = uri.map(str::to_owned);
        Box::pin(async move {
            match uri {
                Some(uri) => self.subscribers(&uri).await,
                None => self.live_sessions().await,
            }
        })
    }

    fn retain_live(&self, ids: Vec<String>) -> StoreFuture<'_, Vec<String>> {
        Box::pin(self.retain_live_ids(ids))
    }
}
