//! Requests in flight across the whole server, up to `max_in_flight`.

use std::sync::Arc;

/// Counts requests in flight across the server, up to a cap.
#[derive(Debug, Default)]
pub(crate) struct InFlight(std::sync::atomic::AtomicUsize);

impl InFlight {
    /// Admits one more request, unless `max` already are in flight. The slot borrows the
    /// counter: a request answered where it arrives takes and frees it with no reference
    /// count of its own.
    pub(crate) fn enter(self: &Arc<Self>, max: usize) -> Option<InFlightSlot<'_>> {
        use std::sync::atomic::Ordering;
        self.0
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()
            .map(|_| InFlightSlot(self))
    }

    /// How many requests are in flight.
    #[cfg(feature = "http")]
    pub(crate) fn count(&self) -> usize {
        self.0.load(std::sync::atomic::Ordering::Acquire)
    }

    fn exit(&self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

/// One admitted request; dropping it makes room for another.
#[derive(Debug)]
pub(crate) struct InFlightSlot<'a>(&'a Arc<InFlight>);

impl InFlightSlot<'_> {
    /// The same slot, held by a request that outlives its arrival (a response future).
    pub(crate) fn owned(self) -> InFlightGuard {
        let guard = InFlightGuard(Arc::clone(self.0));
        // Handed over: the guard frees it.
        std::mem::forget(self);
        guard
    }
}

impl Drop for InFlightSlot<'_> {
    fn drop(&mut self) {
        self.0.exit();
    }
}

/// An admitted request's slot, owned; dropping it makes room for another.
#[derive(Debug)]
pub(crate) struct InFlightGuard(Arc<InFlight>);

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        self.0.exit();
    }
}
