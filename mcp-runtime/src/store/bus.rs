//! The bus between replicas: what one replica must tell another (a client's answer to a
//! request sent from elsewhere, a cancellation, the end of a session, a notice for every
//! listener).

use super::StoreFuture;
use std::sync::Arc;

/// Who a message is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Topic {
    /// One replica (by [`Bus::replica`]).
    Replica(Arc<str>),
    /// Every replica serving a session (those that joined its topic).
    Session(Arc<str>),
    /// Every replica.
    Everyone,
}

/// Where a replica's messages arrive: called with each message's payload, on whatever
/// task the bus delivers from. It must not block.
pub type Inbox = Arc<dyn Fn(&[u8]) + Send + Sync>;

/// Publish and subscribe between the replicas of one server. Delivery is at most once,
/// to replicas listening at the time: a message is a nudge, never the only copy of
/// state (that lives in the other stores).
pub trait Bus: Send + Sync + 'static {
    /// This replica's name on the bus, unique among the replicas sharing it.
    fn replica(&self) -> &str;

    /// Where this replica's messages go: those of [`Topic::Everyone`] and of its own
    /// [`Topic::Replica`] from now on, and of the session topics it joins.
    fn attach(&self, inbox: Inbox);

    /// Starts receiving a session's messages; done once the bus delivers them.
    fn join(&self, topic: &Topic) -> StoreFuture<'_, ()>;

    /// Stops receiving a session's messages.
    fn leave(&self, topic: &Topic) -> StoreFuture<'_, ()>;

    /// Sends `payload` to every replica listening to `topic` (this one included).
    fn publish(&self, topic: &Topic, payload: Vec<u8>) -> StoreFuture<'_, ()>;
}
