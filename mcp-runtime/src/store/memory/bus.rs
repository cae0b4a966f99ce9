//! The bus of one process: every message goes straight to this process's inboxes.

use crate::store::{Bus, Inbox, StoreFuture, Topic, ready};
use std::sync::RwLock;

#[derive(Default)]
pub(crate) struct MemoryBus {
    inboxes: RwLock<Vec<Inbox>>,
}

impl std::fmt::Debug for MemoryBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryBus").finish_non_exhaustive()
    }
}

impl Bus for MemoryBus {
    fn replica(&self) -> &str {
        "local"
    }

    fn attach(&self, inbox: Inbox) {
        self.inboxes
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .push(inbox);
    }

    fn join(&self, _topic: &Topic) -> StoreFuture<'_, ()> {
        ready(())
    }

    fn leave(&self, _topic: &Topic) -> StoreFuture<'_, ()> {
        ready(())
    }

    fn publish(&self, _topic: &Topic, payload: Vec<u8>) -> StoreFuture<'_, ()> {
        let inboxes = self
            .inboxes
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        for inbox in inboxes {
            inbox(&payload);
        }
        ready(())
    }
}
