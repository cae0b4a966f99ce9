//! SSE event logs in Redis: a Redis stream per SSE stream (entry ids `0-{sequence}`),
//! trimmed to the session's bound, and a hash of each stream's last sequence, end and cuts.
//! Appends publish a wake-up on the session's channel, which the replicas reading the
//! stream hear.

use super::RedisStore;
use super::client::evalsha;
use super::keys::Keys;
use super::scripts::SCRIPTS;
use crate::store::{Event, EventLog, LogLimits, Read, StoreError, StoreFuture, StreamKey, Watch};
use redis::Value;
use std::sync::Arc;

/// Most events read in one round trip (a reader reads on for the rest).
const READ_BATCH: usize = 512;

fn malformed() -> StoreError {
    StoreError::unavailable("a stream's log in Redis is malformed")
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::BulkString(bytes) => String::from_utf8(bytes.clone()).ok(),
        Value::SimpleString(text) => Some(text.clone()),
        Value::Int(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A read script's answer as a `Read`.
fn read(reply: Vec<Value>) -> Result<Read, StoreError> {
    let word = reply.first().and_then(text).ok_or_else(malformed)?;
    match word.as_str() {
        "unknown" => return Ok(Read::Unknown),
        "lost" => {
            let oldest = reply.get(1).and_then(text).ok_or_else(malformed)?;
            let oldest = oldest.parse().map_err(|_| malformed())?;
            return Ok(Read::Lost { oldest });
        }
        "held" => {}
        _ => return Err(malformed()),
    }
    let field = |i: usize| reply.get(i).and_then(text).ok_or_else(malformed);
    let number =
        |i: usize| -> Result<u64, StoreError> { field(i)?.parse().map_err(|_| malformed()) };
    let (closed, cuts, last) = (field(1)? == "1", number(2)?, number(3)?);
    let mut events = Vec::new();
    for pair in reply[4..].chunks_exact(2) {
        let sequence = text(&pair[0])
            .and_then(|s| s.parse().ok())
            .ok_or_else(malformed)?;
        events.push(Event {
            sequence,
            data: text(&pair[1]).ok_or_else(malformed)?,
        });
    }
    // Read in batches: the stream's end counts only once its last event was read.
    let read_to_the_end = events.last().is_none_or(|e| e.sequence == last);
    Ok(Read::Held {
        events,
        closed: closed && read_to_the_end,
        cuts,
    })
}

/// Held by a watch: stops this replica hearing the session's wake-ups when dropped.
struct Watching {
    store: RedisStore,
    key: StreamKey,
}

impl Drop for Watching {
    fn drop(&mut self) {
        self.store.inner.routes.unwatch(&self.key);
        let store = self.store.clone();
        let channel = store.inner.keys.session_channel(self.key.session());
        crate::background::spawn(async move {
            let _ = store.inner.channels.leave(&channel).await;
        });
    }
}

impl RedisStore {
    fn channel(&self, key: &StreamKey) -> String {
        self.inner.keys.session_channel(key.session())
    }

    async fn append_event(
        &self,
        key: &StreamKey,
        data: String,
        close: bool,
    ) -> Result<Option<u64>, StoreError> {
        let keys = self.inner.keys.session(key.session());
        let mut script = SCRIPTS.log_append.key(keys.record());
        script.key(keys.log(key.stream()));
        script
            .arg(key.stream())
            .arg(data)
            .arg(u8::from(close))
            .arg(self.channel(key));
        let sequence = self.inner.redis.script(&script).await?;
        // Readers here need not wait for the wake-up to come back from Redis.
        self.inner.routes.wake(&Keys::watcher(key));
        Ok(sequence)
    }

    async fn meta_script(&self, script: &redis::Script, key: &StreamKey) -> Result<(), StoreError> {
        let keys = self.inner.keys.session(key.session());
        let mut invocation = script.key(keys.record());
        invocation.arg(key.stream()).arg(self.channel(key));
        self.inner.redis.script::<()>(&invocation).await?;
        self.inner.routes.wake(&Keys::watcher(key));
        Ok(())
    }
}

impl EventLog for RedisStore {
    fn open_standalone(&self, session: &str, limits: LogLimits) -> StoreFuture<'_, ()> {
        let keys = self.inner.keys.session(session);
        Box::pin(async move {
            let mut script = SCRIPTS.log_standalone.key(keys.record());
            script
                .arg(limits.events_per_stream)
                .arg(limits.streams_per_session);
            self.inner.redis.script::<()>(&script).await
        })
    }

    fn open(&self, session: &str, _limits: LogLimits) -> StoreFuture<'_, Option<StreamKey>> {
        let session: Arc<str> = session.into();
        Box::pin(async move {
            let keys = self.inner.keys.session(&session);
            let script = SCRIPTS.log_open.key(keys.record());
            let opened: Option<Vec<u64>> = self.inner.redis.script(&script).await?;
            let Some((&number, forgotten)) = opened.as_deref().and_then(<[u64]>::split_first)
            else {
                return Ok(None);
            };
            if !forgotten.is_empty() {
                let mut delete = redis::cmd("DEL");
                for &stream in forgotten {
                    delete.arg(keys.log(stream));
                }
                self.inner.redis.query::<()>(&delete).await?;
            }
            Ok(Some(StreamKey::new(session, number)))
        })
    }

    fn append(&self, key: &StreamKey, data: String, close: bool) -> StoreFuture<'_, Option<u64>> {
        let key = key.clone();
        Box::pin(async move { self.append_event(&key, data, close).await })
    }

    fn close(&self, key: &StreamKey) -> StoreFuture<'_, ()> {
        let key = key.clone();
        Box::pin(async move { self.meta_script(&SCRIPTS.log_close, &key).await })
    }

    fn cut(&self, key: &StreamKey) -> StoreFuture<'_, ()> {
        let key = key.clone();
        Box::pin(async move { self.meta_script(&SCRIPTS.log_cut, &key).await })
    }

    fn read_after(&self, key: &StreamKey, after: u64) -> StoreFuture<'_, Read> {
        let keys = self.inner.keys.session(key.session());
        let stream = key.stream();
        Box::pin(async move {
            let mut script = SCRIPTS.log_read.key(keys.record());
            script.key(keys.log(stream));
            script.arg(stream).arg(after).arg(READ_BATCH);
            read(self.inner.redis.script(&script).await?)
        })
    }

    fn last_sequence(&self, key: &StreamKey) -> StoreFuture<'_, Option<u64>> {
        let meta = self.inner.keys.session(key.session()).record();
        let field = format!("log:{}:last", key.stream());
        Box::pin(async move {
            self.inner
                .redis
                .query(redis::cmd("HGET").arg(meta).arg(field))
                .await
        })
    }

    fn watch(&self, key: &StreamKey) -> StoreFuture<'_, Watch> {
        let key = key.clone();
        Box::pin(async move {
            // Registered first, so a wake-up that comes while subscribing is not missed.
            let changes = self.inner.routes.watch(&key);
            self.inner.channels.join(&self.channel(&key)).await?;
            let watching = Watching {
                store: self.clone(),
                key,
            };
            Ok(Watch::new(changes).holding(watching))
        })
    }

    fn announce(&self, sessions: Vec<String>, data: String) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let mut pipeline = redis::pipe();
            for session in &sessions {
                let keys = self.inner.keys.session(session);
                let channel = self.inner.keys.session_channel(session);
                evalsha(
                    &mut pipeline,
                    &SCRIPTS.log_append,
                    &[keys.record(), keys.log(0)],
                    &[b"0", data.as_bytes(), b"0", channel.as_bytes()],
                )
                .ignore();
            }
            self.inner
                .redis
                .pipeline_with_scripts::<()>(&pipeline, &[&SCRIPTS.log_append])
                .await?;
            for session in &sessions {
                self.inner
                    .routes
                    .wake(&Keys::watcher(&StreamKey::standalone(session.as_str())));
            }
            Ok(())
        })
    }
}
