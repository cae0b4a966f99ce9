//! A real `redis-server` for one test: started on a free loopback port (never 6379) in a
//! directory of its own, with append-only persistence when asked, stopped when dropped.
//! Tests kill and restart it to see what replicas do while it is away.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A `redis-server` child process.
pub struct RedisServer {
    port: u16,
    dir: PathBuf,
    persistent: bool,
    child: Option<Child>,
}

impl RedisServer {
    /// Starts a server without persistence (what it holds is lost when it stops).
    pub fn start() -> RedisServer {
        Self::start_with(false)
    }

    /// Starts a server that writes an append-only file, fsynced on every write: restarted
    /// on the same directory, it holds what it held.
    pub fn start_persistent() -> RedisServer {
        Self::start_with(true)
    }

    fn start_with(persistent: bool) -> RedisServer {
        let dir =
            std::env::temp_dir().join(format!("mcp-redis-{}-{}", std::process::id(), unique()));
        std::fs::create_dir_all(&dir).expect("a directory for redis-server");
        let mut server = RedisServer {
            port: free_port(),
            dir,
            persistent,
            child: None,
        };
        server.restart();
        server
    }

    /// `redis://127.0.0.1:{port}`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Kills the server at once (SIGKILL: no shutdown save), as a crash would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port and directory, and waits until it answers.
    pub fn restart(&mut self) {
        self.kill();
        let mut command = Command::new(redis_server());
        command
            .arg("--port")
            .arg(self.port.to_string())
            .arg("--bind")
            .arg("127.0.0.1")
            .arg("--dir")
            .arg(&self.dir)
            .arg("--save")
            .arg("")
            .arg("--appendonly")
            .arg(if self.persistent { "yes" } else { "no" })
            .arg("--appendfsync")
            .arg("always")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        self.child = Some(command.spawn().expect("start redis-server"));
        wait_until_answering(self.port);
    }

    /// Runs one command with `redis-cli`, returning its output.
    pub fn cli(&self, args: &[&str]) -> String {
        let output = Command::new("redis-cli")
            .arg("-p")
            .arg(self.port.to_string())
            .args(args)
            .output()
            .expect("run redis-cli");
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `redis-server` from the PATH (installed from Debian's package when it can be).
fn redis_server() -> &'static Path {
    crate::debian::require(
        &["redis-server", "redis-cli"],
        &["redis-server"],
        "the tests of the shared store start servers of their own, never on 6379",
    );
    Path::new("redis-server")
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A loopback port nobody listens on (and never Redis's 6379).
pub fn free_port() -> u16 {
    // Never the same port twice in one test binary: a test that stops its Redis to see what
    // replicas do without it would otherwise find another test's new Redis on that port,
    // empty, and its replicas would answer 404 where 503 is right.
    static HANDED_OUT: Mutex<Vec<u16>> = Mutex::new(Vec::new());
    let mut handed_out = HANDED_OUT.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        if port != 6379 && !handed_out.contains(&port) {
            handed_out.push(port);
            return port;
        }
    }
}

fn wait_until_answering(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let pong = Command::new("redis-cli")
            .args(["-p", &port.to_string(), "PING"])
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"PONG"));
        if pong {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "redis-server did not start on {port}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
