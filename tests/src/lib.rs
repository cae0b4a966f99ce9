//! Helpers of the end-to-end tests: a client that drives a server binary as a child process
//! over real pipes, and the paths of the binaries under test.

pub mod browser;
pub mod debian;
pub mod http;
pub mod redis;
pub mod replicas;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

/// How long a test waits for one message before failing.
pub const WAIT: Duration = Duration::from_secs(20);

/// A server running as a child process, spoken to over its stdin and stdout.
pub struct McpProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Lines<BufReader<ChildStdout>>,
    next_id: i64,
    /// Messages received while waiting for something else (notifications, other responses).
    pub backlog: Vec<Value>,
}

impl McpProcess {
    /// Starts `binary` with piped stdin/stdout (stderr is inherited, for logs).
    pub fn spawn(binary: &Path) -> McpProcess {
        let mut child = Command::new(binary)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {}: {e}", binary.display()));
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
        McpProcess {
            child,
            stdin,
            stdout,
            next_id: 1,
            backlog: Vec::new(),
        }
    }

    /// Starts the binary and performs the handshake at `version`.
    pub async fn initialized(binary: &Path, version: &str) -> McpProcess {
        let mut process = McpProcess::spawn(binary);
        let result = process.initialize(version).await;
        assert_eq!(result["result"]["protocolVersion"], version, "{result}");
        process.notify("notifications/initialized", json!({})).await;
        process
    }

    /// Sends `initialize` and returns the whole response.
    pub async fn initialize(&mut self, version: &str) -> Value {
        let params = json!({
            "protocolVersion": version,
            "capabilities": {},
            "clientInfo": { "name": "mcp-tests", "version": "0" }
        });
        self.request("initialize", params).await
    }

    /// Writes one raw line (a newline is added).
    pub async fn send_line(&mut self, line: &str) {
        self.send_bytes(line.as_bytes()).await;
    }

    /// Writes one raw line of arbitrary bytes, not necessarily UTF-8 (a newline is added).
    pub async fn send_bytes(&mut self, line: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(line).await.expect("write to the server");
        stdin.write_all(b"\n").await.expect("write to the server");
        stdin.flush().await.expect("flush to the server");
    }

    /// Writes bytes as they are: no newline is added.
    pub async fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(bytes).await.expect("write to the server");
        stdin.flush().await.expect("flush to the server");
    }

    /// Sends a notification.
    pub async fn notify(&mut self, method: &str, params: Value) {
        let message = json!({ "jsonrpc": "2.0", "method": method, "params": params });
        self.send_line(&message.to_string()).await;
    }

    /// Sends a request without waiting; returns its id.
    pub async fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let message = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
        self.send_line(&message.to_string()).await;
        id
    }

    /// Sends a request and waits for its response (the whole JSON-RPC message).
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params).await;
        self.response_to(&json!(id)).await
    }

    /// Sends a request and returns its `result`, failing the test on an error response.
    pub async fn result(&mut self, method: &str, params: Value) -> Value {
        let mut response = self.request(method, params).await;
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].take()
    }

    /// Sends a request and returns its `error`, failing the test on a success response.
    pub async fn error(&mut self, method: &str, params: Value) -> Value {
        let mut response = self.request(method, params).await;
        assert!(
            response.get("result").is_none(),
            "{method} should fail: {response}"
        );
        response["error"].take()
    }

    /// Every item of a list method, following `nextCursor` through all pages.
    pub async fn list_all(&mut self, method: &str, key: &str) -> Vec<Value> {
        let mut items = Vec::new();
        let mut params = json!({});
        loop {
            let mut page = self.result(method, params).await;
            items.extend(
                page[key]
                    .as_array()
                    .expect("a page of items")
                    .iter()
                    .cloned(),
            );
            match page["nextCursor"].take() {
                Value::String(cursor) => params = json!({ "cursor": cursor }),
                _ => return items,
            }
        }
    }

    /// Waits for the response with `id`, keeping everything else in the backlog.
    pub async fn response_to(&mut self, id: &Value) -> Value {
        if let Some(at) = self.backlog.iter().position(|m| is_response_to(m, id)) {
            return self.backlog.remove(at);
        }
        loop {
            let message = self
                .receive()
                .await
                .unwrap_or_else(|| panic!("the server closed before answering {id}"));
            if is_response_to(&message, id) {
                return message;
            }
            self.backlog.push(message);
        }
    }

    /// Reads the next message; `None` when the server closed stdout. Every line the server
    /// writes must be a JSON-RPC message: anything else fails the test.
    pub async fn receive(&mut self) -> Option<Value> {
        let line = tokio::time::timeout(WAIT, self.stdout.next_line())
            .await
            .expect("the server answered in time")
            .expect("stdout is readable")?;
        let message: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("stdout carried a non-JSON line {line:?}: {e}"));
        assert_eq!(
            message["jsonrpc"], "2.0",
            "stdout carried a non-JSON-RPC message: {line}"
        );
        Some(message)
    }

    /// Reads whatever arrives within `window`.
    pub async fn drain_for(&mut self, window: Duration) -> Vec<Value> {
        let mut messages = Vec::new();
        while let Ok(Some(Ok(Some(line)))) = tokio::time::timeout(window, self.stdout.next_line())
            .await
            .map(Some)
        {
            messages.push(serde_json::from_str(&line).expect("JSON line"));
        }
        messages
    }

    /// Closes stdin (the server sees end of input) without waiting.
    pub fn close_stdin(&mut self) {
        drop(self.stdin.take());
    }

    /// Waits for the server to exit, however long that takes (bound it with a timeout).
    pub async fn wait(&mut self) -> ExitStatus {
        self.child.wait().await.expect("wait")
    }

    /// Closes stdin and waits for the server to exit.
    pub async fn close(&mut self) -> ExitStatus {
        drop(self.stdin.take());
        tokio::time::timeout(WAIT, self.child.wait())
            .await
            .expect("the server exited in time")
            .expect("wait")
    }
}

fn is_response_to(message: &Value, id: &Value) -> bool {
    message.get("method").is_none() && message.get("id") == Some(id)
}

/// The quickstart example binary, built on first use (with the same profile as the tests).
pub fn quickstart_binary() -> PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let out_dir = std::env::current_exe().expect("test binary path");
        let profile_dir = out_dir
            .parent()
            .and_then(Path::parent)
            .expect("target/<profile>/deps");
        let mut build = std::process::Command::new(env!("CARGO"));
        build.args([
            "build",
            "--quiet",
            "-p",
            "mcp-examples",
            "--bin",
            "quickstart",
        ]);
        if profile_dir.ends_with("release") {
            build.arg("--release");
        }
        let status = build.status().expect("run cargo build");
        assert!(status.success(), "building the quickstart example failed");
        profile_dir.join(format!("quickstart{}", std::env::consts::EXE_SUFFIX))
    })
    .clone()
}
