//! The tasks whose calls run on this replica: what only this process can do for them
//! (stop the call, wake it when input arrives). Their state is in the store.

use crate::context::CancellationToken;
use crate::store::{TaskOutcome, TaskStore};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// A task whose call runs here.
#[derive(Debug)]
pub(crate) struct RunningTask {
    id: String,
    /// Its owner's subject (`None`: a caller with no principal).
    owner: Option<String>,
    store: Arc<dyn TaskStore>,
    cancellation: CancellationToken,
    /// Woken when `tasks/update` brought input (on any replica).
    answered: Notify,
}

/// How long a runner waits before asking a store that failed again.
const RETRY: Duration = Duration::from_millis(500);

impl RunningTask {
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    /// Stops the call (`tasks/cancel`, on any replica).
    pub(crate) fn cancel(&self) {
        self.cancellation.cancel();
    }

    /// Input arrived for the task: the call looks for its answer again.
    pub(crate) fn wake(&self) {
        self.answered.notify_waiters();
    }

    /// The answer to the request for input `key`: at once if `tasks/update` brought it,
    /// else the request is listed in `inputRequests` until it does. A store that cannot be
    /// reached is asked again; the call waits meanwhile (cancelling it still works).
    pub(crate) async fn input(&self, key: String, method: &str, params: Value) -> Value {
        let request = json!({ "method": method, "params": params });
        loop {
            let answered = self.answered.notified();
            tokio::pin!(answered);
            // Registered before the look, so an update in between is not missed.
            answered.as_mut().enable();
            match self.store.input(&self.id, &key, request.clone()).await {
                Ok(Some(answer)) => return answer,
                Ok(None) => answered.await,
                Err(error) => {
                    tracing::warn!(task = %self.id, %error, "could not read the task's input; retrying");
                    tokio::select! {
                        () = answered => {}
                        () = tokio::time::sleep(RETRY) => {}
                    }
                }
            }
        }
    }

    /// Records how the call ended, asking a failing store again for a while: the outcome
    /// is the one thing the client polls for.
    pub(crate) async fn finish(&self, outcome: TaskOutcome) {
        for attempt in 1..=20 {
            match self.store.finish(&self.id, outcome.clone()).await {
                Ok(()) => return,
                Err(error) if attempt == 20 => {
                    tracing::error!(task = %self.id, %error, "the task's outcome could not be stored");
                }
                Err(error) => {
                    tracing::warn!(task = %self.id, %error, "could not store the task's outcome; retrying");
                    tokio::time::sleep(RETRY).await;
                }
            }
        }
    }
}

/// The tasks running on this replica, by id.
#[derive(Debug, Default)]
pub(crate) struct RunningTasks {
    tasks: Mutex<HashMap<String, Arc<RunningTask>>>,
}

impl RunningTasks {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<RunningTask>>> {
        self.tasks.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many tasks of `owner` run here.
    pub(crate) fn count_of(&self, owner: Option<&str>) -> usize {
        self.lock()
            .values()
            .filter(|task| task.owner.as_deref() == owner)
            .count()
    }

    /// Registers the call of task `id` of `owner`, stopped by `cancellation`.
    pub(crate) fn start(
        &self,
        id: String,
        owner: Option<String>,
        store: Arc<dyn TaskStore>,
        cancellation: CancellationToken,
    ) -> Arc<RunningTask> {
        let task = Arc::new(RunningTask {
            id: id.clone(),
            owner,
            store,
            cancellation,
            answered: Notify::new(),
        });
        self.lock().insert(id, Arc::clone(&task));
        task
    }

    pub(crate) fn get(&self, id: &str) -> Option<Arc<RunningTask>> {
        self.lock().get(id).cloned()
    }

    pub(crate) fn remove(&self, id: &str) {
        self.lock().remove(id);
    }

    /// The ids of the tasks running here (whose leases this replica renews).
    pub(crate) fn ids(&self) -> Vec<String> {
        self.lock().keys().cloned().collect()
    }
}
