//! One task: its status, the input it waits for, its outcome, and how it looks on the wire.

use super::time::rfc3339;
use crate::context::CancellationToken;
use crate::protocol::RpcError;
use serde_json::{Map, Value, json};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};
use tokio::sync::Notify;

/// How a task's call ended: its `CallToolResult`, a protocol error, or `None` when it was
/// cancelled before it finished.
pub(crate) type Settled = Option<Result<Value, RpcError>>;

#[derive(Debug)]
enum Progress {
    Running,
    Completed(Value),
    Failed(RpcError),
    Cancelled,
}

#[derive(Debug)]
struct TaskState {
    progress: Progress,
    last_updated: SystemTime,
    /// Requests for input the call waits on, by key (the task is `input_required` while
    /// there is one).
    outstanding: Map<String, Value>,
    /// Answers that arrived with `tasks/update` and were not taken by the call yet.
    answers: Map<String, Value>,
}

/// A call that outlives its `tools/call`: the client polls it with `tasks/get`, answers its
/// requests for input with `tasks/update` and stops it with `tasks/cancel`.
#[derive(Debug)]
pub(crate) struct TaskRecord {
    pub(super) id: String,
    pub(super) owner: Option<String>,
    pub(super) created: SystemTime,
    ttl: Duration,
    poll_interval: Duration,
    cancellation: CancellationToken,
    state: Mutex<TaskState>,
    answered: Notify,
}

impl TaskRecord {
    pub(super) fn new(
        id: String,
        owner: Option<String>,
        ttl: Duration,
        poll_interval: Duration,
        cancellation: CancellationToken,
    ) -> Self {
        let created = SystemTime::now();
        TaskRecord {
            id,
            owner,
            created,
            ttl,
            poll_interval,
            cancellation,
            state: Mutex::new(TaskState {
                progress: Progress::Running,
                last_updated: created,
                outstanding: Map::new(),
                answers: Map::new(),
            }),
            answered: Notify::new(),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, TaskState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn expired(&self, now: SystemTime) -> bool {
        now.duration_since(self.created)
            .is_ok_and(|age| age >= self.ttl)
    }

    pub(super) fn is_terminal(&self) -> bool {
        !matches!(self.state().progress, Progress::Running)
    }

    /// The answer to the request for input `key`: at once if `tasks/update` brought it,
    /// else the request is listed in `inputRequests` until it does.
    pub(crate) async fn input(&self, key: String, method: &str, params: Value) -> Value {
        loop {
            let answered = self.answered.notified();
            tokio::pin!(answered);
            // Registered before the look, so an update in between is not missed.
            answered.as_mut().enable();
            {
                let mut state = self.state();
                if let Some(answer) = state.answers.remove(&key) {
                    return answer;
                }
                if !state.outstanding.contains_key(&key) {
                    let request = json!({ "method": method, "params": params });
                    state.outstanding.insert(key.clone(), request);
                    state.last_updated = SystemTime::now();
                }
            }
            answered.await;
        }
    }

    /// `tasks/update`: takes the answers to requests the task waits on; answers to
    /// anything else (already answered, never asked) are ignored, as the extension says.
    pub(crate) fn answer(&self, responses: &Map<String, Value>) {
        let mut state = self.state();
        let mut took = false;
        for (key, answer) in responses {
            if state.outstanding.remove(key).is_some() {
                state.answers.insert(key.clone(), answer.clone());
                took = true;
            }
        }
        if took {
            state.last_updated = SystemTime::now();
            drop(state);
            self.answered.notify_waiters();
        }
    }

    /// `tasks/cancel`: a running task is cancelled at once and its call stopped; a finished
    /// one keeps its outcome.
    pub(crate) fn cancel(&self) {
        let mut state = self.state();
        if matches!(state.progress, Progress::Running) {
            state.progress = Progress::Cancelled;
            state.outstanding.clear();
            state.last_updated = SystemTime::now();
        }
        drop(state);
        self.cancellation.cancel();
    }

    /// Records how the call ended, unless the task already ended (cancelled meanwhile).
    pub(crate) fn finish(&self, settled: Settled) {
        let mut state = self.state();
        if !matches!(state.progress, Progress::Running) {
            return;
        }
        state.progress = match settled {
            None => Progress::Cancelled,
            Some(Ok(result)) => Progress::Completed(result),
            Some(Err(error)) => Progress::Failed(error),
        };
        state.outstanding.clear();
        state.last_updated = SystemTime::now();
    }

    /// The task as `CreateTaskResult` (`detailed: false`: the fields of every task) or as
    /// `tasks/get` answers it (with `inputRequests`, `result` or `error` for its status).
    pub(crate) fn view(&self, detailed: bool) -> Value {
        let state = self.state();
        let status = match &state.progress {
            Progress::Running if state.outstanding.is_empty() => "working",
            Progress::Running => "input_required",
            Progress::Completed(_) => "completed",
            Progress::Failed(_) => "failed",
            Progress::Cancelled => "cancelled",
        };
        let mut view = json!({
            "taskId": self.id,
            "status": status,
            "createdAt": rfc3339(self.created),
            "lastUpdatedAt": rfc3339(state.last_updated),
            "ttlMs": millis(self.ttl),
            "pollIntervalMs": millis(self.poll_interval),
        });
        if detailed {
            match &state.progress {
                Progress::Running if !state.outstanding.is_empty() => {
                    view["inputRequests"] = Value::Object(state.outstanding.clone());
                }
                Progress::Completed(result) => view["result"] = result.clone(),
                Progress::Failed(error) => {
                    view["statusMessage"] = json!(error.message);
                    view["error"] = json!(error);
                }
                _ => {}
            }
        }
        view
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn record() -> Arc<TaskRecord> {
        Arc::new(TaskRecord::new(
            "t1".into(),
            None,
            Duration::from_secs(60),
            Duration::from_millis(500),
            CancellationToken::new(),
        ))
    }

    #[tokio::test]
    async fn input_is_listed_until_answered_and_answers_to_other_keys_are_ignored() {
        let task = record();
        let waiting = tokio::spawn({
            let task = Arc::clone(&task);
            async move {
                task.input("confirm".into(), "elicitation/create", json!({}))
                    .await
            }
        });
        while task.view(true)["status"] != "input_required" {
            tokio::task::yield_now().await;
        }
        assert_eq!(
            task.view(true)["inputRequests"]["confirm"]["method"],
            "elicitation/create"
        );
        let mut stray = Map::new();
        stray.insert("unknown".into(), json!({ "ignored": true }));
        task.answer(&stray);
        assert_eq!(task.view(true)["status"], "input_required");
        let mut answer = Map::new();
        answer.insert("confirm".into(), json!({ "action": "accept" }));
        task.answer(&answer);
        // The answered key is gone at once, before the call even took the answer.
        assert_eq!(task.view(true)["status"], "working");
        assert_eq!(waiting.await.unwrap(), json!({ "action": "accept" }));
    }

    #[test]
    fn the_first_ending_stands() {
        let task = record();
        task.finish(Some(Ok(json!({ "content": [] }))));
        task.cancel();
        let view = task.view(true);
        assert_eq!(view["status"], "completed");
        assert_eq!(view["result"], json!({ "content": [] }));

        let task = record();
        task.cancel();
        task.finish(Some(Err(RpcError::internal("late"))));
        assert_eq!(task.view(true)["status"], "cancelled");
        assert!(task.cancellation.is_cancelled());
    }

    #[test]
    fn views_carry_only_what_their_status_allows() {
        let task = record();
        let created = task.view(false);
        for key in ["result", "error", "inputRequests", "requestState", "ttl"] {
            assert!(created.get(key).is_none(), "{key} in {created}");
        }
        assert_eq!(created["ttlMs"], 60_000);
        assert_eq!(created["pollIntervalMs"], 500);
        task.finish(Some(Err(RpcError::internal("boom"))));
        let failed = task.view(true);
        assert_eq!(failed["status"], "failed");
        assert_eq!(failed["error"]["code"], -32603);
        assert!(failed.get("result").is_none());
    }
}
