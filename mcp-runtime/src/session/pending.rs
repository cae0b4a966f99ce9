//! Server-to-client requests awaiting the client's answer.

use crate::protocol::{RequestId, RpcError};
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use tokio::sync::oneshot;

pub(crate) type Reply = Result<Box<RawValue>, RpcError>;

/// The answers this session is waiting for, bounded in number.
#[derive(Debug)]
pub(crate) struct PendingRequests {
    next_id: AtomicI64,
    /// Ids are `{prefix}-{n}` with one (an HTTP session, which several replicas may serve:
    /// the prefix names this one), numbers without.
    prefix: Option<Box<str>>,
    waiting: Mutex<HashMap<RequestId, oneshot::Sender<Reply>>>,
    capacity: usize,
}

/// A registered request; dropping it forgets the request (a timeout or a cancelled call).
pub(crate) struct Waiter<'a> {
    pub id: RequestId,
    pub reply: oneshot::Receiver<Reply>,
    pending: &'a PendingRequests,
}

impl Drop for Waiter<'_> {
    fn drop(&mut self) {
        self.pending
            .waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.id);
    }
}

impl PendingRequests {
    pub(crate) fn new(capacity: usize, prefix: Option<&str>) -> Self {
        PendingRequests {
            next_id: AtomicI64::new(1),
            prefix: prefix.map(Box::from),
            waiting: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    /// Registers a new request, or `None` when `capacity` answers are already awaited.
    pub(crate) fn register(&self) -> Option<Waiter<'_>> {
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        if waiting.len() >= self.capacity {
            return None;
        }
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        let id = match &self.prefix {
            Some(prefix) => RequestId::String(format!("{prefix}-{n}")),
            None => RequestId::Number(n),
        };
        let (sender, reply) = oneshot::channel();
        waiting.insert(id.clone(), sender);
        Some(Waiter {
            id,
            reply,
            pending: self,
        })
    }

    /// Whether no answer is awaited.
    pub(crate) fn is_empty(&self) -> bool {
        self.waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_empty()
    }

    /// Delivers the client's answer; gives it back when nobody here waits for `id` (the
    /// request may have been sent from another replica).
    pub(crate) fn complete(&self, id: &RequestId, reply: Reply) -> Result<(), Reply> {
        let sender = self
            .waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(id);
        match sender {
            Some(sender) => sender.send(reply),
            None => Err(reply),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn answers_reach_their_waiter_and_capacity_is_bounded() {
        let pending = PendingRequests::new(1, None);
        let waiter = pending.register().unwrap();
        assert!(pending.register().is_none(), "over capacity");
        let raw = RawValue::from_string("{}".into()).unwrap();
        assert!(pending.complete(&waiter.id, Ok(raw)).is_ok());
        let mut waiter = waiter;
        assert!((&mut waiter.reply).await.unwrap().is_ok());
        drop(waiter);
        assert!(pending.register().is_some(), "the slot is free again");
        assert!(
            pending
                .complete(&RequestId::Number(99), Err(RpcError::internal("x")))
                .is_err()
        );
        let named = PendingRequests::new(1, Some("r1"));
        assert_eq!(
            named.register().unwrap().id,
            RequestId::String("r1-1".into())
        );
    }
}
