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
use std::collections::HashMap;
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

/// An owner as stored: `+subject`, or empty for none.
fn owner_field(owner: Option<&str>) -> String {
    owner.map_or_else(String::new, |subject| format!("+{subject}"))
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

/// A record from its fields.
fn record(id: &str, fields: HashMap<String, String>) -> Result<SessionRecord, StoreError> {
    let field = |name: &str| fields.get(name).ok_or_else(|| malformed(name));
    let number = |name: &str| -> Result<u64, StoreError> {
        field(name)?.parse().map_err(|_| malformed(name))
    };
    let version = ProtocolVersion::parse(field("version")?).ok_or_else(|| malformed("version"))?;
    let capabilities = serde_json::from_str(field("caps")?).map_err(|_| malformed("caps"))?;
    let level = match field("level")?.as_str() {
        "" => None,
        name => Some(
            serde_json::from_value(serde_json::Value::String(name.to_owned()))
                .map_err(|_| malformed("level"))?,
        ),
    };
    let owner = field("owner")?.strip_prefix('+').map(str::to_owned);
    let expiry = Expiry {
        idle: Duration::from_millis(number("idle")?),
        max_age: Duration::from_millis(number("max")?),
    };
    Ok(SessionRecord::new(
        id.to_owned(),
        owner,
        version,
        capabilities,
        level,
        expiry,
    ))
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
        let (existed, streams, subscriptions): (bool, Vec<u64>, Vec<String>) = self
            .inner
            .redis
            .pipeline(
                redis::pipe()
                    .exists(keys.record())
                    .zrange(keys.streams(), 0, -1)
                    .smembers(keys.subscriptions()),
            )
            .await?;
        let mut doomed: Vec<String> = keys.lifetime().into();
        doomed.extend(streams.into_iter().map(|n| keys.log(n)));
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
        Ok(existed)
    }

    async fn create_session(
        &self,
        record: SessionRecord,
        max_sessions: usize,
    ) -> Result<Created, StoreError> {
        self.saw_idle(&record.expiry);
        let index = self.inner.keys.sessions();
        let stale = now_ms().saturating_sub(millis(record.expiry.idle));
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
        let mut evicted = Vec::new();
        if live >= max_sessions.max(1) {
            // Approximate across replicas: two creating at once may both evict.
            let idlest: Vec<String> = self
                .inner
                .redis
                .query(redis::cmd("ZRANGE").arg(&index).arg(0).arg(0))
                .await?;
            for id in idlest {
                self.forget(&id).await?;
                evicted.push(id);
            }
        }
        let keys = self.inner.keys.session(&record.id);
        let capabilities = record.client_capabilities.to_string();
        let mut pipeline = redis::pipe();
        evalsha(
            &mut pipeline,
            &SCRIPTS.session_create,
            &[keys.record()],
            &[
                owner_field(record.owner.as_deref()).as_bytes(),
                record.protocol_version.as_str().as_bytes(),
                capabilities.as_bytes(),
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
            Created::stored(evicted)
        } else {
            Created::taken()
        })
    }

    async fn touch_session(&self, id: &str) -> Result<Option<Arc<SessionRecord>>, StoreError> {
        let keys = self.inner.keys.session(id);
        let mut pipeline = redis::pipe();
        evalsha(&mut pipeline, &SCRIPTS.session_touch, &keys.lifetime(), &[]);
        // Only an existing entry moves: the index never gains a session that is gone.
        pipeline
            .cmd("ZADD")
            .arg(self.inner.keys.sessions())
            .arg("XX")
            .arg(now_ms())
            .arg(id)
            .ignore();
        let (fields,): (Option<HashMap<String, String>>,) = self
            .inner
            .redis
            .pipeline_with_scripts(&pipeline, &[&SCRIPTS.session_touch])
            .await?;
        let Some(fields) = fields else {
            return Ok(None);
        };
        let record = record(id, fields)?;
        self.saw_idle(&record.expiry);
        Ok(Some(Arc::new(record)))
    }

    async fn patch_session(&self, id: &str, patch: SessionPatch) -> Result<Patched, StoreError> {
        let keys = self.inner.keys.session(id);
        let (record, subscriptions) = (keys.record(), keys.subscriptions());
        let redis = &self.inner.redis;
        let outcome: i64 = match patch {
            SessionPatch::LogLevel(level) => {
                let mut script = SCRIPTS.session_level.key(record);
                redis.script(script.arg(level_field(level))).await?
            }
            SessionPatch::Subscribe { uri, max } => {
                let mut script = SCRIPTS.session_subscribe.key(record);
                let script = script.key(subscriptions);
                let outcome = redis.script(script.arg(&uri).arg(max)).await?;
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
                let script = script.key(subscriptions);
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
        let stale = now_ms().saturating_sub(self.session_idle());
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
