//! Tasks in memory: bounded in number (finished ones make room first), each kept for its
//! time to live. Their runner is this process, so no lease is needed.

use crate::store::{NewTask, StoreFuture, TaskOutcome, TaskState, TaskStatus, TaskStore, ready};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::SystemTime;

#[derive(Debug, Default)]
pub(crate) struct MemoryTasks {
    tasks: Mutex<HashMap<String, Entry>>,
}

#[derive(Debug)]
struct Entry {
    state: TaskState,
    /// Answers `tasks/update` brought that the call has not taken yet.
    answers: Map<String, Value>,
}

impl Entry {
    fn expired(&self, now: SystemTime) -> bool {
        now.duration_since(self.state.created_at)
            .is_ok_and(|age| age >= self.state.ttl)
    }

    fn running(&self) -> bool {
        !self.state.status.is_terminal()
    }

    /// Marks a change; a running task is `input_required` while it waits on input.
    fn changed(&mut self) {
        self.state.last_updated_at = SystemTime::now();
        if self.running() {
            self.state.status = if self.state.input_requests.is_empty() {
                TaskStatus::Working
            } else {
                TaskStatus::InputRequired
            };
        }
    }
}

impl MemoryTasks {
    fn tasks(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.tasks.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The live entry `id` (an expired one is dropped).
    fn find<'t>(tasks: &'t mut HashMap<String, Entry>, id: &str) -> Option<&'t mut Entry> {
        if tasks.get(id)?.expired(SystemTime::now()) {
            tasks.remove(id);
            return None;
        }
        tasks.get_mut(id)
    }

    /// The live entry `id` of `owner`.
    fn owned<'t>(
        tasks: &'t mut HashMap<String, Entry>,
        id: &str,
        owner: Option<&str>,
    ) -> Option<&'t mut Entry> {
        Self::find(tasks, id).filter(|entry| entry.state.owner.as_deref() == owner)
    }
}

impl TaskStore for MemoryTasks {
    fn create(&self, task: NewTask, max_tasks: usize) -> StoreFuture<'_, Option<TaskState>> {
        let mut tasks = self.tasks();
        let now = SystemTime::now();
        tasks.retain(|_, entry| !entry.expired(now));
        if tasks.len() >= max_tasks {
            let oldest_finished = tasks
                .values()
                .filter(|entry| !entry.running())
                .min_by_key(|entry| entry.state.created_at)
                .map(|entry| entry.state.id.clone());
            match oldest_finished {
                Some(id) => tasks.remove(&id),
                None => return ready(None),
            };
        }
        let state = TaskState {
            id: task.id,
            owner: task.owner,
            runner: task.runner,
            status: TaskStatus::Working,
            created_at: now,
            last_updated_at: now,
            ttl: task.ttl,
            poll_interval: task.poll_interval,
            input_requests: Map::new(),
            result: None,
            error: None,
        };
        let entry = Entry {
            state: state.clone(),
            answers: Map::new(),
        };
        tasks.insert(state.id.clone(), entry);
        ready(Some(state))
    }

    fn get(&self, id: &str, owner: Option<&str>) -> StoreFuture<'_, Option<TaskState>> {
        ready(Self::owned(&mut self.tasks(), id, owner).map(|entry| entry.state.clone()))
    }

    fn input(&self, id: &str, key: &str, request: Value) -> StoreFuture<'_, Option<Value>> {
        let mut tasks = self.tasks();
        let Some(entry) = Self::find(&mut tasks, id).filter(|e| e.running()) else {
            return ready(None);
        };
        if let Some(answer) = entry.answers.remove(key) {
            return ready(Some(answer));
        }
        if !entry.state.input_requests.contains_key(key) {
            entry.state.input_requests.insert(key.to_owned(), request);
            entry.changed();
        }
        ready(None)
    }

    fn answer(
        &self,
        id: &str,
        owner: Option<&str>,
        responses: Map<String, Value>,
    ) -> StoreFuture<'_, Option<String>> {
        let mut tasks = self.tasks();
        let Some(entry) = Self::owned(&mut tasks, id, owner) else {
            return ready(None);
        };
        let mut took = false;
        for (key, answer) in responses {
            if entry.state.input_requests.remove(&key).is_some() {
                entry.answers.insert(key, answer);
                took = true;
            }
        }
        if took {
            entry.changed();
        }
        ready(Some(entry.state.runner.clone()))
    }

    fn finish(&self, id: &str, outcome: TaskOutcome) -> StoreFuture<'_, ()> {
        let mut tasks = self.tasks();
        if let Some(entry) = Self::find(&mut tasks, id).filter(|e| e.running()) {
            settle(entry, outcome);
        }
        ready(())
    }

    fn cancel(&self, id: &str, owner: Option<&str>) -> StoreFuture<'_, Option<String>> {
        let mut tasks = self.tasks();
        let Some(entry) = Self::owned(&mut tasks, id, owner) else {
            return ready(None);
        };
        if entry.running() {
            settle(entry, TaskOutcome::Cancelled);
        }
        ready(Some(entry.state.runner.clone()))
    }
}

/// Ends a running task with `outcome`.
fn settle(entry: &mut Entry, outcome: TaskOutcome) {
    let state = &mut entry.state;
    state.status = match outcome {
        TaskOutcome::Completed(result) => {
            state.result = Some(result);
            TaskStatus::Completed
        }
        TaskOutcome::Failed(error) => {
            state.error = Some(error);
            TaskStatus::Failed
        }
        TaskOutcome::Cancelled => TaskStatus::Cancelled,
    };
    state.input_requests.clear();
    entry.answers.clear();
    entry.changed();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::RpcError;
    use serde_json::json;
    use std::time::Duration;

    fn task(id: &str, owner: Option<&str>, ttl: Duration) -> NewTask {
        NewTask::new(
            id.into(),
            owner.map(str::to_owned),
            "local".into(),
            ttl,
            Duration::from_millis(500),
        )
    }

    const HOUR: Duration = Duration::from_secs(3600);

    #[tokio::test]
    async fn tasks_are_found_by_their_owner_only() {
        let store = MemoryTasks::default();
        store
            .create(task("t", Some("alice"), HOUR), 10)
            .await
            .unwrap()
            .unwrap();
        assert!(store.get("t", Some("alice")).await.unwrap().is_some());
        assert!(store.get("t", Some("bob")).await.unwrap().is_none());
        assert!(store.get("t", None).await.unwrap().is_none());
        assert!(store.cancel("t", Some("bob")).await.unwrap().is_none());
        assert!(store.get("nope", Some("alice")).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn a_full_store_makes_room_from_finished_tasks_only() {
        let store = MemoryTasks::default();
        store
            .create(task("first", None, HOUR), 2)
            .await
            .unwrap()
            .unwrap();
        store
            .create(task("second", None, HOUR), 2)
            .await
            .unwrap()
            .unwrap();
        assert!(
            store
                .create(task("refused", None, HOUR), 2)
                .await
                .unwrap()
                .is_none()
        );
        store
            .finish("second", TaskOutcome::Cancelled)
            .await
            .unwrap();
        store
            .create(task("third", None, HOUR), 2)
            .await
            .unwrap()
            .unwrap();
        assert!(store.get("first", None).await.unwrap().is_some());
        assert!(store.get("second", None).await.unwrap().is_none());
        assert!(store.get("third", None).await.unwrap().is_some());
    }

    #[tokio::test]
    async fn input_is_listed_until_answered_and_the_first_ending_stands() {
        let store = MemoryTasks::default();
        store
            .create(task("t", None, HOUR), 10)
            .await
            .unwrap()
            .unwrap();
        let request = json!({ "method": "elicitation/create", "params": {} });
        assert_eq!(
            store.input("t", "confirm", request.clone()).await.unwrap(),
            None
        );
        let waiting = store.get("t", None).await.unwrap().unwrap();
        assert_eq!(waiting.status, TaskStatus::InputRequired);
        assert_eq!(waiting.input_requests["confirm"], request);
        let mut answers = Map::new();
        answers.insert("stray".into(), json!(1));
        answers.insert("confirm".into(), json!({ "action": "accept" }));
        assert_eq!(
            store.answer("t", None, answers).await.unwrap().as_deref(),
            Some("local")
        );
        assert_eq!(
            store.get("t", None).await.unwrap().unwrap().status,
            TaskStatus::Working
        );
        assert_eq!(
            store.input("t", "confirm", request).await.unwrap(),
            Some(json!({ "action": "accept" }))
        );
        store
            .finish("t", TaskOutcome::Completed(json!({ "content": [] })))
            .await
            .unwrap();
        store.cancel("t", None).await.unwrap().unwrap();
        store
            .finish("t", TaskOutcome::Failed(RpcError::internal("late")))
            .await
            .unwrap();
        let done = store.get("t", None).await.unwrap().unwrap();
        assert_eq!(done.status, TaskStatus::Completed);
        assert_eq!(done.result, Some(json!({ "content": [] })));
    }

    #[tokio::test]
    async fn expired_tasks_are_gone() {
        let store = MemoryTasks::default();
        store
            .create(task("t", None, Duration::ZERO), 10)
            .await
            .unwrap()
            .unwrap();
        assert!(store.get("t", None).await.unwrap().is_none());
    }
}
