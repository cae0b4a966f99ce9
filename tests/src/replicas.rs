//! Several replicas of one server on one Redis, as separate child processes (so nothing
//! passes between them but through Redis), behind a loopback round-robin proxy that sends
//! each new connection to the next replica, as a load balancer without sticky sessions
//! would.

use crate::redis::{RedisServer, free_port};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::process::{Child, Command};

/// One replica: a child process serving HTTP on its own port.
pub struct Replica {
    pub name: String,
    pub addr: SocketAddr,
    binary: PathBuf,
    env: Vec<(String, String)>,
    child: Option<Child>,
}

impl Replica {
    async fn start(binary: &Path, name: &str, env: Vec<(String, String)>) -> Replica {
        let addr = SocketAddr::from(([127, 0, 0, 1], free_port()));
        let mut replica = Replica {
            name: name.to_owned(),
            addr,
            binary: binary.to_owned(),
            env,
            child: None,
        };
        replica.restart().await;
        replica
    }

    /// Kills the process at once, as a crash would.
    pub async fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill().await;
        }
    }

    /// Starts the process again (after `kill`), and waits until it accepts connections.
    pub async fn restart(&mut self) {
        self.kill().await;
        let mut command = Command::new(&self.binary);
        command
            .env("PORT", self.addr.port().to_string())
            .env("REPLICA", &self.name)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .kill_on_drop(true);
        if std::env::var_os("MCP_TEST_REPLICA_LOGS").is_none() {
            command.stderr(std::process::Stdio::null());
        }
        self.child = Some(command.spawn().expect("start a replica"));
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(self.addr).await.is_err() {
            assert!(
                Instant::now() < deadline,
                "replica {} did not start",
                self.name
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// A Redis, replicas named `a`, `b`, `c`... on it, and a round-robin proxy in front.
pub struct Cluster {
    /// First, so they stop before their Redis does.
    pub replicas: Vec<Replica>,
    pub redis: RedisServer,
    /// The proxy's address: each new connection goes to the next replica.
    pub proxy: SocketAddr,
}

impl Cluster {
    /// Starts `count` replicas of `binary` on a new Redis (persistent, so it can be
    /// restarted with its data), each given `env` besides its port, name and Redis URL.
    pub async fn start(binary: &Path, count: usize, env: &[(&str, &str)]) -> Cluster {
        let redis = RedisServer::start_persistent();
        let mut replicas = Vec::new();
        for i in 0..count {
            let name = char::from(b'a' + u8::try_from(i).expect("few replicas")).to_string();
            let mut vars: Vec<(String, String)> = env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            vars.push(("REDIS_URL".into(), redis.url()));
            replicas.push(Replica::start(binary, &name, vars).await);
        }
        let proxy = round_robin(replicas.iter().map(|r| r.addr).collect()).await;
        Cluster {
            replicas,
            redis,
            proxy,
        }
    }

    /// The replica named `name`.
    pub fn replica(&mut self, name: &str) -> &mut Replica {
        self.replicas
            .iter_mut()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("no replica {name}"))
    }

    /// The address of the replica named `name`.
    pub fn addr(&self, name: &str) -> SocketAddr {
        self.replicas
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("no replica {name}"))
            .addr
    }
}

/// A loopback proxy sending each new connection to the next of `backends` in turn, for the
/// rest of the test.
pub async fn round_robin(backends: Vec<SocketAddr>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the proxy");
    let addr = listener.local_addr().expect("the proxy's address");
    let next = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let backend = backends[next.fetch_add(1, Ordering::Relaxed) % backends.len()];
            tokio::spawn(async move {
                if let Ok(mut server) = TcpStream::connect(backend).await {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                }
            });
        }
    });
    addr
}
