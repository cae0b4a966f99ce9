use crate::protocol::RpcError;
use crate::tasks::RunningTask;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::Notify;

/// One round of a stateless request: the answers it came with, and the input requests the
/// binding made that it had no answer for.
#[derive(Debug)]
pub(crate) struct InputRound {
    /// The request, canonically encoded; its digest is only taken when a state is sealed or
    /// opened, which most requests never need.
    request: String,
    digest: OnceLock<String>,
    answers: Map<String, Value>,
    asked: Mutex<Map<String, Value>>,
    counters: Mutex<HashMap<&'static str, u32>>,
    invalid: Mutex<Option<String>>,
    needed: Notify,
    /// Once the call became a task, input is asked through the task instead.
    task: OnceLock<Arc<RunningTask>>,
}

impl InputRound {
    /// A round of the canonically encoded `request`, with no answers yet.
    pub(crate) fn new(request: String) -> Self {
        InputRound {
            request,
            digest: OnceLock::new(),
            answers: Map::new(),
            asked: Mutex::new(Map::new()),
            counters: Mutex::new(HashMap::new()),
            invalid: Mutex::new(None),
            needed: Notify::new(),
            task: OnceLock::new(),
        }
    }

    /// The answers of earlier rounds and this one.
    pub(crate) fn with_answers(mut self, answers: Map<String, Value>) -> Self {
        self.answers = answers;
        self
    }

    /// The request's digest (what its state is bound to), taken once when first needed.
    pub(crate) fn digest(&self) -> &str {
        self.digest
            .get_or_init(|| super::state::digest_of(&self.request))
    }

    pub(crate) fn answers(&self) -> &Map<String, Value> {
        &self.answers
    }

    /// The default key of the next request of `kind` (`elicitation-1`, `sampling-2`...):
    /// the same on every run of the binding, as long as it asks in the same order.
    pub(crate) fn next_key(&self, kind: &str) -> String {
        let mut counters = self.counters.lock().unwrap_or_else(|e| e.into_inner());
        let kind: &'static str = match kind {
            "elicitation/create" => "elicitation",
            "sampling/createMessage" => "sampling",
            "roots/list" => "roots",
            _ => "input",
        };
        let n = counters.entry(kind).or_insert(0);
        *n += 1;
        format!("{kind}-{n}")
    }

    /// From now on the call is `task`: requests for input wait for its `tasks/update`.
    pub(crate) fn begin_task(&self, task: Arc<RunningTask>) {
        let _ = self.task.set(task);
    }

    /// The answer to the request `key`: one that came with the request, else, in a task,
    /// the one `tasks/update` brings; else the request is recorded and this never
    /// completes (the call is then answered `input_required`).
    pub(crate) async fn ask(&self, key: String, method: &str, params: Value) -> Value {
        if let Some(answer) = self.answers.get(&key) {
            return answer.clone();
        }
        if let Some(task) = self.task.get() {
            return task.input(key, method, params).await;
        }
        self.asked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, json!({ "method": method, "params": params }));
        self.needed.notify_one();
        std::future::pending().await
    }

    /// Records that the answer to `key` was malformed: the request is refused with `-32602`.
    pub(crate) fn reject_answer(&self, key: &str, why: &str) {
        *self.invalid.lock().unwrap_or_else(|e| e.into_inner()) = Some(format!(
            "invalid params: inputResponses[\"{key}\"] is malformed: {why}"
        ));
    }

    pub(crate) fn invalid_answer(&self) -> Option<RpcError> {
        self.invalid
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .map(RpcError::invalid_params)
    }

    pub(crate) async fn input_needed(&self) {
        self.needed.notified().await
    }

    pub(crate) fn take_requests(&self) -> Map<String, Value> {
        std::mem::take(&mut *self.asked.lock().unwrap_or_else(|e| e.into_inner()))
    }
}
