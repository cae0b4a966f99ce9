//! Headless Chromium (Debian's `chromium`), driven through ChromeDriver's WebDriver API
//! over HTTP: open a page, read the DOM, type, click, take a screenshot. Each browser has a
//! profile directory of its own and is shut down, with its driver, when dropped.

use crate::http;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a test waits for something to appear on the page.
pub const PAGE_WAIT: Duration = Duration::from_secs(15);

/// WebDriver's name for an element reference in JSON.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A headless Chromium session.
pub struct Browser {
    driver: Child,
    addr: SocketAddr,
    session: String,
    profile: PathBuf,
}

impl Browser {
    /// Starts ChromeDriver on a free loopback port and a headless Chromium under it.
    pub async fn start() -> Browser {
        crate::debian::require(
            &["chromium", "chromedriver"],
            &["chromium", "chromium-driver"],
            "the catalogue page is tested in a real browser",
        );
        let addr = http::free_loopback_addr();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={}", addr.port()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = std::env::temp_dir().join(format!(
            "mcp-chromium-{}-{}",
            std::process::id(),
            addr.port()
        ));
        let mut browser = Browser {
            driver,
            addr,
            session: String::new(),
            profile,
        };
        http::wait_until_accepting(addr).await;
        // The flags keep Chromium off the network it cannot reach here (its background
        // services), and root needs --no-sandbox.
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,2000",
        ]
        .map(String::from);
        let mut args = args.to_vec();
        args.push(format!("--user-data-dir={}", browser.profile.display()));
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium_binary(), "args": args }
        } } });
        let created = browser.command("POST", "/session", &capabilities).await;
        browser.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session from chromedriver: {created}"))
            .to_owned();
        browser
    }

    /// Opens `url` and waits until it has loaded.
    pub async fn open(&self, url: &str) {
        self.session_command("POST", "/url", &json!({ "url": url }))
            .await;
    }

    /// Sends `headers` with every request the browser makes from now on, in place of any
    /// set before (none: stop adding them), through Chromium's DevTools protocol, as a
    /// proxy in front of the server would add them.
    pub async fn set_headers(&self, headers: &[(&str, &str)]) {
        let cdp = |cmd: &str, params: Value| json!({ "cmd": cmd, "params": params });
        let headers: serde_json::Map<String, Value> = headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), json!(value)))
            .collect();
        let enable = cdp("Network.enable", json!({}));
        self.session_command("POST", "/goog/cdp/execute", &enable)
            .await;
        let extra = cdp("Network.setExtraHTTPHeaders", json!({ "headers": headers }));
        self.session_command("POST", "/goog/cdp/execute", &extra)
            .await;
    }

    /// Runs `script` (a function body; `arguments` holds `args`) in the page; its return
    /// value.
    pub async fn eval(&self, script: &str, args: Value) -> Value {
        let body = json!({ "script": script, "args": args });
        self.session_command("POST", "/execute/sync", &body).await
    }

    /// Waits until `script` returns something other than `null`, `false` or `""`; that.
    pub async fn wait_for(&self, script: &str, args: Value) -> Value {
        let deadline = Instant::now() + PAGE_WAIT;
        loop {
            let value = self.eval(script, args.clone()).await;
            let empty = value.is_null() || value == json!(false) || value == json!("");
            if !empty {
                return value;
            }
            assert!(
                Instant::now() < deadline,
                "the page never satisfied: {script}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The first element `selector` finds, for [`type_into`](Self::type_into) and
    /// [`click`](Self::click).
    pub async fn find(&self, selector: &str) -> String {
        let body = json!({ "using": "css selector", "value": selector });
        let found = self.session_command("POST", "/element", &body).await;
        found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {selector}: {found}"))
            .to_owned()
    }

    /// Replaces the text of the field `selector` finds with `text`, as typed keys.
    pub async fn type_into(&self, selector: &str, text: &str) {
        let element = self.find(selector).await;
        self.session_command("POST", &format!("/element/{element}/clear"), &json!({}))
            .await;
        let keys = json!({ "text": text });
        self.session_command("POST", &format!("/element/{element}/value"), &keys)
            .await;
    }

    /// Clicks the element `selector` finds, as a user would.
    pub async fn click(&self, selector: &str) {
        let element = self.find(selector).await;
        self.session_command("POST", &format!("/element/{element}/click"), &json!({}))
            .await;
    }

    /// A PNG screenshot of the viewport.
    pub async fn screenshot(&self) -> Vec<u8> {
        use base64::Engine as _;
        let encoded = self
            .session_command("GET", "/screenshot", &Value::Null)
            .await;
        base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().expect("a base64 screenshot"))
            .expect("a screenshot in base64")
    }

    async fn session_command(&self, method: &str, path: &str, body: &Value) -> Value {
        let path = format!("/session/{}{path}", self.session);
        self.command(method, &path, body).await
    }

    /// One WebDriver command; its `value`, or the test fails with the driver's error.
    async fn command(&self, method: &str, path: &str, body: &Value) -> Value {
        let body = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        let headers = [("content-type", "application/json")];
        let response = http::send(self.addr, method, path, &headers, body).await;
        let status = response.status;
        let reply = response.json().await;
        assert!(
            status == 200,
            "WebDriver {method} {path} answered {status}: {reply}"
        );
        reply["value"].clone()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Deleting the session quits Chromium; killing the driver alone would leave it
        // running. Blocking, since a drop cannot wait on the runtime (a test that panicked
        // ends here too).
        if !self.session.is_empty() {
            let _ = delete_session(self.addr, &self.session);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn delete_session(addr: SocketAddr, session: &str) -> std::io::Result<()> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "DELETE /session/{session} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    // The answer comes once the browser has quit.
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).map(drop)
}

fn chromium_binary() -> String {
    let output = Command::new("sh")
        .args(["-c", "command -v chromium"])
        .output()
        .expect("run sh");
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}
