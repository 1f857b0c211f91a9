//! Image files in an S3-compatible bucket (`VINANO_S3_*`), against an S3 server started in-process: s3s-fs
//! (crates.io), which checks every request's Signature V4 with its own copy of the key and keeps objects as
//! files under a temporary directory.

use crate::common::{jpeg, TestApp};
use axum::http::{Method, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo};
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;
use std::path::{Path, PathBuf};
use std::time::Duration;
use vinano_server::storage::s3::S3Config;

const ACCESS: &str = "VINANOTESTKEY";
const SECRET: &str = "the-store's-own-secret-key-0123456789";

/// A running S3 server with the bucket `vinano`.
struct Store {
    dir: tempfile::TempDir,
    url: String,
}

impl Store {
    async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("vinano")).unwrap();
        let mut builder = S3ServiceBuilder::new(s3s_fs::FileSystem::new(dir.path()).unwrap());
        builder.set_auth(SimpleAuth::from_single(ACCESS, SECRET));
        let service = builder.build();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let service = service.clone();
                tokio::spawn(async move {
                    let http = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
                    let _ = http.serve_connection(TokioIo::new(socket), service).await;
                });
            }
        });
        Self { dir, url }
    }

    fn config(&self, secret: &str) -> S3Config {
        S3Config {
            endpoint: self.url.parse().unwrap(),
            bucket: "vinano".into(),
            region: "us-east-1".into(),
            access_key: ACCESS.into(),
            secret_key: secret.into(),
            path_style: true,
        }
    }

    /// Every object under `prefix` as the store keeps it: (key, bytes).
    fn objects(&self, prefix: &str) -> Vec<(String, Vec<u8>)> {
        let bucket = self.dir.path().join("vinano");
        let mut objects: Vec<(String, Vec<u8>)> = walk_files(&bucket.join(prefix))
            .into_iter()
            .filter(|f| !f.to_string_lossy().contains(".s3s"))
            .map(|f| {
                (f.strip_prefix(&bucket).unwrap().to_string_lossy().into_owned(), std::fs::read(&f).unwrap())
            })
            .collect();
        objects.sort();
        objects
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn images_are_kept_sealed_in_the_bucket_and_leave_it_when_deleted() {
    let store = Store::start().await;
    let app = TestApp::with_config(|c| c.s3 = Some(store.config(SECRET))).await;
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 600, 400).await;
    let asked = app.say(&cookie, &conv, "make it warmer", Some(&photo)).await.json();
    let done = app.complete(&cookie, &conv, asked).await;
    assert_eq!(done["job"]["state"], "succeeded", "{done}");
    let result = done["reply"]["image"]["id"].as_str().unwrap().to_string();

    // Both versions come back whole through the API…
    for id in [&photo, &result] {
        let r = app.get(&format!("/api/v1/images/{id}"), Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(image::load_from_memory(&r.body).unwrap().width(), 600);
    }
    // …while the bucket holds only sealed bytes under blobs/<fan-out>/<key>, and the data directory none.
    let objects = store.objects("blobs");
    assert_eq!(objects.len(), 2, "{:?}", objects.iter().map(|o| &o.0).collect::<Vec<_>>());
    for (key, bytes) in &objects {
        let name = key.rsplit('/').next().unwrap();
        assert!(key.starts_with(&format!("blobs/{}/", &name[..2])), "{key}");
        assert!(vinano_server::storage::crypto::is_sealed(bytes), "{key} is not sealed");
        assert!(!bytes.windows(3).any(|w| w == [0xff, 0xd8, 0xff]), "{key} holds a JPEG in the clear");
    }
    assert_eq!(app.state.blobs.count().await, 2);
    assert!(!app.state.config.data_dir.join("blobs").exists());
    // Previews (256 px) are made there too.
    let small = app.get(&format!("/api/v1/images/{result}?size=256"), Some(&cookie)).await;
    assert_eq!(small.status, StatusCode::OK);
    assert_eq!(store.objects("previews").len(), 2, "one 256 px preview of each version");
    // Ready: the bucket took a probe object (and holds nothing of it after).
    let ready = app.get("/readyz", None).await.json();
    let storage = ready["checks"]["storage"]["detail"].as_str().unwrap().to_string();
    assert!(storage.contains("the bucket takes a write"), "{ready}");

    // Deleting the result takes its object (and previews) out of the bucket; the photo stays.
    let r =
        app.request(Method::DELETE, &format!("/api/v1/images/{result}"), Some(&cookie), None, vec![]).await;
    assert_eq!(r.status, StatusCode::OK);
    vinano_server::trash::empty(&app.state).await.unwrap();
    assert_eq!(store.objects("blobs").len(), 1);
    assert_eq!(store.objects("previews").len(), 1);
    assert_eq!(app.get(&format!("/api/v1/images/{photo}"), Some(&cookie)).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reconciler_removes_objects_no_row_names_and_reports_rows_without_one() {
    let store = Store::start().await;
    let app = TestApp::with_config(|c| c.s3 = Some(store.config(SECRET))).await;
    let cookie = app.signup("bob").await;
    let kept = app.upload(&cookie, jpeg(64, 64)).await.json()["id"].as_str().unwrap().to_string();
    let lost = app.upload(&cookie, jpeg(64, 64)).await.json()["id"].as_str().unwrap().to_string();
    // An object written by an upload that never committed, and a row whose object the store lost.
    app.state.blobs.put("abcdef0123456789abcdef0123456789", b"half an upload").await.unwrap();
    let lost_key: String = sqlx::query_scalar("SELECT blob_key FROM images WHERE id = $1")
        .bind(&lost)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let bucket = store.dir.path().join("vinano/blobs").join(&lost_key[..2]).join(&lost_key);
    std::fs::remove_file(bucket).unwrap();
    // While the server runs, a young orphan may be an upload about to commit: it stays.
    let first =
        vinano_server::reconcile::run(&app.state, vinano_server::reconcile::SAFETY_WINDOW).await.unwrap();
    assert_eq!((first.orphans, first.missing), (0, 1));
    assert_eq!(store.objects("blobs").len(), 2);
    // With nothing in flight (the admin command), it goes.
    let now = vinano_server::reconcile::run(&app.state, Duration::ZERO).await.unwrap();
    assert_eq!((now.orphans, now.missing), (1, 1));
    let left = store.objects("blobs");
    assert_eq!(left.len(), 1);
    assert_eq!(app.get(&format!("/api/v1/images/{kept}"), Some(&cookie)).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bucket_that_refuses_the_key_stores_nothing_and_the_server_says_it_is_not_ready() {
    let store = Store::start().await;
    let app = TestApp::with_config(|c| c.s3 = Some(store.config("not-the-store's-key"))).await;
    let cookie = app.signup("cyd").await;
    let r = app.upload(&cookie, jpeg(64, 64)).await;
    assert!(r.status.is_server_error(), "{}", r.status);
    assert!(r.json()["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(app.count("images").await, 0, "no row without its file");
    assert!(store.objects("blobs").is_empty());
    let ready = app.get("/readyz", None).await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    let body = ready.json();
    let detail = body["checks"]["storage"]["detail"].as_str().unwrap();
    assert!(detail.starts_with("the bucket:") && detail.contains("403"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_objects_go_up_in_parts_and_come_back_by_ranges() {
    use vinano_server::storage::s3::{Bucket, PART_BYTES};
    let store = Store::start().await;
    let bucket = Bucket::new(store.config(SECRET));
    let data: Vec<u8> =
        (0..PART_BYTES + 12_345).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let mut upload = bucket.start_upload("exports/big").await.unwrap();
    upload.part(data[..PART_BYTES].to_vec()).await.unwrap();
    upload.part(data[PART_BYTES..].to_vec()).await.unwrap();
    upload.complete().await.unwrap();
    assert_eq!(store.objects("exports"), vec![("exports/big".to_string(), data.clone())]);
    assert_eq!(bucket.size("exports/big").await.unwrap(), data.len() as u64);
    assert_eq!(bucket.get_range("exports/big", 5, 10).await.unwrap(), &data[5..15]);
    // Read back in order through the blocking reader, a part at a time.
    let (reader_bucket, expected) = (bucket.clone(), data.len());
    let read = tokio::task::spawn_blocking(move || {
        let runtime = tokio::runtime::Handle::current();
        let mut reader = reader_bucket.reader("exports/big", expected as u64, runtime);
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut reader, &mut out).unwrap();
        out
    })
    .await
    .unwrap();
    assert!(read == data, "the object read back differs");
    // An upload given up leaves no object.
    let mut dropped = bucket.start_upload("exports/dropped").await.unwrap();
    dropped.part(vec![7; 1024]).await.unwrap();
    dropped.abort().await;
    let missing = bucket.size("exports/dropped").await.unwrap_err();
    assert_eq!(missing.kind(), std::io::ErrorKind::NotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_are_kept_sealed_in_the_bucket_and_any_replica_serves_them() {
    let store = Store::start().await;
    let app = TestApp::with_config(|c| c.s3 = Some(store.config(SECRET))).await;
    let cookie = app.signup("ada").await;
    let photo = app.upload(&cookie, jpeg(40, 30)).await.json()["id"].as_str().unwrap().to_string();
    let id = app.ready_export(&cookie).await;
    // In the bucket under its build's name, sealed; nothing left in the data directory.
    let objects = store.objects("exports");
    assert_eq!(objects.len(), 1, "{:?}", objects.iter().map(|o| &o.0).collect::<Vec<_>>());
    let (key, sealed) = &objects[0];
    assert!(
        key.starts_with(&format!("exports/{id}")) && key.len() == "exports/".len() + id.len() + 8,
        "{key}"
    );
    assert!(!sealed.windows(4).any(|w| w == b"PK\x03\x04"), "no ZIP signature in the bucket");
    assert!(!sealed.windows(15).any(|w| w == b"ada@example.com"));
    let exports = app.state.config.data_dir.join("exports");
    let local: Vec<_> = walk_files(&exports);
    assert!(local.is_empty(), "{local:?}");
    // Downloaded whole: a ZIP with the account and the photo.
    let url = format!("/api/v1/me/exports/{id}/download");
    let zip = app.get(&url, Some(&cookie)).await;
    assert_eq!(zip.status, StatusCode::OK);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&zip.body[..])).expect("a valid ZIP");
    assert!(archive.by_name("data/users.json").is_ok());
    assert!(archive.by_name(&format!("images/{photo}.jpg")).is_ok(), "the photo is in the ZIP");
    // Another replica, with its own data directory, serves the same bytes (PostgreSQL: one database).
    if crate::common::on_postgres() {
        let url_of_db = app.state.config.database_url.clone();
        let other = TestApp::with_config(|c| {
            c.s3 = Some(store.config(SECRET));
            c.database_url = url_of_db;
            c.master_key = Some(app.state.master_key.clone());
            c.job_workers = 0;
        })
        .await;
        assert_ne!(other.state.config.data_dir, app.state.config.data_dir);
        let again = other.get(&url, Some(&cookie)).await;
        assert_eq!(again.status, StatusCode::OK);
        assert!(again.body == zip.body, "the other replica served different bytes");
    }
    // Expired after 24 hours: the object leaves the bucket an hour later.
    app.clock.advance(25 * 3600);
    assert_eq!(vinano_server::retention::sweep(&app.state).await.unwrap().exports, 1);
    assert_eq!(store.objects("exports").len(), 1, "a download under way may still read it");
    app.clock.advance(3601);
    vinano_server::trash::empty(&app.state).await.unwrap();
    assert!(store.objects("exports").is_empty());
}

/// Every plain file under `dir` (none when it doesn't exist).
fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.path().is_dir() {
            found.extend(walk_files(&entry.path()));
        } else {
            found.push(entry.path());
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_lists_the_bucket_and_a_restore_reads_every_image_from_it() {
    use vinano_server::backup::{self, Images};
    if crate::common::on_postgres() {
        return; // admin backup copies SQLite databases (PostgreSQL has pg_dump)
    }
    let store = Store::start().await;
    let app = TestApp::with_config(|c| c.s3 = Some(store.config(SECRET))).await;
    let cookie = app.signup("ada").await;
    let mut photos = Vec::new();
    for (w, h) in [(40, 30), (30, 40)] {
        let id = app.upload(&cookie, jpeg(w, h)).await.json()["id"].as_str().unwrap().to_string();
        let bytes = app.get(&format!("/api/v1/images/{id}"), Some(&cookie)).await.body;
        photos.push((id, bytes));
    }
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("backup");
    let data = app.state.config.data_dir.clone();
    let m =
        backup::create_with(&app.state.db, &data, Images::Bucket(&app.state.blobs), &dest, (false, false), 0)
            .await
            .unwrap();
    assert!(m.images_in_bucket && m.images == 2, "{m:?}");
    let listed: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dest.join(backup::BUCKET_OBJECTS)).unwrap()).unwrap();
    assert_eq!(listed["keys"].as_array().unwrap().len(), 2, "{listed}");
    assert!(!dest.join("blobs").exists(), "no image copied out of the bucket");

    // Restored into a new data directory with the same bucket and key: every image opens, bytes equal.
    let target = dir.path().join("restored");
    assert!(backup::restore(&dest, &target, (false, true), 0).is_err(), "a bucket backup on a disk server");
    backup::restore_with(&dest, &target, (false, true), 0, true).unwrap();
    let key = app.state.master_key.clone();
    let restored = TestApp::with_config(|c| {
        c.data_dir = target.clone();
        c.s3 = Some(store.config(SECRET));
        c.master_key = Some(key);
    })
    .await;
    assert_eq!(backup::verify(&restored.state).await.unwrap(), (2, Vec::new()));
    for (id, bytes) in &photos {
        let r = restored.get(&format!("/api/v1/images/{id}"), Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(&r.body == bytes, "image {id} differs after the restore");
    }

    // An object missing from the bucket: the backup refuses and says so.
    let blobs: Vec<_> = walk_files(&store.dir.path().join("vinano/blobs"))
        .into_iter()
        .filter(|p| !p.to_string_lossy().contains(".s3s"))
        .collect();
    std::fs::remove_file(&blobs[0]).unwrap();
    let again = dir.path().join("again");
    let e = backup::create_with(
        &app.state.db,
        &data,
        Images::Bucket(&app.state.blobs),
        &again,
        (false, false),
        0,
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("missing from the bucket"), "{e:#}");
}
