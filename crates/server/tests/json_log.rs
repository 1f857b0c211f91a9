//! `VINANO_LOG_FORMAT=json`: every line is a JSON object, and a line a request causes carries the request's
//! span — the id its client got in `X-Request-Id`, its method and path. (A binary of its own: it installs
//! the process-wide log subscriber.)

mod common;

use axum::http::StatusCode;
use common::{Captured, TestApp};
use serde_json::Value;
use vinano_server::config::LogFormat;

#[test]
fn json_log_lines_carry_the_request_id() {
    let log = Captured::default();
    let writer = log.clone();
    let filter = tracing_subscriber::EnvFilter::new("vinano_server=info");
    let subscriber = vinano_server::logging::subscriber(LogFormat::Json, filter, move || writer.clone());
    // For the whole process (a subscriber for one thread misses spans whose interest another thread's
    // tests fixed first): this binary holds this one test.
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let id = runtime.block_on(async {
        let app = TestApp::new().await;
        let r = app.get("/api/v1/me", None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        r.headers["x-request-id"].to_str().unwrap().to_string()
    });
    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let denied = lines
        .iter()
        .find(|l| l["event"] == "access_denied")
        .unwrap_or_else(|| panic!("no access_denied line in {text}"));
    assert_eq!(denied["level"], "INFO");
    assert_eq!(denied["status"], 401);
    assert!(denied["timestamp"].as_str().is_some_and(|t| t.ends_with('Z')), "{denied}");
    assert_eq!(denied["span"]["id"], id.as_str(), "{denied}");
    assert_eq!(denied["span"]["path"], "/api/v1/me");
}
