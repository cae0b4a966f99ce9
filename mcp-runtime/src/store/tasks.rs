//! Tasks (the tasks extension, 2026-07-28 era): a tool call that outlives its request,
//! polled and fed input by the client from any replica. The call itself runs on one
//! replica, its runner; the task's state lives here.

use super::StoreFuture;
use crate::protocol::RpcError;
use serde_json::{Map, Value};
use std::time::{Duration, SystemTime};

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TaskStatus {
    /// Its call runs.
    Working,
    /// Its call waits for input (`tasks/update`).
    InputRequired,
    /// It finished with a result.
    Completed,
    /// It failed (a protocol error, a panic, or its runner stopped).
    Failed,
    /// It was cancelled.
    Cancelled,
}

impl TaskStatus {
    /// Whether the task ended (nothing changes it any more).
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            TaskStatus::Completed | TaskStatus::Failed | TaskStatus::Cancelled
        )
    }

    /// As the extension spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Working => "working",
            TaskStatus::InputRequired => "input_required",
            TaskStatus::Completed => "completed",
            TaskStatus::Failed => "failed",
            TaskStatus::Cancelled => "cancelled",
        }
    }
}

/// A task as a store keeps it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TaskState {
    /// The task id: 32 hex characters from the operating system's CSPRNG.
    pub id: String,
    /// The subject of the principal that created it; only it may see the task.
    pub owner: Option<String>,
    /// The replica running its call (by [`Bus::replica`](super::Bus::replica)).
    pub runner: String,
    /// Where it stands.
    pub status: TaskStatus,
    /// When it was created.
    pub created_at: SystemTime,
    /// When it last changed.
    pub last_updated_at: SystemTime,
    /// How long it is kept after its creation.
    pub ttl: Duration,
    /// How often clients are asked to poll.
    pub poll_interval: Duration,
    /// The requests for input its call waits on, by key.
    pub input_requests: Map<String, Value>,
    /// Its `CallToolResult`, once completed.
    pub result: Option<Value>,
    /// Its error, once failed.
    pub error: Option<RpcError>,
}

/// A task to create.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewTask {
    /// Its id.
    pub id: String,
    /// Its owner's subject.
    pub owner: Option<String>,
    /// The replica that runs it.
    pub runner: String,
    /// How long it is kept.
    pub ttl: Duration,
    /// How often clients are asked to poll.
    pub poll_interval: Duration,
}

impl NewTask {
    /// A task to create.
    pub fn new(
        id: String,
        owner: Option<String>,
        runner: String,
        ttl: Duration,
        poll_interval: Duration,
    ) -> Self {
        NewTask {
            id,
            owner,
            runner,
            ttl,
            poll_interval,
        }
    }
}

/// How a task's call ended.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum TaskOutcome {
    /// With this `CallToolResult`.
    Completed(Value),
    /// With a protocol error.
    Failed(RpcError),
    /// Cancelled before it finished.
    Cancelled,
}

impl std::fmt::Debug for dyn TaskStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TaskStore")
    }
}

/// Where tasks live between polls.
pub trait TaskStore: Send + Sync + 'static {
    /// Stores a new working task before anyone hears of it, so a `tasks/get` on any
    /// replica right after its `CreateTaskResult` finds it. `None` when `max_tasks` are
    /// running already (the call then goes on within its request).
    fn create(&self, task: NewTask, max_tasks: usize) -> StoreFuture<'_, Option<TaskState>>;

    /// The task `id`, if it exists, has not expired and belongs to `owner`; another
    /// caller's task is as unknown as one that never was. A running task whose runner's
    /// lease lapsed is failed first.
    fn get(&self, id: &str, owner: Option<&str>) -> StoreFuture<'_, Option<TaskState>>;

    /// The runner asks for input `key`: the answer `tasks/update` brought (taken once),
    /// else the request is listed in `inputRequests` until one comes.
    fn input(&self, id: &str, key: &str, request: Value) -> StoreFuture<'_, Option<Value>>;

    /// `tasks/update`: takes the answers to requests the task waits on (others are
    /// ignored). The task's runner, to wake; `None` when there is no such task of `owner`.
    fn answer(
        &self,
        id: &str,
        owner: Option<&str>,
        responses: Map<String, Value>,
    ) -> StoreFuture<'_, Option<String>>;

    /// Records how the call ended, unless the task ended already (cancelled meanwhile).
    fn finish(&self, id: &str, outcome: TaskOutcome) -> StoreFuture<'_, ()>;

    /// `tasks/cancel`: a running task is cancelled (a finished one keeps its outcome).
    /// The task's runner, to stop its call; `None` when there is no such task of `owner`.
    fn cancel(&self, id: &str, owner: Option<&str>) -> StoreFuture<'_, Option<String>>;

    /// How long a runner's claim on its tasks lasts unless renewed; `None` for a store
    /// whose tasks cannot outlive their runner (the in-memory one).
    fn lease(&self) -> Option<Duration> {
        None
    }

    /// Renews `runner`'s claim on `tasks` (running ones).
    fn renew(&self, runner: &str, tasks: Vec<String>) -> StoreFuture<'_, ()> {
        let _ = (runner, tasks);
        Box::pin(std::future::ready(Ok(())))
    }
}
