//! Stdio.

use super::*;

fn fixture() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_fixture_server"))
}

fn is_slow_result(message: &Value) -> bool {
    message["id"] == "slow" && message.get("result").is_some()
}

/// Sends a case to an initialized server with a slow call in flight; then a ping must be
/// answered, the slow call too, and nothing else may arrive.
async fn stdio_case(server: &mut McpProcess, name: &str, bytes: &[u8], reply: &Reply) {
    server.send_bytes(&slow_call()).await;
    server.send_bytes(bytes).await;
    let mut slow = None;
    if !matches!(reply, Reply::Nothing) {
        let answer = loop {
            let message = server
                .receive()
                .await
                .unwrap_or_else(|| panic!("stdio {name}: the server exited"));
            if is_slow_result(&message) {
                slow = Some(message);
            } else {
                break message;
            }
        };
        check_reply(name, "stdio", &answer, reply);
    }
    server.send_bytes(&ping(r#""after""#)).await;
    let mut pong = None;
    while pong.is_none() || slow.is_none() {
        let message = server
            .receive()
            .await
            .unwrap_or_else(|| panic!("stdio {name}: the server exited"));
        if is_slow_result(&message) && slow.is_none() {
            slow = Some(message);
        } else if message["id"] == "after" && pong.is_none() {
            pong = Some(message);
        } else {
            panic!(
                "stdio {name}: unexpected message {}",
                short(&message.to_string())
            );
        }
    }
    let pong = pong.expect("a pong");
    assert_eq!(
        pong["result"],
        json!({}),
        "stdio {name}: ping after: {pong}"
    );
    let slow = slow.expect("the slow call's answer");
    assert_eq!(
        slow["result"]["content"][0]["text"],
        format!("slept {SLOW_MS}ms"),
        "stdio {name}: the call in flight: {slow}"
    );
}

/// Sends a case to a server not yet initialized; then `ping`, `initialize` and a call work.
async fn stdio_fresh_case(name: &str, bytes: &[u8], reply: &Reply) {
    let mut server = McpProcess::spawn(fixture());
    server.send_bytes(bytes).await;
    if !matches!(reply, Reply::Nothing) {
        let answer = server
            .receive()
            .await
            .unwrap_or_else(|| panic!("stdio {name}: the server exited"));
        check_reply(name, "stdio", &answer, reply);
    }
    server.send_bytes(&ping(r#""after""#)).await;
    let pong = server
        .receive()
        .await
        .unwrap_or_else(|| panic!("stdio {name}: the server exited"));
    assert_eq!(
        (pong["id"].clone(), pong["result"].clone()),
        (json!("after"), json!({})),
        "stdio {name}: {pong}"
    );
    let hello = server.initialize("2025-11-25").await;
    assert_eq!(hello["result"]["protocolVersion"], "2025-11-25", "{hello}");
    let echo = server
        .result(
            "tools/call",
            json!({ "name": "echo", "arguments": { "text": "hi" } }),
        )
        .await;
    assert_eq!(echo["content"][0]["text"], "hi", "stdio {name}: {echo}");
    assert!(
        server.backlog.is_empty(),
        "stdio {name}: {:?}",
        server.backlog
    );
}

#[tokio::test]
async fn hostile_input_over_stdio() {
    let mut server = McpProcess::initialized(fixture(), "2025-11-25").await;
    let mut count = 0;
    for case in cases() {
        let Some(reply) = &case.stdio else { continue };
        assert!(
            !case.bytes.contains(&b'\n'),
            "{}: a raw newline would split the line",
            case.name
        );
        if case.fresh {
            stdio_fresh_case(case.name, &case.bytes, reply).await;
        } else {
            stdio_case(&mut server, case.name, &case.bytes, reply).await;
        }
        count += 1;
    }
    assert!(count > 80, "only {count} stdio cases ran");
    assert!(server.backlog.is_empty(), "{:?}", server.backlog);
    assert!(
        server.close().await.success(),
        "a clean exit at end of input"
    );
}
