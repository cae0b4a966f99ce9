//! Tasks in Redis: a hash per task, kept for its time to live; an index of running tasks
//! by their runner's lease, which bounds how many run and lets a task whose runner died be
//! reported failed once the lease lapses.

use super::RedisStore;
use super::client::evalsha;
use super::scripts::SCRIPTS;
use crate::protocol::RpcError;
use crate::store::{
    NewTask, StoreError, StoreFuture, TaskOutcome, TaskState, TaskStatus, TaskStore,
};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn owner_field(owner: Option<&str>) -> String {
    owner.map_or_else(String::new, |subject| format!("+{subject}"))
}

fn malformed(what: &str) -> StoreError {
    StoreError::unavailable(format!("a task in Redis is malformed ({what})"))
}

fn status(name: &str) -> Option<TaskStatus> {
    Some(match name {
        "working" => TaskStatus::Working,
        "input_required" => TaskStatus::InputRequired,
        "completed" => TaskStatus::Completed,
        "failed" => TaskStatus::Failed,
        "cancelled" => TaskStatus::Cancelled,
        _ => return None,
    })
}

/// The error of a task whose runner stopped renewing its lease.
fn runner_stopped() -> String {
    let error = RpcError::internal("internal error: the server running this task stopped");
    serde_json::to_string(&error).expect("errors encode as JSON")
}

/// A task from its fields.
fn task(id: &str, fields: HashMap<String, String>) -> Result<TaskState, StoreError> {
    let field = |name: &str| fields.get(name).ok_or_else(|| malformed(name));
    let time = |name: &str| -> Result<SystemTime, StoreError> {
        let ms: u64 = field(name)?.parse().map_err(|_| malformed(name))?;
        Ok(UNIX_EPOCH + Duration::from_millis(ms))
    };
    let duration = |name: &str| -> Result<Duration, StoreError> {
        Ok(Duration::from_millis(
            field(name)?.parse().map_err(|_| malformed(name))?,
        ))
    };
    let json = |name: &str| -> Result<Option<Value>, StoreError> {
        fields
            .get(name)
            .map(|text| serde_json::from_str(text).map_err(|_| malformed(name)))
            .transpose()
    };
    let mut input_requests = Map::new();
    for (name, request) in &fields {
        if let Some(key) = name.strip_prefix("in:") {
            let request = serde_json::from_str(request).map_err(|_| malformed("input"))?;
            input_requests.insert(key.to_owned(), request);
        }
    }
    Ok(TaskState {
        id: id.to_owned(),
        owner: field("owner")?.strip_prefix('+').map(str::to_owned),
        runner: field("runner")?.clone(),
        status: status(field("status")?).ok_or_else(|| malformed("status"))?,
        created_at: time("created")?,
        last_updated_at: time("updated")?,
        ttl: duration("ttl")?,
        poll_interval: duration("poll")?,
        input_requests,
        result: json("result")?,
        error: json("error")?
            .map(serde_json::from_value)
            .transpose()
            .map_err(|_| malformed("error"))?,
    })
}

impl RedisStore {
    async fn create_task(
        &self,
        new: NewTask,
        max_tasks: usize,
    ) -> Result<Option<TaskState>, StoreError> {
        let lease = millis(self.inner.options.task_lease);
        let mut admit = SCRIPTS.task_admit.key(self.inner.keys.running_tasks());
        admit.arg(&new.id).arg(max_tasks).arg(lease);
        let admitted: bool = self.inner.redis.script(&admit).await?;
        if !admitted {
            return Ok(None);
        }
        let mut create = SCRIPTS.task_create.key(self.inner.keys.task(&new.id));
        create
            .arg(owner_field(new.owner.as_deref()))
            .arg(&new.runner)
            .arg(millis(new.ttl))
            .arg(millis(new.poll_interval))
            .arg(lease);
        let created: u64 = self.inner.redis.script(&create).await?;
        let created = UNIX_EPOCH + Duration::from_millis(created);
        Ok(Some(TaskState {
            id: new.id,
            owner: new.owner,
            runner: new.runner,
            status: TaskStatus::Working,
            created_at: created,
            last_updated_at: created,
            ttl: new.ttl,
            poll_interval: new.poll_interval,
            input_requests: Map::new(),
            result: None,
            error: None,
        }))
    }

    async fn get_task(
        &self,
        id: &str,
        owner: Option<&str>,
    ) -> Result<Option<TaskState>, StoreError> {
        let mut script = SCRIPTS.task_get.key(self.inner.keys.task(id));
        script.arg(runner_stopped());
        let fields: Option<HashMap<String, String>> = self.inner.redis.script(&script).await?;
        let Some(fields) = fields else {
            return Ok(None);
        };
        if fields.get("owner").map(String::as_str) != Some(owner_field(owner).as_str()) {
            return Ok(None);
        }
        task(id, fields).map(Some)
    }

    async fn finish_task(&self, id: &str, outcome: TaskOutcome) -> Result<(), StoreError> {
        let (status, field, value) = match outcome {
            TaskOutcome::Completed(result) => ("completed", "result", result.to_string()),
            TaskOutcome::Failed(error) => (
                "failed",
                "error",
                serde_json::to_string(&error).expect("errors encode as JSON"),
            ),
            TaskOutcome::Cancelled => ("cancelled", "", String::new()),
        };
        let mut pipeline = redis::pipe();
        evalsha(
            &mut pipeline,
            &SCRIPTS.task_finish,
            &[self.inner.keys.task(id)],
            &[status.as_bytes(), field.as_bytes(), value.as_bytes()],
        )
        .ignore();
        pipeline.zrem(self.inner.keys.running_tasks(), id).ignore();
        self.inner
            .redis
            .pipeline_with_scripts(&pipeline, &[&SCRIPTS.task_finish])
            .await
    }

    async fn renew_tasks(&self, runner: &str, tasks: Vec<String>) -> Result<(), StoreError> {
        let lease = millis(self.inner.options.task_lease).to_string();
        let mut pipeline = redis::pipe();
        for id in &tasks {
            evalsha(
                &mut pipeline,
                &SCRIPTS.task_renew,
                &[self.inner.keys.task(id)],
                &[runner.as_bytes(), lease.as_bytes()],
            )
            .ignore();
        }
        let mut args: Vec<&[u8]> = vec![lease.as_bytes()];
        args.extend(tasks.iter().map(|id| id.as_bytes()));
        evalsha(
            &mut pipeline,
            &SCRIPTS.tasks_renew_running,
            &[self.inner.keys.running_tasks()],
            &args,
        )
        .ignore();
        self.inner
            .redis
            .pipeline_with_scripts(
                &pipeline,
                &[&SCRIPTS.task_renew, &SCRIPTS.tasks_renew_running],
            )
            .await
    }
}

impl TaskStore for RedisStore {
    fn create(&self, task: NewTask, max_tasks: usize) -> StoreFuture<'_, Option<TaskState>> {
        Box::pin(self.create_task(task, max_tasks))
    }

    fn get(&self, id: &str, owner: Option<&str>) -> StoreFuture<'_, Option<TaskState>> {
        let (id, owner) = (id.to_owned(), owner.map(str::to_owned));
        Box::pin(async move { self.get_task(&id, owner.as_deref()).await })
    }

    fn input(&self, id: &str, key: &str, request: Value) -> StoreFuture<'_, Option<Value>> {
        let mut script = SCRIPTS.task_input.key(self.inner.keys.task(id));
        script.arg(key).arg(request.to_string());
        Box::pin(async move {
            let answer: Option<String> = self.inner.redis.script(&script).await?;
            answer
                .map(|text| serde_json::from_str(&text).map_err(|_| malformed("answer")))
                .transpose()
        })
    }

    fn answer(
        &self,
        id: &str,
        owner: Option<&str>,
        responses: Map<String, Value>,
    ) -> StoreFuture<'_, Option<String>> {
        let mut script = SCRIPTS.task_answer.key(self.inner.keys.task(id));
        script.arg(owner_field(owner));
        for (key, answer) in responses {
            script.arg(key).arg(answer.to_string());
        }
        Box::pin(async move { self.inner.redis.script(&script).await })
    }

    fn finish(&self, id: &str, outcome: TaskOutcome) -> StoreFuture<'_, ()> {
        let id = id.to_owned();
        Box::pin(async move { self.finish_task(&id, outcome).await })
    }

    fn cancel(&self, id: &str, owner: Option<&str>) -> StoreFuture<'_, Option<String>> {
        let mut script = SCRIPTS.task_cancel.key(self.inner.keys.task(id));
        script.arg(owner_field(owner));
        let running = self.inner.keys.running_tasks();
        let id = id.to_owned();
        Box::pin(async move {
            let runner: Option<String> = self.inner.redis.script(&script).await?;
            if runner.is_some() {
                self.inner
                    .redis
                    .query::<()>(redis::cmd("ZREM").arg(running).arg(id))
                    .await?;
            }
            Ok(runner)
        })
    }

    fn lease(&self) -> Option<Duration> {
        Some(self.inner.options.task_lease)
    }

    fn renew(&self, runner: &str, tasks: Vec<String>) -> StoreFuture<'_, ()> {
        let runner = runner.to_owned();
        Box::pin(async move { self.renew_tasks(&runner, tasks).await })
    }
}
