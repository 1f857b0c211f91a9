//! The crash loop's second setup: two replicas of the server on one PostgreSQL database and one data
//! directory, behind HAProxy (Debian's `haproxy`), as docs/deploy.md describes. Each kill takes one replica
//! down while the people keep working through the balancer; the stop at the end is a rolling one (the
//! replica is put in maintenance on HAProxy's runtime socket first, as an operator would).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A free port on the loopback interface.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `--name value` from the arguments (taken out of them).
pub fn flag(args: &mut Vec<String>, name: &str) -> Option<String> {
    let at = args.iter().position(|a| a == name)?;
    let value = args.get(at + 1).cloned().unwrap_or_else(|| panic!("{name} needs a value"));
    args.drain(at..at + 2);
    Some(value)
}

/// A throw-away database `<prefix>_<process id>` on the PostgreSQL server at `admin` (a URL); returns its URL.
pub async fn database(admin: &str, prefix: &str) -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let name = format!("{prefix}_{}", std::process::id());
    let mut db = sqlx::AnyConnection::connect(admin).await.expect("the PostgreSQL server answers");
    let _ = sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name}")).execute(&mut db).await;
    sqlx::raw_sql(&format!("CREATE DATABASE {name}")).execute(&mut db).await.expect("a new database");
    db.close().await.unwrap();
    let mut url: url::Url = admin.parse().expect("a database URL");
    url.set_path(&name);
    url.to_string()
}

/// HAProxy in front of the replicas' ports.
pub struct Balancer {
    child: Child,
    socket: PathBuf,
    /// The port people connect to.
    pub port: u16,
}

impl Balancer {
    /// Starts `haproxy` (the binary at `program`) with its configuration in `dir`.
    pub async fn start(program: &str, dir: &Path, replicas: &[u16]) -> Self {
        let port = free_port();
        let socket = dir.join("haproxy.sock");
        let servers: String = replicas
            .iter()
            .enumerate()
            .map(|(n, p)| format!("    server r{n} 127.0.0.1:{p} check inter 300ms fall 2 rise 1\n"))
            .collect();
        let config = format!(
            "global\n    maxconn 2000\n    stats socket {} mode 600 level admin\n\
             defaults\n    mode http\n    timeout connect 2s\n    timeout client 60s\n    timeout server 60s\n\
             \x20   retries 3\n    option redispatch\n    option http-server-close\n\
             frontend people\n    bind 127.0.0.1:{port}\n    default_backend vinano\n\
             backend vinano\n    balance roundrobin\n    option httpchk GET /healthz\n{servers}",
            socket.display()
        );
        let file = dir.join("haproxy.cfg");
        std::fs::write(&file, config).unwrap();
        let check = Command::new(program).args(["-c", "-q", "-f"]).arg(&file).status().expect("haproxy runs");
        assert!(check.success(), "haproxy refused its configuration");
        let child = Command::new(program)
            .args(["-db", "-f"])
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("haproxy starts");
        let started = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "haproxy didn't start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { child, socket, port }
    }

    /// Sends one command to the runtime socket and returns its answer.
    async fn command(&self, line: &str) -> String {
        let mut s = tokio::net::UnixStream::connect(&self.socket).await.expect("haproxy's socket");
        s.write_all(format!("{line}\n").as_bytes()).await.unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).await.unwrap();
        answer
    }

    /// Takes replica `n` out of rotation (`maint`) or puts it back (`ready`), and waits for HAProxy to agree.
    pub async fn set(&self, n: usize, state: &str) {
        let said = self.command(&format!("set server vinano/r{n} state {state}")).await;
        assert!(said.trim().is_empty(), "haproxy said: {said}");
    }

    /// Waits until HAProxy's health checks see replica `n` up.
    pub async fn wait_up(&self, n: usize) {
        let started = Instant::now();
        loop {
            let stat = self.command("show servers state vinano").await;
            // Columns: … srv_name srv_addr srv_op_state (2 = running) …
            let up = stat.lines().any(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                f.len() > 5 && f[3] == format!("r{n}") && f[5] == "2"
            });
            if up {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "replica {n} never came up on haproxy: {stat}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
