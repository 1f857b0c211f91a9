//! The load benchmark behind `cargo xtask load` (see BENCHMARKS.md): simulated people against the release
//! server on this machine, each logging in, listing, uploading, editing and following the edit's progress,
//! first alone, then with one abusive person sending the most expensive plans the budgets allow. It
//! prints requests per second, p50/p99 per endpoint, errors and the server's peak memory.
//!
//! With `--postgres <server URL>` the run without abuse is made three times for BENCHMARKS.md's comparison:
//! one process on SQLite, one on a new PostgreSQL database, and (with `--haproxy <binary>`) two replicas on
//! one database behind HAProxy; requests/s and p99 side by side.
//!
//! `cargo run --profile server -p vinano-server --example load -- <vinano-server binary> [seconds] [people]
//! [--postgres URL [--haproxy BINARY]]`

#[path = "crash/replicas.rs"]
#[allow(dead_code)]
mod replicas;

use reqwest::Client;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PASSWORD: &str = "a long enough password";

/// Latencies (ms) per endpoint, and the requests that failed.
#[derive(Default)]
struct Record {
    latencies: BTreeMap<&'static str, Vec<f64>>,
    errors: BTreeMap<String, u64>,
}

type Shared = Arc<Mutex<Record>>;

fn note(record: &Shared, endpoint: &'static str, started: Instant, status: Option<u16>) {
    let mut r = record.lock().unwrap();
    r.latencies.entry(endpoint).or_default().push(started.elapsed().as_secs_f64() * 1000.0);
    match status {
        Some(s) if s < 400 => {}
        Some(s) => *r.errors.entry(format!("{endpoint} {s}")).or_default() += 1,
        None => *r.errors.entry(format!("{endpoint} (no answer)")).or_default() += 1,
    }
}

/// Where the servers keep their data.
#[derive(Debug, Clone)]
enum Setup {
    /// One process, SQLite.
    Sqlite,
    /// One process on a new database of the PostgreSQL server at this URL.
    Postgres(String),
    /// Two processes on one new database, behind HAProxy (the binary's path).
    Replicas(String, String),
}

impl Setup {
    fn name(&self) -> &'static str {
        match self {
            Setup::Sqlite => "one process, SQLite",
            Setup::Postgres(_) => "one process, PostgreSQL",
            Setup::Replicas(..) => "two replicas, PostgreSQL, HAProxy",
        }
    }
}

struct Server {
    children: Vec<Child>,
    base: String,
    _balancer: Option<replicas::Balancer>,
    _dir: PathGuard,
}

struct PathGuard(std::path::PathBuf);

impl Drop for PathGuard {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Server {
    /// The peak resident memory of every process, added up.
    fn peak_mib(&self) -> u64 {
        self.children.iter().map(|c| vinano_server::memory::peak_resident_mib(c.id())).sum()
    }
}

async fn start(binary: &str, setup: &Setup, run: usize) -> Server {
    let dir = std::env::temp_dir().join(format!("vinano-load-{}-{run}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let database = match setup {
        Setup::Sqlite => None,
        Setup::Postgres(admin) | Setup::Replicas(admin, _) => {
            Some(replicas::database(admin, &format!("vinano_load{run}")).await)
        }
    };
    let count = if matches!(setup, Setup::Replicas(..)) { 2 } else { 1 };
    let ports: Vec<u16> = (0..count).map(|_| replicas::free_port()).collect();
    let mut children = Vec::new();
    for (n, port) in ports.iter().enumerate() {
        let mut command = Command::new(binary);
        command
            .env("VINANO_BIND", format!("127.0.0.1:{port}"))
            .env("VINANO_DATA_DIR", dir.join("data"))
            .env("VINANO_DIST_DIR", dir.join("dist"))
            .env("VINANO_MASTER_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")
            // Every simulated person comes from 127.0.0.1: the per-address log-in limits would stop them.
            .env("VINANO_RATE_LIMIT_SCALE", "0")
            .env("RUST_LOG", "vinano_server=error")
            .stdout(Stdio::null());
        if let Some(url) = &database {
            command.env("VINANO_DATABASE_URL", url);
        }
        children.push(command.spawn().expect("the server binary starts"));
        let client = Client::new();
        let base = format!("http://127.0.0.1:{port}/api/v1");
        let mut up = false;
        for _ in 0..300 {
            if client.get(format!("{base}/policy")).send().await.is_ok_and(|r| r.status() == 200) {
                up = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(up, "server {n} didn't start");
    }
    let balancer = match setup {
        Setup::Replicas(_, haproxy) => {
            let b = replicas::Balancer::start(haproxy, &dir, &ports).await;
            for n in 0..ports.len() {
                b.wait_up(n).await;
            }
            Some(b)
        }
        _ => None,
    };
    let base = match &balancer {
        Some(b) => format!("http://127.0.0.1:{}/api/v1", b.port),
        None => format!("http://127.0.0.1:{}/api/v1", ports[0]),
    };
    // Dropping the server (even on a panic below) kills and waits for the processes.
    Server { children, base, _balancer: balancer, _dir: PathGuard(dir) }
}

fn jpeg(w: u32, h: u32, seed: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let n = (x.wrapping_mul(31) ^ y.wrapping_mul(17) ^ seed) % 23;
        image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, (120 + n) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

fn signup_body(name: &str) -> Value {
    json!({
        "name": name, "email": format!("{name}@example.com"), "username": name, "password": PASSWORD,
        "date_of_birth": "1990-05-17", "accept_terms": true, "accept_privacy": true, "accept_responsibility": true
    })
}

/// Signs up, uploads a photo and starts a conversation: (cookie, conversation, photo).
async fn prepare(
    client: &Client,
    base: &str,
    name: &str,
    photo: Vec<u8>,
    content_type: &str,
) -> (String, String, String) {
    let r = client.post(format!("{base}/auth/signup")).json(&signup_body(name)).send().await.unwrap();
    assert_eq!(r.status(), 201, "sign-up of {name}: {:?}", r.text().await);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let r = client
        .post(format!("{base}/images"))
        .header("cookie", &cookie)
        .header("content-type", content_type)
        .body(photo)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let image = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let r = client.post(format!("{base}/conversations")).header("cookie", &cookie).json(&json!({})).send();
    let conv = r.await.unwrap().json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    (cookie, conv, image)
}

/// Follows a job's progress stream to its end; `true` when it succeeded.
async fn follow(client: &Client, base: &str, cookie: &str, job: &str) -> bool {
    let Ok(mut r) = client.get(format!("{base}/jobs/{job}/events")).header("cookie", cookie).send().await
    else {
        return false;
    };
    let mut seen = String::new();
    while let Ok(Some(chunk)) = r.chunk().await {
        seen.push_str(&String::from_utf8_lossy(&chunk));
        if seen.contains("\"succeeded\"") {
            return true;
        }
        if seen.contains("\"failed\"") || seen.contains("\"cancelled\"") {
            return false;
        }
    }
    false
}

/// One person for `until`: log in, then list, library, sometimes upload, edit and follow, look, think.
#[allow(clippy::too_many_arguments)]
async fn person(
    client: Client,
    base: String,
    n: usize,
    conv: String,
    image: String,
    until: Instant,
    record: Shared,
) {
    let name = format!("person{n}");
    tokio::time::sleep(Duration::from_millis((n as u64 * 37) % 2000)).await;
    let t = Instant::now();
    let login = client
        .post(format!("{base}/auth/login"))
        .json(&json!({"login": name, "password": PASSWORD}))
        .send()
        .await;
    note(&record, "POST /auth/login", t, login.as_ref().ok().map(|r| r.status().as_u16()));
    let Some(cookie) = login.ok().and_then(|r| {
        r.headers()
            .get("set-cookie")
            .and_then(|c| c.to_str().ok())
            .map(|c| c.split(';').next().unwrap().to_string())
    }) else {
        return;
    };
    let texts = [
        "make it warmer and crop it square",
        "make it black and white",
        "rotate it 90 degrees",
        "sharpen it a bit",
    ];
    let mut i = 0usize;
    let mut target = image;
    while Instant::now() < until {
        let get = |path: &'static str, url: String| {
            let (client, cookie, record) = (client.clone(), cookie.clone(), record.clone());
            async move {
                let t = Instant::now();
                let r = client.get(url).header("cookie", cookie).send().await;
                let status = r.as_ref().ok().map(|r| r.status().as_u16());
                if let Ok(r) = r {
                    let _ = r.bytes().await;
                }
                note(&record, path, t, status);
            }
        };
        get("GET /conversations", format!("{base}/conversations")).await;
        get("GET /images", format!("{base}/images")).await;
        if i % 5 == 4 {
            let t = Instant::now();
            let r = client
                .post(format!("{base}/images"))
                .header("cookie", &cookie)
                .header("content-type", "image/jpeg")
                .body(jpeg(1200, 900, (n * 1000 + i) as u32))
                .send()
                .await;
            note(&record, "POST /images", t, r.as_ref().ok().map(|r| r.status().as_u16()));
        }
        let t = Instant::now();
        let r = client
            .post(format!("{base}/conversations/{conv}/messages"))
            .header("cookie", &cookie)
            .json(&json!({"text": texts[i % texts.len()], "image_id": target}))
            .send()
            .await;
        let status = r.as_ref().ok().map(|r| r.status().as_u16());
        note(&record, "POST /messages", t, status);
        let job = match r {
            Ok(r) if r.status().is_success() => {
                r.json::<Value>().await.ok().and_then(|v| v["job"]["id"].as_str().map(str::to_string))
            }
            _ => None,
        };
        if let Some(job) = job {
            let ok = follow(&client, &base, &cookie, &job).await;
            note(&record, "edit: sent → finished (SSE)", t, Some(if ok { 200 } else { 500 }));
            // The result is the next edit's target, as in a conversation.
            if ok {
                let r = client.get(format!("{base}/jobs/{job}")).header("cookie", &cookie).send().await;
                let _ = r.map(|r| r.status());
                let detail =
                    client.get(format!("{base}/conversations/{conv}")).header("cookie", &cookie).send().await;
                if let Ok(d) = detail {
                    if let Ok(v) = d.json::<Value>().await {
                        if let Some(id) = v["messages"]
                            .as_array()
                            .and_then(|m| m.iter().rev().find_map(|m| m["image"]["id"].as_str()))
                        {
                            target = id.to_string();
                        }
                    }
                }
            }
        }
        get("GET /images/{id}", format!("{base}/images/{target}")).await;
        i += 1;
        tokio::time::sleep(Duration::from_millis(1000 + (n as u64 * 131 + i as u64 * 71) % 2000)).await;
    }
}

/// The abusive person: the most expensive plans the budgets allow, as fast as the server takes them.
async fn abuser(
    client: Client,
    base: String,
    cookie: String,
    conv: String,
    image: String,
    until: Instant,
) -> (u64, u64) {
    let (mut accepted, mut refused) = (0, 0);
    let plans = [
        "scale to 99% and rotate it 90 degrees and make it black and white",
        "flip it and sharpen it",
        "scale to 99% and blur it",
    ];
    let mut i = 0;
    while Instant::now() < until {
        let r = client
            .post(format!("{base}/conversations/{conv}/messages"))
            .header("cookie", &cookie)
            .json(&json!({"text": plans[i % plans.len()], "image_id": image}))
            .send()
            .await;
        match r.map(|r| r.status().as_u16()) {
            Ok(200) => accepted += 1,
            _ => {
                refused += 1;
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
        i += 1;
    }
    (accepted, refused)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// What one scenario measured: requests per second and p99 per endpoint.
struct Measured {
    per_second: f64,
    p99s: BTreeMap<&'static str, f64>,
}

/// Runs one scenario.
async fn scenario(
    binary: &str,
    setup: &Setup,
    run: usize,
    seconds: u64,
    people: usize,
    abusive: bool,
) -> Measured {
    let server = start(binary, setup, run).await;
    let client = Client::builder().pool_max_idle_per_host(1024).build().unwrap();
    let base = server.base.clone();
    let photo = jpeg(1200, 900, 7);
    let mut prepared = Vec::new();
    for chunk in (0..people).collect::<Vec<_>>().chunks(20) {
        let batch: Vec<_> = chunk
            .iter()
            .map(|&n| {
                let (client, base, photo) = (client.clone(), base.clone(), photo.clone());
                tokio::spawn(async move {
                    prepare(&client, &base, &format!("person{n}"), photo, "image/jpeg").await
                })
            })
            .collect();
        for b in batch {
            prepared.push(b.await.unwrap());
        }
    }
    let heavy = if abusive {
        // 6 300 × 6 300: the largest photo accepted (39.7 MP).
        let img =
            image::RgbImage::from_fn(6300, 6300, |x, y| image::Rgb([(x / 25) as u8, (y / 25) as u8, 90]));
        let mut out = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Png).unwrap();
        Some(prepare(&client, &base, "abuser", out.into_inner(), "image/png").await)
    } else {
        None
    };
    let record: Shared = Arc::default();
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let tasks: Vec<_> = prepared
        .into_iter()
        .enumerate()
        .map(|(n, (_, conv, image))| {
            tokio::spawn(person(client.clone(), base.clone(), n, conv, image, until, record.clone()))
        })
        .collect();
    let abuse = heavy.map(|(cookie, conv, image)| {
        tokio::spawn(abuser(client.clone(), base.clone(), cookie, conv, image, until))
    });
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let abuse = match abuse {
        Some(a) => Some(a.await.unwrap()),
        None => None,
    };
    let peak = server.peak_mib();
    let record = record.lock().unwrap();
    let total: usize =
        record.latencies.iter().filter(|(k, _)| !k.starts_with("edit:")).map(|(_, v)| v.len()).sum();
    let errors: u64 = record.errors.values().sum();
    println!(
        "\n### {} ({people} people, {seconds} s; {})\n",
        if abusive { "With one abusive person" } else { "Without abuse" },
        setup.name()
    );
    println!("{total} requests in {elapsed:.0} s: **{:.0} requests/s**; errors: **{errors}**{}; server peak memory (VmHWM): **{peak} MiB**", total as f64 / elapsed, if errors > 0 { format!(" {:?}", record.errors) } else { String::new() });
    if let Some((accepted, refused)) = abuse {
        println!(
            "\nThe abusive person: {accepted} heavy edits accepted, {refused} refused (429 jobs in flight)."
        );
    }
    println!("\n| endpoint | requests | p50 ms | p99 ms |\n|---|---:|---:|---:|");
    let mut p99s = BTreeMap::new();
    for (endpoint, values) in &record.latencies {
        let mut sorted = values.clone();
        sorted.sort_by(|a, b| a.total_cmp(b));
        let (p50, p99) = (percentile(&sorted, 0.5), percentile(&sorted, 0.99));
        println!("| {endpoint} | {} | {p50:.1} | {p99:.1} |", sorted.len());
        p99s.insert(*endpoint, p99);
    }
    Measured { per_second: total as f64 / elapsed, p99s }
}

#[tokio::main]
async fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let postgres = replicas::flag(&mut args, "--postgres");
    let haproxy = replicas::flag(&mut args, "--haproxy");
    let binary = args.first().expect("usage: load <vinano-server binary> [seconds] [people]").clone();
    let seconds = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(60);
    let people = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(200);
    if let Some(admin) = postgres {
        // The comparison: the same load on each setup, without abuse.
        let mut setups = vec![Setup::Sqlite, Setup::Postgres(admin.clone())];
        if let Some(haproxy) = haproxy {
            setups.push(Setup::Replicas(admin, haproxy));
        }
        let mut results = Vec::new();
        for (run, setup) in setups.iter().enumerate() {
            results.push(scenario(&binary, setup, run, seconds, people, false).await);
        }
        let endpoints: Vec<&str> = results[0].p99s.keys().copied().collect();
        println!("\n### Side by side ({people} people, {seconds} s each): requests/s, then p99 in ms\n");
        let head: Vec<&str> = setups.iter().map(Setup::name).collect();
        println!("| | {} |\n|---|{}", head.join(" | "), "---:|".repeat(setups.len()));
        let rates: Vec<String> = results.iter().map(|r| format!("{:.0}", r.per_second)).collect();
        println!("| requests/s | {} |", rates.join(" | "));
        for endpoint in endpoints {
            let cells: Vec<String> = results
                .iter()
                .map(|r| r.p99s.get(endpoint).map_or("–".into(), |p| format!("{p:.1}")))
                .collect();
            println!("| p99 {endpoint} | {} |", cells.join(" | "));
        }
        return;
    }
    let quiet = scenario(&binary, &Setup::Sqlite, 0, seconds, people, false).await.p99s;
    let abused = scenario(&binary, &Setup::Sqlite, 1, seconds, people, true).await.p99s;
    println!("\n### The abusive person's effect on everyone else's p99\n\n| endpoint | p99 without | p99 with | ratio |\n|---|---:|---:|---:|");
    for (endpoint, before) in &quiet {
        if let Some(after) = abused.get(endpoint) {
            println!("| {endpoint} | {before:.1} | {after:.1} | {:.2}× |", after / before.max(0.001));
        }
    }
}
