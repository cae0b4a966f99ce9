//! Stopping a server: streams that would never end by themselves end at once, calls in
//! flight get the grace period, then everything still running is cancelled.

use super::Shared;

/// How often a shutdown looks whether the calls in flight are done: only a shutdown waits,
/// so the counter every request touches stays a bare atomic.
#[cfg(feature = "http")]
const DRAIN_POLL: std::time::Duration = std::time::Duration::from_millis(10);

impl Shared {
    /// Shutdown began: standalone GET streams and `subscriptions/listen` streams end (their
    /// clients reconnect elsewhere, or later); calls in flight go on.
    #[cfg(feature = "http")]
    pub(crate) fn begin_shutdown(&self) {
        self.stopping.send_replace(true);
    }

    /// Completes once shutdown began.
    pub(crate) async fn stopped(&self) {
        let mut stopping = self.stopping.subscribe();
        let _ = stopping.wait_for(|stopping| *stopping).await;
    }

    /// Completes when no request is in flight on any connection (calls that go on after
    /// their HTTP response was dropped included).
    #[cfg(feature = "http")]
    pub(crate) async fn calls_finished(&self) {
        while self.in_flight.count() > 0 {
            tokio::time::sleep(DRAIN_POLL).await;
        }
    }

    /// The grace period is over: every call still running here is cancelled, tasks
    /// included.
    #[cfg(feature = "http")]
    pub(crate) fn cancel_everything(&self) {
        for id in self.live.ids() {
            if let Some(session) = self.live.get(&id) {
                session.cancel_all();
            }
        }
        for id in self.running_tasks.ids() {
            if let Some(task) = self.running_tasks.get(&id) {
                task.cancel();
            }
        }
    }
}
