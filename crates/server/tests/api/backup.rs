//! `admin backup` and `admin restore`: a backup taken from a running server, the data directory wiped,
//! the backup restored — every row is back and every image downloads with the same bytes; the images in a
//! backup stay sealed and the master key stays out of it unless asked for; and the mistakes an operator
//! can make (a non-empty target, a newer backup, the wrong key) are refused with what to do.

use crate::common::{jpeg, TestApp};
use axum::http::StatusCode;
use serde_json::{json, Value};
use std::path::Path;
use vinano_server::backup;
use vinano_server::clock::Clock;

/// Every row of every table, as text (each value SQL-quoted), sorted within its table.
async fn rows(app: &TestApp) -> Vec<(String, Vec<String>)> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    let mut all = Vec::new();
    for table in tables {
        let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
            .bind(&table)
            .fetch_all(&app.state.db)
            .await
            .unwrap();
        let quoted: Vec<String> = columns.iter().map(|c| format!("quote(\"{c}\")")).collect();
        let query = format!("SELECT {} FROM \"{table}\"", quoted.join(" || '|' || "));
        let mut listed: Vec<String> = sqlx::query_scalar(&query).fetch_all(&app.state.db).await.unwrap();
        listed.sort();
        all.push((table, listed));
    }
    all
}

/// On PostgreSQL `admin backup` leaves the database to PostgreSQL's own tools: it says so and writes nothing
/// (then the SQLite round trips below don't apply).
async fn refused_on_postgres(app: &TestApp) -> bool {
    if !crate::common::on_postgres() {
        return false;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = app.state.config.data_dir.clone();
    let e = backup::create(&app.state.db, &data, &dir.path().join("b"), (false, false), 0).await.unwrap_err();
    assert!(e.to_string().contains("pg_dump"), "{e}");
    assert!(!dir.path().join("b").exists(), "nothing written");
    true
}

fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if entry.file_name() != "tmp" {
                found.extend(files_under(&path));
            }
        } else {
            found.push((entry.file_name().to_string_lossy().into_owned(), std::fs::read(&path).unwrap()));
        }
    }
    found.sort();
    found
}

#[tokio::test]
async fn a_backup_restored_into_a_wiped_directory_brings_back_every_row_and_image() {
    let app = TestApp::new().await;
    if refused_on_postgres(&app).await {
        return;
    }
    let (cookie, conv, photo) = app.conversation_with_photo("ada", 320, 200).await;
    let asked = app.say(&cookie, &conv, "make it warmer", Some(&photo)).await.json();
    let done = app.complete(&cookie, &conv, asked).await;
    let result = done["reply"]["image"]["id"].as_str().unwrap().to_string();
    let mut originals = Vec::new();
    for id in [&photo, &result] {
        let r = app.get(&format!("/api/v1/images/{id}"), Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::OK);
        originals.push(r.body);
    }
    let before = rows(&app).await;
    let data = app.state.config.data_dir.clone();

    let dest = tempfile::tempdir().unwrap();
    let dest = dest.path().join("backup-1");
    let manifest =
        backup::create(&app.state.db, &data, &dest, (false, false), app.clock.now_ms()).await.unwrap();
    assert_eq!(manifest.images, app.count("images").await as u64);
    assert!(manifest.images >= 2 && !manifest.master_key_included);
    assert_eq!(manifest.schema, crate::common::sql_files("migrations") as i64);
    let on_disk: Value = serde_json::from_slice(&std::fs::read(dest.join("backup.json")).unwrap()).unwrap();
    assert_eq!(on_disk["images"], manifest.images);
    // The images are in it as they are on disk: sealed, never a JPEG in the clear; the key is not in it.
    let copied = files_under(&dest.join("blobs"));
    assert_eq!(copied, files_under(&data.join("blobs")));
    assert!(copied.iter().all(|(_, bytes)| !bytes.starts_with(&[0xFF, 0xD8])), "sealed");
    assert!(!dest.join("master.key").exists());
    // A second backup into the same place is refused (nothing is mixed or overwritten).
    let again = backup::create(&app.state.db, &data, &dest, (false, false), 0).await.unwrap_err();
    assert!(again.to_string().contains("is not empty"), "{again}");

    // The machine is lost: a new, empty data directory. Only the operator's copy of the key survives.
    let fresh = tempfile::tempdir().unwrap();
    let target = fresh.path().join("data");
    let e = backup::restore(&dest, &target, (false, false), 0).unwrap_err().to_string();
    assert!(e.contains("doesn't hold the master key and none is set up"), "{e}");
    assert!(!target.join("vinano.db").exists(), "nothing restored without a key");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::copy(data.join("master.key"), target.join("master.key")).unwrap();
    let restored = backup::restore(&dest, &target, (false, false), 0).unwrap();
    assert_eq!((restored.manifest, restored.moved_aside), (manifest.clone(), None));
    let back = TestApp::in_dir(fresh, |_| {}).await;
    assert_eq!(rows(&back).await, before);
    let (opened, failed) = backup::verify(&back.state).await.unwrap();
    assert_eq!((opened, failed.len()), (manifest.images, 0));
    // Ada's session came back with the rows: she downloads the same bytes.
    for (id, bytes) in [&photo, &result].into_iter().zip(&originals) {
        let r = back.get(&format!("/api/v1/images/{id}"), Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(&r.body == bytes, "image {id} came back different");
    }
    // And she can carry on where she was.
    let next = back.say(&cookie, &conv, "crop it square", None).await;
    assert_eq!(next.status, StatusCode::OK, "{}", String::from_utf8_lossy(&next.body));
    let done = back.complete(&cookie, &conv, next.json()).await;
    assert_eq!(done["job"]["state"], "succeeded", "{done}");
    assert_eq!(done["reply"]["image"]["width"], done["reply"]["image"]["height"]);
}

#[tokio::test]
async fn restore_refuses_what_would_lose_or_hide_data_and_says_what_to_do() {
    let app = TestApp::new().await;
    if refused_on_postgres(&app).await {
        return;
    }
    let cookie = app.signup("bob").await;
    app.upload(&cookie, jpeg(64, 64)).await;
    let data = app.state.config.data_dir.clone();
    let dir = tempfile::tempdir().unwrap();
    let with_key = dir.path().join("with-key");
    let m = backup::create(&app.state.db, &data, &with_key, (true, false), 0).await.unwrap();
    assert!(m.master_key_included);
    // The key stays readable by its owner only in the backup.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(with_key.join("master.key")).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(
        std::fs::read(with_key.join("master.key")).unwrap(),
        std::fs::read(data.join("master.key")).unwrap()
    );
    // A key set in the configuration can't be copied from the data directory.
    let e = backup::create(&app.state.db, &data, &dir.path().join("k"), (true, true), 0).await.unwrap_err();
    assert!(e.to_string().contains("VINANO_MASTER_KEY"), "{e}");

    // Into a directory that holds a database: refused, unless forced — then the old one is moved aside.
    let e = backup::restore(&with_key, &data, (false, false), 0).unwrap_err().to_string();
    assert!(e.contains("add --force"), "{e}");
    let other = tempfile::tempdir().unwrap();
    let target = other.path().join("data");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("vinano.db"), b"an older database").unwrap();
    let restored = backup::restore(&with_key, &target, (true, false), 1_700_000_000_000).unwrap();
    let aside = restored.moved_aside.unwrap();
    assert!(aside.ends_with("before-restore-1700000000"));
    assert_eq!(std::fs::read(aside.join("vinano.db")).unwrap(), b"an older database");
    // The key came with the backup, so the images open.
    let back = TestApp::in_dir(other, |_| {}).await;
    assert_eq!(backup::verify(&back.state).await.unwrap(), (1, vec![]));

    // A key already there that isn't the backup's: refused (its images would not open).
    let third = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(third.path()).unwrap();
    std::fs::write(third.path().join("master.key"), b"another key").unwrap();
    let e = backup::restore(&with_key, third.path(), (false, false), 0).unwrap_err().to_string();
    assert!(e.contains("different master key"), "{e}");

    // A backup made by a newer build, or something that isn't a backup.
    let mut manifest: Value =
        serde_json::from_slice(&std::fs::read(with_key.join("backup.json")).unwrap()).unwrap();
    manifest["schema"] = json!(9999);
    std::fs::write(with_key.join("backup.json"), manifest.to_string()).unwrap();
    let e = backup::restore(&with_key, &dir.path().join("new"), (false, false), 0).unwrap_err().to_string();
    assert!(e.contains("newer than this build's"), "{e}");
    let e = backup::restore(dir.path(), &dir.path().join("new"), (false, false), 0).unwrap_err().to_string();
    assert!(e.contains("is not a ViNano backup"), "{e}");
}
