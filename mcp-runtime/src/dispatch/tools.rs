//! `tools/call`: resolve, guard, validate, call, render.

use super::arguments::{Checked, check};
use super::invoke::{CatchPanic, Failure, invoke};
use super::stopped;
use super::{Reply, RequestMeta, Routed, encoded, to_reply};
use crate::context::CancellationToken;
use crate::context::{Context, RequestEnv};
use crate::extract::RawArguments;
use crate::guard::LimitCheck;
use crate::mrtr::{self, InputRound, Stop};
use crate::protocol::{CallToolResult, ProtocolVersion, RpcError, ToolCallParams, invalid_params};
use crate::registry::FrozenTool;
use crate::render::ToolOutput;
use crate::service_error::ToolError;
use crate::shared::Shared;
use crate::tasks::{self, Launched, TaskLaunch, TaskSupport};
use crate::telemetry::{BindingScope, DispatchSpan, Operation, Outcome};
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;

/// A started `tools/call`.
pub(super) enum Started {
    /// Answered already: refused, or its call finished at once.
    Answered(Reply),
    /// Its call runs on in this future.
    Running(Routed<'static>),
}

/// Starts a `tools/call`. Its synchronous half (resolve, guards, the multi-round state, the
/// arguments' check) runs now, while `params` may still borrow the request's bytes; what
/// is left to run owns all it needs. With `in_place`, the call itself is polled once here
/// too, and a call that finishes then (any tool that does not wait on something) is
/// answered without a future. A panic in the synchronous half is raised again by the
/// future, where it is caught and answered like any handler's.
pub(super) fn start(
    server: &Shared,
    params: Result<ToolCallParams<'_>, RpcError>,
    env: &Arc<RequestEnv>,
    in_place: bool,
) -> Started {
    let begun = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        begin(server, params?, env, in_place)
    }));
    let running: Routed<'static> = match begun {
        Ok(Ok(Begun::Done {
            outcome,
            span,
            round,
            tool,
        })) => {
            let outcome = mrtr::refused(env, round.as_deref(), outcome);
            return Started::Answered(conclude(env, outcome, span, tool));
        }
        Ok(Ok(Begun::Call {
            limit,
            call,
            span,
            round,
            tool,
        })) => Box::pin(finish(Arc::clone(env), limit, call, span, round, tool)),
        Ok(Ok(Begun::Task { launch, settle })) => Box::pin(async move {
            match launch.drive(settle).await {
                Launched::Task(created) | Launched::InputRequired(created) => to_reply(&created),
                Launched::Finished(Some(settled)) => settled.and_then(|result| to_reply(&result)),
                Launched::Finished(None) => {
                    Err(RpcError::internal("internal error: call cancelled"))
                }
            }
        }),
        Ok(Err(error)) => return Started::Answered(Err(error)),
        Err(panic) => Box::pin(async move { std::panic::resume_unwind(panic) }),
    };
    Started::Running(running)
}

/// Runs a begun call to its reply. Only what the call needs once it runs is kept in this
/// future: it is allocated per request, and a small one stays in the allocator's fast
/// per-thread cache.
async fn finish(
    env: Arc<RequestEnv>,
    limit: Option<LimitCheck>,
    call: PreparedCall,
    span: DispatchSpan,
    round: Option<Arc<InputRound>>,
    tool: usize,
) -> Reply {
    if let Some(limit) = limit
        && let Err(refused) = limit.await
    {
        span.end(Outcome::RpcError(refused.code));
        return Err(refused);
    }
    let outcome = mrtr::run(env.server(), &env, round.as_deref(), call).await;
    conclude(&env, outcome, span, tool)
}

/// The reply of a call that ran, or was stopped. Ends the span.
fn conclude(
    env: &RequestEnv,
    outcome: Result<CallOutcome, Stop>,
    span: DispatchSpan,
    tool: usize,
) -> Reply {
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(stop) => {
            span.end(match &stop {
                Stop::InputRequired(_) => Outcome::Ok,
                Stop::Refused(error) => Outcome::RpcError(error.code),
            });
            return stopped(stop);
        }
    };
    let name = &env.server().registry.tool_at(tool).binding.common.name;
    let mut output = settle(outcome, name, span)?;
    for_revision(&mut output, env.protocol_version);
    encoded(output.to_json())
}

/// A call ready to run: in this request, or as a task; or run already.
enum Begun {
    /// The call finished (or never started: its arguments were refused).
    Done {
        outcome: CallOutcome,
        span: DispatchSpan,
        round: Option<Arc<InputRound>>,
        tool: usize,
    },
    Call {
        /// The rate limit's check, when it could not answer at once: the call waits for it.
        limit: Option<LimitCheck>,
        call: PreparedCall,
        span: DispatchSpan,
        round: Option<Arc<InputRound>>,
        /// Where the tool is in the registry.
        tool: usize,
    },
    Task {
        launch: Arc<TaskLaunch>,
        settle: Pin<Box<dyn Future<Output = tasks::Settled> + Send>>,
    },
}

/// Everything before the call runs: resolve, guards, the multi-round state, the arguments'
/// check. An error here ends the span.
fn begin(
    server: &Shared,
    params: ToolCallParams<'_>,
    env: &Arc<RequestEnv>,
    in_place: bool,
) -> Result<Begun, RpcError> {
    let meta: Option<RequestMeta> = params
        .meta
        .map(|meta| serde_json::from_str(meta.get()))
        .transpose()
        .map_err(invalid_params)?;
    let index = server
        .registry
        .tool_index(&params.name)
        .ok_or_else(|| RpcError::invalid_params(format!("Unknown tool: {}", params.name)))?;
    let tool = server.registry.tool_at(index);
    let mut span = DispatchSpan::start(
        &server.config.telemetry,
        Operation::ToolsCall,
        &tool.binding.common.name,
        env,
        meta.as_ref(),
    );
    let ready = (|| -> Result<_, RpcError> {
        let (may_be_task, limit) = task_mode(tool, env)?;
        if let Some(arguments) = &params.arguments {
            span.record_arguments(arguments);
        }
        let round = mrtr::round_for(
            &tool.binding.common,
            env,
            "tools/call",
            &params.name,
            || {
                let arguments = params.arguments.as_ref().map(RawArguments::to_value);
                arguments.unwrap_or(Ok(Value::Null)).map_err(invalid_params)
            },
            params.input_responses.as_deref(),
            params.request_state.as_deref(),
        )?;
        let progress_token = meta.and_then(|m| m.progress_token);
        let arguments = params.arguments.unwrap_or_default();
        if !may_be_task {
            let ctx = Context::new(Arc::clone(env), progress_token).with_input_round(round.clone());
            let now = in_place && limit.is_none();
            let call = prepare(server, tool, &arguments, ctx, span.scope(), now)?;
            return Ok((call, limit, round, None));
        }
        let launch = Arc::new(TaskLaunch::new(
            Arc::clone(env.server()),
            env.principal().map(|p| p.subject().to_owned()),
            CancellationToken::new(),
            round.clone(),
        ));
        let task_env = Arc::new(env.for_task(launch.cancellation()));
        let ctx = Context::new(Arc::clone(&task_env), progress_token)
            .with_input_round(round.clone())
            .with_task_launch(Some(Arc::clone(&launch)));
        // A task's call runs on the task.
        let call = prepare(server, tool, &arguments, ctx, span.scope(), false)?;
        Ok((call, limit, round, Some((launch, task_env))))
    })();
    let (call, limit, round, task) = match ready {
        Ok(ready) => ready,
        Err(error) => {
            span.end(Outcome::RpcError(error.code));
            return Err(error);
        }
    };
    let Some((launch, task_env)) = task else {
        if limit.is_some() {
            // Whatever the call comes to, its answer waits for the rate limit's.
            return Ok(Begun::Call {
                limit,
                call: Box::pin(call.run()),
                span,
                round,
                tool: index,
            });
        }
        return Ok(match call.now_or_later(in_place) {
            Ok(outcome) => Begun::Done {
                outcome,
                span,
                round,
                tool: index,
            },
            Err(call) => Begun::Call {
                limit: None,
                call,
                span,
                round,
                tool: index,
            },
        });
    };
    let name = tool.binding.common.name.clone();
    let version = env.protocol_version;
    let settle = Box::pin(async move {
        if let Some(limit) = limit
            && let Err(refused) = limit.await
        {
            span.end(Outcome::RpcError(refused.code));
            return Some(Err(refused));
        }
        let outcome = call.run().await;
        let settled = match mrtr::refusal(&task_env, round.as_deref()) {
            Some(error) => {
                span.end(Outcome::RpcError(error.code));
                Err(error)
            }
            None => settle(outcome, &name, span),
        };
        Some(settled.and_then(|mut output| {
            for_revision(&mut output, version);
            serde_json::to_value(output.into_result())
                .map_err(|e| RpcError::internal(format!("could not encode the result: {e}")))
        }))
    });
    Ok(Begun::Task { launch, settle })
}

/// What a tool call comes to: its result or error, or why it produced none.
type CallOutcome = Result<Result<ToolOutput, ToolError>, Failure>;

/// A call with its arguments checked. Boxed: inline, its state (with the timer's) would
/// more than double the request's, past the allocator's fast per-thread cache.
type PreparedCall = Pin<Box<dyn Future<Output = CallOutcome> + Send>>;

/// Runs the tool's guards, then decides whether its call may become a task: only in the
/// stateless era, for a `task` tool, on a request that declares the tasks extension; a
/// tool that requires tasks refuses a request that does not (`-32021`). The rate limit is
/// polled once here: a limiter that answers at once (the in-memory ones) decides now; one
/// that needs a round trip is returned, for the call to wait on.
fn task_mode(tool: &FrozenTool, env: &RequestEnv) -> Result<(bool, Option<LimitCheck>), RpcError> {
    let limit = match tool.binding.common.guards.admit(env)? {
        Some(mut limit) => {
            let mut noop = std::task::Context::from_waker(std::task::Waker::noop());
            match limit.as_mut().poll(&mut noop) {
                Poll::Ready(admitted) => admitted.map(|()| None)?,
                Poll::Pending => Some(limit),
            }
        }
        None => None,
    };
    if !env.protocol_version().is_stateless() {
        return Ok((false, limit));
    }
    match (tool.binding.task_support, tasks::declared(env)) {
        (TaskSupport::None, _) => Ok((false, limit)),
        (TaskSupport::Required, false) => Err(tasks::extension_required()),
        (_, declared) => Ok((declared, limit)),
    }
}

/// What the call's outcome answers: its result, a tool error as an `isError` result, a
/// timeout as an `isError` result, a panic as `-32603`. Ends the span.
fn settle(
    outcome: CallOutcome,
    tool_name: &str,
    mut span: DispatchSpan,
) -> Result<ToolOutput, RpcError> {
    let result = match outcome {
        Ok(result) => result,
        Err(Failure::Panicked(message)) => {
            tracing::error!(tool = %tool_name, panic = %message, "tool panicked");
            span.end(Outcome::RpcError(crate::protocol::codes::INTERNAL_ERROR));
            return Err(RpcError::internal(format!(
                "internal error: tool `{tool_name}` failed unexpectedly"
            )));
        }
        Err(Failure::TimedOut(limit)) => Ok(ToolOutput::from(CallToolResult::error(format!(
            "tool `{tool_name}` timed out after {}s and was cancelled",
            limit.as_secs_f64()
        )))),
    };
    let result = match result {
        Ok(result) => result,
        Err(error) => {
            if let ToolError::Service(service) = &error {
                span.record_service_error(service);
            }
            ToolOutput::from(CallToolResult::error(error.to_wire().to_string()))
        }
    };
    span.record_result(&result);
    span.end(if result.is_error() {
        Outcome::ToolError
    } else {
        Outcome::Ok
    });
    Ok(result)
}

/// Checks the arguments: the call, which owns everything it needs, or why there is none.
/// With `now`, a synchronous function's call is made here, in the binding's `scope`.
fn prepare(
    server: &Shared,
    tool: &FrozenTool,
    arguments: &RawArguments<'_>,
    ctx: Context,
    scope: BindingScope,
    now: bool,
) -> Result<Call, RpcError> {
    let timeout = tool
        .binding
        .common
        .timeout
        .or(server.config.default_timeout);
    let checked = scope.enter(|| check(tool, arguments, ctx, server.config.echo_input, now))?;
    Ok(Call {
        checked,
        timeout,
        scope,
    })
}

/// A tool call with its arguments checked.
struct Call {
    checked: Checked,
    timeout: Option<std::time::Duration>,
    /// Where the tool's future runs.
    scope: BindingScope,
}

impl Call {
    /// Its outcome when it needs no running (its arguments were refused), or, with
    /// `in_place`, when it finishes on its first poll, made here; otherwise the call to run.
    ///
    /// That poll uses a waker that does nothing: a future must register the waker of its
    /// latest poll, so the one the call is polled with next is the one woken.
    fn now_or_later(self, in_place: bool) -> Result<CallOutcome, PreparedCall> {
        let mut call = match self.checked {
            Checked::Call(call) => self.scope.wrap(call),
            Checked::Made(result) => return Ok(Ok(result)),
            Checked::Invalid(report) => {
                return Ok(Ok(Ok(ToolOutput::from(CallToolResult::error(report)))));
            }
            Checked::Unextracted(error) => return Ok(Ok(Err(error))),
            Checked::Panicked(message) => return Ok(Err(Failure::Panicked(message))),
        };
        if in_place {
            let mut noop = std::task::Context::from_waker(std::task::Waker::noop());
            if let Poll::Ready(outcome) = Pin::new(&mut CatchPanic(&mut call)).poll(&mut noop) {
                return Ok(outcome);
            }
        }
        Err(Box::pin(invoke(call, self.timeout)))
    }

    /// Runs the call to its outcome (panics and timeouts become `Failure`).
    async fn run(self) -> CallOutcome {
        match self.now_or_later(false) {
            Ok(outcome) => outcome,
            Err(call) => call.await,
        }
    }
}

/// Structured output exists from 2025-06-18 on, and in the 2025 era must be an object.
fn for_revision(output: &mut ToolOutput, version: ProtocolVersion) {
    // Only a held result can have structured output.
    let Some(result) = output.result_mut() else {
        return;
    };
    // The 2025 era allows only objects; the stateless era any JSON value.
    let keep = version.has_structured_output()
        && result
            .structured_content
            .as_ref()
            .is_some_and(|v| v.is_object() || version.is_stateless());
    if !keep {
        result.structured_content = None;
    }
}
