//! A full disk is read-only, not an outage: the real server on a small file system (a tmpfs mounted in a
//! user and mount namespace of its own, so no privileges are needed) is filled with uploads until a write
//! is refused. From then on reads keep working (the session's "last seen" write fails quietly), writes
//! answer 507 `insufficient_storage`, and no temporary file is left behind.

use image::{Rgb, RgbImage};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The server, killed when the test ends however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A photo of noise (it compresses badly, so each upload takes room): `seed` makes each one different.
fn noisy_jpeg(seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let img = RgbImage::from_fn(700, 700, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        Rgb([state as u8, (state >> 8) as u8, (state >> 16) as u8])
    });
    vinano_imaging::encode(&image::DynamicImage::ImageRgb8(img), vinano_imaging::OutputFormat::Jpeg)
        .unwrap()
        .bytes
}

/// Files under `dir` (recursively) whose name says they are half-written.
fn temporary_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            let in_tmp = path.file_name().is_some_and(|n| n == "tmp");
            if in_tmp {
                found.extend(std::fs::read_dir(&path).unwrap().flatten().map(|e| e.path()));
            } else {
                found.extend(temporary_files(&path));
            }
        } else if path.extension().is_some_and(|e| e == "part") {
            found.push(path);
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_keeps_reads_working_refuses_writes_with_507_and_leaves_nothing_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    // A 12 MB file system of its own for the data directory, in a namespace only the server sees.
    let child = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c"])
        .arg(r#"mount -t tmpfs -o size=12m tmpfs "$0" && exec "$1""#)
        .arg(&data)
        .arg(env!("CARGO_BIN_EXE_vinano-server"))
        .env("VINANO_BIND", format!("127.0.0.1:{port}"))
        .env("VINANO_DATA_DIR", &data)
        .env("VINANO_DIST_DIR", dir.path().join("dist"))
        .env("VINANO_RATE_LIMIT_SCALE", "0")
        .env("RUST_LOG", "off")
        .stdout(Stdio::null())
        .spawn()
        .expect("unshare (util-linux) runs the server in a namespace of its own");
    let mut server = Server(child);
    // What the server sees of its data directory (the mount is invisible from here otherwise).
    let seen = PathBuf::from(format!("/proc/{}/root", server.0.id())).join(data.strip_prefix("/").unwrap());
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "the server didn't start");
        assert!(server.0.try_wait().unwrap().is_none(), "the server exited while starting (no namespaces?)");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let http = reqwest::Client::new();
    let body = json!({
        "name": "Ada Tester", "email": "ada@example.com", "username": "ada",
        "password": "a long enough password", "date_of_birth": "1990-05-17",
        "accept_terms": true, "accept_privacy": true, "accept_responsibility": true,
    });
    let signed = http.post(format!("{base}/auth/signup")).json(&body).send().await.unwrap();
    assert_eq!(signed.status(), StatusCode::CREATED);
    let reader = signed.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    // A second session does the writing; the first one only reads, later, once its "last seen" is due.
    let login = json!({"login": "ada", "password": "a long enough password"});
    let again = http.post(format!("{base}/auth/login")).json(&login).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    let cookie = again.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    // (SQLite resolves /proc/<pid>/root back into this namespace, so the session can't be aged in the
    // database from here: the reading session simply waits out the minute below.)
    let reader_since = Instant::now();
    let conversation: Value = http
        .post(format!("{base}/conversations"))
        .header("cookie", &cookie)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let conversation = conversation["id"].as_str().unwrap().to_string();

    // Fill the disk with uploads until one is refused.
    let mut stored = Vec::new();
    let refusal = loop {
        assert!(stored.len() < 60, "12 MB never filled up");
        let r = http
            .post(format!("{base}/images"))
            .header("cookie", &cookie)
            .header("content-type", "image/jpeg")
            .body(noisy_jpeg(stored.len() as u32 + 1))
            .send()
            .await
            .unwrap();
        if r.status() != StatusCode::CREATED {
            break (r.status(), r.json::<Value>().await.unwrap());
        }
        stored.push(r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string());
    };
    assert_eq!(refusal.0, StatusCode::INSUFFICIENT_STORAGE, "{}", refusal.1);
    assert_eq!(refusal.1["code"], "insufficient_storage");
    assert!(refusal.1["message"].as_str().unwrap().contains("out of space"), "{}", refusal.1);
    assert!(stored.len() >= 3, "{} uploads before the disk was full", stored.len());

    // Reads keep working: the account, the library, each stored photo, byte for byte decodable.
    let me = http.get(format!("{base}/me")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    let library = http.get(format!("{base}/images")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(library.status(), StatusCode::OK);
    for id in &stored {
        let photo = http.get(format!("{base}/images/{id}")).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(photo.status(), StatusCode::OK);
        let bytes = photo.bytes().await.unwrap();
        let decoded = image::load_from_memory(&bytes).expect("a stored photo decodes");
        assert_eq!((decoded.width(), decoded.height()), (700, 700));
    }
    // More writes are refused the same way (another upload; a message, which would queue an edit).
    let again = http
        .post(format!("{base}/images"))
        .header("cookie", &cookie)
        .header("content-type", "image/jpeg")
        .body(noisy_jpeg(999))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::INSUFFICIENT_STORAGE);
    let filler = "words that take room ".repeat(40);
    let mut said = StatusCode::CREATED;
    for _ in 0..200 {
        said = http
            .post(format!("{base}/conversations/{conversation}/messages"))
            .header("cookie", &cookie)
            .json(&json!({"text": format!("make it warmer {filler}"), "image_id": stored[0]}))
            .send()
            .await
            .unwrap()
            .status();
        if said != StatusCode::CREATED && said != StatusCode::OK {
            break;
        }
    }
    assert_eq!(said, StatusCode::INSUFFICIENT_STORAGE, "sending never met the full disk");
    // Once a minute has passed, the reading session's "last seen" is due to be written; it can't be, and
    // reading works all the same.
    if let Some(wait) = Duration::from_secs(62).checked_sub(reader_since.elapsed()) {
        tokio::time::sleep(wait).await;
    }
    let me = http.get(format!("{base}/me")).header("cookie", &reader).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    let library = http.get(format!("{base}/images")).header("cookie", &reader).send().await.unwrap();
    assert_eq!(library.status(), StatusCode::OK);

    let left = temporary_files(&seen);
    assert!(left.is_empty(), "half-written files left behind: {left:?}");
    assert!(server.0.try_wait().unwrap().is_none(), "the server stopped");
}
