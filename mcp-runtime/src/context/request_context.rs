use super::{RequestEnv, State};
use crate::mrtr::InputRound;
use crate::protocol::{LogLevel, notification};
use serde::Serialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// A binding's handle on its request: progress, logging, cancellation, state and the
/// request's [`RequestEnv`]. Take it as a parameter (`ctx: Context`); it is never part of
/// the argument schema.
///
/// ```
/// use mcp_runtime::prelude::*;
///
/// /// Count slowly to `n`, reporting progress.
/// #[mcp_tool]
/// async fn count(n: u32, ctx: Context) -> String {
///     for i in 1..=n {
///         if ctx.is_cancelled() {
///             return "cancelled".into();
///         }
///         ctx.progress(f64::from(i), Some(f64::from(n))).await;
///     }
///     ctx.log(LogLevel::Info, "done counting").await;
///     format!("counted to {n}")
/// }
/// ```
#[derive(Clone, Debug)]
pub struct Context {
    env: Arc<RequestEnv>,
    progress_token: Option<Value>,
    /// The stateless era's multi-round state (answers in, input requests out).
    pub(crate) input_round: Option<Arc<InputRound>>,
    /// The key the next request for input is asked under.
    pub(crate) input_key: Option<Arc<str>>,
    /// Set when this call may become a task (a `task` tool, a request that declared the
    /// tasks extension).
    pub(crate) task_launch: Option<Arc<crate::tasks::TaskLaunch>>,
}

impl Context {
    pub(crate) fn new(env: Arc<RequestEnv>, progress_token: Option<Value>) -> Self {
        Context {
            env,
            progress_token,
            input_round: None,
            input_key: None,
            task_launch: None,
        }
    }

    pub(crate) fn with_input_round(mut self, round: Option<Arc<InputRound>>) -> Self {
        self.input_round = round;
        self
    }

    pub(crate) fn with_task_launch(
        mut self,
        launch: Option<Arc<crate::tasks::TaskLaunch>>,
    ) -> Self {
        self.task_launch = launch;
        self
    }

    /// Turns this tool call into a task, from here on: the client gets a `CreateTaskResult`
    /// at once and polls `tasks/get`, and what the binding does next runs on its own
    /// (requests for input go through `tasks/update`, `tasks/cancel` cancels it). Returns
    /// whether the call is now a task: `false` when the tool was not declared with
    /// `#[mcp_tool(task)]`, the request did not declare the tasks extension (the 2025
    /// era never does), or the server keeps as many tasks as it may; the call then simply
    /// goes on within its request, so a binding is written the same either way.
    ///
    /// Input asked for before this point is asked within the request (a multi-round
    /// `input_required` reply in the 2026 era).
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    /// use std::time::Duration;
    ///
    /// /// Compute slowly.
    /// #[mcp_tool(task)]
    /// async fn slow_compute(seconds: u64, ctx: Context) -> String {
    ///     ctx.start_task().await;
    ///     tokio::time::sleep(Duration::from_secs(seconds)).await;
    ///     format!("done after {seconds}s")
    /// }
    /// ```
    pub async fn start_task(&self) -> bool {
        match &self.task_launch {
            Some(launch) => launch.start().await,
            None => false,
        }
    }

    /// A context whose next request for input (`elicit`, `sample`, `roots`) is asked under
    /// `key`. Keys name the answers of a multi-round request in the 2026 era, where clients
    /// may answer by key; the 2025 era ignores them.
    ///
    /// ```no_run
    /// # async fn f(ctx: mcp_runtime::Context) -> Result<(), mcp_runtime::context::ClientRequestError> {
    /// let schema = serde_json::json!({ "type": "object", "properties": { "name": { "type": "string" } } });
    /// let answer = ctx.input_key("user_name").elicit("What is your name?", schema).await?;
    /// # Ok(()) }
    /// ```
    pub fn input_key(&self, key: &str) -> Context {
        Context {
            input_key: Some(Arc::from(key)),
            ..self.clone()
        }
    }

    /// The request's environment: protocol revision, session, principal, capabilities.
    pub fn env(&self) -> &RequestEnv {
        &self.env
    }

    /// Shared state of type `T`, if the builder was given one.
    pub fn state<T: Send + Sync + 'static>(&self) -> Option<State<T>> {
        self.env.server().states.get::<T>()
    }

    /// Whether the client cancelled the request. Long-running bindings should check it.
    pub fn is_cancelled(&self) -> bool {
        self.env.is_cancelled()
    }

    /// Completes when the request is cancelled; use it in `tokio::select!`.
    pub async fn cancelled(&self) {
        self.env.cancellation.cancelled().await
    }

    /// Reports progress (`notifications/progress`). Does nothing when the client sent no
    /// `progressToken` with the request.
    pub async fn progress(&self, progress: f64, total: Option<f64>) {
        self.send_progress(progress, total, None).await
    }

    /// Reports progress with a human-readable message.
    pub async fn progress_with_message(&self, progress: f64, total: Option<f64>, message: &str) {
        self.send_progress(progress, total, Some(message)).await
    }

    async fn send_progress(&self, progress: f64, total: Option<f64>, message: Option<&str>) {
        let Some(token) = &self.progress_token else {
            return;
        };
        let mut params = json!({ "progressToken": token, "progress": progress });
        if let Some(total) = total {
            params["total"] = json!(total);
        }
        if let Some(message) = message {
            params["message"] = json!(message);
        }
        self.env
            .outbound()
            .send(notification("notifications/progress", params))
            .await;
    }

    /// Ends this request's SSE response early, once the client has the stream's priming
    /// event and `retry:` interval; the call goes on, and the client reconnects with
    /// `Last-Event-ID` (on any replica) to receive what follows (SSE polling, for long
    /// calls behind proxies that cut idle connections). Does nothing on stdio.
    pub async fn close_sse_stream(&self) {
        self.env.outbound().cut().await;
    }

    /// Tells every client that the list of `kind` changed (for bindings that change what
    /// the server offers through other means than [`McpServer::set_enabled`](crate::McpServer::set_enabled)).
    ///
    /// A store that cannot be reached loses the notice for HTTP sessions (logged).
    pub async fn notify_list_changed(&self, kind: crate::binding::BindingKind) {
        let notice = crate::shared::Notice::ListChanged { binding: kind };
        if let Err(error) = self.env.server().announce(notice).await {
            tracing::warn!(%error, "a list-changed notice was not stored");
        }
    }

    /// Sends a log message (`notifications/message`) when `level` is at least the level the
    /// client asked for with `logging/setLevel`.
    pub async fn log(&self, level: LogLevel, data: impl Serialize) {
        if self.env.log_level().is_none_or(|least| level < least) {
            return;
        }
        let params = json!({ "level": level, "data": data });
        self.env
            .outbound()
            .send(notification("notifications/message", params))
            .await;
    }
}
