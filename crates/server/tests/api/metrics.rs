//! `/metrics`: off without a token, 401 without the right one, and with it Prometheus text that counts what
//! happened — requests by route pattern (not by raw path), a job run by kind and outcome, the jobs by
//! state, credits spent, images stored, the outbox and the disk.

use crate::common::TestApp;
use axum::http::{Method, StatusCode};

const TOKEN: &str = "a-metrics-token-for-tests";

async fn scrape(app: &TestApp) -> String {
    let auth = format!("Bearer {TOKEN}");
    let r = app.request_with(Method::GET, "/metrics", None, None, vec![], &[("authorization", &auth)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
    String::from_utf8(r.body).unwrap()
}

/// The value of the sample `line_start` (its name and labels), if there is one.
fn sample(text: &str, line_start: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(line_start)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn metrics_need_their_token_and_count_requests_jobs_and_credits() {
    let off = TestApp::new().await;
    assert_eq!(off.get("/metrics", None).await.status, StatusCode::NOT_FOUND);

    let app = TestApp::with_config(|c| c.metrics_token = Some(TOKEN.into())).await;
    assert_eq!(app.get("/metrics", None).await.status, StatusCode::UNAUTHORIZED);
    let wrong = [("authorization", "Bearer a-metrics-token-for-test5")];
    let r = app.request_with(Method::GET, "/metrics", None, None, vec![], &wrong).await;
    assert_eq!(
        (r.status, r.headers["www-authenticate"].to_str().unwrap()),
        (StatusCode::UNAUTHORIZED, "Bearer")
    );

    let (cookie, conv, photo) = app.conversation_with_photo("ada", 64, 48).await;
    let asked = app.say(&cookie, &conv, "make it warmer", Some(&photo)).await.json();
    let done = app.complete(&cookie, &conv, asked).await;
    assert_eq!(done["job"]["state"], "succeeded");
    for _ in 0..2 {
        app.get(&format!("/api/v1/conversations/{conv}"), Some(&cookie)).await;
    }
    app.get("/api/v1/no-such-thing", None).await;
    let text = scrape(&app).await;

    // Requests by the route's pattern: the conversation's id is not a label.
    let conversation =
        "vinano_http_requests_total{route=\"/api/v1/conversations/{id}\",method=\"GET\",status=\"200\"}";
    assert!(sample(&text, conversation).unwrap() >= 2.0, "{text}");
    assert!(!text.contains(&conv), "a raw path became a label");
    let unmatched = "vinano_http_requests_total{route=\"/api/v1/(unmatched)\",method=\"GET\",status=\"404\"}";
    assert_eq!(sample(&text, unmatched), Some(1.0), "{text}");
    let count =
        "vinano_http_request_duration_seconds_count{route=\"/api/v1/conversations/{id}\",method=\"GET\"}";
    let inf = "vinano_http_request_duration_seconds_bucket{route=\"/api/v1/conversations/{id}\",method=\"GET\",le=\"+Inf\"}";
    assert_eq!(sample(&text, count), sample(&text, inf));
    // The edit: one run of a local edit that succeeded; in the database, one job succeeded and its cost spent.
    assert_eq!(
        sample(&text, "vinano_job_run_seconds_count{kind=\"edit\",outcome=\"succeeded\"}"),
        Some(1.0),
        "{text}"
    );
    assert_eq!(sample(&text, "vinano_jobs{state=\"succeeded\"}"), Some(1.0));
    assert_eq!(sample(&text, "vinano_jobs{state=\"queued\"}"), Some(0.0));
    let cost = done["job"]["cost"].as_f64().or_else(|| done["prompt"]["job"]["cost"].as_f64());
    let spent = sample(&text, "vinano_credits_spent_total").unwrap();
    assert!(spent >= 1.0 && cost.is_none_or(|c| c == spent), "spent {spent}, cost {cost:?}");
    assert_eq!(sample(&text, "vinano_images"), Some(2.0));
    assert!(sample(&text, "vinano_images_bytes").unwrap() > 0.0);
    assert!(sample(&text, "vinano_outbox_backlog").is_some());
    assert!(sample(&text, "vinano_disk_free_bytes").unwrap() > 0.0);
    // Every family is declared once, with its type.
    for family in [
        "vinano_http_requests_total counter",
        "vinano_job_run_seconds histogram",
        "vinano_jobs gauge",
        "vinano_provider_requests_total counter",
    ] {
        assert_eq!(text.matches(&format!("# TYPE {family}\n")).count(), 1, "{family}");
    }
}
