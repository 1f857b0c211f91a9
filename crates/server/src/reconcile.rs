//! The reconciler, run in the hourly sweep: the files on disk against the rows that name them.
//!
//! - an image blob or an export ZIP that no row names, older than [`SAFETY_WINDOW`], is removed (a process
//!   killed between writing a file and committing its row, or between committing a delete and queueing
//!   it, before the deletion queue existed);
//! - temporary files (half-written blobs, export parts, mail being delivered) older than the window are
//!   removed;
//! - a row whose file is missing is logged (it can't be repaired here; the count tells the operator).
//!
//! The window keeps the reconciler away from work in flight: a blob is written before its row commits, so
//! a young file without a row may be an upload about to commit.

use crate::AppState;
use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

/// Files younger than this are never removed as orphans or leftovers.
pub const SAFETY_WINDOW: Duration = Duration::from_secs(3600);

/// What one pass found and did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reconciled {
    /// Files no row names, removed.
    pub orphans: u64,
    /// Temporary files left by a stopped write, removed.
    pub temporary: u64,
    /// Rows whose file is missing (logged).
    pub missing: u64,
}

/// Whether the file at `path` was last written more than `window` ago.
async fn stale(path: &Path, window: Duration) -> bool {
    if window.is_zero() {
        return true;
    }
    tokio::fs::metadata(path)
        .await
        .ok()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > window)
}

/// Names of the plain files in `dir` (none when it doesn't exist).
async fn files_in(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    let mut entries = match tokio::fs::read_dir(dir).await {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(names),
        Err(e) => return Err(e),
    };
    while let Some(entry) = entries.next_entry().await? {
        if entry.file_type().await?.is_file() {
            names.extend(entry.file_name().to_str().map(str::to_string));
        }
    }
    Ok(names)
}

/// Removes the files of `dir` older than `window` that `leftover` picks; returns how many.
async fn remove_stale(dir: &Path, window: Duration, leftover: impl Fn(&str) -> bool) -> std::io::Result<u64> {
    let mut removed = 0;
    for name in files_in(dir).await? {
        let path = dir.join(&name);
        if leftover(&name) && stale(&path, window).await && tokio::fs::remove_file(&path).await.is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}

/// The two-hex-digit fan-out directories of a store, with their prefix.
async fn fan_out(root: &Path) -> std::io::Result<Vec<(String, std::path::PathBuf)>> {
    let mut dirs = Vec::new();
    let mut entries = tokio::fs::read_dir(root).await?;
    while let Some(entry) = entries.next_entry().await? {
        let Some(prefix) = entry.file_name().to_str().map(str::to_string) else { continue };
        if prefix.len() == 2 && prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
            dirs.push((prefix, entry.path()));
        }
    }
    Ok(dirs)
}

/// The file keys starting with `prefix` that a row names: a version's, or a deleted version's that can
/// still be brought back.
async fn named_keys(state: &AppState, prefix: &str) -> sqlx::Result<HashSet<String>> {
    let keys: Vec<String> = sqlx::query_scalar(
        "SELECT blob_key FROM images WHERE blob_key >= $1 AND blob_key < $2
         UNION SELECT blob_key FROM deleted_images WHERE blob_key >= $1 AND blob_key < $2",
    )
    .bind(prefix)
    .bind(format!("{prefix}\u{7f}"))
    .fetch_all(&state.db)
    .await?;
    Ok(keys.into_iter().collect())
}

/// One pass over the blob store, the exports and the mail outbox, leaving files younger than `window` alone:
/// [`SAFETY_WINDOW`] while the server runs; zero only when no server uses the data directory (nothing is in
/// flight), as `vinano-server admin reconcile` does.
pub async fn run(state: &AppState, window: Duration) -> anyhow::Result<Reconciled> {
    let mut done = Reconciled::default();
    match (state.blobs.root(), state.previews.root()) {
        (Some(blobs), Some(previews)) => on_disk(state, blobs, previews, window, &mut done).await?,
        _ => in_bucket(state, window, &mut done).await?,
    }
    let exports = crate::rights::export::dir(state);
    done.temporary += remove_stale(&exports.join("tmp"), window, |_| true).await?;
    let ready: HashSet<String> = sqlx::query_scalar(&format!(
        "SELECT {} FROM exports WHERE status = 'ready'",
        crate::rights::export::files::FILE_NAME
    ))
    .fetch_all(&state.db)
    .await?
    .into_iter()
    .collect();
    // A build holding its lease may have put its file in place just before marking it ready: not an orphan.
    let building: Vec<(String, String)> =
        sqlx::query_as("SELECT id, lease_owner FROM exports WHERE status = 'building' AND lease_until > $1")
            .bind(state.clock.now_ms())
            .fetch_all(&state.db)
            .await?;
    let in_flight: HashSet<String> =
        building.iter().map(|(id, owner)| crate::rights::export::files::name_for(id, owner)).collect();
    let stored = crate::rights::export::files::stored(state).await?;
    let names: HashSet<&str> = stored.iter().map(|(name, _)| name.as_str()).collect();
    for name in ready.iter().filter(|name| !names.contains(name.as_str())) {
        tracing::error!(export = %name, "a ready export's file is missing");
        done.missing += 1;
    }
    let cutoff = std::time::SystemTime::now().checked_sub(window);
    for (name, modified) in &stored {
        let old = cutoff.is_none_or(|c| *modified <= c);
        let kept = ready.contains(name) || in_flight.contains(name);
        if old && !kept && crate::rights::export::files::remove(state, name).await.is_ok() {
            done.orphans += 1;
        }
    }
    let outbox = crate::mail::outbox_dir(&state.config.data_dir);
    done.temporary += remove_stale(&outbox, window, |name| name.ends_with(".part")).await?;
    if done != Reconciled::default() {
        let Reconciled { orphans, temporary, missing } = done;
        tracing::info!(event = "reconciled", orphans, temporary, missing, "files checked against rows");
    }
    Ok(done)
}

/// Whether `name` is a preview of a file in `named` (its key and a four-digit size).
fn preview_of(named: &HashSet<String>, name: &str) -> bool {
    name.get(..name.len().saturating_sub(4)).is_some_and(|k| named.contains(k))
}

/// The image files and previews in their directories.
async fn on_disk(
    state: &AppState,
    root: &Path,
    previews: &Path,
    window: Duration,
    done: &mut Reconciled,
) -> anyhow::Result<()> {
    done.temporary += remove_stale(&root.join("tmp"), window, |_| true).await?;
    for (prefix, dir) in fan_out(root).await? {
        // The rows first, then the files: a blob is written before its row, so a row seen here always had
        // its file on disk before the listing below.
        let named = named_keys(state, &prefix).await?;
        let files = files_in(&dir).await?;
        let on_disk: HashSet<&str> = files.iter().map(String::as_str).collect();
        for key in named.iter().filter(|k| !on_disk.contains(k.as_str())) {
            tracing::error!(%key, "an image row names a file that is missing");
            done.missing += 1;
        }
        done.orphans += remove_stale(&dir, window, |name| !named.contains(name)).await?;
    }
    // Previews whose image file no row names (a stop between removing a file and its previews).
    done.temporary += remove_stale(&previews.join("tmp"), window, |_| true).await?;
    for (prefix, dir) in fan_out(previews).await? {
        let named = named_keys(state, &prefix).await?;
        done.orphans += remove_stale(&dir, window, |name| !preview_of(&named, name)).await?;
    }
    Ok(())
}

/// The image files and previews in a bucket: listed once (the rows are read after, so a row always had its
/// object before the listing), then checked a key prefix at a time.
async fn in_bucket(state: &AppState, window: Duration, done: &mut Reconciled) -> anyhow::Result<()> {
    let cutoff = std::time::SystemTime::now().checked_sub(window).unwrap_or(std::time::UNIX_EPOCH);
    let young = |l: &crate::storage::s3::Listed| !window.is_zero() && l.modified > cutoff;
    let blobs = state.blobs.list_bucket().await?;
    let previews = state.previews.list_bucket().await?;
    for n in 0..=255u8 {
        let prefix = format!("{n:02x}");
        let named = named_keys(state, &prefix).await?;
        let here: HashSet<&str> =
            blobs.iter().filter(|l| l.key.starts_with(&prefix)).map(|l| l.key.as_str()).collect();
        for key in named.iter().filter(|k| !here.contains(k.as_str())) {
            tracing::error!(%key, "an image row names an object that is missing");
            done.missing += 1;
        }
        for l in blobs.iter().filter(|l| l.key.starts_with(&prefix) && !named.contains(&l.key) && !young(l)) {
            state.blobs.delete(&l.key).await?;
            done.orphans += 1;
        }
        let stale_previews = previews.iter().filter(|l| l.key.starts_with(&prefix) && !young(l));
        for l in stale_previews.filter(|l| !preview_of(&named, &l.key)) {
            state.previews.delete(&l.key).await?;
            done.orphans += 1;
        }
    }
    Ok(())
}
