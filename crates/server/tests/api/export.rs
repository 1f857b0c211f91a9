//! Portability: an export is asked for, built in the background into a ZIP (every user-owned table as JSON,
//! every image, an offline index.html), sealed on disk, announced by email and in the app, and downloadable
//! for 24 hours by a session that entered its password in the last 10 minutes; one at a time; gone with the
//! account.

use crate::common;

use axum::http::StatusCode;
use common::{tables_with, TestApp};
use serde_json::{json, Value};
use std::io::Read;

const PASSWORD: &str = "a long enough password";

/// The delivered message (an .eml file in the outbox directory) with this subject.
async fn wait_for_mail(app: &TestApp, subject: &str) -> String {
    let dir = vinano_server::mail::outbox_dir(&app.state.config.data_dir);
    for _ in 0..1000 {
        for file in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(file.path()).unwrap_or_default();
            if text.contains(&format!("Subject: {subject}")) {
                return text;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("no message \"{subject}\" was delivered");
}

fn unzip(bytes: &[u8]) -> zip::ZipArchive<std::io::Cursor<&[u8]>> {
    zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a valid ZIP")
}

fn entry(archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str) -> Vec<u8> {
    let mut out = Vec::new();
    archive.by_name(name).unwrap_or_else(|_| panic!("{name} in the ZIP")).read_to_end(&mut out).unwrap();
    out
}

/// Tables with a `user_id` column, from the schema itself.
async fn user_tables(app: &TestApp) -> Vec<String> {
    tables_with(app, "user_id").await
}

#[tokio::test]
async fn an_export_holds_every_table_every_image_and_a_page_to_read_offline() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 40, 30).await;
    let sent = app
        .post_json(
            &format!("/api/v1/conversations/{conv}/messages"),
            Some(&cookie),
            json!({"text": "make it black and white", "image_id": photo}),
        )
        .await;
    let done = app.complete(&cookie, &conv, sent.json()).await;
    let edited = done["reply"]["image"]["id"].as_str().unwrap_or_else(|| panic!("{done}")).to_string();
    let title = json!({"title": "<script>alert(1)</script> <b>Trip</b>"}).to_string().into_bytes();
    let patch = axum::http::Method::PATCH;
    app.request(
        patch.clone(),
        &format!("/api/v1/conversations/{conv}"),
        Some(&cookie),
        Some("application/json"),
        title,
    )
    .await;
    app.request(
        patch,
        "/api/v1/me/privacy",
        Some(&cookie),
        Some("application/json"),
        json!({"analytics": true}).to_string().into_bytes(),
    )
    .await;

    // Asked for: queued, listed in the tracker; a second ask while it is prepared is refused.
    let asked = app.post_json("/api/v1/me/exports", Some(&cookie), json!({})).await;
    assert_eq!(asked.status, StatusCode::ACCEPTED, "{}", String::from_utf8_lossy(&asked.body));
    let export = app.wait_for_export(&cookie).await;
    assert_eq!(export["status"], "ready", "{export}");
    assert_eq!(export["id"], asked.json()["id"]);
    assert_eq!(export["expires_at"], "2026-11-30T12:00:00Z");
    let requests = app.get("/api/v1/me/requests", Some(&cookie)).await.json();
    assert_eq!(
        (requests[0]["kind"].as_str(), requests[0]["status"].as_str()),
        (Some("export"), Some("completed"))
    );

    // Announced by email (with the page to download from, not a bare file link) and in the app.
    let mail = wait_for_mail(&app, "Your ViNano data export is ready").await;
    assert!(mail.contains("To: ada@example.com"), "{mail}");
    assert!(mail.contains("/me/data"), "{mail}");
    assert!(!mail.contains("/download"), "the email links to the page, not the file: {mail}");
    let me = app.get("/api/v1/me", Some(&cookie)).await.json();
    assert_eq!(me["export_ready_until"], "2026-11-30T12:00:00Z");

    // On disk it is sealed: no ZIP signature, none of the JSON in the clear.
    let raw = std::fs::read(app.export_file(export["id"].as_str().unwrap()).await).unwrap();
    assert!(!raw.windows(4).any(|w| w == b"PK\x03\x04"), "no ZIP signature on disk");
    assert!(!raw.windows(15).any(|w| w == b"ada@example.com"));

    // Downloaded (the session logged in just now): a ZIP of the announced size.
    let download = app.get(export["download_url"].as_str().unwrap(), Some(&cookie)).await;
    assert_eq!(download.status, StatusCode::OK, "{}", String::from_utf8_lossy(&download.body));
    assert_eq!(download.headers["content-type"], "application/zip");
    assert!(download.headers["content-disposition"].to_str().unwrap().contains("vinano-data-2026-11-29.zip"));
    assert_eq!(download.body.len() as u64, export["size_bytes"].as_u64().unwrap());
    let mut archive = unzip(&download.body);
    assert_eq!(archive.len() as u64, export["file_count"].as_u64().unwrap());

    // Every user-owned table is there as JSON, with this person's rows.
    for table in user_tables(&app).await {
        let rows: Value =
            serde_json::from_slice(&entry(&mut archive, &format!("data/{table}.json"))).unwrap();
        let stored: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{table}\" WHERE user_id = $1"))
            .bind(me["id"].as_str().unwrap())
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        // The "export ready" email was written after the snapshot.
        let expected = if table == "outbox" { stored - 1 } else { stored };
        assert!(expected >= 1 || table != "images", "{table}");
        assert_eq!(rows.as_array().unwrap().len() as i64, expected, "{table}");
    }
    let users: Value = serde_json::from_slice(&entry(&mut archive, "data/users.json")).unwrap();
    assert_eq!(users[0]["email"], "ada@example.com");
    let all_json: String = archive
        .file_names()
        .map(|n| n.unwrap().to_string())
        .filter(|n| n.ends_with(".json"))
        .collect::<Vec<_>>()
        .iter()
        .map(|n| String::from_utf8(entry(&mut archive, n)).unwrap())
        .collect();
    for secret in ["password_hash", "token_hash", "blob_key", "$argon2id"] {
        assert!(!all_json.contains(secret), "{secret} in the export");
    }
    let settings: Value = serde_json::from_slice(&entry(&mut archive, "data/privacy_settings.json")).unwrap();
    assert_eq!(settings[0]["analytics"], 1);

    // Both images, byte for byte as stored, and each image row names its file.
    let images: Value = serde_json::from_slice(&entry(&mut archive, "data/images.json")).unwrap();
    assert_eq!(images.as_array().unwrap().len(), 2);
    for id in [&photo, &edited] {
        let row = images.as_array().unwrap().iter().find(|r| r["id"] == id.as_str()).unwrap();
        let file = row["file"].as_str().unwrap().to_string();
        // With the date retention deletes it: 90 days after it was made.
        assert_eq!(
            row["expires_at"].as_i64(),
            Some(row["created_at"].as_i64().unwrap() + 90 * 24 * 3600 * 1000)
        );
        let held = app.get(&format!("/api/v1/images/{id}"), Some(&cookie)).await.body;
        assert_eq!(entry(&mut archive, &file), held, "{file}");
    }

    // The page: the person, the conversation (its title as text, not markup) with its prompt, both images.
    let page = String::from_utf8(entry(&mut archive, "index.html")).unwrap();
    assert!(page.contains("ada Tester") && page.contains("ada@example.com"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;Trip&lt;/b&gt;"), "{page}");
    assert!(!page.contains("<b>Trip") && !page.contains("<script"));
    assert!(page.contains("make it black and white"));
    for id in [&photo, &edited] {
        assert!(page.contains(&format!("src=\"images/{id}.")), "{id} on the page");
    }
    assert!(page.contains("Consent history") && page.contains("Signed-in devices"));
    let manifest: Value = serde_json::from_slice(&entry(&mut archive, "manifest.json")).unwrap();
    assert_eq!(manifest["images"].as_array().unwrap().len(), 2);

    // Once downloaded (every byte handed over), the app no longer announces it.
    let mut announced = true;
    for _ in 0..500 {
        announced = app.get("/api/v1/me", Some(&cookie)).await.json().get("export_ready_until").is_some();
        if !announced {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(!announced, "still announced after the download");
}

#[tokio::test]
async fn downloads_need_a_recent_password_and_end_after_24_hours() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let intruder = app.signup("eve").await;
    app.upload(&cookie, common::jpeg(16, 16)).await;
    app.post_json("/api/v1/me/exports", Some(&cookie), json!({})).await;
    let export = app.wait_for_export(&cookie).await;
    let url = format!("/api/v1/me/exports/{}/download", export["id"].as_str().unwrap());
    let file = app.export_file(export["id"].as_str().unwrap()).await;

    // Someone else's export does not exist for them.
    app.get(&url, Some(&intruder)).await.error(StatusCode::NOT_FOUND, "not_found");

    // Eleven minutes after logging in, the password is asked for again.
    app.clock.advance(11 * 60);
    let list = app.get("/api/v1/me/exports", Some(&cookie)).await.json();
    assert!(list.get("reauth_until").is_none(), "{list}");
    app.get(&url, Some(&cookie)).await.error(StatusCode::FORBIDDEN, "reauth_required");
    let wrong = app.post_json("/api/v1/me/reauth", Some(&cookie), json!({"password": "not it"})).await;
    assert_eq!(wrong.json()["field"], "password");
    app.get(&url, Some(&cookie)).await.error(StatusCode::FORBIDDEN, "reauth_required");
    let fresh = app.post_json("/api/v1/me/reauth", Some(&cookie), json!({"password": PASSWORD})).await;
    assert_eq!(fresh.status, StatusCode::OK);
    assert_eq!(fresh.json()["reauth_until"], "2026-11-29T12:21:00Z");
    assert_eq!(app.get(&url, Some(&cookie)).await.status, StatusCode::OK);
    // The password proves the session it was entered in, not the person's other sessions.
    let laptop = app
        .post_json("/api/v1/auth/login", None, json!({"login": "ada", "password": PASSWORD}))
        .await
        .cookie();
    app.clock.advance(11 * 60);
    app.post_json("/api/v1/me/reauth", Some(&cookie), json!({"password": PASSWORD})).await;
    assert_eq!(app.get(&url, Some(&cookie)).await.status, StatusCode::OK);
    app.get(&url, Some(&laptop)).await.error(StatusCode::FORBIDDEN, "reauth_required");

    // After 24 hours: gone, and the sweep deletes the file (the tracker keeps the request).
    app.clock.advance(24 * 3600);
    app.post_json("/api/v1/me/reauth", Some(&cookie), json!({"password": PASSWORD})).await;
    let gone = app.get(&url, Some(&cookie)).await.error(StatusCode::GONE, "gone");
    assert!(gone.contains("24 hours"), "{gone}");
    assert!(file.exists());
    let swept = vinano_server::retention::sweep(&app.state).await.unwrap();
    assert_eq!(swept.exports, 1);
    // The file goes an hour later, so a download that started before the expiry still finishes.
    assert!(file.exists());
    app.clock.advance(3601);
    vinano_server::trash::empty(&app.state).await.unwrap();
    assert!(!file.exists());
    let list = app.get("/api/v1/me/exports", Some(&cookie)).await.json();
    assert_eq!(list["exports"][0]["status"], "expired");
    assert!(list["exports"][0].get("download_url").is_none());
    assert_eq!(app.get("/api/v1/me/requests", Some(&cookie)).await.json()[0]["status"], "completed");
}

#[tokio::test]
async fn one_export_at_a_time_even_when_asked_twice_at_once() {
    // The worker waits, so the first export is still being prepared when the second ask arrives (an empty
    // account's export can otherwise be ready before it).
    let app = TestApp::without_export_worker(|_| {}).await;
    let cookie = app.signup("ada").await;
    // Both asks race each other.
    let (a, b) = tokio::join!(
        app.post_json("/api/v1/me/exports", Some(&cookie), json!({})),
        app.post_json("/api/v1/me/exports", Some(&cookie), json!({})),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::ACCEPTED, StatusCode::CONFLICT]);
    let refused = if a.status == StatusCode::CONFLICT { a } else { b };
    assert!(refused.error(StatusCode::CONFLICT, "conflict").contains("already being prepared"));
    assert_eq!(app.count("exports").await, 1);
    assert_eq!(app.count("data_requests").await, 1);
    // The database holds the rule too, whatever the code above it does. (In one write transaction, so the
    // export worker can't finish the export between the look and the insert.)
    let mut tx = vinano_server::storage::db::write_tx(&app.state.db).await.unwrap();
    let (user, status): (String, String) =
        sqlx::query_as("SELECT user_id, status FROM exports").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(status, "pending");
    let second = sqlx::query(
        "INSERT INTO exports (id, user_id, request_id, status, created_at) VALUES ('x2', $1, 'r', 'pending', 0)",
    )
    .bind(&user)
    .execute(&mut *tx)
    .await;
    assert!(second.is_err(), "a second pending export was stored");
    drop(tx);
    // Once it is ready, another may be asked for.
    app.start_export_worker();
    app.wait_for_export(&cookie).await;
    let again = app.post_json("/api/v1/me/exports", Some(&cookie), json!({})).await;
    assert_eq!(again.status, StatusCode::ACCEPTED);
}

#[tokio::test]
async fn a_deleted_account_leaves_no_export_behind() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    app.upload(&cookie, common::jpeg(16, 16)).await;
    app.post_json("/api/v1/me/exports", Some(&cookie), json!({})).await;
    app.wait_for_export(&cookie).await;
    let dir = app.state.config.data_dir.join("exports");
    let files = || std::fs::read_dir(&dir).unwrap().filter(|e| e.as_ref().unwrap().path().is_file()).count();
    assert_eq!(files(), 1);
    app.post_json("/api/v1/me/deletion", Some(&cookie), json!({"password": PASSWORD})).await;
    app.clock.advance(31 * 24 * 3600);
    assert_eq!(vinano_server::retention::sweep(&app.state).await.unwrap().accounts, 1);
    assert_eq!(files(), 0);
    assert_eq!(app.count("exports").await, 0);
}

#[tokio::test]
async fn a_damaged_export_file_is_refused_not_served() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    app.post_json("/api/v1/me/exports", Some(&cookie), json!({})).await;
    let export = app.wait_for_export(&cookie).await;
    let file = app.export_file(export["id"].as_str().unwrap()).await;
    let mut raw = std::fs::read(&file).unwrap();
    raw[10] ^= 1; // inside the sealed key
    std::fs::write(&file, raw).unwrap();
    let url = format!("/api/v1/me/exports/{}/download", export["id"].as_str().unwrap());
    app.get(&url, Some(&cookie)).await.error(StatusCode::INTERNAL_SERVER_ERROR, "internal");
}

#[tokio::test]
async fn the_database_refuses_a_second_export_in_preparation() {
    let app = TestApp::new().await;
    app.signup("ada").await;
    let user: String = sqlx::query_scalar("SELECT id FROM users").fetch_one(&app.state.db).await.unwrap();
    let insert = |id: &'static str, status: &'static str| {
        sqlx::query(
            "INSERT INTO exports (id, user_id, request_id, status, created_at) VALUES ($1, $2, 'r', $3, 0)",
        )
        .bind(id)
        .bind(user.clone())
        .bind(status)
        .execute(&app.state.db)
    };
    insert("a1", "building").await.unwrap();
    assert!(insert("a2", "pending").await.is_err(), "two in preparation");
    insert("a3", "ready").await.unwrap();
    insert("a4", "failed").await.unwrap();
}

#[tokio::test]
async fn a_damaged_segment_mid_download_ends_the_download_short() {
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    // A noisy photo (it does not compress): enough for several 64 KiB segments.
    let mut seed = 1u32;
    let noise = image::RgbImage::from_fn(400, 300, |_, _| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        image::Rgb([(seed >> 24) as u8, (seed >> 16) as u8, (seed >> 8) as u8])
    });
    let photo =
        vinano_imaging::encode(&image::DynamicImage::ImageRgb8(noise), vinano_imaging::OutputFormat::Jpeg)
            .unwrap()
            .bytes;
    app.upload(&cookie, photo).await;
    let id = app.ready_export(&cookie).await;
    let file = app.export_file(&id).await;
    let mut raw = std::fs::read(&file).unwrap();
    assert!(raw.len() > 3 * 64 * 1024, "{} bytes", raw.len());
    let at = raw.len() - 10;
    raw[at] ^= 1; // in the last segment: the headers (and the first segments) have gone out by then
    std::fs::write(&file, raw).unwrap();
    let request = axum::http::Request::get(format!("/api/v1/me/exports/{id}/download"))
        .header("cookie", &cookie)
        .body(Body::empty())
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let promised: usize = response.headers()["content-length"].to_str().unwrap().parse().unwrap();
    match response.into_body().collect().await {
        Err(_) => {}
        Ok(body) => assert!(body.to_bytes().len() < promised, "a damaged export was served whole"),
    }
    // Not counted as downloaded.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let me = app.get("/api/v1/me", Some(&cookie)).await.json();
    assert!(me.get("export_ready_until").is_some(), "{me}");
}

#[tokio::test]
async fn undelivered_email_links_never_show_in_access_or_export() {
    // Mail that cannot leave (the SMTP server is down) keeps its body, link tokens included, for retries.
    let app =
        TestApp::with_config(|c| c.mail = vinano_server::mail::MailConfig::Smtp("smtp://127.0.0.1:9".into()))
            .await;
    let cookie = app.signup("ada").await;
    app.post_json("/api/v1/auth/forgot-password", None, json!({"email": "ada@example.com"})).await;
    let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM outbox WHERE body IS NOT NULL")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    assert!(bodies.iter().any(|b| b.contains("token=")), "the test needs undelivered links: {bodies:?}");
    let has_token = |text: &str| {
        text.match_indices("token=")
            .any(|(at, _)| text[at + 6..].chars().take_while(char::is_ascii_hexdigit).count() >= 32)
    };
    let access = String::from_utf8(app.get("/api/v1/me/data", Some(&cookie)).await.body).unwrap();
    assert!(access.contains("token=[removed]"), "{access}");
    assert!(!has_token(&access), "{access}");
    let id = app.ready_export(&cookie).await;
    let zip = app.get(&format!("/api/v1/me/exports/{id}/download"), Some(&cookie)).await.body;
    let mut archive = unzip(&zip);
    for name in ["data/outbox.json", "index.html"] {
        let text = String::from_utf8(entry(&mut archive, name)).unwrap();
        assert!(!has_token(&text), "{name}: {text}");
    }
}
