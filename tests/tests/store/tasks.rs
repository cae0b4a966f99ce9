//! Tasks.

use mcp_runtime::model::RpcError;
use mcp_runtime::store::{NewTask, Store, TaskOutcome, TaskStatus};
use serde_json::{Map, Value, json};
use std::time::Duration;

pub fn task(id: &str, owner: Option<&str>, ttl: Duration) -> NewTask {
    NewTask::new(
        id.into(),
        owner.map(str::to_owned),
        "runner-1".into(),
        ttl,
        Duration::from_millis(500),
    )
}

const HOUR: Duration = Duration::from_secs(3600);

fn answers(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

pub async fn tasks_belong_to_their_owner_and_the_first_ending_stands(store: &dyn Store) {
    let tasks = store.tasks();
    let created = tasks
        .create(task("t1", Some("alice"), HOUR), 10)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (created.status, created.runner.as_str()),
        (TaskStatus::Working, "runner-1")
    );
    let found = tasks
        .get("t1", Some("alice"))
        .await
        .unwrap()
        .expect("alice's task");
    assert_eq!(found.created_at, created.created_at);
    assert_eq!(
        (found.ttl, found.poll_interval),
        (HOUR, Duration::from_millis(500))
    );
    assert!(tasks.get("t1", Some("bob")).await.unwrap().is_none());
    assert!(tasks.get("t1", None).await.unwrap().is_none());
    assert!(tasks.cancel("t1", Some("bob")).await.unwrap().is_none());
    assert!(
        tasks
            .answer("t1", None, Map::new())
            .await
            .unwrap()
            .is_none()
    );
    assert!(tasks.get("nope", Some("alice")).await.unwrap().is_none());

    let result = json!({ "content": [{ "type": "text", "text": "12.50" }], "isError": false });
    tasks
        .finish("t1", TaskOutcome::Completed(result.clone()))
        .await
        .unwrap();
    assert_eq!(
        tasks.cancel("t1", Some("alice")).await.unwrap().as_deref(),
        Some("runner-1")
    );
    tasks
        .finish("t1", TaskOutcome::Failed(RpcError::new(-32603, "late")))
        .await
        .unwrap();
    let done = tasks.get("t1", Some("alice")).await.unwrap().unwrap();
    assert_eq!(done.status, TaskStatus::Completed);
    assert_eq!(
        done.result,
        Some(result),
        "numbers and text come back as given"
    );
    assert!(done.error.is_none());

    tasks
        .create(task("t2", None, HOUR), 10)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        tasks.cancel("t2", None).await.unwrap().as_deref(),
        Some("runner-1")
    );
    tasks
        .finish("t2", TaskOutcome::Completed(json!({})))
        .await
        .unwrap();
    assert_eq!(
        tasks.get("t2", None).await.unwrap().unwrap().status,
        TaskStatus::Cancelled
    );

    tasks
        .create(task("t3", None, HOUR), 10)
        .await
        .unwrap()
        .unwrap();
    let error = RpcError::new(-32603, "boom").with_data(json!({ "detail": 1 }));
    tasks
        .finish("t3", TaskOutcome::Failed(error.clone()))
        .await
        .unwrap();
    let failed = tasks.get("t3", None).await.unwrap().unwrap();
    assert_eq!(
        (failed.status, failed.error),
        (TaskStatus::Failed, Some(error))
    );
}

pub async fn task_input_is_listed_until_answered(store: &dyn Store) {
    let tasks = store.tasks();
    tasks
        .create(task("t", Some("alice"), HOUR), 10)
        .await
        .unwrap()
        .unwrap();
    let request =
        json!({ "method": "elicitation/create", "params": { "message": "Sure?", "n": 1.5 } });
    assert_eq!(
        tasks.input("t", "confirm", request.clone()).await.unwrap(),
        None
    );
    let waiting = tasks.get("t", Some("alice")).await.unwrap().unwrap();
    assert_eq!(waiting.status, TaskStatus::InputRequired);
    assert_eq!(waiting.input_requests["confirm"], request);
    assert_eq!(
        tasks.input("t", "confirm", request.clone()).await.unwrap(),
        None,
        "asked once"
    );

    let answer = json!({ "action": "accept", "content": { "ok": true } });
    let stray = answers(&[("stray", json!(1)), ("confirm", answer.clone())]);
    assert!(
        tasks
            .answer("t", Some("bob"), stray.clone())
            .await
            .unwrap()
            .is_none(),
        "not bob's"
    );
    let runner = tasks.answer("t", Some("alice"), stray).await.unwrap();
    assert_eq!(runner.as_deref(), Some("runner-1"));
    let answered = tasks.get("t", Some("alice")).await.unwrap().unwrap();
    assert_eq!(answered.status, TaskStatus::Working);
    assert!(answered.input_requests.is_empty());
    assert_eq!(
        tasks.input("t", "confirm", request.clone()).await.unwrap(),
        Some(answer),
        "taken once"
    );
    tasks.finish("t", TaskOutcome::Cancelled).await.unwrap();
    assert_eq!(tasks.input("t", "more", request).await.unwrap(), None);
    let ended = tasks.get("t", Some("alice")).await.unwrap().unwrap();
    assert!(
        ended.input_requests.is_empty(),
        "an ended task asks for nothing"
    );
}

pub async fn running_tasks_are_bounded_and_expire(store: &dyn Store) {
    let tasks = store.tasks();
    tasks
        .create(task("a", None, HOUR), 2)
        .await
        .unwrap()
        .unwrap();
    tasks
        .create(task("b", None, HOUR), 2)
        .await
        .unwrap()
        .unwrap();
    assert!(
        tasks
            .create(task("c", None, HOUR), 2)
            .await
            .unwrap()
            .is_none(),
        "two run already"
    );
    tasks
        .finish("b", TaskOutcome::Completed(json!({})))
        .await
        .unwrap();
    tasks
        .create(task("c", None, HOUR), 2)
        .await
        .unwrap()
        .expect("b's end made room");
    assert!(tasks.get("a", None).await.unwrap().is_some());

    let short = Duration::from_millis(300);
    tasks
        .create(task("brief", None, short), 10)
        .await
        .unwrap()
        .unwrap();
    tokio::time::sleep(short * 2).await;
    assert!(
        tasks.get("brief", None).await.unwrap().is_none(),
        "past its time to live"
    );
}
