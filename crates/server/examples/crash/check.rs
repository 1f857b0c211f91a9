//! What must hold in the data directory after a kill, read while the server is down.

use crate::client::{Ledger, Person};
use sqlx::{AnyConnection, Connection};
use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use vinano_server::rights::export::files::name_for;

/// What one look found.
#[derive(Debug, Default)]
pub struct Found {
    /// Broken promises ("lost …", "duplicated …", a row without its file, a damaged database).
    pub problems: Vec<String>,
    /// Files no row names (left by a kill between a file and its row; `admin reconcile` removes them).
    pub orphans: u64,
    /// Their names (blob keys, `exports/…`), for the report.
    pub orphan_names: Vec<String>,
    /// Temporary files left by a write the kill stopped.
    pub temporary: u64,
}

/// The database the servers use: `<data dir>/vinano.db`, or PostgreSQL at `postgres`.
async fn open(data: &Path, postgres: Option<&str>) -> AnyConnection {
    sqlx::any::install_default_drivers();
    let url = match postgres {
        Some(url) => url.to_string(),
        None => format!("sqlite://{}", data.join("vinano.db").display()),
    };
    AnyConnection::connect(&url).await.expect("the database opens")
}

async fn count(db: &mut AnyConnection, sql: &str, binds: &[&str]) -> i64 {
    let mut query = sqlx::query_scalar(sql);
    for b in binds {
        query = query.bind(*b);
    }
    query.fetch_one(db).await.unwrap()
}

fn files(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return vec![] };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect()
}

/// The database's integrity (SQLite), every acknowledgement in the ledger, and the files against the rows.
pub async fn data_dir(data: &Path, postgres: Option<&str>, people: &[Person], ledger: &Ledger) -> Found {
    let mut found = Found::default();
    let mut db = open(data, postgres).await;
    if postgres.is_none() {
        let integrity: String =
            sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut db).await.unwrap();
        if integrity != "ok" {
            found.problems.push(format!("integrity_check: {integrity}"));
        }
    }
    let deleted: HashSet<&str> = ledger.deleted_images.iter().map(|(_, id)| id.as_str()).collect();
    for upload in &ledger.uploads {
        let Some(id) = &upload.id else { continue };
        let user = people[upload.person].id.as_str();
        let n = count(
            &mut db,
            "SELECT COUNT(*) FROM images WHERE user_id = $1 AND idempotency_key = $2",
            &[user, &upload.key],
        )
        .await;
        let by_id = count(&mut db, "SELECT COUNT(*) FROM images WHERE id = $1", &[id]).await;
        let maybe = ledger.maybe_deleted.contains(id);
        match (deleted.contains(id.as_str()), n, by_id) {
            (true, 0, 0) | (false, 1, 1) => {}
            (false, 0, 0) if maybe => {}
            (true, ..) => found.problems.push(format!("deleted image {id} is still there")),
            (false, 0, _) | (false, _, 0) => {
                found.problems.push(format!("lost upload {id} (key {})", upload.key))
            }
            (false, ..) => found.problems.push(format!("duplicated upload {id}: {n} rows with its key")),
        }
    }
    for sent in &ledger.messages {
        let Some(id) = &sent.id else { continue };
        let n = count(
            &mut db,
            "SELECT COUNT(*) FROM messages WHERE conversation_id = $1 AND idempotency_key = $2",
            &[&sent.conversation, &sent.key],
        )
        .await;
        let by_id = count(&mut db, "SELECT COUNT(*) FROM messages WHERE id = $1", &[id]).await;
        match (n, by_id) {
            (1, 1) => {}
            (0, _) | (_, 0) => found.problems.push(format!("lost message {id}")),
            _ => found.problems.push(format!("duplicated message {id}: {n} rows with its key")),
        }
        if let Some(job) = &sent.job {
            if count(&mut db, "SELECT COUNT(*) FROM jobs WHERE id = $1", &[job]).await != 1 {
                found.problems.push(format!("lost job {job}"));
            }
        }
    }
    for (_, id) in &ledger.conversations {
        if count(&mut db, "SELECT COUNT(*) FROM conversations WHERE id = $1", &[id]).await != 1 {
            found.problems.push(format!("lost conversation {id}"));
        }
    }
    for (_, id) in &ledger.exports {
        if count(&mut db, "SELECT COUNT(*) FROM exports WHERE id = $1", &[id]).await != 1 {
            found.problems.push(format!("lost export {id}"));
        }
    }
    for &person in &ledger.leaving {
        let sql = "SELECT COUNT(*) FROM users WHERE id = $1 AND deletion_due_at IS NOT NULL";
        if count(&mut db, sql, &[&people[person].id]).await != 1 {
            found.problems.push(format!("lost the deletion request of {}", people[person].id));
        }
    }
    // Rows against files, both ways, by the reconciler's rules: a deleted version's file stays while it can
    // be brought back (`deleted_images`), and a build holding its lease may have put its file in place.
    let keys: HashSet<String> = sqlx::query_scalar("SELECT blob_key FROM images")
        .fetch_all(&mut db)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let restorable: HashSet<String> = sqlx::query_scalar("SELECT blob_key FROM deleted_images")
        .fetch_all(&mut db)
        .await
        .unwrap()
        .into_iter()
        .collect();
    for key in &keys {
        if !data.join("blobs").join(&key[..2]).join(key).exists() {
            found.problems.push(format!("an image row without its file: {key}"));
        }
    }
    let ready: HashSet<String> =
        sqlx::query_scalar("SELECT COALESCE(file_name, id) FROM exports WHERE status = 'ready'")
            .fetch_all(&mut db)
            .await
            .unwrap()
            .into_iter()
            .collect();
    for id in &ready {
        if !data.join("exports").join(id).exists() {
            found.problems.push(format!("a ready export without its file: {id}"));
        }
    }
    let now_ms =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let building: Vec<(String, String)> =
        sqlx::query_as("SELECT id, lease_owner FROM exports WHERE status = 'building' AND lease_until > $1")
            .bind(now_ms)
            .fetch_all(&mut db)
            .await
            .unwrap();
    let in_flight: HashSet<String> = building.iter().map(|(id, owner)| name_for(id, owner)).collect();
    db.close().await.unwrap();
    for dir in std::fs::read_dir(data.join("blobs")).into_iter().flatten().filter_map(Result::ok) {
        let name = dir.file_name().to_string_lossy().to_string();
        if name == "tmp" {
            found.temporary += files(&dir.path()).len() as u64;
        } else {
            let named = |f: &String| keys.contains(f) || restorable.contains(f);
            found.orphan_names.extend(files(&dir.path()).into_iter().filter(|f| !named(f)));
        }
    }
    let kept = |f: &String| ready.contains(f) || in_flight.contains(f);
    found.orphan_names.extend(
        files(&data.join("exports")).into_iter().filter(|f| !kept(f)).map(|f| format!("exports/{f}")),
    );
    found.orphans = found.orphan_names.len() as u64;
    found.temporary += files(&data.join("exports/tmp")).len() as u64;
    found.temporary += files(&data.join("outbox")).iter().filter(|f| f.ends_with(".part")).count() as u64;
    found
}

/// Waits (the server running) until every acknowledged job has finished and every acknowledged export is
/// ready (or given up after being killed on all its attempts); what is still unfinished after `limit` is a
/// problem (a lease nobody took over).
pub async fn wait_for_work(
    data: &Path,
    postgres: Option<&str>,
    ledger: &Arc<Mutex<Ledger>>,
    limit: Duration,
) -> Vec<String> {
    let (jobs, exports) = {
        let l = ledger.lock().unwrap();
        let jobs: Vec<String> = l.messages.iter().filter_map(|m| m.job.clone()).collect();
        let exports: Vec<String> = l.exports.iter().map(|(_, id)| id.clone()).collect();
        (jobs, exports)
    };
    let started = Instant::now();
    loop {
        let mut db = open(data, postgres).await;
        let mut unfinished = Vec::new();
        for job in &jobs {
            let state: Option<String> = sqlx::query_scalar("SELECT state FROM jobs WHERE id = $1")
                .bind(job)
                .fetch_optional(&mut db)
                .await
                .unwrap();
            if matches!(state.as_deref(), Some("queued" | "running")) {
                unfinished.push(format!("job {job} is still {}", state.unwrap()));
            }
        }
        for export in &exports {
            let row: Option<(String, i64, Option<String>)> =
                sqlx::query_as("SELECT status, attempts, error FROM exports WHERE id = $1")
                    .bind(export)
                    .fetch_optional(&mut db)
                    .await
                    .unwrap();
            match row {
                Some((status, ..)) if status == "ready" => {}
                // Killed while building on each of its three attempts: given up on purpose (a build that
                // keeps crashing the server must not crash it forever), and the person is told.
                Some((status, attempts, Some(_))) if status == "failed" && attempts >= 3 => {}
                other => unfinished.push(format!("export {export} is {other:?}, not ready")),
            }
        }
        db.close().await.unwrap();
        if unfinished.is_empty() || started.elapsed() > limit {
            return unfinished;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
