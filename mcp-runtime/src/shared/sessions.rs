//! HTTP sessions across replicas: found in the store and made live here for a request,
//! created by `initialize`, ended everywhere by `DELETE`.

#[cfg(feature = "http")]
use super::Message;
use super::Shared;
#[cfg(feature = "http")]
use crate::session::Session;
use crate::store::Topic;
#[cfg(feature = "http")]
use crate::store::{Created, Expiry, LogLimits, StoreError};
use std::sync::Arc;

impl Shared {
    /// The session `id` for a request of the principal `owner`: loaded from the store with
    /// its idle time started again, and live on this replica (hearing its messages on the
    /// bus). `None` when it does not exist, expired, or another principal created it.
    #[cfg(feature = "http")]
    pub(crate) async fn session(
        &self,
        id: &str,
        owner: Option<&str>,
    ) -> Result<Option<Arc<Session>>, StoreError> {
        if !is_hex_id(id, 64) {
            // Not an id this server makes: nothing to look up.
            return Ok(None);
        }
        let Some(record) = self.sessions.touch(id).await? else {
            // Ended or expired elsewhere: let go of what this replica held of it.
            self.forget_session(id);
            return Ok(None);
        };
        if record.owner.as_deref() != owner {
            return Ok(None);
        }
        let limits = self.config.session_limits;
        let session = self.live.get_or_insert(id, || {
            Session::from_record(&record, self.bus.replica(), limits)
        });
        // Another replica may have changed it (`logging/setLevel`).
        session.set_log_level(record.log_level);
        session.touch();
        session.join(&*self.bus).await?;
        Ok(Some(session))
    }

    /// Stores a session `initialize` just established here, and serves it; `false` when
    /// the store is full (`max_sessions`).
    #[cfg(feature = "http")]
    pub(crate) async fn open_session(&self, session: Arc<Session>) -> Result<bool, StoreError> {
        let record = session
            .record(self.session_expiry())
            .ok_or_else(|| StoreError::unavailable("the session was not initialized"))?;
        let id = record.id.clone();
        match self
            .sessions
            .create(record, self.config.max_sessions)
            .await?
        {
            Created::Stored => {}
            Created::Full => return Ok(false),
            Created::Taken => return Err(StoreError::unavailable("a session with this id exists")),
        }
        self.events.open_standalone(&id, self.log_limits()).await?;
        session.join(&*self.bus).await?;
        session.touch();
        self.live.insert(session);
        Ok(true)
    }

    /// Ends a session on every replica (`DELETE`): the store forgets it, and its calls are
    /// cancelled and its streams ended wherever they run.
    #[cfg(feature = "http")]
    pub(crate) async fn end_session(&self, id: &str) -> Result<(), StoreError> {
        self.sessions.remove(id).await?;
        self.tell_ended(id).await;
        Ok(())
    }

    #[cfg(feature = "http")]
    async fn tell_ended(&self, id: &str) {
        let ended = Message::Ended {
            session: id.to_owned(),
        };
        self.tell(&Topic::Session(id.into()), &ended).await;
        // This replica, even if the bus is down or it never joined.
        self.forget_session(id);
    }

    /// The session ended (elsewhere, or found gone): cancel what this replica runs for it,
    /// end its streams here, stop hearing its messages.
    pub(crate) fn forget_session(&self, id: &str) {
        let Some(session) = self.live.remove(id) else {
            return;
        };
        session.end();
        if !session.is_joined() {
            return;
        }
        let bus = Arc::clone(&self.bus);
        let topic = Topic::Session(id.into());
        crate::background::spawn(async move {
            if let Err(error) = bus.leave(&topic).await {
                tracing::debug!(%error, "could not leave an ended session's topic");
            }
        });
    }

    /// How long sessions live.
    #[cfg(feature = "http")]
    pub(crate) fn session_expiry(&self) -> Expiry {
        Expiry {
            idle: self.config.session_idle_timeout,
            max_age: self.config.session_max_age,
        }
    }

    /// What a session's event logs keep.
    #[cfg(feature = "http")]
    pub(crate) fn log_limits(&self) -> LogLimits {
        let limits = &self.config.session_limits;
        LogLimits {
            events_per_stream: limits.events_per_stream,
            streams_per_session: limits.streams,
            idle: self.config.session_idle_timeout,
            bytes_per_session: limits.log_bytes,
            bytes_total: limits.log_bytes_total,
        }
    }
}

/// Whether `id` has the form of the ids this server makes: `len` lowercase hex digits.
pub(crate) fn is_hex_id(id: &str, len: usize) -> bool {
    id.len() == len && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
