//! Portability: a copy of everything held about a person, as a ZIP built in the background.
//!
//! Asking queues an export (one being prepared per person at a time; a partial unique index holds that even
//! under double submits) and opens an `export` request in the tracker. A worker claims it under a lease,
//! gathers [`super::personal_data`] (every user-owned table, found by walking the schema) and the person's
//! images, and streams them into a ZIP that is sealed on the way to disk ([`MasterKey::seal_stream`]): the
//! archive is never whole in memory and never plain on disk. The ZIP holds
//!
//! - `index.html`: a page a person can open offline (account, conversations with their images, every
//!   other table), no scripts;
//! - `data/<table>.json`: the same rows for programs (times are Unix milliseconds, UTC), and `manifest.json`;
//! - `images/<id>.<ext>`: every original and edited image (and clip) still held.
//!
//! When it is ready the person is told in the app and by email; the download works for 24 hours, for a
//! session that entered its password in the last 10 minutes, and the file is deleted when it expires.

use crate::storage::crypto::{stream_plaintext_len, MasterKey, SealedReader};
use crate::{ids, AppState};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::time::Duration;

pub mod files;
pub(crate) mod page;
pub use files::dir;
use page::{index_html, shown};

const HOUR_MS: i64 = 3600 * 1000;
/// Hours a finished export can be downloaded.
pub const READY_HOURS: i64 = 24;
/// How recently a session must have entered its password to download an export.
pub const REAUTH_MS: i64 = 10 * 60 * 1000;
/// A worker holds an export this long without progress (it renews the lease after every file it adds)
/// before another may take it over: a killed process's export is taken over within a minute.
const LEASE_MS: i64 = 60 * 1000;
/// What a person is told when building their export failed.
/// Why a failed export failed, as stored (the app says `Msg::ExportFailed` in the person's language).
fn failed() -> String {
    crate::i18n::english(&vinano_api::Msg::ExportFailed.into())
}

/// Queues an export for `user_id`; `None` when one is already being prepared.
pub async fn request(state: &AppState, user_id: &str) -> anyhow::Result<Option<String>> {
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let pending: Option<String> =
        sqlx::query_scalar("SELECT id FROM exports WHERE user_id = $1 AND status IN ('pending', 'building')")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    if pending.is_some() {
        return Ok(None);
    }
    let what = vinano_api::Msg::RequestExport.into();
    let request_id = super::open_request(&mut tx, now, user_id, "export", "received", &what).await?;
    let id = ids::new_id();
    let inserted = sqlx::query(
        "INSERT INTO exports (id, user_id, request_id, status, created_at) VALUES ($1, $2, $3, 'pending', $4)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(&request_id)
    .bind(now)
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(None),
        other => other?,
    };
    tx.commit().await?;
    state.exports_wakeup.notify_one();
    tracing::info!(event = "export_requested", user = %user_id, export = %id, "data export requested");
    Ok(Some(id))
}

/// A build stops being retried after this many attempts (one that keeps stopping the process, say).
const MAX_ATTEMPTS: i64 = 3;

/// An export this worker has claimed; `owner` tells its lease apart from a later takeover's.
struct Claim {
    id: String,
    user_id: String,
    request_id: String,
    owner: String,
}

/// A finished archive, still under its part-file name.
struct Built {
    part: PathBuf,
    files: u64,
    size: u64,
}

/// Runs the export worker: builds queued exports one after another (also those a stopped process left).
pub fn spawn_worker(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        loop {
            // Each build runs as its own task: a panic fails that build (its lease runs out and it is tried
            // again, up to MAX_ATTEMPTS), never the worker.
            let next = tokio::spawn({
                let state = state.clone();
                async move { run_next(&state).await }
            })
            .await;
            match next {
                Ok(Ok(true)) => continue,
                Ok(Ok(false)) => {}
                Ok(Err(e)) => tracing::error!(error = ?e, "export worker failed; will try again"),
                Err(e) => tracing::error!(error = ?e, "an export build panicked"),
            }
            tokio::select! {
                _ = state.exports_wakeup.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(30)) => {}
            }
        }
    });
}

/// Claims and builds the next queued export; false when there was none.
pub async fn run_next(state: &AppState) -> anyhow::Result<bool> {
    let now = state.clock.now_ms();
    if state.stopping.is_stopping() {
        return Ok(false);
    }
    // The process's id first: stopping hands back the builds of exactly this process.
    let owner = format!("{}-{}", state.process_id, ids::random_hex(8));
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    // Builds whose worker stopped again and again are given up, not retried for ever.
    // A worker killed after putting the archive in place but before committing left a file: it goes too.
    let stuck: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, request_id, lease_owner FROM exports
         WHERE status = 'building' AND lease_until < $1 AND attempts >= $2",
    )
    .bind(now)
    .bind(MAX_ATTEMPTS)
    .fetch_all(&mut *tx)
    .await?;
    let mut given_up = Vec::new();
    for (id, request_id, owner) in stuck {
        let updated = sqlx::query(
            "UPDATE exports SET status = 'failed', error = $1, lease_until = NULL, lease_owner = NULL
             WHERE id = $2 AND status = 'building' AND lease_until < $3",
        )
        .bind(failed())
        .bind(&id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 1 {
            given_up.push((id, request_id, owner));
        }
    }
    let failed: Vec<String> = given_up
        .iter()
        .flat_map(|(id, _, owner)| [Some(id.clone()), owner.as_ref().map(|o| files::name_for(id, o))])
        .flatten()
        .collect();
    crate::trash::queue(&mut tx, now, crate::trash::Kind::Export, &failed).await?;
    for (_, request_id, _) in given_up {
        track(&mut tx, &request_id, "failed", Some(now)).await?;
    }
    let claimed: Option<(String, String, String)> = sqlx::query_as(
        "UPDATE exports SET status = 'building', lease_until = $1, lease_owner = $2, attempts = attempts + 1
         WHERE id = (SELECT id FROM exports
                     WHERE status = 'pending' OR (status = 'building' AND lease_until < $3 AND attempts < $4)
                     ORDER BY created_at LIMIT 1)
         RETURNING id, user_id, request_id",
    )
    .bind(now + LEASE_MS)
    .bind(&owner)
    .bind(now)
    // (One that has used up its attempts is only ever given up, above — never claimed again, even when its
    // lease ran out between the two statements.)
    .bind(MAX_ATTEMPTS)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, user_id, request_id)) = claimed else {
        tx.commit().await?;
        if !failed.is_empty() {
            crate::trash::empty_now(state).await;
        }
        return Ok(false);
    };
    track(&mut tx, &request_id, "in_progress", None).await?;
    tx.commit().await?;
    if !failed.is_empty() {
        crate::trash::empty_now(state).await;
    }
    let claim = Claim { id, user_id, request_id, owner };
    let result = match build(state, &claim).await {
        Ok(built) => finish(state, &claim, built).await,
        Err(e) => Err(e),
    };
    if let Err(e) = result {
        tracing::error!(error = ?e, export = %claim.id, user = %claim.user_id, "building an export failed");
        fail(state, &claim).await?;
    }
    Ok(true)
}

/// Moves the tracker's request for an export to `status` (and its end time, when it ended).
async fn track(
    tx: &mut sqlx::AnyConnection,
    request_id: &str,
    status: &str,
    ended_at: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE data_requests SET status = $1, completed_at = COALESCE($2, completed_at) WHERE id = $3",
    )
    .bind(status)
    .bind(ended_at)
    .bind(request_id)
    .execute(tx)
    .await?;
    Ok(())
}

/// Marks a claimed export failed (while this worker still holds it) and removes anything it left.
async fn fail(state: &AppState, claim: &Claim) -> anyhow::Result<()> {
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let updated = sqlx::query(
        "UPDATE exports SET status = 'failed', error = $1, lease_until = NULL, lease_owner = NULL
         WHERE id = $2 AND status = 'building' AND lease_owner = $3",
    )
    .bind(failed())
    .bind(&claim.id)
    .bind(&claim.owner)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 0 {
        // Taken over, or the account is gone: not ours to mark.
        return Ok(());
    }
    track(&mut tx, &claim.request_id, "failed", Some(now)).await?;
    let left = [claim.id.clone(), files::name_for(&claim.id, &claim.owner)];
    crate::trash::queue(&mut tx, now, crate::trash::Kind::Export, &left).await?;
    tx.commit().await?;
    crate::trash::empty_now(state).await;
    Ok(())
}

/// Puts a built archive in place and marks it ready (only while this worker still holds the export),
/// completes its request and emails the person.
async fn finish(state: &AppState, claim: &Claim, built: Built) -> anyhow::Result<()> {
    // Into place first (an upload can take a while; no write transaction waits for it). A kill before the
    // commit leaves a file no ready row names, which the reconciler removes.
    let name = files::name_for(&claim.id, &claim.owner);
    if let Err(e) = files::place(state, claim, &built.part, &name).await {
        let _ = tokio::fs::remove_file(&built.part).await;
        return Err(e);
    }
    let now = state.clock.now_ms();
    let expires = now + READY_HOURS * HOUR_MS;
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let updated = sqlx::query(
        "UPDATE exports SET status = 'ready', ready_at = $1, expires_at = $2, file_count = $3, size_bytes = $4,
                            lease_until = NULL, lease_owner = NULL, file_name = $7
         WHERE id = $5 AND status = 'building' AND lease_owner = $6",
    )
    .bind(now)
    .bind(expires)
    .bind(built.files as i64)
    .bind(built.size as i64)
    .bind(&claim.id)
    .bind(&claim.owner)
    .bind(&name)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 0 {
        // The account was deleted meanwhile, or another worker took over: this archive is nobody's. It goes
        // through the deletion queue, so a failed removal is tried again.
        drop(tx);
        let mut tx = crate::storage::db::write_tx(&state.db).await?;
        crate::trash::queue(&mut tx, now, crate::trash::Kind::Export, std::slice::from_ref(&name)).await?;
        tx.commit().await?;
        crate::trash::empty_now(state).await;
        return Ok(());
    }
    track(&mut tx, &claim.request_id, "completed", Some(now)).await?;
    let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(&claim.user_id)
        .fetch_one(&mut *tx)
        .await?;
    let until = shown("expires_at", &Value::from(expires));
    let args = [("site", state.config.site_url()), ("until", until)];
    let args = args.each_ref().map(|(k, v)| (*k, v.as_str()));
    crate::mail::queue_letter(&mut tx, now, &claim.user_id, &email, "mail-export", &args).await?;
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    let (user, export, files, size) = (&claim.user_id, &claim.id, built.files, built.size);
    tracing::info!(event = "export_ready", %user, %export, files, size, "data export ready");
    Ok(())
}

/// One file of the archive.
struct Entry {
    name: String,
    bytes: Vec<u8>,
    /// Deflate it (text); images and clips are stored as they are (already compressed).
    compress: bool,
}

/// File extension for a stored content type.
fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "image/gif" => "gif",
        "video/mp4" => "mp4",
        _ => "bin",
    }
}

/// Builds the sealed ZIP of a claimed export into a part file (removed again on any failure).
async fn build(state: &AppState, claim: &Claim) -> anyhow::Result<Built> {
    let (id, user_id) = (claim.id.as_str(), claim.user_id.as_str());
    let now = state.clock.now_ms();
    let mut data = super::personal_data(&state.db, user_id).await?;
    let images: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, blob_key, content_type FROM images WHERE user_id = $1 ORDER BY created_at, id",
    )
    .bind(user_id)
    .fetch_all(&state.db)
    .await?;
    let files: HashMap<String, String> = images
        .iter()
        .map(|(image, _, content_type)| {
            (image.clone(), format!("images/{image}.{}", extension(content_type)))
        })
        .collect();
    // Programs find each image's file from its row; a version's brushed selection is a PNG beside it
    // (stored sealed, exported as the mask it is).
    let mut selections = Vec::new();
    if let Some(Value::Array(rows)) = data.get_mut("images") {
        for row in rows.iter_mut().filter_map(Value::as_object_mut) {
            let image = row.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            let file = files.get(&image).cloned();
            row.insert("file".into(), file.map_or(Value::Null, Value::String));
            if let Some(stored) = row.get("selection").and_then(Value::as_str) {
                let name = format!("images/{image}-selection.png");
                selections
                    .push((name.clone(), crate::selection::open_png(&state.master_key, user_id, stored)?));
                row.insert("selection".into(), Value::String(name));
            }
        }
    }
    // A job's request holds the same selection sealed: it is exported with the version it made.
    if let Some(Value::Array(rows)) = data.get_mut("jobs") {
        for row in rows.iter_mut().filter_map(Value::as_object_mut) {
            let Some(Ok(mut request)) =
                row.get("request_json").and_then(Value::as_str).map(serde_json::from_str::<Value>)
            else {
                continue;
            };
            if let Some(selection) = request.get_mut("selection").filter(|s| s.is_string()) {
                *selection = Value::String("a brushed selection (exported with the version it made)".into());
                row.insert("request_json".into(), Value::String(request.to_string()));
            }
        }
    }

    let exports = dir(state);
    tokio::fs::create_dir_all(exports.join("tmp")).await?;
    let part = exports.join("tmp").join(format!("{id}.{}", ids::random_hex(4)));
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Entry>(2);
    let key: MasterKey = state.master_key.clone();
    let (name, path) = (id.to_string(), part.clone());
    let at = zip_time(now);
    let writer = tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        use zip::write::SimpleFileOptions;
        let file = std::io::BufWriter::with_capacity(256 * 1024, std::fs::File::create(&path)?);
        let mut zip = zip::ZipWriter::new_stream(key.seal_stream(&name, file)?);
        while let Some(entry) = receiver.blocking_recv() {
            let method = if entry.compress {
                zip::CompressionMethod::Deflated
            } else {
                zip::CompressionMethod::Stored
            };
            let options = SimpleFileOptions::default()
                .compression_method(method)
                .last_modified_time(at)
                .unix_permissions(0o644)
                .large_file(entry.bytes.len() as u64 >= u32::MAX as u64);
            zip.start_file(entry.name, options)?;
            zip.write_all(&entry.bytes)?;
        }
        let file = zip.finish()?.into_inner().finish()?;
        file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        Ok(())
    });

    let produced = produce(state, claim, &data, (&images, &selections), &files, now, &sender).await;
    drop(sender);
    let outcome = match (produced, writer.await) {
        (_, Err(panic)) => Err(anyhow::anyhow!("the export writer panicked: {panic}")),
        // The writer's own error (a full disk, say) explains a stopped producer better than the producer can.
        (_, Ok(Err(e))) | (Err(e), Ok(Ok(()))) => Err(e),
        (Ok(files), Ok(Ok(()))) => {
            match tokio::fs::metadata(&part).await.map(|m| stream_plaintext_len(m.len())) {
                Ok(Some(size)) => Ok(Built { part: part.clone(), files, size }),
                Ok(None) => Err(anyhow::anyhow!("export {id} is too short")),
                Err(e) => Err(e.into()),
            }
        }
    };
    if outcome.is_err() {
        let _ = tokio::fs::remove_file(&part).await;
    }
    outcome
}

/// An image's id, blob key and content type.
type ImageFile = (String, String, String);

/// Sends every file of the archive to the writer, the page and the JSON first, then the images one at a
/// time (so memory holds at most a few images); returns how many files were sent.
async fn produce(
    state: &AppState,
    claim: &Claim,
    data: &Map<String, Value>,
    (images, selections): (&[ImageFile], &[(String, Vec<u8>)]),
    files: &HashMap<String, String>,
    now: i64,
    sender: &tokio::sync::mpsc::Sender<Entry>,
) -> anyhow::Result<u64> {
    let mut count = 0u64;
    let mut send = async |name: String, bytes: Vec<u8>, compress: bool| -> anyhow::Result<()> {
        count += 1;
        sender
            .send(Entry { name, bytes, compress })
            .await
            .map_err(|_| anyhow::anyhow!("the export writer stopped"))
    };
    let exported_at = crate::clock::rfc3339(now);
    send("index.html".into(), index_html(data, files, now).into_bytes(), true).await?;
    for (table, rows) in data {
        send(format!("data/{table}.json"), serde_json::to_vec_pretty(rows)?, true).await?;
    }
    let manifest = serde_json::json!({
        "format": "vinano-export/1",
        "exported_at": exported_at,
        "times": "Columns ending in _at are Unix time in milliseconds (UTC).",
        "tables": data.keys().map(|t| format!("data/{t}.json")).collect::<Vec<_>>(),
        "images": images.iter().map(|(image, _, _)| &files[image]).collect::<Vec<_>>(),
    });
    send("manifest.json".into(), serde_json::to_vec_pretty(&manifest)?, true).await?;
    for (name, png) in selections {
        send(name.clone(), png.clone(), false).await?;
    }
    for (image, blob_key, _) in images {
        match state.blobs.get(blob_key).await {
            Ok(bytes) => send(files[image].clone(), bytes, false).await?,
            // Deleted while the export was being built: it is no longer held, so it is not exported.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                tracing::info!(%image, export = %claim.id, "an image was deleted while its export was built");
            }
            Err(e) => return Err(e.into()),
        }
        // Reading and writing images is where an export spends its time: keep the lease (and stop when it
        // is lost: the account was deleted, or another worker took over).
        renew(state, claim).await?;
    }
    Ok(count)
}

/// Moves the lease of a claimed export forward; an error when this worker no longer holds it.
async fn renew(state: &AppState, claim: &Claim) -> anyhow::Result<()> {
    let renewed = sqlx::query(
        "UPDATE exports SET lease_until = $1 WHERE id = $2 AND status = 'building' AND lease_owner = $3",
    )
    .bind(state.clock.now_ms() + LEASE_MS)
    .bind(&claim.id)
    .bind(&claim.owner)
    .execute(&state.db)
    .await?
    .rows_affected();
    anyhow::ensure!(renewed == 1, "export {} is no longer held by this worker", claim.id);
    Ok(())
}

fn zip_time(ms: i64) -> zip::DateTime {
    let t = time::OffsetDateTime::from_unix_timestamp(ms / 1000).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    zip::DateTime::from_date_and_time(
        t.year().clamp(1980, 2107) as u16,
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
    )
    .unwrap_or_default()
}

/// Opens a ready export (`id`, stored as `file_name`) for download: the ZIP's bytes as they are read, and
/// its size. Call on the blocking pool.
pub fn open(
    state: &AppState,
    id: &str,
    file_name: &str,
) -> std::io::Result<(SealedReader<Box<dyn std::io::Read + Send>>, u64)> {
    let (sealed, sealed_len) = files::sealed(state, file_name)?;
    let size = files::plaintext_len(sealed_len)?;
    let reader = state.master_key.open_stream(id, sealed)?;
    Ok((reader, size))
}

/// Expires exports past their 24 hours (the file goes through the deletion queue, which the retention
/// sweep empties next; the row stays for the tracker); returns how many expired. Parts a stopped build left behind are the reconciler's.
pub async fn sweep(state: &AppState) -> anyhow::Result<u64> {
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let expired: Vec<String> = sqlx::query_scalar(
        "UPDATE exports SET status = 'expired' WHERE status = 'ready' AND expires_at <= $1
         RETURNING COALESCE(file_name, id)",
    )
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    // An hour later: a download under way when the export expired still finishes.
    crate::trash::queue_after(&mut tx, now, crate::trash::Kind::Export, &expired, now + HOUR_MS).await?;
    tx.commit().await?;
    Ok(expired.len() as u64)
}
