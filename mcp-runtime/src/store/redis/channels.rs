//! Pub/sub on the store's one RESP3 connection: the channels this replica listens to
//! (counted, so a session's channel is subscribed once however many need it), and where
//! what arrives goes: bus messages to the runtime's inboxes, stream wake-ups to this
//! replica's readers. After a reconnection the connection subscribes again by itself; what
//! was published meanwhile is lost, so every reader is woken to read again.

use super::client::Redis;
use super::keys::Keys;
use crate::store::{Inbox, StoreError, StreamKey};
use redis::{PushInfo, PushKind, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::watch;

/// Where what arrives on the connection goes.
pub(super) struct Routes {
    keys: Keys,
    /// The channels of every replica and of this one, whose messages go to the inboxes.
    own_channels: [String; 2],
    inboxes: RwLock<Vec<Inbox>>,
    /// This replica's readers, by stream.
    watchers: Mutex<HashMap<String, watch::Sender<u64>>>,
}

impl Routes {
    pub fn new(keys: Keys, replica: &str) -> Self {
        Routes {
            own_channels: [keys.everyone(), keys.replica(replica)],
            keys,
            inboxes: RwLock::default(),
            watchers: Mutex::default(),
        }
    }

    pub fn attach(&self, inbox: Inbox) {
        self.inboxes
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .push(inbox);
    }

    fn deliver(&self, payload: &[u8]) {
        let inboxes = self
            .inboxes
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        for inbox in inboxes {
            inbox(payload);
        }
    }

    fn watchers(&self) -> std::sync::MutexGuard<'_, HashMap<String, watch::Sender<u64>>> {
        self.watchers.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A receiver of `key`'s wake-ups on this replica.
    pub fn watch(&self, key: &StreamKey) -> watch::Receiver<u64> {
        self.watchers()
            .entry(Keys::watcher(key))
            .or_insert_with(|| watch::Sender::new(0))
            .subscribe()
    }

    /// Forgets `key`'s wake-ups when nobody here reads it any more.
    pub fn unwatch(&self, key: &StreamKey) {
        let mut watchers = self.watchers();
        let name = Keys::watcher(key);
        if watchers.get(&name).is_some_and(|w| w.receiver_count() == 0) {
            watchers.remove(&name);
        }
    }

    /// Wakes the readers of `key` on this replica.
    pub fn wake(&self, key: &str) {
        if let Some(watcher) = self.watchers().get(key) {
            watcher.send_modify(|n| *n = n.wrapping_add(1));
        }
    }

    fn wake_all(&self) {
        for watcher in self.watchers().values() {
            watcher.send_modify(|n| *n = n.wrapping_add(1));
        }
    }

    /// Handles one push from the connection. It runs on the connection's task: nothing
    /// here waits.
    pub fn receive(&self, push: PushInfo) {
        match push.kind {
            PushKind::Message => {
                let (Some(Value::BulkString(channel)), Some(Value::BulkString(payload))) =
                    (push.data.first(), push.data.get(1))
                else {
                    return;
                };
                let Ok(channel) = std::str::from_utf8(channel) else {
                    return;
                };
                self.route(channel, payload);
            }
            // Messages published while disconnected are lost: readers look again (and end
            // if the store stays away).
            PushKind::Disconnection => self.wake_all(),
            _ => {}
        }
    }

    fn route(&self, channel: &str, payload: &[u8]) {
        if self.own_channels.iter().any(|own| own == channel) {
            return self.deliver(payload);
        }
        let Some(session) = self.keys.channel_session(channel) else {
            return;
        };
        match payload.split_first() {
            Some((b'b', message)) => self.deliver(message),
            Some((b'w', stream)) => {
                if let Ok(stream) = std::str::from_utf8(stream) {
                    self.wake(&format!("{session}/{stream}"));
                }
            }
            _ => {}
        }
    }
}

/// How many want a channel; `retired` once it was unsubscribed, so a late joiner that
/// holds this entry looks again.
#[derive(Default)]
struct Listeners {
    count: usize,
    retired: bool,
}

/// The channels this replica subscribes to on demand (sessions' channels).
pub(super) struct Channels {
    redis: Redis,
    subscribed: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Listeners>>>>,
}

impl Channels {
    pub fn new(redis: Redis) -> Self {
        Channels {
            redis,
            subscribed: Mutex::default(),
        }
    }

    fn entry(&self, channel: &str) -> Arc<tokio::sync::Mutex<Listeners>> {
        let mut subscribed = self.subscribed.lock().unwrap_or_else(|e| e.into_inner());
        Arc::clone(subscribed.entry(channel.to_owned()).or_default())
    }

    /// One more listener of `channel`: subscribed (and confirmed) before this returns.
    pub async fn join(&self, channel: &str) -> Result<(), StoreError> {
        loop {
            let entry = self.entry(channel);
            let mut listeners = entry.lock().await;
            if listeners.retired {
                continue;
            }
            if listeners.count == 0 {
                self.subscribe(channel, true).await?;
            }
            listeners.count += 1;
            return Ok(());
        }
    }

    /// One listener fewer of `channel`; the last one unsubscribes.
    pub async fn leave(&self, channel: &str) -> Result<(), StoreError> {
        let entry = {
            let subscribed = self.subscribed.lock().unwrap_or_else(|e| e.into_inner());
            match subscribed.get(channel) {
                Some(entry) => Arc::clone(entry),
                None => return Ok(()),
            }
        };
        let mut listeners = entry.lock().await;
        if listeners.count == 0 || listeners.retired {
            return Ok(());
        }
        listeners.count -= 1;
        if listeners.count == 0 {
            listeners.retired = true;
            self.forget(channel, &entry);
            self.subscribe(channel, false).await?;
        }
        Ok(())
    }

    /// Drops `channel`'s entry, if it is still `entry`.
    fn forget(&self, channel: &str, entry: &Arc<tokio::sync::Mutex<Listeners>>) {
        let mut subscribed = self.subscribed.lock().unwrap_or_else(|e| e.into_inner());
        if subscribed
            .get(channel)
            .is_some_and(|current| Arc::ptr_eq(current, entry))
        {
            subscribed.remove(channel);
        }
    }

    async fn subscribe(&self, channel: &str, on: bool) -> Result<(), StoreError> {
        let command = if on { "SUBSCRIBE" } else { "UNSUBSCRIBE" };
        // Through the manager, which remembers what to subscribe to after a reconnection.
        let mut connection = self.redis.connection();
        let subscribed = async {
            if on {
                connection.subscribe(channel).await
            } else {
                connection.unsubscribe(channel).await
            }
        };
        match tokio::time::timeout(self.redis.timeout(), subscribed).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(error)) => Err(StoreError::unavailable(format!("Redis {command}: {error}"))),
            Err(_) => Err(StoreError::unavailable(format!(
                "Redis did not confirm {command} in time"
            ))),
        }
    }
}
