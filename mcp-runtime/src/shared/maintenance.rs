//! A replica's housekeeping while it serves: expired sessions swept from a store that does
//! not expire them itself, sessions ended elsewhere let go here, quiet ones released, and
//! the leases on this replica's tasks renewed.

use super::Shared;
use crate::store::Topic;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// How long a session may be quiet on this replica before its live parts are let go (its
/// record stays in the store: a later request makes it live again).
const RELEASE_QUIET_AFTER: Duration = Duration::from_secs(60);

impl Shared {
    /// Starts the housekeeping (once per server, when it starts serving), on the current
    /// runtime; without one, expired sessions go when looked up.
    pub(crate) fn start_maintenance(self: &Arc<Self>) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        if self.maintenance.swap(true, Ordering::AcqRel) {
            return;
        }
        let interval = self.maintenance_interval();
        let server = Arc::downgrade(self);
        runtime.spawn(async move {
            loop {
                tokio::time::sleep(interval).await;
                let Some(server) = server.upgrade() else {
                    return;
                };
                server.maintain().await;
            }
        });
    }

    /// A quarter of the shorter session lifetime, within 100 ms and a minute; a third of a
    /// task lease when that is shorter.
    fn maintenance_interval(&self) -> Duration {
        let lifetime = self
            .config
            .session_idle_timeout
            .min(self.config.session_max_age);
        let interval = (lifetime / 4).clamp(Duration::from_millis(100), Duration::from_secs(60));
        match self.task_store.lease() {
            Some(lease) => interval.min(lease / 3),
            None => interval,
        }
    }

    async fn maintain(&self) {
        if let Err(error) = self.sessions.sweep().await {
            tracing::debug!(%error, "could not sweep expired sessions");
        }
        let live = self.live.ids();
        if !live.is_empty() {
            match self.sessions.retain_live(live.clone()).await {
                Ok(alive) => {
                    for id in live.iter().filter(|id| !alive.contains(id)) {
                        self.forget_session(id);
                    }
                }
                Err(error) => tracing::debug!(%error, "could not check the live sessions"),
            }
        }
        let quiet = RELEASE_QUIET_AFTER.min(self.config.session_idle_timeout);
        for session in self.live.release_quiet(quiet) {
            if let Some(id) = session.shared_id().filter(|_| session.is_joined()) {
                let _ = self.bus.leave(&Topic::Session(Arc::clone(id))).await;
            }
        }
        if self.task_store.lease().is_some() {
            let running = self.running_tasks.ids();
            if !running.is_empty()
                && let Err(error) = self.task_store.renew(self.bus.replica(), running).await
            {
                tracing::warn!(%error, "could not renew the leases of this replica's tasks");
            }
        }
    }
}
