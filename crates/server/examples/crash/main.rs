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
//! With `--postgres <server URL> --haproxy <binary>` the same loop runs on two replicas behind HAProxy on a
//! new database on that PostgreSQL server (see [`replicas`]): each kill takes one replica down while the load
//! goes on through the other, what got no answer is sent again through the survivor, and the edit jobs and
//! exports the killed replica held are finished by whichever replica takes their leases over.
//!
//! `cargo run -p vinano-server --example crash -- <vinano-server binary> [kills] [seed] [--postgres URL
//! --haproxy BINARY]`

mod check;
mod client;
mod replicas;

use client::{Ledger, Person, Run};
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A server under test: its binary, data directory, port and settings, and the running process.
struct Server {
    binary: String,
    dir: PathBuf,
    port: u16,
    env: Vec<(String, String)>,
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
            .envs(self.env.iter().map(|(k, v)| (k, v)))
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

    fn admin(&self, command: &[&str]) -> std::process::Output {
        Command::new(&self.binary)
            .arg("admin")
            .args(command)
            .env("VINANO_DATA_DIR", self.data())
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .env("RUST_LOG", "off")
            .output()
            .unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Removes the run's directory at the end.
struct Cleanup(PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run_for(setup: &Setup, people: &[Person], ledger: &Arc<Mutex<Ledger>>, watch_in_flight: bool) -> Arc<Run> {
    Arc::new(Run {
        // A new connection for every request: a request the server never received (refused at connect)
        // is told apart from one it dropped (an idle keep-alive connection closed by a stopping server
        // would blur the two).
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(0)
            .build()
            .unwrap(),
        base: setup.base(),
        people: people.to_vec(),
        ledger: ledger.clone(),
        down: AtomicBool::new(false),
        failed_in_flight: AtomicU64::new(0),
        server_errors: AtomicU64::new(0),
        watch_in_flight,
        behind_balancer: setup.balancer.is_some(),
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

async fn sign_up(base: &str, names: &[&str]) -> Vec<Person> {
    let client = reqwest::Client::new();
    let mut people = Vec::new();
    for name in names {
        let r = client.post(format!("{base}/auth/signup")).json(&client::signup_body(name));
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

/// What runs: one server on SQLite, or two replicas on PostgreSQL behind HAProxy (sharing a data directory,
/// the store of their image files).
struct Setup {
    servers: Vec<Server>,
    balancer: Option<replicas::Balancer>,
    postgres: Option<String>,
}

impl Setup {
    /// Where people send their requests.
    fn base(&self) -> String {
        match &self.balancer {
            Some(b) => format!("http://127.0.0.1:{}/api/v1", b.port),
            None => self.servers[0].base(),
        }
    }

    fn data(&self) -> PathBuf {
        self.servers[0].data()
    }

    async fn start_all(&mut self) {
        for n in 0..self.servers.len() {
            self.servers[n].start().await;
            if let Some(b) = &self.balancer {
                b.wait_up(n).await;
            }
        }
    }
}

/// An edit sent to replica `a` whose progress is followed on replica `b` (SSE): it must arrive there, up to
/// "succeeded". Returns what went wrong.
async fn progress_across(a: &str, b: &str, person: &Person) -> Option<String> {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(120)).build().unwrap();
    let cookie = person.cookie.as_str();
    let json = |r: reqwest::Result<reqwest::Response>, what: &str| {
        let what = what.to_string();
        async move {
            let r = r.map_err(|e| format!("{what}: {e}"))?;
            let status = r.status();
            let v: serde_json::Value = r.json().await.map_err(|e| format!("{what}: {e}"))?;
            if status.is_success() {
                Ok(v)
            } else {
                Err(format!("{what}: {status} {v}"))
            }
        }
    };
    let result: Result<(), String> = async {
        let upload =
            client.post(format!("{a}/images")).header("cookie", cookie).header("content-type", "image/jpeg");
        let photo = json(upload.body(client::jpeg(99)).send().await, "an upload").await?;
        let conv =
            client.post(format!("{a}/conversations")).header("cookie", cookie).json(&serde_json::json!({}));
        let conv = json(conv.send().await, "a new conversation").await?;
        let body = serde_json::json!({"text": "make it warmer", "image_id": photo["id"]});
        let url = format!("{a}/conversations/{}/messages", conv["id"].as_str().unwrap_or_default());
        let sent =
            json(client.post(url).header("cookie", cookie).json(&body).send().await, "an edit").await?;
        let job = sent["job"]["id"].as_str().ok_or(format!("no job in {sent}"))?.to_string();
        let r = client.get(format!("{b}/jobs/{job}/events")).header("cookie", cookie).send().await;
        let mut events = match r {
            Ok(r) if r.status() == 200 => r,
            other => return Err(format!("the other replica didn't stream job {job}'s progress: {other:?}")),
        };
        let mut seen = String::new();
        while let Ok(Some(chunk)) = events.chunk().await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains("\"succeeded\"") {
                println!("an edit sent to one replica was followed to its end on the other (SSE)");
                return Ok(());
            }
        }
        Err(format!("job {job}'s progress stream on the other replica ended without success: {seen}"))
    }
    .await;
    result.err()
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let postgres_server = replicas::flag(&mut args, "--postgres");
    let haproxy = replicas::flag(&mut args, "--haproxy");
    let binary = args.first().expect("usage: crash <vinano-server binary> [kills] [seed]").clone();
    let kills: usize = args.get(1).map_or(10, |k| k.parse().expect("kills is a number"));
    let seed: u64 = args.get(2).map_or_else(rand::random, |s| s.parse().expect("seed is a number"));
    let mut rng = StdRng::seed_from_u64(seed);
    let dir = std::env::temp_dir().join(format!("vinano-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let _cleanup = Cleanup(dir.clone());
    let server = |env: Vec<(String, String)>| Server {
        binary: binary.clone(),
        dir: dir.clone(),
        port: replicas::free_port(),
        env,
        child: None,
    };
    let mut setup = match (&postgres_server, &haproxy) {
        (Some(admin), Some(haproxy)) => {
            let url = replicas::database(admin, "vinano_crash").await;
            let key: String = (0..32).map(|_| format!("{:02x}", rng.gen::<u8>())).collect();
            let env =
                vec![("VINANO_DATABASE_URL".to_string(), url.clone()), ("VINANO_MASTER_KEY".into(), key)];
            let servers = vec![server(env.clone()), server(env)];
            let ports: Vec<u16> = servers.iter().map(|s| s.port).collect();
            let balancer = replicas::Balancer::start(haproxy, &dir, &ports).await;
            Setup { servers, balancer: Some(balancer), postgres: Some(url) }
        }
        (None, None) => Setup { servers: vec![server(Vec::new())], balancer: None, postgres: None },
        _ => panic!("--postgres and --haproxy go together"),
    };
    let what =
        if setup.balancer.is_some() { "two replicas on PostgreSQL behind HAProxy" } else { "one server" };
    println!("crash loop ({what}): {kills} kills, seed {seed}");
    setup.start_all().await;
    let people = sign_up(&setup.base(), &["ada", "bob", "cyd", "dora"]).await;
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut problems = Vec::new();
    let mut retried = 0;
    let mut orphans_seen = 0;
    let mut server_errors = 0;
    let leaves_at = rng.gen_range(0..kills.max(1));
    let started = Instant::now();
    let postgres = setup.postgres.clone();
    for round in 0..kills {
        let run = run_for(&setup, &people, &ledger, false);
        retried += retry_unanswered(&run).await;
        if round == leaves_at {
            run.leave(3).await.expect("the server answers");
        }
        let workers = load(&run, rng.gen(), usize::MAX);
        tokio::time::sleep(Duration::from_millis(rng.gen_range(150..1500))).await;
        let victim = rng.gen_range(0..setup.servers.len());
        setup.servers[victim].kill9();
        if setup.balancer.is_some() {
            // The other replica keeps serving: the people stop after a moment, and what got no answer is
            // sent again through the balancer while the killed replica is still down.
            tokio::time::sleep(Duration::from_millis(300)).await;
            run.down.store(true, Ordering::SeqCst);
        }
        for w in workers {
            w.await.unwrap();
        }
        server_errors += run.server_errors.load(Ordering::SeqCst);
        if setup.balancer.is_some() {
            let survivor = run_for(&setup, &people, &ledger, false);
            retried += retry_unanswered(&survivor).await;
            server_errors += survivor.server_errors.load(Ordering::SeqCst);
        }
        let snapshot = ledger.lock().unwrap().clone();
        let found = check::data_dir(&setup.data(), postgres.as_deref(), &people, &snapshot).await;
        orphans_seen += found.orphans;
        problems.extend(found.problems.into_iter().map(|p| format!("after kill {}: {p}", round + 1)));
        setup.servers[victim].start().await;
        if let Some(b) = &setup.balancer {
            b.wait_up(victim).await;
        }
    }
    // SIGTERM in the middle of the same load: every request that reached the server gets its answer. Behind
    // the balancer, a rolling stop: the replica leaves the rotation first, the other takes the load.
    let run = run_for(&setup, &people, &ledger, true);
    retried += retry_unanswered(&run).await;
    let workers = load(&run, rng.gen(), usize::MAX);
    tokio::time::sleep(Duration::from_millis(800)).await;
    if let Some(b) = &setup.balancer {
        b.set(0, "maint").await;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut statuses = vec![setup.servers[0].terminate()];
    if setup.balancer.is_some() {
        tokio::time::sleep(Duration::from_millis(500)).await;
        run.down.store(true, Ordering::SeqCst);
    }
    for w in workers {
        w.await.unwrap();
    }
    statuses.extend(setup.servers.iter_mut().skip(1).map(Server::terminate));
    let failed_at_term = run.failed_in_flight.load(Ordering::SeqCst);
    server_errors += run.server_errors.load(Ordering::SeqCst);
    for status in statuses.iter().filter(|s| s.code() != Some(0)) {
        problems.push(format!("SIGTERM: exit status {status:?}"));
    }
    if failed_at_term > 0 {
        problems.push(format!("SIGTERM: {failed_at_term} request(s) in flight failed"));
    }
    if let Some(b) = &setup.balancer {
        b.set(0, "ready").await;
    }
    // Everything left behind by the kills goes; then every file has its row.
    // (Every replica is stopped: their young files too are leftovers.)
    let reconcile = setup.servers[0].admin(&["reconcile", "--all-stopped"]);
    let said = String::from_utf8_lossy(&reconcile.stdout).trim().to_string();
    if !reconcile.status.success() {
        problems.push(format!("admin reconcile: {said} {}", String::from_utf8_lossy(&reconcile.stderr)));
    }
    let snapshot = ledger.lock().unwrap().clone();
    let found = check::data_dir(&setup.data(), postgres.as_deref(), &people, &snapshot).await;
    problems.extend(found.problems.into_iter().map(|p| format!("after reconcile: {p}")));
    if found.orphans > 0 || found.temporary > 0 {
        problems.push(format!(
            "after reconcile: {} orphan and {} temporary file(s) {:?}",
            found.orphans, found.temporary, found.orphan_names
        ));
    }
    // The dead processes' leases are taken over: every acknowledged job and export finishes.
    setup.start_all().await;
    let run = run_for(&setup, &people, &ledger, false);
    retried += retry_unanswered(&run).await;
    server_errors += run.server_errors.load(Ordering::SeqCst);
    if server_errors > 0 {
        problems.push(format!("{server_errors} answer(s) were server errors"));
    }
    let unfinished =
        check::wait_for_work(&setup.data(), postgres.as_deref(), &ledger, Duration::from_secs(150)).await;
    problems.extend(unfinished);
    // With the queue empty: an edit sent to one replica, followed on the other.
    if setup.balancer.is_some() {
        let (a, b) = (setup.servers[0].base(), setup.servers[1].base());
        problems.extend(progress_across(&a, &b, &people[0]).await);
    }
    for server in &mut setup.servers {
        if server.terminate().code() != Some(0) {
            problems.push("the last stop was not clean".into());
        }
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
