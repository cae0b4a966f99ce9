//! Where tasks live between polls: bounded in number, each kept for its time to live.

use super::record::TaskRecord;
use crate::context::CancellationToken;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// How many tasks a server keeps, and for how long.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TaskLimits {
    /// At most this many tasks at once; finished ones make room for new ones first.
    pub max_tasks: usize,
    /// How long a task is kept after it was created (`ttlMs`).
    pub ttl: Duration,
    /// How often clients are told to poll (`pollIntervalMs`).
    pub poll_interval: Duration,
}

impl Default for TaskLimits {
    fn default() -> Self {
        TaskLimits {
            max_tasks: 1_000,
            ttl: Duration::from_secs(3600),
            poll_interval: Duration::from_millis(500),
        }
    }
}

/// Every task is as many running tasks as the store allows: no room.
#[derive(Debug)]
pub(crate) struct StoreFull;

#[derive(Debug, Default)]
pub(crate) struct TaskStore {
    tasks: Mutex<HashMap<String, Arc<TaskRecord>>>,
}

impl TaskStore {
    fn tasks(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<TaskRecord>>> {
        self.tasks.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new task owned by `owner` (the principal's subject), stored before anyone hears
    /// of it, so a `tasks/get` right after its `CreateTaskResult` finds it.
    pub(crate) fn create(
        &self,
        limits: &TaskLimits,
        owner: Option<String>,
        cancellation: CancellationToken,
    ) -> Result<Arc<TaskRecord>, StoreFull> {
        let mut tasks = self.tasks();
        let now = SystemTime::now();
        tasks.retain(|_, task| {
            let keep = !task.expired(now);
            if !keep {
                task.cancel();
            }
            keep
        });
        if tasks.len() >= limits.max_tasks {
            let oldest_finished = tasks
                .values()
                .filter(|task| task.is_terminal())
                .min_by_key(|task| task.created)
                .map(|task| task.id.clone());
            tasks.remove(&oldest_finished.ok_or(StoreFull)?);
        }
        let task = Arc::new(TaskRecord::new(
            new_task_id(),
            owner,
            limits.ttl,
            limits.poll_interval,
            cancellation,
        ));
        tasks.insert(task.id.clone(), Arc::clone(&task));
        Ok(task)
    }

    /// The task `id`, if it exists, has not expired and belongs to `owner`; another
    /// caller's task is as unknown as one that never was.
    pub(crate) fn find(&self, id: &str, owner: Option<&str>) -> Option<Arc<TaskRecord>> {
        let mut tasks = self.tasks();
        let task = tasks.get(id)?;
        if task.expired(SystemTime::now()) {
            let task = tasks.remove(id)?;
            task.cancel();
            return None;
        }
        (task.owner.as_deref() == owner).then(|| Arc::clone(task))
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.tasks().len()
    }
}

/// 128 bits from the operating system's CSPRNG, as 32 hex characters: task ids are
/// bearer-like handles and must not be guessable.
fn new_task_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_tasks: usize, ttl: Duration) -> TaskLimits {
        TaskLimits {
            max_tasks,
            ttl,
            ..TaskLimits::default()
        }
    }

    #[test]
    fn tasks_are_found_by_their_owner_only() {
        let store = TaskStore::default();
        let task = store
            .create(
                &TaskLimits::default(),
                Some("alice".into()),
                CancellationToken::new(),
            )
            .unwrap();
        assert_eq!(task.id.len(), 32);
        assert!(store.find(&task.id, Some("alice")).is_some());
        assert!(store.find(&task.id, Some("bob")).is_none());
        assert!(store.find(&task.id, None).is_none());
        assert!(store.find("no-such-task", Some("alice")).is_none());
    }

    #[test]
    fn a_full_store_makes_room_from_finished_tasks_only() {
        let store = TaskStore::default();
        let limits = limits(2, Duration::from_secs(60));
        let first = store
            .create(&limits, None, CancellationToken::new())
            .unwrap();
        let second = store
            .create(&limits, None, CancellationToken::new())
            .unwrap();
        assert!(
            store
                .create(&limits, None, CancellationToken::new())
                .is_err()
        );
        second.finish(None);
        let third = store
            .create(&limits, None, CancellationToken::new())
            .unwrap();
        assert_eq!(store.len(), 2);
        assert!(store.find(&first.id, None).is_some());
        assert!(store.find(&second.id, None).is_none());
        assert!(store.find(&third.id, None).is_some());
    }

    #[test]
    fn expired_tasks_are_gone_and_their_calls_stopped() {
        let store = TaskStore::default();
        let token = CancellationToken::new();
        let task = store
            .create(&limits(10, Duration::ZERO), None, token.clone())
            .unwrap();
        assert!(store.find(&task.id, None).is_none());
        assert!(token.is_cancelled());
        assert_eq!(store.len(), 0);
    }
}
