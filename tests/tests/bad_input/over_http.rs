//! HTTP.

use super::*;

struct Rig {
    addr: SocketAddr,
    started: Started,
    /// The session the hostile input is sent in.
    victim: McpHttp,
    /// A session that only watches.
    bystander: McpHttp,
}

async fn rig() -> Rig {
    let started = Started::default();
    let server = McpServer::builder("bad-input", "1")
        .state(started.clone())
        .max_request_bytes(MAX_REQUEST_BYTES)
        .filter(|b| b.module_path().is_some_and(|m| m.starts_with("bad_input")))
        .build()
        .expect("the test server builds");
    let addr = http::serve(server.router()).await;
    let mut victim = McpHttp::new(addr);
    victim.initialize(json!({})).await;
    let mut bystander = McpHttp::new(addr);
    bystander.initialize(json!({})).await;
    Rig {
        addr,
        started,
        victim,
        bystander,
    }
}

/// The status and the JSON body of a JSON answer.
async fn json_answer(response: Response) -> (u16, Value) {
    let status = response.status;
    assert_eq!(
        response.header("content-type"),
        Some("application/json"),
        "status {status}"
    );
    (status, response.json().await)
}

async fn ping_in(client: &McpHttp, id: &str, name: &str, who: &str) {
    let response = client
        .post(&json!({ "jsonrpc": "2.0", "id": id, "method": "ping" }))
        .await;
    let (status, body) = json_answer(response).await;
    assert_eq!(
        (status, body),
        (200, json!({ "jsonrpc": "2.0", "id": id, "result": {} })),
        "http {name}: ping in the {who} session"
    );
}

async fn send_case(rig: &Rig, case: &Case) -> Response {
    let mut headers: Vec<(String, String)> = rig
        .victim
        .headers()
        .into_iter()
        .filter(|(k, _)| !(case.fresh && k.starts_with("mcp-")))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let mut method = "POST";
    match &case.http_req {
        HttpReq::Normal => {}
        HttpReq::Header(name, value) => {
            headers.retain(|(k, _)| k != name);
            if let Some(value) = value {
                headers.push(((*name).to_owned(), value.clone()));
            }
        }
        HttpReq::ManyHeaders(n) => {
            headers.extend((0..*n).map(|i| (format!("x-header-{i}"), "v".to_owned())));
        }
        HttpReq::Method(other) => method = other,
    }
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    send(rig.addr, method, "/mcp", &headers, case.bytes.clone()).await
}

/// Sends a case in the victim session with a slow call of the same session in flight; then
/// both sessions answer a ping and the slow call is answered.
async fn http_case(rig: &Rig, case: &Case, status: u16, reply: &Reply) {
    let name = case.name;
    let victim = rig.victim.clone();
    let slow = tokio::spawn(async move {
        send(victim.addr, "POST", "/mcp", &victim.headers(), slow_call()).await
    });
    tokio::time::timeout(http::READ_WAIT, rig.started.0.notified())
        .await
        .unwrap_or_else(|_| panic!("http {name}: the slow call started"));

    let response = send_case(rig, case).await;
    assert_eq!(response.status, status, "http {name}: status");
    match reply {
        Reply::Nothing => {
            let body = response.text().await;
            assert_eq!(body, "", "http {name}: no body");
        }
        reply => {
            let (_, body) = json_answer(response).await;
            check_reply(name, "http", &body, reply);
        }
    }

    ping_in(&rig.victim, "after", name, "victim").await;
    ping_in(&rig.bystander, "watching", name, "bystander").await;
    let slow = slow.await.expect("the slow call's task");
    let (status, body) = json_answer(slow).await;
    assert_eq!(
        (status, &body["id"], &body["result"]["content"][0]["text"]),
        (200, &json!("slow"), &json!(format!("slept {SLOW_MS}ms"))),
        "http {name}: the call in flight: {body}"
    );
}

#[tokio::test]
async fn hostile_input_over_http() {
    let rig = rig().await;
    let mut count = 0;
    for case in cases() {
        let Some((status, reply)) = &case.http else {
            continue;
        };
        http_case(&rig, &case, *status, reply).await;
        count += 1;
    }
    assert!(count > 90, "only {count} HTTP cases ran");
}
