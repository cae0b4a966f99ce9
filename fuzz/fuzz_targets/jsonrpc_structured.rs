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

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use mcp_fuzz::{
    ARGUMENT_KEYS, CAPABILITIES_KEY, STATELESS, TASKS_EXTENSION, TEMPLATES, VERSION_KEY, arb_json,
    check_answer, check_notifications, check_stateless_result, encode, run, send, server,
};
use mcp_runtime::codes;
use mcp_runtime::testing::TestClient;
use serde_json::{Map, Value, json};

const METHODS: [&str; 22] = [
    "initialize",
    "ping",
    "tools/list",
    "tools/call",
    "resources/list",
    "resources/templates/list",
    "resources/read",
    "resources/subscribe",
    "resources/unsubscribe",
    "prompts/list",
    "prompts/get",
    "completion/complete",
    "logging/setLevel",
    "server/discover",
    "subscriptions/listen",
    "tasks/get",
    "tasks/update",
    "tasks/cancel",
    "tasks/result",
    "tasks/list",
    "notifications/cancelled",
    "notifications/initialized",
];
const TOOLS: [&str; 7] = [
    "echo",
    "validated",
    "typed",
    "slow",
    "chatty",
    "failing",
    "task",
];
const PROMPTS: [&str; 2] = ["greet", "review"];
const PROMPT_ARGUMENTS: [&str; 3] = ["name", "language", "code"];
const TEMPLATE_VARIABLES: [&str; 8] = ["id", "path", "q", "page", "x", "y", "seg", "frag"];
const LEVELS: [&str; 8] = [
    "debug",
    "info",
    "notice",
    "warning",
    "error",
    "critical",
    "alert",
    "emergency",
];
const VERSIONS: [&str; 5] = [
    "2025-11-25",
    "2025-06-18",
    "2025-03-26",
    "2024-11-05",
    STATELESS,
];

/// Arbitrary JSON, nested up to three levels.
#[derive(Debug)]
struct Json(Value);

impl<'a> Arbitrary<'a> for Json {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        arb_json(u, &ARGUMENT_KEYS, 3).map(Json)
    }
}

/// One of `N` known names, or any string.
#[derive(Debug, Arbitrary)]
enum Name {
    Known(u8),
    Other(String),
}

impl Name {
    fn pick(&self, known: &[&str]) -> String {
        match self {
            Name::Known(i) => known[usize::from(*i) % known.len()].to_owned(),
            Name::Other(name) => name.clone(),
        }
    }
}

#[derive(Debug, Arbitrary)]
enum Id {
    Number(i64),
    Text(String),
}

#[derive(Debug, Arbitrary)]
enum Era {
    /// An initialized 2025-era session.
    Session,
    /// No `initialize` yet.
    Uninitialized,
    /// A stateless request.
    Stateless(StatelessMeta),
}

#[derive(Debug, Arbitrary)]
struct StatelessMeta {
    version: Option<Name>,
    capabilities: Capabilities,
    log_level: Option<Name>,
}

#[derive(Debug, Arbitrary)]
enum Capabilities {
    Empty,
    Tasks,
    Missing,
    Other(Json),
}

#[derive(Debug, Arbitrary)]
enum Uri {
    /// A registered template expanded with these values (each present or not).
    Expanded {
        template: u8,
        first: Option<String>,
        second: Option<String>,
        third: Option<String>,
    },
    Fixed,
    Other(String),
}

#[derive(Debug, Arbitrary)]
enum Call {
    Ping,
    Initialize {
        version: Name,
        capabilities: Json,
    },
    List {
        kind: u8,
        cursor: Option<String>,
    },
    Echo(String),
    Tool {
        name: Name,
        arguments: Option<Json>,
        input_responses: Option<Json>,
        request_state: Option<String>,
    },
    Read {
        uri: Uri,
        request_state: Option<String>,
    },
    Prompt {
        name: Name,
        arguments: Option<Vec<(Name, String)>>,
    },
    CompletePrompt {
        name: Name,
        argument: Name,
        value: String,
        context: Option<Vec<(Name, String)>>,
    },
    CompleteTemplate {
        template: Name,
        argument: Name,
        value: String,
    },
    SetLevel(Name),
    Subscribe {
        uri: Uri,
        on: bool,
    },
    Discover,
    Listen(Json),
    Task {
        method: u8,
        task_id: String,
        extra: Option<Json>,
    },
    Other {
        method: Name,
        params: Option<Json>,
    },
}

#[derive(Debug, Arbitrary)]
struct Input {
    era: Era,
    id: Id,
    progress_token: Option<Id>,
    call: Call,
}

/// What a correct server must answer, as far as this target knows.
enum Expect {
    Anything,
    /// A result equal to this one (members the era adds aside).
    Result(Value),
    /// A `resources/read` result whose only contents' text is this.
    ReadText(String),
    /// A tools/call result whose text is this.
    ToolText(String),
    Error(i32),
}

fn uri(uri: &Uri) -> (String, Option<String>) {
    match uri {
        Uri::Fixed => ("config://app".to_owned(), Some("fixed".to_owned())),
        Uri::Other(text) => (text.clone(), None),
        Uri::Expanded {
            template,
            first,
            second,
            third,
        } => {
            let nonempty = |v: &Option<String>| match v.as_deref() {
                None | Some("") => "v".to_owned(),
                Some(v) => v.to_owned(),
            };
            let query = |pairs: &[(&str, &Option<String>)]| {
                let present: Vec<String> = pairs
                    .iter()
                    .filter_map(|(name, v)| Some(format!("{name}={}", encode(v.as_deref()?))))
                    .collect();
                if present.is_empty() {
                    String::new()
                } else {
                    format!("?{}", present.join("&"))
                }
            };
            let values: [Option<String>; 4];
            let uri = match template % 4 {
                0 => {
                    let id = nonempty(first);
                    values = [Some(id.clone()), None, None, None];
                    format!("items://{}", encode(&id))
                }
                1 => {
                    let path = nonempty(first);
                    values = [Some(path.clone()), None, None, None];
                    format!("file:///{}", encode(&path))
                }
                2 => {
                    values = [first.clone(), second.clone(), None, None];
                    format!("search://items{}", query(&[("q", first), ("page", second)]))
                }
                _ => {
                    let (x, y, seg) = (nonempty(first), nonempty(second), nonempty(third));
                    values = [Some(x.clone()), Some(y.clone()), Some(seg.clone()), None];
                    format!("map://{},{}/{}#f", encode(&x), encode(&y), encode(&seg))
                }
            };
            let text = serde_json::to_string(&values).expect("strings serialise");
            (uri, Some(text))
        }
    }
}

fn pairs(pairs: &[(Name, String)], known: &[&str]) -> Value {
    let map: Map<String, Value> = pairs
        .iter()
        .map(|(name, value)| (name.pick(known), json!(value)))
        .collect();
    Value::Object(map)
}

/// The request's method and params, and what a well-behaved session should answer.
fn request(call: &Call) -> (String, Option<Value>, Expect) {
    let mut expect = Expect::Anything;
    let (method, params) = match call {
        Call::Ping => {
            expect = Expect::Result(json!({}));
            ("ping".to_owned(), None)
        }
        Call::Initialize {
            version,
            capabilities,
        } => (
            "initialize".to_owned(),
            Some(json!({
                "protocolVersion": version.pick(&VERSIONS),
                "capabilities": capabilities.0,
                "clientInfo": { "name": "fuzz", "version": "1" }
            })),
        ),
        Call::List { kind, cursor } => {
            let method = [
                "tools/list",
                "resources/list",
                "resources/templates/list",
                "prompts/list",
            ][usize::from(*kind) % 4];
            let params = cursor.as_ref().map(|c| json!({ "cursor": c }));
            (method.to_owned(), params)
        }
        Call::Echo(text) => {
            expect = Expect::ToolText(text.clone());
            (
                "tools/call".to_owned(),
                Some(json!({ "name": "echo", "arguments": { "text": text } })),
            )
        }
        Call::Tool {
            name,
            arguments,
            input_responses,
            request_state,
        } => {
            let mut params = json!({ "name": name.pick(&TOOLS) });
            if let Some(arguments) = arguments {
                params["arguments"] = arguments.0.clone();
            }
            if let Some(responses) = input_responses {
                params["inputResponses"] = responses.0.clone();
            }
            if let Some(state) = request_state {
                params["requestState"] = json!(state);
            }
            ("tools/call".to_owned(), Some(params))
        }
        Call::Read {
            uri: u,
            request_state,
        } => {
            let (uri, text) = uri(u);
            let mut params = json!({ "uri": uri });
            match request_state {
                Some(state) => params["requestState"] = json!(state),
                None => {
                    if let Some(text) = text {
                        expect = Expect::ReadText(text);
                    }
                }
            }
            ("resources/read".to_owned(), Some(params))
        }
        Call::Prompt { name, arguments } => {
            let mut params = json!({ "name": name.pick(&PROMPTS) });
            if let Some(arguments) = arguments {
                params["arguments"] = pairs(arguments, &PROMPT_ARGUMENTS);
            }
            ("prompts/get".to_owned(), Some(params))
        }
        Call::CompletePrompt {
            name,
            argument,
            value,
            context,
        } => {
            let mut params = json!({
                "ref": { "type": "ref/prompt", "name": name.pick(&PROMPTS) },
                "argument": { "name": argument.pick(&PROMPT_ARGUMENTS), "value": value }
            });
            if let Some(context) = context {
                params["context"] = json!({ "arguments": pairs(context, &PROMPT_ARGUMENTS) });
            }
            ("completion/complete".to_owned(), Some(params))
        }
        Call::CompleteTemplate {
            template,
            argument,
            value,
        } => (
            "completion/complete".to_owned(),
            Some(json!({
                "ref": { "type": "ref/resource", "uri": template.pick(&TEMPLATES) },
                "argument": { "name": argument.pick(&TEMPLATE_VARIABLES), "value": value }
            })),
        ),
        Call::SetLevel(level) => (
            "logging/setLevel".to_owned(),
            Some(json!({ "level": level.pick(&LEVELS) })),
        ),
        Call::Subscribe { uri: u, on } => {
            let method = if *on {
                "resources/subscribe"
            } else {
                "resources/unsubscribe"
            };
            (method.to_owned(), Some(json!({ "uri": uri(u).0 })))
        }
        Call::Discover => ("server/discover".to_owned(), None),
        Call::Listen(notifications) => (
            "subscriptions/listen".to_owned(),
            Some(json!({ "notifications": notifications.0 })),
        ),
        Call::Task {
            method,
            task_id,
            extra,
        } => {
            let method = ["tasks/get", "tasks/update", "tasks/cancel", "tasks/result"]
                [usize::from(*method) % 4];
            let mut params = json!({ "taskId": task_id });
            if let Some(extra) = extra {
                params["inputResponses"] = extra.0.clone();
            }
            (method.to_owned(), Some(params))
        }
        Call::Other { method, params } => (
            method.pick(&METHODS),
            params.as_ref().map(|p| match &p.0 {
                Value::Object(_) => p.0.clone(),
                other => json!({ "value": other }),
            }),
        ),
    };
    (method, params, expect)
}

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
