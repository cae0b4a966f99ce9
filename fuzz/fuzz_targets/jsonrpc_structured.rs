//! Structured requests (built with `arbitrary`) for every method the server knows, in
//! each era: before `initialize`, in an initialized 2025-era session, and stateless
//! (2026-07-28) with a valid or broken `_meta`. Known tools, prompts, templates and
//! argument names are chosen often, so calls reach bindings, template matching,
//! completion, multi-round state and tasks.
//!
//! Checked, beyond "no panic" and a well-formed answer with the request's id: requests
//! before `initialize` are refused; stateless results say what they are; `ping`,
//! `server/discover` and `echo` answer what they should; reading a URI expanded from a
//! registered template returns exactly the values put in.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_fuzz::structured::{Capabilities, Era, Expect, Id, Input, LEVELS, request};
use mcp_fuzz::{
    CAPABILITIES_KEY, STATELESS, TASKS_EXTENSION, VERSION_KEY, check_answer, check_notifications,
    check_stateless_result, run, send, server,
};
use mcp_runtime::model::codes;
use mcp_runtime::testing::TestClient;
use serde_json::{Map, Value, json};

fuzz_target!(|input: Input| {
    let (method, params, mut expect) = request(&input.call);
    let mut params = params.unwrap_or_else(|| json!({}));
    let mut meta = Map::new();
    if let Some(token) = &input.progress_token {
        meta.insert(
            "progressToken".into(),
            match token {
                Id::Number(n) => json!(n),
                Id::Text(s) => json!(s),
            },
        );
    }
    // Only a request whose params carry the revision key is stateless: keep it out of
    // the other eras' requests (an arbitrary string could hold it).
    let mut stateless = false;
    match &input.era {
        Era::Session | Era::Uninitialized => {
            if serde_json::to_string(&params)
                .expect("JSON")
                .contains(VERSION_KEY)
            {
                return;
            }
            if matches!(input.era, Era::Uninitialized) && method != "initialize" && method != "ping"
            {
                expect = Expect::Error(codes::INVALID_REQUEST);
            }
            if method == "server/discover" && matches!(input.era, Era::Session) {
                expect = Expect::Error(codes::METHOD_NOT_FOUND);
            }
        }
        Era::Stateless(m) => {
            stateless = true;
            let version = m.version.as_ref().map(|v| v.pick(&[STATELESS]));
            meta.insert(
                VERSION_KEY.into(),
                version
                    .as_ref()
                    .map_or_else(|| json!(STATELESS), |v| json!(v)),
            );
            match &m.capabilities {
                Capabilities::Empty => {
                    meta.insert(CAPABILITIES_KEY.into(), json!({}));
                }
                Capabilities::Tasks => {
                    meta.insert(
                        CAPABILITIES_KEY.into(),
                        json!({ "extensions": { TASKS_EXTENSION: {} } }),
                    );
                }
                Capabilities::Missing => {}
                Capabilities::Other(value) => {
                    meta.insert(CAPABILITIES_KEY.into(), value.0.clone());
                }
            }
            let level = m.log_level.as_ref().map(|l| l.pick(&LEVELS));
            if let Some(level) = &level {
                meta.insert("io.modelcontextprotocol/logLevel".into(), json!(level));
            }
            let valid = version.as_deref().is_none_or(|v| v == STATELESS)
                && meta.get(CAPABILITIES_KEY).is_some_and(Value::is_object)
                && level.as_deref().is_none_or(|l| LEVELS.contains(&l));
            if !valid {
                expect = Expect::Anything;
            } else if method == "ping" {
                expect = Expect::Error(codes::METHOD_NOT_FOUND);
            } else if method == "server/discover" {
                expect = Expect::Anything;
            }
        }
    }
    if !meta.is_empty()
        && let Value::Object(p) = &mut params
    {
        p.insert("_meta".into(), Value::Object(meta));
    }
    let id = match &input.id {
        Id::Number(n) => json!(n),
        Id::Text(s) => json!(s),
    };
    let message = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
    let bytes = serde_json::to_vec(&message).expect("JSON");

    run(async {
        let server = server();
        let client = match input.era {
            Era::Session => TestClient::connect(server).await,
            _ => TestClient::connect_uninitialized(server, None),
        };
        let sent = send(&client, &bytes).await;
        check_notifications(&client).await;
        let Some(response) = check_answer(&bytes, &sent) else {
            assert!(method == "subscriptions/listen", "no answer to {message}");
            return;
        };
        assert_eq!(response["id"], id, "{message} -> {response}");
        if stateless {
            check_stateless_result(&response);
        }
        let result = &response["result"];
        match expect {
            Expect::Anything => {}
            Expect::Error(code) => {
                assert_eq!(response["error"]["code"], code, "{message} -> {response}")
            }
            Expect::Result(expected) => {
                let mut result = result.clone();
                if let Value::Object(r) = &mut result {
                    for key in ["resultType", "_meta", "ttlMs", "cacheScope"] {
                        r.remove(key);
                    }
                }
                assert_eq!(result, expected, "{message} -> {response}");
            }
            Expect::ReadText(text) => {
                assert_eq!(
                    result["contents"][0]["text"], text,
                    "{message} -> {response}"
                );
                assert!(result["contents"][1].is_null(), "{response}");
            }
            Expect::ToolText(text) => {
                assert_eq!(
                    result["content"][0]["text"], text,
                    "{message} -> {response}"
                );
                assert!(result["isError"].is_null(), "{response}");
            }
        }
    });
});
