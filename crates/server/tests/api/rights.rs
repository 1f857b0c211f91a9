//! Deletion and the request tracker: one version, a whole version tree, a date range, the whole account
//! (password again, 30-day grace, cancellable, then a purge that leaves zero rows of that person outside
//! the closed-account record, the audit log and held images — found by walking the schema — and zero
//! files), and an under-13 account deleted at once.

use crate::common;

use axum::http::{Method, StatusCode};
use common::{tables_with, TestApp};
use serde_json::{json, Value};

async fn edit(app: &TestApp, cookie: &str, conv: &str, text: &str, image: &str) -> String {
    let sent = app
        .post_json(
            &format!("/api/v1/conversations/{conv}/messages"),
            Some(cookie),
            json!({"text": text, "image_id": image}),
        )
        .await;
    app.complete(cookie, conv, sent.json()).await["reply"]["image"]["id"].as_str().unwrap().to_string()
}

async fn upload(app: &TestApp, cookie: &str) -> String {
    app.upload(cookie, common::jpeg(16, 16)).await.json()["id"].as_str().unwrap().to_string()
}

async fn delete(app: &TestApp, cookie: &str, uri: &str) -> common::Reply {
    app.request(Method::DELETE, uri, Some(cookie), None, vec![]).await
}

#[tokio::test]
async fn one_version_or_the_whole_tree() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 40, 30).await;
    let v1 = edit(&app, &cookie, &conv, "flip it", &photo).await;
    let v2 = edit(&app, &cookie, &conv, "make it black and white", &v1).await;
    let other = app.upload(&cookie, common::jpeg(16, 16)).await.json()["id"].as_str().unwrap().to_string();
    assert_eq!(app.state.blobs.count().await, 4);

    // One version: its row and file go; the version made from it stays.
    let r = delete(&app, &cookie, &format!("/api/v1/images/{v2}")).await;
    assert_eq!(r.json(), json!({"deleted": 1, "retained": 0}));
    assert_eq!(app.get(&format!("/api/v1/images/{v2}"), Some(&cookie)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.state.blobs.count().await, 3);

    // The whole tree, from any version in it: the photo and v1; the unrelated upload stays. A held version
    // is kept and the answer says why.
    let v3 = edit(&app, &cookie, &conv, "rotate it", &v1).await;
    sqlx::query("UPDATE images SET evidence_hold = 1 WHERE id = $1")
        .bind(&v3)
        .execute(&app.state.db)
        .await
        .unwrap();
    let r = delete(&app, &cookie, &format!("/api/v1/images/{v1}?versions=all")).await.json();
    assert_eq!((r["deleted"].as_u64(), r["retained"].as_u64()), (Some(2), Some(1)));
    assert!(r["message"].as_str().unwrap().contains("legal reasons"));
    let left: Vec<String> =
        sqlx::query_scalar("SELECT id FROM images ORDER BY id").fetch_all(&app.state.db).await.unwrap();
    let mut expected = vec![other.clone(), v3.clone()];
    expected.sort();
    assert_eq!(left, expected);
    assert_eq!(app.state.blobs.count().await, 2);
    delete(&app, &cookie, &format!("/api/v1/images/{other}?versions=some"))
        .await
        .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
}

#[tokio::test]
async fn images_in_a_date_range() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let day1 = upload(&app, &cookie).await; // 2026-11-29
    app.clock.advance(24 * 3600);
    let day2 = upload(&app, &cookie).await; // 2026-11-30
    app.clock.advance(24 * 3600);
    let day3 = upload(&app, &cookie).await; // 2026-12-01
    let r = app
        .post_json(
            "/api/v1/me/images/delete-range",
            Some(&cookie),
            json!({"from": "2026-11-30", "to": "2026-12-01"}),
        )
        .await;
    assert_eq!(r.json()["deleted"], 2, "{}", String::from_utf8_lossy(&r.body));
    let left: Vec<String> =
        sqlx::query_scalar("SELECT id FROM images").fetch_all(&app.state.db).await.unwrap();
    assert_eq!(left, [day1]);
    assert!(![day2, day3].iter().any(|id| left.contains(id)));
    let bad = app
        .post_json(
            "/api/v1/me/images/delete-range",
            Some(&cookie),
            json!({"from": "2026-12-01", "to": "2026-11-01"}),
        )
        .await;
    assert_eq!(bad.json()["field"], "to");
    let bad = app
        .post_json(
            "/api/v1/me/images/delete-range",
            Some(&cookie),
            json!({"from": "yesterday", "to": "2026-11-01"}),
        )
        .await;
    assert_eq!(bad.json()["field"], "from");
    // The tracker lists it, received today and due within a month.
    let requests = app.get("/api/v1/me/requests", Some(&cookie)).await.json();
    assert_eq!(requests[0]["kind"], "deletion");
    assert_eq!(requests[0]["status"], "completed");
    assert_eq!(requests[0]["detail"], "images from 2026-11-30 to 2026-12-01");
    assert_eq!(requests[0]["due_at"], "2026-12-31T12:00:00Z");
}

/// Every row, in every table with a `user_id` column, that belongs to `user`.
async fn rows_of(app: &TestApp, user: &str) -> Vec<(String, i64)> {
    let tables = tables_with(app, "user_id").await;
    let mut found = Vec::new();
    for table in tables {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{table}\" WHERE user_id = $1"))
            .bind(user)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        if n > 0 {
            found.push((table, n));
        }
    }
    found
}

#[tokio::test]
async fn an_account_is_deleted_after_its_grace_period_and_nothing_of_it_remains() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 40, 30).await;
    edit(&app, &cookie, &conv, "flip it", &photo).await;
    app.request(
        Method::PATCH,
        "/api/v1/me/privacy",
        Some(&cookie),
        Some("application/json"),
        br#"{"analytics":false}"#.to_vec(),
    )
    .await;
    app.request(
        Method::PUT,
        &format!("/api/v1/images/{photo}/feedback"),
        Some(&cookie),
        Some("application/json"),
        br#"{"rating":"up"}"#.to_vec(),
    )
    .await;
    let me: Value = app.get("/api/v1/me", Some(&cookie)).await.json();
    let id = me["id"].as_str().unwrap().to_string();
    let bob = app.signup("bob").await;
    let bobs = app.upload(&bob, common::jpeg(16, 16)).await.json()["id"].as_str().unwrap().to_string();

    // The password again, or nothing happens.
    let wrong = app.post_json("/api/v1/me/deletion", Some(&cookie), json!({"password": "not it"})).await;
    assert_eq!(wrong.json()["field"], "password");
    let r = app
        .post_json("/api/v1/me/deletion", Some(&cookie), json!({"password": "a long enough password"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["deletion_due_at"], "2026-12-29T12:00:00Z");
    assert_eq!(
        app.get("/api/v1/me", Some(&cookie)).await.status,
        StatusCode::UNAUTHORIZED,
        "signed out everywhere"
    );
    let subjects: Vec<String> =
        sqlx::query_scalar("SELECT subject FROM outbox WHERE to_addr = 'ada@example.com'")
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    assert!(subjects.contains(&"Your ViNano account will be deleted".to_string()));

    // Logging in during the grace period shows the date and lets them keep the account.
    let login = || {
        app.post_json(
            "/api/v1/auth/login",
            None,
            json!({"login": "ada", "password": "a long enough password"}),
        )
    };
    let back = login().await;
    assert_eq!(back.json()["deletion_due_at"], "2026-12-29T12:00:00Z");
    let cookie = back.cookie();
    let kept = app.request(Method::DELETE, "/api/v1/me/deletion", Some(&cookie), None, vec![]).await;
    assert_eq!(kept.json()["deletion_due_at"], Value::Null);
    let requests = app.get("/api/v1/me/requests", Some(&cookie)).await.json();
    assert_eq!(requests[0]["status"], "cancelled");

    // Asked again, and this time the grace period runs out.
    app.post_json("/api/v1/me/deletion", Some(&cookie), json!({"password": "a long enough password"})).await;
    app.clock.advance(29 * 24 * 3600);
    assert_eq!(vinano_server::retention::sweep(&app.state).await.unwrap().accounts, 0);
    app.clock.advance(2 * 24 * 3600);
    assert_eq!(vinano_server::retention::sweep(&app.state).await.unwrap().accounts, 1);

    // Zero rows of Ada outside the closed-account record (blank) and the audit log; zero files of hers.
    let left = rows_of(&app, &id).await;
    assert!(left.iter().all(|(t, _)| t == "moderation_log"), "{left:?}");
    let stub: (String, String, String, String, Option<i64>) = sqlx::query_as(
        "SELECT name, email, password_hash, date_of_birth, closed_at FROM users WHERE id = $1",
    )
    .bind(&id)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!((stub.0.as_str(), stub.2.as_str(), stub.3.as_str()), ("", "", ""));
    // The address is replaced by the account's id (random hex, which may itself spell "ada").
    assert_eq!(stub.1, format!("closed:{id}"));
    assert!(stub.4.is_some());
    let files: Vec<String> =
        sqlx::query_scalar("SELECT blob_key FROM images").fetch_all(&app.state.db).await.unwrap();
    assert_eq!(files, std::slice::from_ref(&bobs), "only Bob's image is left");
    assert_eq!(app.state.blobs.count().await, 1);
    assert_eq!(login().await.status, StatusCode::UNAUTHORIZED);
    // Bob is untouched (his session timed out in the month that passed: he logs in again).
    drop(bob);
    let bob = app
        .post_json("/api/v1/auth/login", None, json!({"login": "bob", "password": "a long enough password"}))
        .await
        .cookie();
    assert_eq!(app.get(&format!("/api/v1/images/{bobs}"), Some(&bob)).await.status, StatusCode::OK);

    // The closed-account record goes after 3 years.
    app.clock.advance(3 * 366 * 24 * 3600);
    let swept = vinano_server::retention::sweep(&app.state).await.unwrap();
    assert_eq!(swept.closed_records, 1);
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE id = $1")
        .bind(&id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(users, 0);
}

#[tokio::test]
async fn held_images_survive_an_account_purge() {
    let app = TestApp::new().await;
    let (cookie, _conv, photo) = app.conversation_with_photo("ada", 40, 30).await;
    sqlx::query("UPDATE images SET evidence_hold = 1 WHERE id = $1")
        .bind(&photo)
        .execute(&app.state.db)
        .await
        .unwrap();
    let id = app.get("/api/v1/me", Some(&cookie)).await.json()["id"].as_str().unwrap().to_string();
    app.post_json("/api/v1/me/deletion", Some(&cookie), json!({"password": "a long enough password"})).await;
    app.clock.advance(31 * 24 * 3600);
    vinano_server::retention::sweep(&app.state).await.unwrap();
    let left = rows_of(&app, &id).await;
    assert!(left.iter().all(|(t, _)| t == "moderation_log" || t == "images"), "{left:?}");
    assert_eq!(app.state.blobs.count().await, 1, "the held file stays");
    // Its closed-account record stays while something of theirs is held.
    app.clock.advance(3 * 366 * 24 * 3600);
    assert_eq!(vinano_server::retention::sweep(&app.state).await.unwrap().closed_records, 0);
}

#[tokio::test]
async fn an_account_found_to_be_under_13_is_deleted_at_once() {
    let app = TestApp::new().await;
    let (cookie, _conv, _photo) = app.conversation_with_photo("kid", 40, 30).await;
    let id = app.get("/api/v1/me", Some(&cookie)).await.json()["id"].as_str().unwrap().to_string();
    let r = app
        .request(
            Method::PATCH,
            "/api/v1/me/profile",
            Some(&cookie),
            Some("application/json"),
            br#"{"date_of_birth":"2016-05-01"}"#.to_vec(),
        )
        .await;
    let m = r.error(StatusCode::UNPROCESSABLE_ENTITY, "under_age");
    assert!(m.contains("deleted"), "{m}");
    // No grace period: gone now.
    assert!(rows_of(&app, &id).await.iter().all(|(t, _)| t == "moderation_log"));
    assert_eq!(app.state.blobs.count().await, 0);
    assert_eq!(app.get("/api/v1/me", Some(&cookie)).await.status, StatusCode::UNAUTHORIZED);
    // A plausible correction is just a correction, listed in the tracker.
    let adult = app.signup("adult").await;
    let r = app
        .request(
            Method::PATCH,
            "/api/v1/me/profile",
            Some(&adult),
            Some("application/json"),
            br#"{"date_of_birth":"1990-06-01"}"#.to_vec(),
        )
        .await;
    assert_eq!(r.json()["date_of_birth"], "1990-06-01");
    let requests = app.get("/api/v1/me/requests", Some(&adult)).await.json();
    assert_eq!(
        (requests[0]["kind"].as_str(), requests[0]["detail"].as_str()),
        (Some("correction"), Some("corrected date of birth"))
    );
}

#[tokio::test]
async fn access_shows_every_table_that_holds_the_person_and_no_secret() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 40, 30).await;
    let result = edit(&app, &cookie, &conv, "flip it", &photo).await;
    app.request(
        Method::PUT,
        &format!("/api/v1/images/{result}/feedback"),
        Some(&cookie),
        Some("application/json"),
        br#"{"rating":"up"}"#.to_vec(),
    )
    .await;
    app.request(
        Method::PATCH,
        "/api/v1/me/privacy",
        Some(&cookie),
        Some("application/json"),
        br#"{"analytics":false}"#.to_vec(),
    )
    .await;
    let bob = app.signup("bob").await;
    app.upload(&bob, common::jpeg(16, 16)).await;
    let data = app.get("/api/v1/me/data", Some(&cookie)).await.json();
    // Walk the schema: every table with a user_id column is a section.
    let tables = tables_with(&app, "user_id").await;
    for table in &tables {
        assert!(data.get(table).is_some(), "{table} missing from the access view");
    }
    assert_eq!(data["users"][0]["email"], "ada@example.com");
    assert_eq!(data["images"].as_array().unwrap().len(), 2, "her photo and its edit, not Bob's");
    assert_eq!(data["feedback"][0]["rating"], "up");
    assert_eq!(data["privacy_settings"][0]["analytics"], 0);
    assert!(data["messages"].as_array().unwrap().iter().any(|m| m["text"] == "flip it"));
    assert!(data["consents"].as_array().unwrap().len() >= 4);
    let text = data.to_string();
    for secret in ["password_hash", "token_hash", "blob_key", "$argon2id"] {
        assert!(!text.contains(secret), "{secret} in the access view");
    }
    assert!(!text.contains("bob@example.com"));
}

#[tokio::test]
async fn an_administrator_can_delete_an_under_13_account_at_once() {
    let app = TestApp::new().await;
    let (cookie, _conv, _photo) = app.conversation_with_photo("kid", 40, 30).await;
    let id = app.get("/api/v1/me", Some(&cookie)).await.json()["id"].as_str().unwrap().to_string();
    let keeper = app.signup("keeper").await;
    // The server binary's admin command, on the same data directory (and master key).
    let unknown = app.command(&["admin", "delete-under-13", "nobody@example.com"]).await;
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no open account"), "{unknown:?}");
    let done = app.command(&["admin", "delete-under-13", "KID"]).await;
    assert!(done.status.success(), "{done:?}");
    assert!(String::from_utf8_lossy(&done.stdout).contains(&format!("Deleted account {id}")));
    // Gone now, no grace period; nobody else touched.
    assert!(rows_of(&app, &id).await.iter().all(|(t, _)| t == "moderation_log"));
    assert_eq!(app.state.blobs.count().await, 0);
    assert_eq!(app.get("/api/v1/me", Some(&cookie)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/v1/me", Some(&keeper)).await.status, StatusCode::OK);
    // A second time there is nothing left to delete.
    assert!(!app.command(&["admin", "delete-under-13", "kid"]).await.status.success());
}

async fn thread_images(app: &TestApp, cookie: &str, conv: &str) -> Vec<Value> {
    let d = app.get(&format!("/api/v1/conversations/{conv}"), Some(cookie)).await.json();
    d["messages"].as_array().unwrap().iter().map(|m| m["image"]["id"].clone()).collect()
}

#[tokio::test]
async fn a_deleted_version_comes_back_with_undo_within_ten_seconds_and_then_is_gone_for_good() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 40, 30).await;
    let v1 = edit(&app, &cookie, &conv, "flip it", &photo).await;
    let v2 = edit(&app, &cookie, &conv, "make it black and white", &v1).await;
    let rated = app
        .request(
            Method::PUT,
            &format!("/api/v1/images/{v1}/feedback"),
            Some(&cookie),
            Some("application/json"),
            json!({"rating": "up", "comment": "nice"}).to_string().into_bytes(),
        )
        .await;
    assert_eq!(rated.status, StatusCode::OK);
    let bytes = app.get(&format!("/api/v1/images/{v1}"), Some(&cookie)).await.body;
    let before = thread_images(&app, &cookie, &conv).await;

    // Deleted at once: gone from the thread and from every read; its file waits.
    let r = delete(&app, &cookie, &format!("/api/v1/images/{v1}?undo=true")).await.json();
    assert_eq!(r["deleted"], 1);
    let token = r["undo"]["token"].as_str().unwrap().to_string();
    assert_eq!(r["undo"]["until"], "2026-11-29T12:00:10Z");
    assert_eq!(app.get(&format!("/api/v1/images/{v1}"), Some(&cookie)).await.status, StatusCode::NOT_FOUND);
    assert!(!thread_images(&app, &cookie, &conv).await.contains(&json!(v1)));
    vinano_server::trash::empty(&app.state).await.unwrap();
    assert_eq!(app.state.blobs.count().await, 3, "the photo, v1 and v2: v1's file is still there");

    // Someone else can't use the token; an unknown one is not found.
    let other = app.signup("bob").await;
    let restore = |who: String, token: String| {
        let app = &app;
        async move { app.post_json("/api/v1/me/images/restore", Some(&who), json!({ "token": token })).await }
    };
    restore(other, token.clone()).await.error(StatusCode::NOT_FOUND, "not_found");
    restore(cookie.clone(), "nope".into()).await.error(StatusCode::NOT_FOUND, "not_found");

    // Undo: the same id and bytes, its rating, its place in the thread and its child's link to it.
    app.clock.advance(9);
    let r = restore(cookie.clone(), token.clone()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json(), json!({ "images": [v1] }));
    let again = app.get(&format!("/api/v1/images/{v1}"), Some(&cookie)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, bytes);
    assert_eq!(thread_images(&app, &cookie, &conv).await, before);
    let parent: Option<String> = sqlx::query_scalar("SELECT parent_id FROM images WHERE id = $1")
        .bind(&v2)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(parent.as_deref(), Some(v1.as_str()));
    let rating: (String, Option<String>) =
        sqlx::query_as("SELECT rating, comment FROM feedback WHERE image_id = $1")
            .bind(&v1)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(rating, ("up".to_string(), Some("nice".to_string())));
    // The deletion queue no longer names the file: a later pass leaves it.
    app.clock.advance(60);
    vinano_server::trash::empty(&app.state).await.unwrap();
    assert_eq!(app.state.blobs.count().await, 3);
    restore(cookie.clone(), token).await.error(StatusCode::NOT_FOUND, "not_found");

    // Too late after 10 seconds; the saved row goes, and the file after the grace period.
    let r = delete(&app, &cookie, &format!("/api/v1/images/{photo}?undo=true&versions=all")).await.json();
    assert_eq!(r["deleted"], 3);
    let token = r["undo"]["token"].as_str().unwrap().to_string();
    app.clock.advance(10);
    let message = restore(cookie.clone(), token.clone()).await.error(StatusCode::GONE, "gone");
    assert!(message.contains("10 seconds"), "{message}");
    assert_eq!(vinano_server::undo::forget_expired(&app.state).await.unwrap(), 3);
    vinano_server::trash::empty(&app.state).await.unwrap();
    assert_eq!(app.state.blobs.count().await, 3, "the files wait for the grace period");
    app.clock.advance(5);
    vinano_server::trash::empty(&app.state).await.unwrap();
    assert_eq!(app.state.blobs.count().await, 0);
    assert_eq!(app.count("deleted_images").await, 0);
    restore(cookie.clone(), token).await.error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_whole_tree_comes_back_with_its_branches() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 40, 30).await;
    let v1 = edit(&app, &cookie, &conv, "flip it", &photo).await;
    let v2 = edit(&app, &cookie, &conv, "rotate it", &v1).await;
    let before = thread_images(&app, &cookie, &conv).await;
    let r = delete(&app, &cookie, &format!("/api/v1/images/{v2}?undo=true&versions=all")).await.json();
    assert_eq!(r["deleted"], 3);
    assert_eq!(app.count("images").await, 0);
    let token = r["undo"]["token"].as_str().unwrap();
    let r = app.post_json("/api/v1/me/images/restore", Some(&cookie), json!({ "token": token })).await;
    assert_eq!(r.status, StatusCode::OK);
    let parents: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT id, parent_id FROM images ORDER BY created_at, id")
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    let parent_of = |id: &str| parents.iter().find(|p| p.0 == id).unwrap().1.clone();
    assert_eq!(parent_of(&photo), None);
    assert_eq!(parent_of(&v1).as_deref(), Some(photo.as_str()));
    assert_eq!(parent_of(&v2).as_deref(), Some(v1.as_str()));
    assert_eq!(thread_images(&app, &cookie, &conv).await, before);
    assert_eq!(app.state.blobs.count().await, 3);
}

#[tokio::test]
async fn undo_after_the_same_upload_was_sent_again_restores_both() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let photo = common::jpeg(24, 16);
    let upload = |bytes: Vec<u8>| app.upload_keyed(&cookie, bytes, "same-photo");
    let first = upload(photo.clone()).await.json()["id"].as_str().unwrap().to_string();
    let r = delete(&app, &cookie, &format!("/api/v1/images/{first}?undo=true")).await.json();
    let token = r["undo"]["token"].as_str().unwrap().to_string();
    // The same upload again (its key is free now that the image is gone): a new image.
    let second = upload(photo.clone()).await.json()["id"].as_str().unwrap().to_string();
    assert_ne!(first, second);

    let restored = app.post_json("/api/v1/me/images/restore", Some(&cookie), json!({ "token": token })).await;
    assert_eq!(restored.status, StatusCode::OK, "{}", String::from_utf8_lossy(&restored.body));
    for id in [&first, &second] {
        assert_eq!(app.get(&format!("/api/v1/images/{id}"), Some(&cookie)).await.status, StatusCode::OK);
    }
    // A retry of that upload still answers with the image that holds the key.
    assert_eq!(upload(photo).await.json()["id"], json!(second));
}
