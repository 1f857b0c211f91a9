//! Per-person quotas: each one answers its 429 (with `Retry-After`) or 413 and a message, writes nothing
//! when it refuses, touches no one else, and frees up as the window moves or the person makes room.

use crate::common;

use axum::http::{header, Method, StatusCode};
use common::{jpeg, TestApp};
use serde_json::{json, Value};
use vinano_server::quota::Quotas;

/// An app with every quota off but the ones `edit` sets.
async fn with_quotas(edit: impl FnOnce(&mut Quotas)) -> TestApp {
    let mut quotas = Quotas {
        uploads_per_hour: 0,
        jobs_in_flight: 0,
        stored_bytes: 0,
        conversations_per_hour: 0,
        conversions_per_hour: 0,
        open_streams: 0,
    };
    edit(&mut quotas);
    TestApp::with_config(|c| c.quotas = quotas).await
}

/// An app with these quotas and no job workers (queued edits stay queued).
async fn paused(quotas: Quotas) -> TestApp {
    TestApp::with_config(|c| {
        c.quotas = quotas;
        c.job_workers = 0;
    })
    .await
}

fn retry_after(r: &common::Reply) -> u64 {
    r.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn uploads_per_hour_answer_429_until_the_hour_has_passed() {
    let app = with_quotas(|q| q.uploads_per_hour = 3).await;
    let ada = app.signup("ada").await;
    let mut ids = Vec::new();
    for minute in 0..3 {
        let r = app.upload(&ada, jpeg(40, 30)).await;
        assert_eq!(r.status, StatusCode::CREATED);
        ids.push(r.json()["id"].as_str().unwrap().to_string());
        app.clock.advance(60 * (minute + 1));
    }
    // The first upload was 6 minutes ago.
    let (images, files) = (app.count("images").await, blob_files(&app));
    let r = app.upload(&ada, jpeg(40, 30)).await;
    let message = r.error(StatusCode::TOO_MANY_REQUESTS, "quota_exceeded");
    assert_eq!(message, "You have uploaded 3 photos in the last hour, the most allowed. Please wait 54 minutes and try again.");
    assert_eq!(r.json()["quota"], "uploads_per_hour");
    assert_eq!(r.json()["args"], json!({"limit": 3, "retry_after": 54 * 60}));
    assert_eq!(retry_after(&r), 54 * 60);
    assert_eq!((app.count("images").await, blob_files(&app)), (images, files), "nothing stored");

    // Deleting a photo doesn't give the upload back.
    let r = app
        .request(Method::DELETE, &format!("/api/v1/images/{}", ids[0]), Some(&ada), None, Vec::new())
        .await;
    assert!(r.status.is_success(), "{}", r.status);
    assert_eq!(app.upload(&ada, jpeg(40, 30)).await.status, StatusCode::TOO_MANY_REQUESTS);

    // Someone else is not affected.
    let bob = app.signup("bob").await;
    assert_eq!(app.upload(&bob, jpeg(40, 30)).await.status, StatusCode::CREATED);

    // Once the first upload is an hour old, one more fits.
    app.clock.advance(54 * 60);
    assert_eq!(app.upload(&ada, jpeg(40, 30)).await.status, StatusCode::CREATED);
    assert_eq!(app.upload(&ada, jpeg(40, 30)).await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_refused_or_failed_upload_does_not_count() {
    let app = with_quotas(|q| q.uploads_per_hour = 1).await;
    let ada = app.signup("ada").await;
    let r = app.upload(&ada, b"not a photo".to_vec()).await;
    assert!(r.status.is_client_error() && r.status != StatusCode::TOO_MANY_REQUESTS, "{}", r.status);
    assert_eq!(app.upload(&ada, jpeg(40, 30)).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn storage_full_answers_413_and_deleting_makes_room() {
    let app = with_quotas(|q| q.stored_bytes = 1).await;
    let ada = app.signup("ada").await;
    // Nothing stored yet, but no photo fits in one byte: the file is stored, measured, and removed again.
    let r = app.upload(&ada, jpeg(40, 30)).await;
    let message = r.error(StatusCode::PAYLOAD_TOO_LARGE, "quota_exceeded");
    assert!(message.contains("storage"), "{message}");
    assert_eq!(r.json()["quota"], "stored_bytes");
    assert!(r.headers.get(header::RETRY_AFTER).is_none(), "waiting doesn't help");
    assert_eq!((app.count("images").await, blob_files(&app)), (0, 0), "the file was removed");

    // With room for one photo and a half, the second is refused; deleting the first makes room.
    let size = {
        let open = with_quotas(|_| {}).await;
        let ada = open.signup("ada").await;
        open.upload(&ada, jpeg(64, 48)).await;
        let size: i64 =
            sqlx::query_scalar("SELECT byte_size FROM images").fetch_one(&open.state.db).await.unwrap();
        size as u64
    };
    let app = with_quotas(|q| q.stored_bytes = size * 3 / 2).await;
    let ada = app.signup("ada").await;
    let first = app.upload(&ada, jpeg(64, 48)).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let r = app.upload(&ada, jpeg(64, 48)).await;
    r.error(StatusCode::PAYLOAD_TOO_LARGE, "quota_exceeded");
    assert_eq!((app.count("images").await, blob_files(&app)), (1, 1));
    let id = first.json()["id"].as_str().unwrap().to_string();
    let r = app.request(Method::DELETE, &format!("/api/v1/images/{id}"), Some(&ada), None, Vec::new()).await;
    assert!(r.status.is_success());
    assert_eq!(app.upload(&ada, jpeg(64, 48)).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_full_storage_refuses_an_edit_before_a_job_exists() {
    let app = with_quotas(|q| q.stored_bytes = 1).await;
    let (cookie, conv, image) = {
        // A photo stored before the limit came down (as after a change of plan).
        let ada = app.signup("ada").await;
        let conv = app.post_json("/api/v1/conversations", Some(&ada), json!({})).await.json()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let blob = "abcdef0123";
        app.state.blobs.put(blob, &jpeg(40, 30)).await.unwrap();
        let user: String = sqlx::query_scalar("SELECT id FROM users").fetch_one(&app.state.db).await.unwrap();
        sqlx::query(
            "INSERT INTO images (id, user_id, blob_key, content_type, width, height, byte_size, created_at)
             VALUES ('img1', $1, $2, 'image/jpeg', 40, 30, 900, $3)",
        )
        .bind(&user)
        .bind(blob)
        .bind(app.state.clock.now_ms())
        .execute(&app.state.db)
        .await
        .unwrap();
        (ada, conv, "img1".to_string())
    };
    let (messages, jobs) = (app.count("messages").await, app.count("jobs").await);
    let r = app.say(&cookie, &conv, "flip it", Some(&image)).await;
    r.error(StatusCode::PAYLOAD_TOO_LARGE, "quota_exceeded");
    assert_eq!((app.count("messages").await, app.count("jobs").await), (messages, jobs));
}

#[tokio::test]
async fn edits_waiting_or_running_are_capped_and_retry_counts_too() {
    let app = paused(Quotas { jobs_in_flight: 2, ..Default::default() }).await;
    let (cookie, conv, image) = app.conversation_with_photo("ada", 80, 40).await;
    let send = |text: &'static str| app.say(&cookie, &conv, text, Some(&image));
    let first = send("flip it").await.json();
    assert_eq!(send("mirror it").await.status, StatusCode::OK);
    let jobs = app.count("jobs").await;
    let r = send("rotate it 90 degrees").await;
    let message = r.error(StatusCode::TOO_MANY_REQUESTS, "quota_exceeded");
    assert_eq!(message, "You already have 2 edits waiting or running. Please wait for one to finish.");
    assert_eq!(r.json()["quota"], "jobs_in_flight");
    assert!(retry_after(&r) > 0);
    assert_eq!(app.count("jobs").await, jobs, "no job for a refused edit");

    // Another person's first edit is not held up.
    let (bob, bob_conv, bob_image) = app.conversation_with_photo("bob", 80, 40).await;
    let r = app.say(&bob, &bob_conv, "flip it", Some(&bob_image)).await;
    assert_eq!(r.status, StatusCode::OK);

    // Cancelling one makes room; retrying it while the others are in flight is refused the same way.
    let id = first["job"]["id"].as_str().unwrap();
    let r = app.post_json(&format!("/api/v1/jobs/{id}/cancel"), Some(&cookie), json!({})).await;
    assert_eq!(r.json()["state"], "cancelled");
    assert_eq!(send("rotate it 90 degrees").await.status, StatusCode::OK);
    let r = app.post_json(&format!("/api/v1/jobs/{id}/retry"), Some(&cookie), json!({})).await;
    r.error(StatusCode::TOO_MANY_REQUESTS, "quota_exceeded");
    assert_eq!(app.get(&format!("/api/v1/jobs/{id}"), Some(&cookie)).await.json()["state"], "cancelled");
}

#[tokio::test]
async fn conversations_per_hour_are_capped() {
    let app = with_quotas(|q| q.conversations_per_hour = 2).await;
    let ada = app.signup("ada").await;
    for _ in 0..2 {
        let r = app.post_json("/api/v1/conversations", Some(&ada), json!({})).await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let before = app.count("conversations").await;
    let r = app.post_json("/api/v1/conversations", Some(&ada), json!({"title": "Third"})).await;
    let message = r.error(StatusCode::TOO_MANY_REQUESTS, "quota_exceeded");
    assert_eq!(message, "You have started 2 conversations in the last hour, the most allowed. Please wait 60 minutes and try again.");
    assert_eq!(retry_after(&r), 3600);
    assert_eq!(app.count("conversations").await, before);
    app.clock.advance(3600);
    assert_eq!(
        app.post_json("/api/v1/conversations", Some(&ada), json!({})).await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn conversions_per_hour_are_capped_but_the_stored_format_is_not() {
    let app = with_quotas(|q| q.conversions_per_hour = 2).await;
    let ada = app.signup("ada").await;
    let id = app.upload(&ada, jpeg(40, 30)).await.json()["id"].as_str().unwrap().to_string();
    for format in ["png", "webp"] {
        let r = app.get(&format!("/api/v1/images/{id}?format={format}"), Some(&ada)).await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let r = app.get(&format!("/api/v1/images/{id}?format=png"), Some(&ada)).await;
    let message = r.error(StatusCode::TOO_MANY_REQUESTS, "quota_exceeded");
    assert!(message.starts_with("You have converted 2 downloads in the last hour"), "{message}");
    assert_eq!(r.json()["quota"], "conversions_per_hour");
    // The photo as stored still downloads, with or without naming its own format.
    let plain = app.get(&format!("/api/v1/images/{id}"), Some(&ada)).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(&plain.body[..2], &[0xFF, 0xD8], "a JPEG");
    let same = app.get(&format!("/api/v1/images/{id}?format=jpeg"), Some(&ada)).await;
    assert_eq!(same.status, StatusCode::OK);
}

#[tokio::test]
async fn progress_streams_beyond_the_cap_are_refused_and_a_closed_one_frees_its_place() {
    let app = paused(Quotas { open_streams: 2, ..Default::default() }).await;
    let (cookie, conv, image) = app.conversation_with_photo("ada", 80, 40).await;
    let r = app.say(&cookie, &conv, "flip it", Some(&image)).await;
    let id = r.json()["job"]["id"].as_str().unwrap().to_string();
    let url = format!("/api/v1/jobs/{id}/events");
    let open = |app: &TestApp| {
        let router = app.router.clone();
        let request = axum::http::Request::get(url.clone())
            .header(header::COOKIE, cookie.clone())
            .body(axum::body::Body::empty())
            .unwrap();
        async move { tower::ServiceExt::oneshot(router, request).await.unwrap() }
    };
    let first = open(&app).await;
    let second = open(&app).await;
    assert_eq!((first.status(), second.status()), (StatusCode::OK, StatusCode::OK));
    let third = open(&app).await;
    assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS);
    let body: Value = serde_json::from_slice(
        &http_body_util::BodyExt::collect(third.into_body()).await.unwrap().to_bytes(),
    )
    .unwrap();
    assert_eq!(body["quota"], "open_streams");
    assert_eq!(app.state.streams.count(&user_id(&app).await), 2);
    drop(first);
    assert_eq!(app.state.streams.count(&user_id(&app).await), 1);
    assert_eq!(open(&app).await.status(), StatusCode::OK);
}

async fn user_id(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT id FROM users").fetch_one(&app.state.db).await.unwrap()
}

/// Image files on disk.
fn blob_files(app: &TestApp) -> usize {
    walk(&app.state.config.data_dir.join("blobs"))
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum())
        .unwrap_or(0)
}
