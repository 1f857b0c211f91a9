//! Retention with a moved clock: images (rows and files) go after 90 days, conversations after 12 months of
//! quiet, evidence holds are respected, every image says when it will be deleted, and the sweep also runs
//! by itself at start-up.

use crate::common;

use common::TestApp;
use serde_json::json;
use std::time::Duration;
use vinano_server::retention::{self, DAY_MS};

#[tokio::test]
async fn images_go_after_90_days_and_conversations_after_12_months() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 40, 30).await;
    let messages = format!("/api/v1/conversations/{conv}/messages");
    let sent = app.post_json(&messages, Some(&cookie), json!({"text": "flip it", "image_id": photo})).await;
    let done = app.complete(&cookie, &conv, sent.json()).await;
    let result = done["reply"]["image"]["id"].as_str().unwrap().to_string();
    let created = app.state.clock.now_ms();
    // Each image says when it will be deleted.
    let expected = vinano_server::clock::rfc3339(created + 90 * DAY_MS);
    assert_eq!(done["reply"]["image"]["expires_at"], expected);
    let thread = app.get(&format!("/api/v1/conversations/{conv}"), Some(&cookie)).await.json();
    assert_eq!(thread["messages"][0]["image"]["expires_at"], expected);
    // One upload is held for legal reasons: it has no deletion date and survives.
    let held = app.upload(&cookie, common::jpeg(16, 16)).await.json()["id"].as_str().unwrap().to_string();
    sqlx::query("UPDATE images SET evidence_hold = 1 WHERE id = $1")
        .bind(&held)
        .execute(&app.state.db)
        .await
        .unwrap();
    let library = app.get("/api/v1/images", Some(&cookie)).await.json();
    let held_info = library.as_array().unwrap().iter().find(|i| i["image"]["id"] == held).unwrap();
    assert!(held_info["image"].get("expires_at").is_none());
    assert_eq!(app.state.blobs.count().await, 3);

    app.clock.advance(89 * 24 * 3600);
    let swept = retention::sweep(&app.state).await.unwrap();
    assert_eq!((swept.images, swept.conversations), (0, 0), "nothing is due yet");

    app.clock.advance(2 * 24 * 3600);
    let swept = retention::sweep(&app.state).await.unwrap();
    assert_eq!(swept.images, 2, "the photo and its edit");
    let left: Vec<String> =
        sqlx::query_scalar("SELECT id FROM images").fetch_all(&app.state.db).await.unwrap();
    assert_eq!(left, std::slice::from_ref(&held));
    assert_eq!(app.state.blobs.count().await, 1, "their files too");
    // (Months later the old session has long timed out: log in again.)
    let login = json!({"login": "ada", "password": "a long enough password"});
    let cookie = app.post_json("/api/v1/auth/login", None, login).await.cookie();
    assert_eq!(app.get(&format!("/api/v1/images/{result}"), Some(&cookie)).await.status, 404);
    // The conversation (text) is still within its 12 months.
    let thread = app.get(&format!("/api/v1/conversations/{conv}"), Some(&cookie)).await.json();
    let texts: Vec<&str> =
        thread["messages"].as_array().unwrap().iter().filter_map(|m| m["text"].as_str()).collect();
    assert!(texts.contains(&"flip it"), "{texts:?}");

    app.clock.advance(275 * 24 * 3600);
    let swept = retention::sweep(&app.state).await.unwrap();
    assert_eq!(swept.conversations, 1);
    assert_eq!(app.count("conversations").await, 0);
    assert_eq!(app.count("messages").await, 0);
    // Sessions that expired were cleared out too; the held image remains.
    assert_eq!(app.count("sessions").await, 0);
    assert_eq!(app.count("images").await, 1);
}

#[tokio::test]
async fn the_sweep_runs_at_start_up() {
    let app = TestApp::new().await;
    let (cookie, _conv, _photo) = app.conversation_with_photo("ada", 40, 30).await;
    app.upload(&cookie, common::jpeg(16, 16)).await;
    app.clock.advance(91 * 24 * 3600);
    retention::spawn(&app.state, Duration::from_secs(3600));
    // The rows go first, then the files (and their previews): wait for both.
    for _ in 0..100 {
        if app.count("images").await == 0 && app.state.blobs.count().await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(app.count("images").await, 0);
    assert_eq!(app.state.blobs.count().await, 0);
}
