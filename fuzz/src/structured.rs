//! The input of the `jsonrpc_structured` target: a request for a method the server knows,
//! built with `arbitrary`, in some era, and what a correct server must answer to it.

use crate::{ARGUMENT_KEYS, STATELESS, TEMPLATES, arb_json, encode};
use arbitrary::{Arbitrary, Unstructured};
use serde_json::{Map, Value, json};

pub const METHODS: [&str; 22] = [
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
pub const TOOLS: [&str; 7] = [
    "echo",
    "validated",
    "typed",
    "slow",
    "chatty",
    "failing",
    "task",
];
pub const PROMPTS: [&str; 2] = ["greet", "review"];
pub const PROMPT_ARGUMENTS: [&str; 3] = ["name", "language", "code"];
pub const TEMPLATE_VARIABLES: [&str; 8] = ["id", "path", "q", "page", "x", "y", "seg", "frag"];
pub const LEVELS: [&str; 8] = [
    "debug",
    "info",
    "notice",
    "warning",
    "error",
    "critical",
    "alert",
    "emergency",
];
pub const VERSIONS: [&str; 5] = [
    "2025-11-25",
    "2025-06-18",
    "2025-03-26",
    "2024-11-05",
    STATELESS,
];

/// Arbitrary JSON, nested up to three levels.
#[derive(Debug)]
pub struct Json(pub Value);

impl<'a> Arbitrary<'a> for Json {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        arb_json(u, &ARGUMENT_KEYS, 3).map(Json)
    }
}

/// One of `N` known names, or any string.
#[derive(Debug, Arbitrary)]
pub enum Name {
    Known(u8),
    Other(String),
}

impl Name {
    pub fn pick(&self, known: &[&str]) -> String {
        match self {
            Name::Known(i) => known[usize::from(*i) % known.len()].to_owned(),
            Name::Other(name) => name.clone(),
        }
    }
}

#[derive(Debug, Arbitrary)]
pub enum Id {
    Number(i64),
    Text(String),
}

#[derive(Debug, Arbitrary)]
pub enum Era {
    /// An initialized 2025-era session.
    Session,
    /// No `initialize` yet.
    Uninitialized,
    /// A stateless request.
    Stateless(StatelessMeta),
}

#[derive(Debug, Arbitrary)]
pub struct StatelessMeta {
    pub version: Option<Name>,
    pub capabilities: Capabilities,
    pub log_level: Option<Name>,
}

#[derive(Debug, Arbitrary)]
pub enum Capabilities {
    Empty,
    Tasks,
    Missing,
    Other(Json),
}

#[derive(Debug, Arbitrary)]
pub enum Uri {
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
pub enum Call {
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
pub struct Input {
    pub era: Era,
    pub id: Id,
    pub progress_token: Option<Id>,
    pub call: Call,
}

/// What a correct server must answer, as far as this target knows.
pub enum Expect {
    Anything,
    /// A result equal to this one (members the era adds aside).
    Result(Value),
    /// A `resources/read` result whose only contents' text is this.
    ReadText(String),
    /// A tools/call result whose text is this.
    ToolText(String),
    Error(i32),
}

pub fn uri(uri: &Uri) -> (String, Option<String>) {
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

pub fn pairs(pairs: &[(Name, String)], known: &[&str]) -> Value {
    let map: Map<String, Value> = pairs
        .iter()
        .map(|(name, value)| (name.pick(known), json!(value)))
        .collect();
    Value::Object(map)
}

/// The request's method and params, and what a well-behaved session should answer.
pub fn request(call: &Call) -> (String, Option<Value>, Expect) {
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
