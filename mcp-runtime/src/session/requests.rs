//! The requests a session has in flight: admitted under the session's limit, reachable by
//! `notifications/cancelled`, ended when answered.

use super::Session;
use crate::context::Cancellable;
use crate::protocol::RequestId;
use std::collections::hash_map::Entry;
use std::sync::Weak;

/// Why a request was not taken in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    /// A request with that id is in flight.
    DuplicateId,
    /// As many requests as allowed are in flight.
    Busy(usize),
}

impl Session {
    /// Tracks a request until `end_request`, for cancellation; refuses an id already in
    /// flight and, when `bounded`, a request over `requests_in_flight`. The request is
    /// held weakly: it lives as long as its handler does, not as long as it is tracked.
    pub(crate) fn begin_request(
        &self,
        id: &RequestId,
        bounded: bool,
        request: Weak<dyn Cancellable>,
    ) -> Result<(), Refused> {
        let mut in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        let full = bounded && self.full_with(in_flight.len());
        // One lookup: this runs for every request.
        match in_flight.entry(id.clone()) {
            Entry::Occupied(_) => Err(Refused::DuplicateId),
            Entry::Vacant(_) if full => Err(Refused::Busy(self.limits.requests_in_flight)),
            Entry::Vacant(slot) => {
                slot.insert(request);
                Ok(())
            }
        }
    }

    /// Whether as many requests are in flight as `requests_in_flight` allows (subscription
    /// streams aside): a transport that can hold back what it reads waits while it is.
    pub(crate) fn is_full(&self) -> bool {
        let tracked = self
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len();
        self.full_with(tracked)
    }

    /// `is_full` with `tracked` requests in flight, streams included.
    fn full_with(&self, tracked: usize) -> bool {
        // Streams are among the requests in flight: below the limit, none need counting.
        tracked >= self.limits.requests_in_flight && {
            let streams = self
                .subscriptions_in_flight
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .len();
            tracked.saturating_sub(streams) >= self.limits.requests_in_flight
        }
    }

    /// Stops tracking a request; `stream` says it was marked a subscription stream.
    pub(crate) fn end_request(&self, id: &RequestId, stream: bool) {
        self.in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(id);
        if stream {
            self.subscriptions_in_flight
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(id);
        }
    }

    /// Marks an in-flight request as a subscription stream, which only ends when cancelled.
    pub(crate) fn mark_subscription(&self, id: &RequestId) {
        self.subscriptions_in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id.clone());
    }

    /// Ends every subscription stream (the client went away): they would never finish.
    pub(crate) fn end_subscriptions(&self) {
        let ids: Vec<RequestId> = self
            .subscriptions_in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .cloned()
            .collect();
        for id in ids {
            self.cancel_request(&id);
        }
    }

    /// Cancels an in-flight request; whether this replica has it in flight (unknown ids
    /// may have just finished, or run elsewhere).
    pub(crate) fn cancel_request(&self, id: &RequestId) -> bool {
        let request = self
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .and_then(Weak::upgrade);
        // Outside the lock: this may be the request's last reference.
        match request {
            Some(request) => {
                request.cancel();
                true
            }
            None => false,
        }
    }

    /// Whether nothing is in flight or awaited here: the session can be let go.
    pub(crate) fn is_quiet(&self) -> bool {
        self.in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_empty()
            && self.pending.is_empty()
    }

    /// Cancels everything in flight (the session ended).
    pub(crate) fn cancel_all(&self) {
        let requests: Vec<_> = self
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .filter_map(Weak::upgrade)
            .collect();
        for request in requests {
            request.cancel();
        }
    }
}
