//! The crash loop behind `cargo xtask crash-test [kills]` (RELIABILITY.md): the server on a temporary data
//! directory, people uploading, sending messages with idempotency keys, starting conversations, deleting
//! images, asking for exports and for their account's deletion, and a ledger of every acknowledgement. The
//! server is `kill -9`-ed at a random moment, then, while it is down, the data directory is checked, and it is
//! started again and every request that got no answer is sent again with its key:
//!
//! - `PRAGMA integrity_check` is ok;
//! - every acknowledged upload and message is there exactly once (and a retried one is not doubled);
//!   acknowledged conversations, exports and deletion requests are there; deleted images are gone;
//! - no image row and no ready export without its file.
//!
//! At the end: a SIGTERM in the middle of the same load (no request in flight fails, exit status 0), then
//! `vinano-server admin reconcile` and no file without its row; then one more start, in which every
//! acknowledged edit job and export finishes (the dead processes' leases are taken over).
//!
//! `cargo run -p vinano-server --example crash -- <vinano-server binary> [kills] [seed]`

mod check;
mod client;

use client::{Ledger, Person, Run};
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The server under test: its binary, data directory and port, and the running process.
struct Server {
    binary: String,
    dir: PathBuf,
    port: u16,
    child: Option<Child>,
}

impl Server {
    fn base(&self) -> String {
        format!("http://127.0.0.1:{}/api/v1", self.port)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    async fn start(&mut self) {
        let child = Command::new(&self.binary)
            .env("VINANO_BIND", format!("127.0.0.1:{}", self.port))
            .env("VINANO_DATA_DIR", self.data())
            .env("VINANO_DIST_DIR", self.dir.join("dist"))
            .env("VINANO_RATE_LIMIT_SCALE", "0")
            .env("VINANO_QUOTA_UPLOADS_PER_HOUR", "1000000")
            .env("VINANO_QUOTA_CONVERSATIONS_PER_HOUR", "1000000")
            .env("VINANO_QUOTA_JOBS_IN_FLIGHT", "1000000")
            .env("VINANO_JOB_WORKERS", "2")
            .env("RUST_LOG", "vinano_server=error")
            .stdout(Stdio::null())
            .spawn()
            .expect("the server binary starts");
        self.child = Some(child);
        let client = reqwest::Client::new();
        let started = Instant::now();
        while !client.get(format!("{}/policy", self.base())).send().await.is_ok_and(|r| r.status() == 200) {
            assert!(started.elapsed() < Duration::from_secs(60), "the server didn't start");
            let exited = self.child.as_mut().and_then(|c| c.try_wait().unwrap());
            assert!(exited.is_none(), "the server exited while starting: {exited:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    /// SIGTERM, then the exit status (killed after 30 s).
    fn terminate(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().expect("running");
        let term = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
        assert!(term.success());
        let asked = Instant::now();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            if asked.elapsed() > Duration::from_secs(30) {
                child.kill().unwrap();
                panic!("still running 30 s after SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn admin(&self, command: &str) -> std::process::Output {
        Command::new(&self.binary)
            .args(["admin", command])
            .env("VINANO_DATA_DIR", self.data())
            .env("RUST_LOG", "off")
            .output()
            .unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run_for(
    server: &Server,
    people: &[Person],
    ledger: &Arc<Mutex<Ledger>>,
    watch_in_flight: bool,
) -> Arc<Run> {
    Arc::new(Run {
        // A new connection for every request: a request the server never received (refused at connect)
        // is told apart from one it dropped (an idle keep-alive connection closed by a stopping server
        // would blur the two).
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(0)
            .build()
            .unwrap(),
        base: server.base(),
        people: people.to_vec(),
        ledger: ledger.clone(),
        down: AtomicBool::new(false),
        failed_in_flight: AtomicU64::new(0),
        server_errors: AtomicU64::new(0),
        watch_in_flight,
    })
}

/// Sends again, with their keys, the uploads and messages that got no answer.
async fn retry_unanswered(run: &Arc<Run>) -> usize {
    let (uploads, messages) = {
        let ledger = run.ledger.lock().unwrap();
        let uploads: Vec<_> = ledger.uploads.iter().filter(|u| u.id.is_none()).cloned().collect();
        let messages: Vec<_> = ledger.messages.iter().filter(|m| m.id.is_none()).cloned().collect();
        (uploads, messages)
    };
    let retried = uploads.len() + messages.len();
    for upload in uploads {
        run.upload(upload).await.expect("the server answers a retry");
    }
    for message in messages {
        run.message(message).await.expect("the server answers a retry");
    }
    retried
}

async fn sign_up(server: &Server, names: &[&str]) -> Vec<Person> {
    let client = reqwest::Client::new();
    let mut people = Vec::new();
    for name in names {
        let r = client.post(format!("{}/auth/signup", server.base())).json(&client::signup_body(name));
        let r = r.send().await.unwrap();
        assert_eq!(r.status(), 201);
        let cookie = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
        let id = r.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_string();
        people.push(Person { cookie, id });
    }
    people
}

/// Load by every person until the server is killed (or each has sent `rounds` requests).
fn load(run: &Arc<Run>, seed: u64, rounds: usize) -> Vec<tokio::task::JoinHandle<()>> {
    (0..run.people.len())
        .map(|p| tokio::spawn(run.clone().work(p, seed ^ (p as u64 + 1) << 32, rounds)))
        .collect()
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let binary = args.first().expect("usage: crash <vinano-server binary> [kills] [seed]").clone();
    let kills: usize = args.get(1).map_or(10, |k| k.parse().expect("kills is a number"));
    let seed: u64 = args.get(2).map_or_else(rand::random, |s| s.parse().expect("seed is a number"));
    println!("crash loop: {kills} kills, seed {seed}");
    let mut rng = StdRng::seed_from_u64(seed);
    let dir = std::env::temp_dir().join(format!("vinano-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = Server { binary, dir, port, child: None };
    server.start().await;
    let people = sign_up(&server, &["ada", "bob", "cyd", "dora"]).await;
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut problems = Vec::new();
    let mut retried = 0;
    let mut orphans_seen = 0;
    let mut server_errors = 0;
    let leaves_at = rng.gen_range(0..kills.max(1));
    let started = Instant::now();
    for round in 0..kills {
        let run = run_for(&server, &people, &ledger, false);
        retried += retry_unanswered(&run).await;
        if round == leaves_at {
            run.leave(3).await.expect("the server answers");
        }
        let workers = load(&run, rng.gen(), usize::MAX);
        tokio::time::sleep(Duration::from_millis(rng.gen_range(150..1500))).await;
        server.kill9();
        for w in workers {
            w.await.unwrap();
        }
        server_errors += run.server_errors.load(Ordering::SeqCst);
        let snapshot = ledger.lock().unwrap().clone();
        let found = check::data_dir(&server.data(), &people, &snapshot).await;
        orphans_seen += found.orphans;
        problems.extend(found.problems.into_iter().map(|p| format!("after kill {}: {p}", round + 1)));
        server.start().await;
    }
    // SIGTERM in the middle of the same load: every request that reached the server gets its answer.
    let run = run_for(&server, &people, &ledger, true);
    retried += retry_unanswered(&run).await;
    let workers = load(&run, rng.gen(), usize::MAX);
    tokio::time::sleep(Duration::from_millis(800)).await;
    let status = server.terminate();
    for w in workers {
        w.await.unwrap();
    }
    let failed_at_term = run.failed_in_flight.load(Ordering::SeqCst);
    server_errors += run.server_errors.load(Ordering::SeqCst);
    if status.code() != Some(0) {
        problems.push(format!("SIGTERM: exit status {status:?}"));
    }
    if failed_at_term > 0 {
        problems.push(format!("SIGTERM: {failed_at_term} request(s) in flight failed"));
    }
    // Everything left behind by the kills goes; then every file has its row.
    let reconcile = server.admin("reconcile");
    let said = String::from_utf8_lossy(&reconcile.stdout).trim().to_string();
    if !reconcile.status.success() {
        problems.push(format!("admin reconcile: {said} {}", String::from_utf8_lossy(&reconcile.stderr)));
    }
    let snapshot = ledger.lock().unwrap().clone();
    let found = check::data_dir(&server.data(), &people, &snapshot).await;
    problems.extend(found.problems.into_iter().map(|p| format!("after reconcile: {p}")));
    if found.orphans > 0 || found.temporary > 0 {
        problems.push(format!(
            "after reconcile: {} orphan and {} temporary file(s)",
            found.orphans, found.temporary
        ));
    }
    // The dead processes' leases are taken over: every acknowledged job and export finishes.
    server.start().await;
    let run = run_for(&server, &people, &ledger, false);
    retried += retry_unanswered(&run).await;
    server_errors += run.server_errors.load(Ordering::SeqCst);
    if server_errors > 0 {
        problems.push(format!("{server_errors} answer(s) were server errors"));
    }
    let unfinished = check::wait_for_work(&server.data(), &ledger, Duration::from_secs(150)).await;
    problems.extend(unfinished);
    if server.terminate().code() != Some(0) {
        problems.push("the last stop was not clean".into());
    }
    let ledger = ledger.lock().unwrap();
    println!(
        "kills: {kills}; acknowledged writes: {}; sent again after a kill: {retried}; lost: {}; \
         duplicated: {}; orphan files seen after kills: {orphans_seen}, after reconcile: {}; \
         requests failed at SIGTERM: {failed_at_term}; server errors: {server_errors}; time: {:.0?}",
        ledger.acknowledged(),
        problems.iter().filter(|p| p.contains("lost")).count(),
        problems.iter().filter(|p| p.contains("duplicated")).count(),
        found.orphans,
        started.elapsed()
    );
    if problems.is_empty() {
        println!("crash loop: every acknowledged write survived exactly once");
        ExitCode::SUCCESS
    } else {
        for p in &problems {
            eprintln!("PROBLEM: {p}");
        }
        ExitCode::FAILURE
    }
}
