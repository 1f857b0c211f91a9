//! Nothing deleted survives and nothing acknowledged is duplicated: deletes queue their files in the same
//! transaction and a failed removal is finished by the sweep; the reconciler removes files no row names;
//! one failing purge doesn't stop the others; a request in flight when its account is purged writes
//! nothing; a blob that lost its sealed header is refused; a retried upload is stored once.

use crate::common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::TestApp;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::time::Duration;
use tower::ServiceExt;

/// Sets a file's modification time `by` into the past (older than the reconciler's safety window).
fn age(path: &std::path::Path, by: Duration) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(std::time::SystemTime::now() - by).unwrap();
}

const TWO_HOURS: Duration = Duration::from_secs(7200);

async fn upload(app: &TestApp, cookie: &str) -> String {
    let r = app.upload(cookie, common::jpeg(32, 24)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&r.body));
    r.json()["id"].as_str().unwrap().to_string()
}

async fn blob_key(app: &TestApp, image: &str) -> String {
    sqlx::query_scalar("SELECT blob_key FROM images WHERE id = $1")
        .bind(image)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

async fn user_id(app: &TestApp, cookie: &str) -> String {
    app.get("/api/v1/me", Some(cookie)).await.json()["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_deleted_image_whose_file_could_not_be_removed_is_removed_by_the_next_sweep() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let image = upload(&app, &cookie).await;
    let file = app.state.blobs.file_of(&blob_key(&app, &image).await).unwrap();
    // The file can't be removed for now (a directory in its place: even root can't unlink it as a file).
    std::fs::remove_file(&file).unwrap();
    std::fs::create_dir(&file).unwrap();
    std::fs::write(file.join("x"), b"x").unwrap();

    let r =
        app.request(Method::DELETE, &format!("/api/v1/images/{image}"), Some(&cookie), None, vec![]).await;
    assert!(r.status.is_success(), "{} {}", r.status, String::from_utf8_lossy(&r.body));
    assert_eq!(app.count("images").await, 0, "the row is gone at once");
    assert_eq!(vinano_server::trash::pending(&app.state.db).await.unwrap(), 1, "the file stays queued");
    let (attempts, error): (i64, Option<String>) =
        sqlx::query_as("SELECT attempts, error FROM trash").fetch_one(&app.state.db).await.unwrap();
    assert_eq!(attempts, 1);
    assert!(error.is_some());

    // The obstacle goes (as a file again, like the one a crash left); the hourly sweep removes it.
    std::fs::remove_dir_all(&file).unwrap();
    std::fs::write(&file, b"the deleted image").unwrap();
    let swept = vinano_server::retention::sweep(&app.state).await.unwrap();
    assert_eq!(swept.files_removed, 1);
    assert!(!file.exists(), "the deleted image's file survived the sweep");
    assert_eq!(vinano_server::trash::pending(&app.state.db).await.unwrap(), 0);
}

#[tokio::test]
async fn the_reconciler_removes_old_orphans_and_leftovers_and_reports_rows_without_files() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let kept = upload(&app, &cookie).await;
    let lost = upload(&app, &cookie).await;
    let blobs = app.state.blobs.root().unwrap().to_path_buf();
    let data = app.state.config.data_dir.clone();
    // A blob whose row was never committed (killed in between), an hour and more ago; a young one (an
    // upload about to commit); half-written temporary files; an export ZIP nobody's row names.
    let old_orphan = blobs.join("ab").join("ab00000000000000000000000000000001");
    let young_orphan = blobs.join("ab").join("ab00000000000000000000000000000002");
    let old_tmp = blobs.join("tmp").join("cd00000000000000000000000000000003.1a2b");
    let export_orphan = data.join("exports").join("ef000000000000000000000000000004");
    let export_part = data.join("exports").join("tmp").join("ef000000000000000000000000000005.99aa");
    let mail_part = data.join("outbox").join(".123-456-abc.eml.part");
    for path in [&old_orphan, &young_orphan, &old_tmp, &export_orphan, &export_part, &mail_part] {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"leftover").unwrap();
    }
    for path in [&old_orphan, &old_tmp, &export_orphan, &export_part, &mail_part] {
        age(path, TWO_HOURS);
    }
    // A row whose file is gone (a disk restored from an older copy).
    std::fs::remove_file(app.state.blobs.file_of(&blob_key(&app, &lost).await).unwrap()).unwrap();
    // An image file that is old and named by its row stays, of course.
    let kept_file = app.state.blobs.file_of(&blob_key(&app, &kept).await).unwrap();
    age(&kept_file, TWO_HOURS);

    let found =
        vinano_server::reconcile::run(&app.state, vinano_server::reconcile::SAFETY_WINDOW).await.unwrap();
    assert_eq!(found.orphans, 2, "{found:?}");
    assert_eq!(found.temporary, 3, "{found:?}");
    assert_eq!(found.missing, 1, "{found:?}");
    for gone in [&old_orphan, &old_tmp, &export_orphan, &export_part, &mail_part] {
        assert!(!gone.exists(), "{} survived", gone.display());
    }
    assert!(young_orphan.exists(), "a file younger than the safety window was removed");
    assert!(kept_file.exists());
    let shown = app.get(&format!("/api/v1/images/{kept}"), Some(&cookie)).await;
    assert_eq!(shown.status, StatusCode::OK);
}

#[tokio::test]
async fn an_export_given_up_after_a_crash_leaves_no_file() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    upload(&app, &cookie).await;
    let export = app.ready_export(&cookie).await;
    let ready = app.export_file(&export).await;
    // What a worker killed three times between putting the archive in place and committing leaves: the
    // file under its build's name, and a row still building with its lease run out.
    let file = ready.with_file_name(vinano_server::rights::export::files::name_for(&export, "gone"));
    std::fs::rename(&ready, &file).unwrap();
    assert!(file.exists());
    sqlx::query(
        "UPDATE exports SET status = 'building', attempts = 3, lease_until = 1, lease_owner = 'gone',
                            file_name = NULL WHERE id = $1",
    )
    .bind(&export)
    .execute(&app.state.db)
    .await
    .unwrap();
    vinano_server::rights::export::run_next(&app.state).await.unwrap();
    let status: String = sqlx::query_scalar("SELECT status FROM exports WHERE id = $1")
        .bind(&export)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(status, "failed");
    assert!(!file.exists(), "the personal-data ZIP of a failed export stayed on disk");
}

#[tokio::test]
async fn one_failing_purge_does_not_stop_the_others_nor_export_expiry() {
    let app = TestApp::new().await;
    let mut accounts = Vec::new();
    for name in ["ada", "bob"] {
        let (cookie, _, photo) = app.conversation_with_photo(name, 24, 16).await;
        let id = user_id(&app, &cookie).await;
        let file = app.state.blobs.file_of(&blob_key(&app, &photo).await).unwrap();
        let r = app
            .post_json("/api/v1/me/deletion", Some(&cookie), json!({"password": "a long enough password"}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
        accounts.push((id, file));
    }
    let carol = app.signup("carol").await;
    upload(&app, &carol).await;
    let export = app.ready_export(&carol).await;
    let export_file = app.export_file(&export).await;
    // Ada's purge fails inside the database (as a damaged page or a bug in one table would make it).
    let (ada, ada_file) = &accounts[0];
    let trigger = if common::on_postgres() {
        format!(
            "CREATE FUNCTION stuck() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN IF OLD.user_id = '{ada}' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN OLD; END $$;
             CREATE TRIGGER stuck BEFORE DELETE ON conversations FOR EACH ROW EXECUTE FUNCTION stuck();"
        )
    } else {
        format!(
            "CREATE TRIGGER stuck BEFORE DELETE ON conversations WHEN OLD.user_id = '{ada}'
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )
    };
    sqlx::raw_sql(&trigger).execute(&app.state.db).await.unwrap();
    app.clock.advance(31 * 24 * 3600);

    let swept = vinano_server::retention::sweep(&app.state).await.unwrap();
    assert_eq!(swept.accounts, 1, "Bob is purged although Ada's purge failed");
    assert_eq!(swept.exports, 1, "the export sweep still ran");
    let (bob, bob_file) = &accounts[1];
    let closed = |id: &str| {
        sqlx::query_scalar::<_, Option<i64>>("SELECT closed_at FROM users WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(&app.state.db)
    };
    assert!(closed(bob).await.unwrap().is_some());
    assert!(!bob_file.exists());
    // An expired export's file goes an hour later (a download under way finishes first).
    assert!(export_file.exists());
    app.clock.advance(3601);
    vinano_server::trash::empty(&app.state).await.unwrap();
    assert!(!export_file.exists(), "an expired export's file stayed");
    assert!(closed(ada).await.unwrap().is_none(), "Ada's purge rolled back whole");
    assert!(ada_file.exists());

    // Once the fault is gone, the next sweep finishes the job.
    let drop =
        if common::on_postgres() { "DROP TRIGGER stuck ON conversations" } else { "DROP TRIGGER stuck" };
    sqlx::raw_sql(drop).execute(&app.state.db).await.unwrap();
    assert_eq!(vinano_server::retention::sweep(&app.state).await.unwrap().accounts, 1);
    assert!(closed(ada).await.unwrap().is_some());
    assert!(!ada_file.exists());
}

#[tokio::test]
async fn a_request_in_flight_when_its_account_is_purged_writes_nothing() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let id = user_id(&app, &cookie).await;
    let photo = common::jpeg(64, 48);
    // An upload that has passed its session check and is still sending its body.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let chunks = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) });
    let body = Body::from_stream(chunks);
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/images")
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "image/jpeg")
        .body(body)
        .unwrap();
    let in_flight = tokio::spawn(app.router.clone().oneshot(request));
    tx.send(Ok(photo[..100].to_vec())).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    vinano_server::rights::purge_account(&app.state, &id, "requested").await.unwrap();
    tx.send(Ok(photo[100..].to_vec())).await.unwrap();
    drop(tx);
    let response = in_flight.await.unwrap().unwrap();
    let status = response.status();
    let body: Value =
        serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["code"], "unauthenticated");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM images WHERE user_id = $1")
        .bind(&id)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows, 0, "an image was written for an erased account");
    assert_eq!(app.state.blobs.count().await, 0, "its file was left behind");
}

#[tokio::test]
async fn a_blob_without_its_sealed_header_is_refused_unless_the_store_predates_encryption() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let image = upload(&app, &cookie).await;
    let file = app.state.blobs.file_of(&blob_key(&app, &image).await).unwrap();
    let sealed = std::fs::read(&file).unwrap();
    // The header zeroed (a bad disk, a file replaced by hand): never served as if it were the image.
    let mut zeroed = sealed.clone();
    zeroed[..16].fill(0);
    std::fs::write(&file, &zeroed).unwrap();
    let r = app.get(&format!("/api/v1/images/{image}"), Some(&cookie)).await;
    r.error(StatusCode::INTERNAL_SERVER_ERROR, "internal");
    assert!(!r.body.windows(8).any(|w| w == &zeroed[16..24]), "bytes of the file were sent");
    // A plain JPEG in its place (what a store from before encryption holds) is refused too ...
    let plain = common::jpeg(8, 8);
    std::fs::write(&file, &plain).unwrap();
    let r = app.get(&format!("/api/v1/images/{image}"), Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    // ... unless the operator says the store predates encryption.
    let legacy = app.state.blobs.clone().allowing_unsealed(true);
    assert_eq!(legacy.get(&blob_key(&app, &image).await).await.unwrap(), plain);
}

#[tokio::test]
async fn an_upload_retried_with_its_idempotency_key_is_stored_once() {
    let app = TestApp::with_config(|c| c.quotas.uploads_per_hour = 1).await;
    let cookie = app.signup("ada").await;
    let send = |bytes: Vec<u8>, key: &'static str| app.upload_keyed(&cookie, bytes, key);
    let photo = common::jpeg(40, 30);
    let first = send(photo.clone(), "upload-1").await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&first.body));
    // The 201 was lost; the client sends the same again (the hourly quota of one is used up by now).
    let again = send(photo.clone(), "upload-1").await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&again.body));
    assert_eq!(again.json()["id"], first.json()["id"]);
    assert_eq!(app.count("images").await, 1);
    assert_eq!(app.state.blobs.count().await, 1);
    // The same key with another photo is a mistake, said so; a new upload without a key meets the quota.
    let other = send(common::jpeg(20, 20), "upload-1").await;
    let message = other.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert!(message.contains("Idempotency-Key"), "{message}");
    let fresh = send(common::jpeg(20, 20), "upload-2").await;
    assert_eq!(fresh.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.count("images").await, 1);
}
