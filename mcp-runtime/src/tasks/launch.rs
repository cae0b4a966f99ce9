//! A `tools/call` that may become a task: its call runs on a worker from the start; the
//! request answers with the call's result if it ends first, with `input_required` if it
//! asks for input before its task begins, or with `CreateTaskResult` once the binding
//! calls [`Context::start_task`](crate::Context::start_task), after which the worker goes
//! on alone and settles the task.

use super::running::RunningTask;
use super::view::{new_task_id, view};
use crate::context::CancellationToken;
use crate::mrtr::InputRound;
use crate::protocol::RpcError;
use crate::shared::Shared;
use crate::store::{NewTask, TaskOutcome};
use serde_json::Value;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::{OnceCell, oneshot};

/// How a task's call ended: its `CallToolResult`, a protocol error, or `None` when it was
/// cancelled before it finished.
pub(crate) type Settled = Option<Result<Value, RpcError>>;

/// What the worker tells the waiting request.
enum Handoff {
    /// The binding started its task: answer with this `CreateTaskResult`.
    Started(Value),
    /// The call ended before starting a task: answer with its outcome.
    Finished(Settled),
}

/// How a task-capable request was answered.
pub(crate) enum Launched {
    /// Run to the end within the request.
    Finished(Settled),
    /// Became this task.
    Task(Value),
    /// Asked for input before its task began (the multi-round reply).
    InputRequired(Value),
}

/// The link between a request and the call it may turn into a task.
#[derive(Debug)]
pub(crate) struct TaskLaunch {
    server: Arc<Shared>,
    owner: Option<String>,
    /// The worker's own cancellation, which `tasks/cancel` fires once it is a task.
    cancellation: CancellationToken,
    round: Option<Arc<InputRound>>,
    handoff: Mutex<Option<oneshot::Sender<Handoff>>>,
    task: OnceCell<Arc<RunningTask>>,
}

impl std::fmt::Debug for Handoff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Handoff::Started(_) => "Started",
            Handoff::Finished(_) => "Finished",
        })
    }
}

impl TaskLaunch {
    pub(crate) fn new(
        server: Arc<Shared>,
        owner: Option<String>,
        cancellation: CancellationToken,
        round: Option<Arc<InputRound>>,
    ) -> Self {
        TaskLaunch {
            server,
            owner,
            cancellation,
            round,
            handoff: Mutex::new(None),
            task: OnceCell::new(),
        }
    }

    /// The call's own cancellation, which `tasks/cancel` fires once it is a task.
    pub(crate) fn cancellation(&self) -> CancellationToken {
        self.cancellation.clone()
    }

    /// Turns the call into a task (once): stored before the client hears of it. `false`
    /// when the store has no room or cannot be reached; the call then goes on within its
    /// request.
    pub(crate) async fn start(&self) -> bool {
        let started = self.task.get_or_try_init(|| self.create()).await;
        started.is_ok()
    }

    async fn create(&self) -> Result<Arc<RunningTask>, ()> {
        let server = &self.server;
        let limits = server.config.task_limits;
        // One caller must not take every task slot: over its share, its call goes on
        // within its request, as when the store is full.
        if server.running_tasks.count_of(self.owner.as_deref()) >= limits.max_tasks_per_owner {
            tracing::warn!(
                "this caller runs as many tasks as it may; the call goes on within its request"
            );
            return Err(());
        }
        let task = NewTask::new(
            new_task_id(),
            self.owner.clone(),
            server.bus.replica().to_owned(),
            limits.ttl,
            limits.poll_interval,
        );
        let state = match server.task_store.create(task, limits.max_tasks).await {
            Ok(Some(state)) => state,
            Ok(None) => {
                tracing::warn!("no room for another task; the call goes on within its request");
                return Err(());
            }
            Err(error) => {
                tracing::warn!(%error, "the task could not be stored; the call goes on within its request");
                return Err(());
            }
        };
        let running = server.running_tasks.start(
            state.id.clone(),
            self.owner.clone(),
            Arc::clone(&server.task_store),
            self.cancellation.clone(),
        );
        // A task outlives its request, never its time to live.
        let cancellation = self.cancellation.clone();
        tokio::spawn(async move {
            tokio::time::sleep(limits.ttl).await;
            cancellation.cancel();
        });
        if let Some(round) = &self.round {
            round.begin_task(Arc::clone(&running));
        }
        let mut created = view(&state, false);
        created["resultType"] = "task".into();
        self.send(Handoff::Started(created));
        Ok(running)
    }

    fn send(&self, handoff: Handoff) {
        let sender = self
            .handoff
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(sender) = sender {
            // The request may be gone (cancelled); then nobody waits for the answer.
            let _ = sender.send(handoff);
        }
    }

    async fn finish(&self, settled: Settled) {
        let Some(task) = self.task.get() else {
            return self.send(Handoff::Finished(settled));
        };
        let outcome = match settled {
            None => TaskOutcome::Cancelled,
            Some(Ok(result)) => TaskOutcome::Completed(result),
            Some(Err(error)) => TaskOutcome::Failed(error),
        };
        task.finish(outcome).await;
        self.server.running_tasks.remove(task.id());
    }

    /// Runs `call` on a worker and answers the request as soon as its fate is known.
    pub(crate) async fn drive(
        self: Arc<Self>,
        call: impl Future<Output = Settled> + Send + 'static,
    ) -> Launched {
        let (sender, receiver) = oneshot::channel();
        *self.handoff.lock().unwrap_or_else(|e| e.into_inner()) = Some(sender);
        let launch = Arc::clone(&self);
        let worker = tokio::spawn(async move {
            let settled = tokio::select! {
                biased;
                () = launch.cancellation.cancelled() => None,
                settled = call => settled,
            };
            launch.finish(settled).await;
        });
        // Until the call is a task, it belongs to this request: dropping the request (a
        // cancellation, a closed connection) stops it.
        let mut worker = AbortOnDrop(Some(worker));
        let input_needed = async {
            match &self.round {
                Some(round) => round.input_needed().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            biased;
            handoff = receiver => match handoff {
                Ok(Handoff::Started(created)) => {
                    worker.detach();
                    Launched::Task(created)
                }
                Ok(Handoff::Finished(settled)) => Launched::Finished(settled),
                Err(_) => Launched::Finished(Some(Err(RpcError::internal(
                    "internal error: the call ended without an answer",
                )))),
            },
            () = input_needed => {
                let round = self.round.as_deref().expect("only waited on with a round");
                Launched::InputRequired(crate::mrtr::input_required(&self.server, round))
            }
        }
    }
}

struct AbortOnDrop(Option<tokio::task::JoinHandle<()>>);

impl AbortOnDrop {
    fn detach(&mut self) {
        self.0 = None;
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(worker) = self.0.take() {
            worker.abort();
        }
    }
}
