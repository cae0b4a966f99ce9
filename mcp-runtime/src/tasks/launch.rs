//! A `tools/call` that may become a task: its call runs on a worker from the start; the
//! request answers with the call's result if it ends first, with `input_required` if it
//! asks for input before its task begins, or with `CreateTaskResult` once the binding
//! calls [`Context::start_task`](crate::Context::start_task), after which the worker goes
//! on alone and settles the task.

use super::record::{Settled, TaskRecord};
use crate::context::CancellationToken;
use crate::mrtr::InputRound;
use crate::shared::Shared;
use serde_json::Value;
use std::future::Future;
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::oneshot;

/// What the worker tells the waiting request.
enum Handoff {
    /// The binding started its task: answer `CreateTaskResult`.
    Started(Arc<TaskRecord>),
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
    task: OnceLock<Arc<TaskRecord>>,
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
            task: OnceLock::new(),
        }
    }

    /// The call's own cancellation, which `tasks/cancel` fires once it is a task.
    pub(crate) fn cancellation(&self) -> CancellationToken {
        self.cancellation.clone()
    }

    /// Turns the call into a task (once); `false` when the store has no room, and the call
    /// then goes on within its request.
    pub(crate) fn start(&self) -> bool {
        if self.task.get().is_some() {
            return true;
        }
        let created = self.server.tasks.create(
            &self.server.config.task_limits,
            self.owner.clone(),
            self.cancellation.clone(),
        );
        let Ok(task) = created else {
            tracing::warn!("no room for another task; the call goes on within its request");
            return false;
        };
        let task = self.task.get_or_init(|| task);
        if let Some(round) = &self.round {
            round.begin_task(Arc::clone(task));
        }
        self.send(Handoff::Started(Arc::clone(task)));
        true
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

    fn finish(&self, settled: Settled) {
        match self.task.get() {
            Some(task) => task.finish(settled),
            None => self.send(Handoff::Finished(settled)),
        }
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
            launch.finish(settled);
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
                Ok(Handoff::Started(task)) => {
                    worker.detach();
                    let mut created = task.view(false);
                    created["resultType"] = "task".into();
                    Launched::Task(created)
                }
                Ok(Handoff::Finished(settled)) => Launched::Finished(settled),
                Err(_) => Launched::Finished(Some(Err(crate::protocol::RpcError::internal(
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
