//! Stopping: SIGTERM (what systemd, Docker and deploy tools send) stops the server cleanly, with exit status
//! 0, instead of killing it mid-write; the jobs and exports it holds are handed back at once, so the next
//! process takes them without waiting for a lease to run out, and the mail sender stops between messages.

use crate::common;

use common::TestApp;
use serde_json::json;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn sigterm_stops_the_server_with_status_zero() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_vinano-server"))
        .env("VINANO_BIND", format!("127.0.0.1:{port}"))
        .env("VINANO_DATA_DIR", dir.path().join("data"))
        .env("VINANO_DIST_DIR", dir.path().join("dist"))
        .env("RUST_LOG", "off")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // Up: it answers.
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "the server didn't start");
        assert!(server.try_wait().unwrap().is_none(), "the server exited while starting");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Maintenance that needs every server stopped is refused while one runs.
    let reconcile = |dir: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_vinano-server"))
            .args(["admin", "reconcile"])
            .env("VINANO_DATA_DIR", dir.join("data"))
            .env("RUST_LOG", "off")
            .output()
            .unwrap()
    };
    let refused = reconcile(dir.path());
    assert!(!refused.status.success(), "refused while the server runs");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("a ViNano server is using the data directory"));
    let term = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(term.success());
    let stopped = Instant::now();
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        if stopped.elapsed() > Duration::from_secs(20) {
            let _ = server.kill();
            panic!("the server was still running 20 s after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "a clean stop, not a kill: {status:?}");
    // Stopped: the lock is free again, and a file no row names goes, however young.
    let orphan = dir.path().join("data/blobs/ab/ab0123");
    std::fs::create_dir_all(orphan.parent().unwrap()).unwrap();
    std::fs::write(&orphan, b"left by a killed process").unwrap();
    let done = reconcile(dir.path());
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert!(String::from_utf8_lossy(&done.stdout).contains("files no row names removed: 1"));
    assert!(!orphan.exists());
}

#[tokio::test]
async fn stopping_hands_back_jobs_and_exports_and_the_next_process_takes_them_at_once() {
    let app = TestApp::with_config(|c| c.job_workers = 0).await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 40, 30).await;
    let exchange = app.say(&cookie, &conv, "flip it", Some(&photo)).await.json();
    let job = exchange["job"]["id"].as_str().unwrap().to_string();
    let export = app.ready_export(&cookie).await;
    // This process is running the job and building the export (as a claim leaves them: a lease for a
    // minute on the clock, which doesn't move in this test, so nobody else could take them by waiting).
    let now = app.state.clock.now_ms();
    let owner = format!("{}-0-beef", app.state.process_id);
    sqlx::query(
        "UPDATE jobs SET state = 'running', lease_owner = $1, lease_until = $2, attempts = 1 WHERE id = $3",
    )
    .bind(&owner)
    .bind(now + 60_000)
    .bind(&job)
    .execute(&app.state.db)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE exports SET status = 'building', lease_owner = $1, lease_until = $2, attempts = 1 WHERE id = $3",
    )
    .bind(&owner)
    .bind(now + 300_000)
    .bind(&export)
    .execute(&app.state.db)
    .await
    .unwrap();
    let outbox = vinano_server::mail::outbox_dir(&app.state.config.data_dir);
    let mails = || std::fs::read_dir(&outbox).map(|d| d.count()).unwrap_or(0);

    let released = vinano_server::stopping::stop(&app.state).await.unwrap();
    assert_eq!(released, vinano_server::stopping::Released { jobs: 1, exports: 1 });
    // Stopped: this process's mail sender takes nothing more.
    let before = mails();
    // (The export's "ready" mail may still be queued from before the stop: count only what this request adds.)
    let queued = app.count("outbox WHERE sent_at IS NULL").await;
    let asked =
        app.post_json("/api/v1/auth/forgot-password", None, json!({"email": "ada@example.com"})).await;
    assert!(asked.status.is_success(), "{}", asked.status);
    assert_eq!(app.count("outbox WHERE sent_at IS NULL").await, queued + 1, "the reset mail is queued");
    app.state.mail_wakeup.notify_waiters();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(mails(), before, "a stopping process sent mail");

    // The next process (same database and files) takes both at once and finishes them.
    let next = vinano_server::AppState::open((*app.state.config).clone(), app.clock.clone()).await.unwrap();
    vinano_server::jobs::spawn_workers(&next, 1);
    vinano_server::rights::export::spawn_worker(&next);
    let done = app.wait_for_job(&cookie, &job).await;
    assert_eq!(done["state"], "succeeded", "{done}");
    let (attempts, crashes): (i64, i64) = sqlx::query_as("SELECT attempts, crashes FROM jobs WHERE id = $1")
        .bind(&job)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!((attempts, crashes), (1, 0), "handing back is neither an attempt nor a crash");
    let rebuilt = app.wait_for_export(&cookie).await;
    assert_eq!(rebuilt["status"], "ready", "{rebuilt}");
}
