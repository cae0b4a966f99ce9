//! How a task looks on the wire: `CreateTaskResult` and the `tasks/get` result.

use super::time::rfc3339;
use crate::store::{TaskState, TaskStatus};
use serde_json::{Value, json};
use std::time::Duration;

/// The task as `CreateTaskResult` (`detailed: false`: the fields of every task) or as
/// `tasks/get` answers it (with `inputRequests`, `result` or `error` for its status).
pub(crate) fn view(task: &TaskState, detailed: bool) -> Value {
    let mut view = json!({
        "taskId": task.id,
        "status": task.status.as_str(),
        "createdAt": rfc3339(task.created_at),
        "lastUpdatedAt": rfc3339(task.last_updated_at),
        "ttlMs": millis(task.ttl),
        "pollIntervalMs": millis(task.poll_interval),
    });
    if detailed {
        match task.status {
            TaskStatus::InputRequired => {
                view["inputRequests"] = Value::Object(task.input_requests.clone());
            }
            TaskStatus::Completed => view["result"] = task.result.clone().unwrap_or_default(),
            TaskStatus::Failed => {
                if let Some(error) = &task.error {
                    view["statusMessage"] = json!(error.message);
                    view["error"] = json!(error);
                }
            }
            _ => {}
        }
    }
    view
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// 128 bits from the operating system's CSPRNG, as 32 hex characters: task ids are
/// bearer-like handles and must not be guessable.
pub(crate) fn new_task_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::RpcError;
    use serde_json::Map;
    use std::time::SystemTime;

    fn task(status: TaskStatus) -> TaskState {
        TaskState {
            id: new_task_id(),
            owner: None,
            runner: "local".into(),
            status,
            created_at: SystemTime::now(),
            last_updated_at: SystemTime::now(),
            ttl: Duration::from_secs(60),
            poll_interval: Duration::from_millis(500),
            input_requests: Map::new(),
            result: None,
            error: Some(RpcError::internal("boom")),
        }
    }

    #[test]
    fn views_carry_only_what_their_status_allows() {
        let created = view(&task(TaskStatus::Working), false);
        for key in ["result", "error", "inputRequests", "requestState", "ttl"] {
            assert!(created.get(key).is_none(), "{key} in {created}");
        }
        assert_eq!(created["taskId"].as_str().map(str::len), Some(32));
        assert_eq!(created["ttlMs"], 60_000);
        assert_eq!(created["pollIntervalMs"], 500);
        let failed = view(&task(TaskStatus::Failed), true);
        assert_eq!(failed["status"], "failed");
        assert_eq!(failed["error"]["code"], -32603);
        assert_eq!(failed["statusMessage"], "boom");
        assert!(failed.get("result").is_none());
    }
}
