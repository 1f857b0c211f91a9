//! Stopping: SIGTERM (what systemd, Docker and deploy tools send) stops the server cleanly, with exit status
//! 0, instead of killing it mid-write.

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
}
