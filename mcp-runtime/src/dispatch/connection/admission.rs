//! Admitting a request: its id must be new on the session, and the session and the server
//! must have room for it.

use super::Connection;
use crate::context::{Cancellable, RequestEnv};
use crate::protocol::{RequestId, RpcError};
use crate::session::Refused;
use crate::shared::InFlightSlot;
use std::sync::Arc;

impl Connection {
    /// Takes a request in: its id must not be in flight, and (unless it is a long-lived
    /// stream) the session and the server must have room for it. Over a cap the request is
    /// refused at once with `-32005`, so tasks and memory stay bounded under any load.
    pub(super) fn admit(
        &self,
        id: &RequestId,
        bounded: bool,
        env: &Arc<RequestEnv>,
    ) -> Result<Option<InFlightSlot<'_>>, RpcError> {
        let busy = |setting: &str, max: usize| {
            RpcError::busy(
                format!("server busy: {max} requests in flight ({setting}); retry shortly"),
                1,
            )
        };
        let server_slot = if bounded {
            let max = self.server.config.max_in_flight;
            Some(
                self.server
                    .in_flight
                    .enter(max)
                    .ok_or_else(|| busy("max_in_flight", max))?,
            )
        } else {
            None
        };
        // Weakly, so the session never keeps a request alive.
        let request: std::sync::Weak<RequestEnv> = Arc::downgrade(env);
        match self
            .session
            .begin_request(id, bounded, request as std::sync::Weak<dyn Cancellable>)
        {
            Ok(()) => Ok(server_slot),
            Err(Refused::DuplicateId) => Err(RpcError::invalid_request(format!(
                "invalid request: a request with id {id} is already in flight"
            ))),
            Err(Refused::Busy(max)) => Err(busy("max_in_flight_per_session", max)),
        }
    }
}
