//! Methods as bindings: `#[mcp_bindings]` on an `impl` block makes its marked methods
//! tools, resources and prompts called on the server's state, through the in-process
//! client and the real dispatch path.

use mcp_runtime::prelude::*;
use mcp_runtime::testing::TestClient;
use mcp_runtime::{Error, RequestEnv, binding::CompletionRequest};
use serde_json::json;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// The state the methods are called on; also given to functions as `State<Library>`.
struct Library {
    books: Mutex<Vec<String>>,
    reads: AtomicU64,
}

/// A second state, taken as an ordinary `State<T>` parameter beside `&self`.
struct Shelf(&'static str);

#[derive(Deserialize, JsonSchema)]
struct NewBooks {
    titles: Vec<String>,
}

#[mcp_bindings]
impl Library {
    /// Add a book; answers how many there are now.
    #[mcp_tool(tags = ["library"])]
    fn add_book(&self, #[arg(description = "The book's title.")] title: String) -> usize {
        self.insert(title)
    }

    /// Add several books at once.
    #[mcp_tool(name = "library.add_many", idempotent = false, tags = ["library"])]
    async fn add_many(&self, #[args] input: NewBooks, ctx: Context) -> String {
        assert!(!ctx.is_cancelled());
        tokio::task::yield_now().await;
        let count = input.titles.into_iter().map(|t| self.insert(t)).last();
        format!("{} books", count.unwrap_or_default())
    }

    /// Count the books, on the blocking pool.
    #[mcp_tool(blocking, read_only, timeout = "5s", tags = ["library"])]
    fn count(&self, shelf: State<Shelf>) -> String {
        format!("{} books on {}", self.books.lock().unwrap().len(), shelf.0)
    }

    /// Only for the librarian.
    #[mcp_tool(permission = Self::is_librarian, tags = ["library"])]
    fn burn(&self) -> String {
        self.books.lock().unwrap().clear();
        "gone".into()
    }

    /// Fails on purpose.
    #[mcp_tool(tags = ["library"])]
    async fn lend(&self, index: usize) -> Result<String, ServiceError> {
        self.books
            .lock()
            .unwrap()
            .get(index)
            .cloned()
            .ok_or_else(|| ServiceError::new(format!("no book at {index}")))
    }

    /// The library's version: an associated function, which needs no state.
    #[mcp_tool(tags = ["library"])]
    fn version() -> String {
        "1.0".into()
    }

    /// One book, by its place on the shelf.
    #[mcp_resource(uri = "library://books/{index}", complete = Self::indices, tags = ["library"])]
    async fn book(&self, index: usize) -> Result<String, ServiceError> {
        self.reads.fetch_add(1, Ordering::Relaxed);
        self.lend(index).await
    }

    /// Recommend a book of a genre.
    #[mcp_prompt(tags = ["library"])]
    fn recommend(&self, #[arg(complete = Self::genres)] genre: String) -> Vec<PromptMessage> {
        let first = self.books.lock().unwrap().first().cloned();
        vec![PromptMessage::user(format!(
            "Recommend a {genre} book like {}.",
            first.unwrap_or_default()
        ))]
    }

    /// Not a binding: an ordinary method the bindings and the tests call.
    fn insert(&self, title: String) -> usize {
        let mut books = self.books.lock().unwrap();
        books.push(title);
        books.len()
    }

    fn is_librarian(env: &RequestEnv) -> bool {
        env.principal().is_some()
    }

    fn indices(request: CompletionRequest) -> Vec<String> {
        ["0", "1", "10"]
            .iter()
            .filter(|i| i.starts_with(request.value()))
            .map(ToString::to_string)
            .collect()
    }

    async fn genres(_: CompletionRequest) -> Vec<String> {
        vec!["crime".into(), "poetry".into()]
    }
}

/// A free function sharing the state with the methods.
#[mcp_tool(tags = ["library"])]
fn reads(library: State<Library>) -> u64 {
    library.reads.load(Ordering::Relaxed)
}

/// A state type whose method returns `Json<Self>`: `Self` is spelt out in the glue.
#[derive(Clone, Serialize, JsonSchema)]
struct Config {
    greeting: String,
}

#[mcp_bindings]
impl Config {
    /// The configuration.
    #[mcp_tool(tags = ["config"])]
    fn config(&self) -> Json<Self> {
        Json(self.clone())
    }
}

fn library() -> Library {
    Library {
        books: Mutex::new(Vec::new()),
        reads: AtomicU64::new(0),
    }
}

fn server() -> McpServer {
    McpServer::builder("library", "1.0")
        .filter(|b| b.has_tag("library"))
        .state(library())
        .state(Shelf("oak"))
        .build()
        .expect("builds")
}

#[tokio::test]
async fn sync_and_async_methods_share_the_state() {
    let client = TestClient::connect(&server()).await;
    let added = client.call_tool("add_book", json!({ "title": "Dune" }));
    assert_eq!(added.await.unwrap().text(), Some("1"));
    let many = client.call_tool("library.add_many", json!({ "titles": ["Emma", "Ulysses"] }));
    assert_eq!(many.await.unwrap().text(), Some("3 books"));
    let count = client.call_tool("count", json!({})).await.unwrap();
    assert_eq!(count.text(), Some("3 books on oak"));
    assert_eq!(
        client.call_tool("version", json!({})).await.unwrap().text(),
        Some("1.0")
    );
}

#[tokio::test]
async fn methods_are_listed_with_their_schemas_and_keys() {
    let client = TestClient::connect(&server()).await;
    let tools = client.list_tools().await.unwrap();
    let tool = |name: &str| tools.iter().find(|t| t["name"] == name).unwrap().clone();
    assert_eq!(
        tool("add_book")["inputSchema"]["properties"]["title"],
        json!({ "type": "string", "description": "The book's title." })
    );
    assert_eq!(tool("count")["annotations"]["readOnlyHint"], json!(true));
    assert_eq!(
        tool("count")["inputSchema"]["properties"],
        json!({}),
        "neither `&self` nor `State<Shelf>` is an argument"
    );
    assert_eq!(
        tool("library.add_many")["inputSchema"]["required"],
        json!(["titles"])
    );
    let prompts = client.list_prompts().await.unwrap();
    assert_eq!(prompts[0]["arguments"][0]["name"], "genre");
}

#[tokio::test]
async fn resources_and_prompts_are_methods_too() {
    let client = TestClient::connect(&server()).await;
    client
        .call_tool("add_book", json!({ "title": "Dune" }))
        .await
        .unwrap();
    let read = client.read_resource("library://books/0").await.unwrap();
    assert_eq!(
        serde_json::to_value(&read.contents[0]).unwrap()["text"],
        "Dune"
    );
    assert_eq!(
        client.call_tool("reads", json!({})).await.unwrap().text(),
        Some("1"),
        "the free function sees the state the method changed"
    );
    let prompt = client.get_prompt("recommend", json!({ "genre": "crime" }));
    let prompt = serde_json::to_value(prompt.await.unwrap()).unwrap();
    assert_eq!(
        prompt["messages"][0]["content"]["text"],
        "Recommend a crime book like Dune."
    );
}

#[tokio::test]
async fn completion_and_permission_keys_may_name_associated_functions() {
    let client = TestClient::connect(&server()).await;
    let indices = client.complete_template_variable("library://books/{index}", "index", "1");
    assert_eq!(indices.await.unwrap().values, ["1", "10"]);
    let genres = client.complete_prompt_argument("recommend", "genre", "");
    assert_eq!(genres.await.unwrap().values, ["crime", "poetry"]);
    let denied = client.call_tool("burn", json!({})).await.unwrap_err();
    assert_eq!(denied.code, -32006);
}

#[tokio::test]
async fn errors_of_methods_are_answered_as_for_functions() {
    let client = TestClient::connect(&server()).await;
    let lent = client
        .call_tool("lend", json!({ "index": 3 }))
        .await
        .unwrap();
    assert!(lent.is_error);
    assert!(lent.text().unwrap().contains("no book at 3"), "{lent:?}");
    let invalid = client.call_tool("lend", json!({ "index": "third" }));
    assert!(invalid.await.unwrap().is_error);
    let missing = client.read_resource("library://books/9").await.unwrap_err();
    assert!(missing.message.contains("no book at 9"), "{missing:?}");
}

#[tokio::test]
async fn self_in_a_return_type_is_the_impl_type() {
    let server = McpServer::builder("config", "1.0")
        .filter(|b| b.has_tag("config"))
        .state(Config {
            greeting: "hi".into(),
        })
        .build()
        .unwrap();
    let client = TestClient::connect(&server).await;
    let config = client.call_tool("config", json!({})).await.unwrap();
    assert_eq!(config.structured_content, Some(json!({ "greeting": "hi" })));
}

#[test]
fn a_server_without_the_methods_state_is_refused_at_build() {
    let built = McpServer::builder("library", "1.0")
        .filter(|b| b.has_tag("library") && b.name() == "add_book")
        .build();
    let Err(Error::InvalidBinding { name, reason }) = built else {
        panic!("built without the state: {built:?}");
    };
    assert_eq!(name, "add_book");
    assert!(reason.contains("State<methods::Library>"), "{reason}");
}

#[test]
fn the_methods_stay_ordinary_methods() {
    let library = library();
    assert_eq!(library.add_book("Dune".into()), 1);
    assert_eq!(Library::version(), "1.0");
    assert_eq!(library.insert("Emma".into()), 2);
}
