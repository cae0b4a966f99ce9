//! The bus on Redis pub/sub: a channel for every replica, one per replica, one per session
//! (joined by the replicas serving it).

use super::RedisStore;
use crate::store::{Bus, Inbox, StoreFuture, Topic};

impl Bus for RedisStore {
    fn replica(&self) -> &str {
        &self.inner.replica
    }

    fn attach(&self, inbox: Inbox) {
        self.inner.routes.attach(inbox);
    }

    fn join(&self, topic: &Topic) -> StoreFuture<'_, ()> {
        let channel = match topic {
            Topic::Session(id) => Some(self.inner.keys.session_channel(id)),
            // Heard from the start.
            _ => None,
        };
        Box::pin(async move {
            match channel {
                Some(channel) => self.inner.channels.join(&channel).await,
                None => Ok(()),
            }
        })
    }

    fn leave(&self, topic: &Topic) -> StoreFuture<'_, ()> {
        let channel = match topic {
            Topic::Session(id) => Some(self.inner.keys.session_channel(id)),
            _ => None,
        };
        Box::pin(async move {
            match channel {
                Some(channel) => self.inner.channels.leave(&channel).await,
                None => Ok(()),
            }
        })
    }

    fn publish(&self, topic: &Topic, payload: Vec<u8>) -> StoreFuture<'_, ()> {
        let keys = &self.inner.keys;
        let (channel, payload) = match topic {
            Topic::Session(id) => {
                let mut tagged = Vec::with_capacity(payload.len() + 1);
                tagged.push(b'b');
                tagged.extend_from_slice(&payload);
                (keys.session_channel(id), tagged)
            }
            Topic::Replica(replica) => (keys.replica(replica), payload),
            _ => (keys.everyone(), payload),
        };
        Box::pin(async move {
            self.inner
                .redis
                .query::<()>(redis::cmd("PUBLISH").arg(channel).arg(payload))
                .await
        })
    }
}
