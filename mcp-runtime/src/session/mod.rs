//! 2025-era sessions: what `initialize` established for one stdio process or HTTP session.

use crate::context::CancellationToken;
use crate::protocol::{LogLevel, ProtocolVersion, RequestId};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

/// What the client said in `initialize`.
#[derive(Debug)]
pub(crate) struct ClientHello {
    pub protocol_version: ProtocolVersion,
    pub capabilities: Value,
}

/// One client connection's protocol state.
#[derive(Debug)]
pub(crate) struct Session {
    id: Option<String>,
    connection_id: u64,
    hello: OnceLock<ClientHello>,
    log_level: AtomicU8,
    in_flight: Mutex<HashMap<RequestId, CancellationToken>>,
}

static NEXT_CONNECTION: AtomicU64 = AtomicU64::new(1);
static EMPTY_CAPABILITIES: Value = Value::Null;

impl Session {
    pub(crate) fn new(id: Option<String>) -> Self {
        Session {
            id,
            connection_id: NEXT_CONNECTION.fetch_add(1, Ordering::Relaxed),
            hello: OnceLock::new(),
            log_level: AtomicU8::new(LogLevel::Info as u8),
            in_flight: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    pub(crate) fn connection_id(&self) -> u64 {
        self.connection_id
    }

    /// Records `initialize`; a second `initialize` on the same session is refused.
    pub(crate) fn initialize(&self, hello: ClientHello) -> Result<(), ClientHello> {
        self.hello.set(hello)
    }

    /// The negotiated revision, once `initialize` was answered.
    pub(crate) fn protocol_version(&self) -> Option<ProtocolVersion> {
        self.hello.get().map(|h| h.protocol_version)
    }

    pub(crate) fn client_capabilities(&self) -> &Value {
        self.hello
            .get()
            .map_or(&EMPTY_CAPABILITIES, |h| &h.capabilities)
    }

    pub(crate) fn log_level(&self) -> LogLevel {
        LogLevel::from_index(self.log_level.load(Ordering::Relaxed))
    }

    pub(crate) fn set_log_level(&self, level: LogLevel) {
        self.log_level.store(level as u8, Ordering::Relaxed);
    }

    /// Registers an in-flight request so `notifications/cancelled` can reach it.
    /// Returns `None` when a request with the same id is already in flight.
    pub(crate) fn begin_request(&self, id: &RequestId) -> Option<CancellationToken> {
        let mut in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        if in_flight.contains_key(id) {
            return None;
        }
        let token = CancellationToken::new();
        in_flight.insert(id.clone(), token.clone());
        Some(token)
    }

    pub(crate) fn end_request(&self, id: &RequestId) {
        self.in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(id);
    }

    /// Cancels an in-flight request; unknown ids are ignored (it may have just finished).
    pub(crate) fn cancel_request(&self, id: &RequestId) {
        if let Some(token) = self
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
        {
            token.cancel();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_in_flight_ids_are_refused_and_cancel_reaches_the_token() {
        let session = Session::new(None);
        let id = RequestId::Number(1);
        let token = session.begin_request(&id).unwrap();
        assert!(session.begin_request(&id).is_none());
        session.cancel_request(&id);
        assert!(token.is_cancelled());
        session.end_request(&id);
        assert!(session.begin_request(&id).is_some());
    }

    #[test]
    fn initialize_happens_once() {
        let session = Session::new(None);
        let hello = || ClientHello {
            protocol_version: ProtocolVersion::V2025_06_18,
            capabilities: Value::Null,
        };
        assert!(session.initialize(hello()).is_ok());
        assert!(session.initialize(hello()).is_err());
        assert_eq!(
            session.protocol_version(),
            Some(ProtocolVersion::V2025_06_18)
        );
    }
}
