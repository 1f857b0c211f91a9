//! The server under a hard address-space limit (`prlimit --as`), as a small machine would run it: several
//! people at once upload the largest photos accepted (40 megapixels) and send the most expensive plans the
//! pixel budget allows. The memory budget holds work back until it fits, so the process never runs out of
//! memory (Rust aborts when an allocation fails): it stays up, every edit ends, and it still answers.

mod common;

use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Address space for the whole process: code, thread stacks, allocator arenas, the database and the
/// 384 MiB memory budget for image work. (Without the budget, three such uploads at once abort it.)
const ADDRESS_SPACE: u64 = 960 * 1024 * 1024;

struct Server {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// The peak resident memory so far (VmHWM), in MiB.
    fn peak_mib(&self) -> u64 {
        vinano_server::memory::peak_resident_mib(self.child.id())
    }
}

async fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new("prlimit")
        .arg(format!("--as={ADDRESS_SPACE}"))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_vinano-server"))
        .env("VINANO_BIND", format!("127.0.0.1:{port}"))
        .env("VINANO_DATA_DIR", dir.path().join("data"))
        .env("VINANO_DIST_DIR", dir.path().join("dist"))
        .env("VINANO_MEMORY_BUDGET_MB", "384")
        .env("VINANO_JOB_WORKERS", "2")
        .env("VINANO_RATE_LIMIT_SCALE", "0")
        // glibc keeps one 64 MiB arena per thread otherwise: address space, not memory, but it counts here.
        .env("MALLOC_ARENA_MAX", "2")
        .env("RUST_LOG", "vinano_server=warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("prlimit (util-linux) runs the server");
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let mut server = Server { child, base, _dir: dir };
    let client = reqwest::Client::new();
    for _ in 0..300 {
        assert!(server.alive(), "the server stopped while starting");
        if client.get(format!("{}/policy", server.base)).send().await.is_ok_and(|r| r.status() == 200) {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server didn't start");
}

/// A 6 300 × 6 300 PNG (39.7 MP, just inside the 40 MP limit): a few hundred kilobytes that decode to
/// 120 MB of pixels.
fn largest_png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(6300, 6300, |x, y| image::Rgb([(x / 25) as u8, (y / 25) as u8, 128]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// One person: signs up, uploads the photo, asks for two heavy edits; returns their cookie and job ids.
async fn person(base: String, name: String, photo: Vec<u8>) -> (String, Vec<String>) {
    let client = reqwest::Client::new();
    let signup =
        client.post(format!("{base}/auth/signup")).json(&common::signup_body(&name)).send().await.unwrap();
    assert_eq!(signup.status(), 201);
    let cookie = signup.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let upload = client
        .post(format!("{base}/images"))
        .header("cookie", &cookie)
        .header("content-type", "image/png")
        .body(photo)
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), 201, "{:?}", upload.text().await);
    let image = upload.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let conv = client.post(format!("{base}/conversations")).header("cookie", &cookie).json(&json!({})).send();
    let conv = conv.await.unwrap().json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let mut jobs = Vec::new();
    for text in ["rotate it 90 degrees and flip it", "scale to 99% and make it black and white"] {
        let sent = client
            .post(format!("{base}/conversations/{conv}/messages"))
            .header("cookie", &cookie)
            .json(&json!({"text": text, "image_id": image}))
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 200, "{text}");
        jobs.push(sent.json::<Value>().await.unwrap()["job"]["id"].as_str().unwrap().to_string());
    }
    (cookie, jobs)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_a_hard_memory_limit_the_largest_photos_and_plans_never_crash_the_server() {
    let mut server = start().await;
    let photo = largest_png();
    let people: Vec<_> = (0..3)
        .map(|n| tokio::spawn(person(server.base.clone(), format!("heavy{n}"), photo.clone())))
        .collect();
    let mut all = Vec::new();
    for p in people {
        all.push(p.await.expect("every upload and edit was accepted"));
    }
    assert!(server.alive(), "the server died while taking the uploads");

    // Every edit ends (succeeded, or failed with a reason), and the server is still there.
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(600);
    for (cookie, jobs) in &all {
        for id in jobs {
            loop {
                assert!(server.alive(), "the server died while editing (peak {} MiB)", server.peak_mib());
                let job: Value = client
                    .get(format!("{}/jobs/{id}", server.base))
                    .header("cookie", cookie)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                match job["state"].as_str() {
                    Some("succeeded") => break,
                    Some("failed" | "cancelled") => panic!("an allowed edit failed: {job}"),
                    _ => {}
                }
                assert!(Instant::now() < deadline, "the edits didn't finish: {job}");
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        }
    }
    let policy = client.get(format!("{}/policy", server.base)).send().await.unwrap();
    assert_eq!(policy.status(), 200);
    assert!(server.alive());
    println!(
        "peak resident memory: {} MiB (address space capped at {} MiB)",
        server.peak_mib(),
        ADDRESS_SPACE >> 20
    );
}
