//! The edit job queue: jobs are durable rows; progress streams as Server-Sent Events; a queued job can be
//! cancelled and never runs; failed and cancelled jobs can be retried; a crashed worker's job is taken
//! over once its lease runs out; nobody can see or touch someone else's job.

use crate::common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::TestApp;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

/// An app whose queue has no workers until the test starts one.
async fn paused() -> TestApp {
    TestApp::with_config(|c| c.job_workers = 0).await
}

/// Signs up, uploads an 80 × 40 photo and posts an instruction; returns (cookie, conversation, exchange).
async fn queued(app: &TestApp, who: &str, text: &str) -> (String, String, Value) {
    let (cookie, conv, image) = app.conversation_with_photo(who, 80, 40).await;
    let r = app
        .post_json(
            &format!("/api/v1/conversations/{conv}/messages"),
            Some(&cookie),
            json!({"text": text, "image_id": image}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    (cookie, conv, r.json())
}

fn job_id(exchange: &Value) -> String {
    exchange["job"]["id"].as_str().unwrap().to_string()
}

async fn settle() {
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
}

#[tokio::test]
async fn a_queued_job_can_be_cancelled_never_runs_and_can_be_retried() {
    let app = paused().await;
    let (cookie, conv, ex) = queued(&app, "ada", "make it black and white").await;
    let id = job_id(&ex);
    assert_eq!(ex["job"]["state"], "queued");
    let cancelled =
        app.post_json(&format!("/api/v1/jobs/{id}/cancel"), Some(&cookie), json!({})).await.json();
    assert_eq!(cancelled["state"], "cancelled");

    vinano_server::jobs::spawn_workers(&app.state, 1);
    settle().await;
    assert_eq!(app.get(&format!("/api/v1/jobs/{id}"), Some(&cookie)).await.json()["state"], "cancelled");
    assert_eq!(app.count("images").await, 1, "a cancelled job stores no result");
    // Cancelling again changes nothing; retrying runs it.
    assert_eq!(
        app.post_json(&format!("/api/v1/jobs/{id}/cancel"), Some(&cookie), json!({})).await.json()["state"],
        "cancelled"
    );
    let retried = app.post_json(&format!("/api/v1/jobs/{id}/retry"), Some(&cookie), json!({})).await.json();
    // Queued again (a waiting worker may already have picked it up).
    assert!(["queued", "running"].contains(&retried["state"].as_str().unwrap()), "{retried}");
    let done = app.complete(&cookie, &conv, ex).await;
    assert_eq!(done["job"]["state"], "succeeded");
    assert!(done["reply"]["image"]["id"].is_string());
    // A finished job cannot be retried.
    app.post_json(&format!("/api/v1/jobs/{id}/retry"), Some(&cookie), json!({}))
        .await
        .error(StatusCode::CONFLICT, "conflict");
}

#[tokio::test]
async fn progress_streams_as_server_sent_events_until_the_job_finishes() {
    let app = paused().await;
    let (cookie, _, ex) =
        queued(&app, "ada", "make it black and white, rotate it 90 degrees and flip it").await;
    let id = job_id(&ex);
    let response = open_events(&app, &cookie, &id).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/event-stream");
    vinano_server::jobs::spawn_workers(&app.state, 1);
    // The stream ends by itself once the job is finished.
    let events = read_events(response).await;
    assert_eq!(events.first().unwrap()["state"], "queued");
    assert_eq!(events.last().unwrap()["state"], "succeeded");
    assert_eq!(events.last().unwrap()["progress"], 100);
    let progress: Vec<u64> = events.iter().map(|e| e["progress"].as_u64().unwrap()).collect();
    assert!(progress.windows(2).all(|w| w[0] <= w[1]), "progress only grows: {progress:?}");
    assert!(events.iter().all(|e| e["id"] == id.as_str()));
}

/// Opens a job's progress stream as `cookie`.
async fn open_events(app: &TestApp, cookie: &str, id: &str) -> axum::response::Response {
    let request = Request::builder()
        .uri(format!("/api/v1/jobs/{id}/events"))
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    app.router.clone().oneshot(request).await.unwrap()
}

/// The `data:` payloads of a stream, read until it ends (at most 20 s).
async fn read_events(response: axum::response::Response) -> Vec<Value> {
    let body = tokio::time::timeout(std::time::Duration::from_secs(20), response.into_body().collect())
        .await
        .expect("the stream ends")
        .unwrap()
        .to_bytes();
    String::from_utf8(body.to_vec())
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|d| serde_json::from_str(d).unwrap())
        .collect()
}

#[tokio::test]
async fn a_stream_is_woken_by_the_change_and_ends_with_the_job() {
    let app = paused().await;
    let (cookie, _, ex) = queued(&app, "ada", "flip it").await;
    let id = job_id(&ex);
    let response = open_events(&app, &cookie, &id).await;
    assert_eq!(app.state.job_signals.followed(), 1, "the stream follows its job in-process");
    let cancelled = app.post_json(&format!("/api/v1/jobs/{id}/cancel"), Some(&cookie), json!({})).await;
    assert_eq!(cancelled.json()["state"], "cancelled");
    let events = read_events(response).await;
    let states: Vec<&str> = events.iter().map(|e| e["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["queued", "cancelled"]);
    assert_eq!(app.state.job_signals.followed(), 0, "nothing is kept once the stream ended");
    assert_eq!(app.state.streams.count(&user_of(&app).await), 0, "its place is free again");
}

#[tokio::test]
async fn a_stream_ends_when_its_session_does() {
    let app = paused().await;
    let (cookie, _, ex) = queued(&app, "ada", "flip it").await;
    let id = job_id(&ex);
    let response = open_events(&app, &cookie, &id).await;
    assert_eq!(response.status(), StatusCode::OK);
    let out = app.post_json("/api/v1/auth/logout", Some(&cookie), json!({})).await;
    assert!(out.status.is_success(), "{}", out.status);
    // The job never runs (no workers), yet the stream ends: its session has.
    let events = read_events(response).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["state"], "queued");
}

async fn user_of(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT id FROM users").fetch_one(&app.state.db).await.unwrap()
}

#[tokio::test]
async fn a_job_whose_image_vanished_fails_with_a_reason() {
    let app = paused().await;
    let (cookie, _, ex) = queued(&app, "ada", "rotate it").await;
    let id = job_id(&ex);
    sqlx::query("DELETE FROM images").execute(&app.state.db).await.unwrap();
    vinano_server::jobs::spawn_workers(&app.state, 1);
    let job = app.wait_for_job(&cookie, &id).await;
    assert_eq!(job["state"], "failed");
    assert_eq!(job["error"], "The image to edit has been deleted.");
    assert_eq!(app.count("images").await, 0);
}

#[tokio::test]
async fn a_crashed_workers_job_is_taken_over_after_its_lease() {
    let app = paused().await;
    let (cookie, conv, ex) = queued(&app, "ada", "flip it").await;
    let id = job_id(&ex);
    // A worker that claimed the job and died: the lease still runs for a minute.
    let lease = app.state.clock.now_ms() + 60_000;
    sqlx::query("UPDATE jobs SET state = 'running', lease_owner = 'gone', lease_until = $1, attempts = 1")
        .bind(lease)
        .execute(&app.state.db)
        .await
        .unwrap();
    vinano_server::jobs::spawn_workers(&app.state, 1);
    settle().await;
    assert_eq!(app.get(&format!("/api/v1/jobs/{id}"), Some(&cookie)).await.json()["state"], "running");
    app.clock.advance(61);
    app.state.jobs_wakeup.notify_waiters();
    let done = app.complete(&cookie, &conv, ex).await;
    assert_eq!(done["job"]["state"], "succeeded");
    let attempts: i64 =
        sqlx::query_scalar("SELECT attempts FROM jobs").fetch_one(&app.state.db).await.unwrap();
    assert_eq!(attempts, 2);
    assert_eq!(app.count("images").await, 2, "one result, not two");
}

#[tokio::test]
async fn cancelling_a_job_whose_worker_died_stops_it_at_once() {
    let app = paused().await;
    let (cookie, _, ex) = queued(&app, "ada", "flip it").await;
    let id = job_id(&ex);
    let expired = app.state.clock.now_ms() - 1;
    sqlx::query("UPDATE jobs SET state = 'running', lease_owner = 'gone', lease_until = $1")
        .bind(expired)
        .execute(&app.state.db)
        .await
        .unwrap();
    let job = app.post_json(&format!("/api/v1/jobs/{id}/cancel"), Some(&cookie), json!({})).await.json();
    assert_eq!(job["state"], "cancelled");
}

#[tokio::test]
async fn nobody_else_can_see_or_touch_a_job() {
    let app = paused().await;
    let (_, _, ex) = queued(&app, "ada", "flip it").await;
    let id = job_id(&ex);
    let bob = app.signup("bob").await;
    for (method, path) in [
        (Method::GET, format!("/api/v1/jobs/{id}")),
        (Method::GET, format!("/api/v1/jobs/{id}/events")),
        (Method::POST, format!("/api/v1/jobs/{id}/cancel")),
        (Method::POST, format!("/api/v1/jobs/{id}/retry")),
    ] {
        app.request(method.clone(), &path, Some(&bob), Some("application/json"), b"{}".to_vec())
            .await
            .error(StatusCode::NOT_FOUND, "not_found");
        let anonymous = app.request(method, &path, None, Some("application/json"), b"{}".to_vec()).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    }
    let state: String = sqlx::query_scalar("SELECT state FROM jobs").fetch_one(&app.state.db).await.unwrap();
    assert_eq!(state, "queued");
}
