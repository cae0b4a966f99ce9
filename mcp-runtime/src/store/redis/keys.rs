//! Where everything lives in Redis. Every key starts with the namespace, so several servers
//! share one Redis; a session's keys share the hash tag `{id}`, so they sit in one cluster
//! slot and its scripts touch one slot only.

use crate::store::StreamKey;

#[derive(Debug, Clone)]
pub(super) struct Keys {
    namespace: String,
}

/// The keys of one session.
pub(super) struct SessionKeys {
    prefix: String,
}

impl SessionKeys {
    /// The record (a hash): owner, revision, capabilities, log level, expiry, the claim on
    /// the standalone stream, the subscriptions (`sub:{uri}` fields, `subs` their count),
    /// and each kept stream's last sequence, end and cuts (`log:{n}:last`...). One key, so
    /// a request slides one expiry.
    pub fn record(&self) -> String {
        format!("{}:record", self.prefix)
    }

    /// Stream `n`'s events (a Redis stream, entry ids `0-{sequence}`).
    pub fn log(&self, n: u64) -> String {
        format!("{}:log:{n}", self.prefix)
    }
}

impl Keys {
    pub fn new(namespace: &str) -> Self {
        Keys {
            namespace: namespace.to_owned(),
        }
    }

    pub fn session(&self, id: &str) -> SessionKeys {
        SessionKeys {
            prefix: format!("{}:{{{id}}}", self.namespace),
        }
    }

    /// Every live session by its last use (a sorted set): notices to all sessions, counts.
    pub fn sessions(&self) -> String {
        format!("{}:sessions", self.namespace)
    }

    /// The sessions subscribed to `uri` (a set).
    pub fn subscribers(&self, uri: &str) -> String {
        format!("{}:subscribers:{uri}", self.namespace)
    }

    /// A task (a hash).
    pub fn task(&self, id: &str) -> String {
        format!("{}:task:{{{id}}}", self.namespace)
    }

    /// The running tasks by lease deadline (a sorted set).
    pub fn running_tasks(&self) -> String {
        format!("{}:tasks:running", self.namespace)
    }

    /// A caller's budget under a binding's or group's limit.
    pub fn limit(&self, scope: &str, caller: &str) -> String {
        format!("{}:limit:{scope}:{caller}", self.namespace)
    }

    /// The secret the replicas sign multi-round `requestState` with (a string).
    pub fn request_state_secret(&self) -> String {
        format!("{}:request-state-secret", self.namespace)
    }

    /// The channel every replica hears.
    pub fn everyone(&self) -> String {
        format!("{}:bus:all", self.namespace)
    }

    /// The channel one replica hears.
    pub fn replica(&self, replica: &str) -> String {
        format!("{}:bus:replica:{replica}", self.namespace)
    }

    /// The channel of a session: bus messages (`b` then the payload) and stream wake-ups
    /// (`w` then the stream's number).
    pub fn session_channel(&self, id: &str) -> String {
        format!("{}:bus:session:{id}", self.namespace)
    }

    /// The session a channel belongs to.
    pub fn channel_session<'c>(&self, channel: &'c str) -> Option<&'c str> {
        channel
            .strip_prefix(&self.namespace)?
            .strip_prefix(":bus:session:")
    }

    /// Where a stream's readers on this replica are found.
    pub fn watcher(key: &StreamKey) -> String {
        format!("{}/{}", key.session(), key.stream())
    }
}
