//! Where finished exports are kept, sealed: `<data dir>/exports/<file name>` on one machine, or
//! `exports/<file name>` in the bucket when images are in one (so any replica can serve a download, whichever
//! built it). A file is named per build (`<export id><8 hex digits of the lease owner's hash>`, stored in
//! `exports.file_name`; exports finished before that are named by their id): a build that lost its lease removes what it wrote without
//! touching the file of the build that took over. Archives are built into `<data dir>/exports/tmp` first (the
//! sealed stream needs a file), then moved into place or uploaded a part at a time, renewing the lease.

use super::{renew, Claim};
use crate::storage::crypto::stream_plaintext_len;
use crate::AppState;
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use tokio::io::AsyncReadExt;

/// The directory of exports on local disk (and of archives being built, under `tmp`).
pub fn dir(state: &AppState) -> PathBuf {
    state.config.data_dir.join("exports")
}

/// The object of `name` in the bucket.
fn object(name: &str) -> String {
    format!("exports/{name}")
}

/// The SQL expression for an export's file name (for rows written before names were stored).
pub const FILE_NAME: &str = "COALESCE(file_name, id)";

/// The file name a build of export `id` under lease `owner` writes: the id and 8 hex digits of the owner's
/// hash, so the give-up path can name what a killed build left from the lease it held.
pub fn name_for(id: &str, owner: &str) -> String {
    use sha2::Digest;
    format!("{id}{}", &hex::encode(sha2::Sha256::digest(owner.as_bytes()))[..8])
}

/// Whether `name` could be an export's file name (server-made hex only: nothing else is ever opened).
fn valid(name: &str) -> bool {
    name.len() > 2 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Moves a built archive (`part`) into place as `name`: renamed on disk, or uploaded to the bucket (the lease
/// renewed after each part) and the part file removed. Nothing is left under `name` when this fails.
pub(super) async fn place(state: &AppState, claim: &Claim, part: &Path, name: &str) -> anyhow::Result<()> {
    let Some((bucket, _)) = state.blobs.bucket() else {
        tokio::fs::rename(part, dir(state).join(name)).await?;
        crate::storage::durable::sync_dir(&dir(state))?;
        return Ok(());
    };
    let key = object(name);
    let mut file = tokio::fs::File::open(part).await?;
    let size = file.metadata().await?.len();
    if size <= crate::storage::s3::PART_BYTES as u64 {
        let mut bytes = Vec::with_capacity(size as usize);
        file.read_to_end(&mut bytes).await?;
        bucket.put(&key, bytes).await?;
    } else {
        let mut upload = bucket.start_upload(&key).await?;
        let sent: anyhow::Result<()> = async {
            loop {
                let mut chunk = Vec::with_capacity(crate::storage::s3::PART_BYTES);
                (&mut file).take(crate::storage::s3::PART_BYTES as u64).read_to_end(&mut chunk).await?;
                if chunk.is_empty() {
                    return Ok(());
                }
                upload.part(chunk).await?;
                renew(state, claim).await?;
            }
        }
        .await;
        match sent {
            Ok(()) => upload.complete().await?,
            Err(e) => {
                upload.abort().await;
                return Err(e);
            }
        }
    }
    drop(file);
    let _ = tokio::fs::remove_file(part).await;
    Ok(())
}

/// Removes the file `name` (a missing one is not an error).
pub async fn remove(state: &AppState, name: &str) -> std::io::Result<()> {
    if !valid(name) {
        return Ok(());
    }
    match state.blobs.bucket() {
        Some((bucket, _)) => bucket.delete(&object(name)).await,
        None => match tokio::fs::remove_file(dir(state).join(name)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        },
    }
}

/// Every export file there is, with when it was last written (the parts being built aside).
pub async fn stored(state: &AppState) -> std::io::Result<Vec<(String, SystemTime)>> {
    if let Some((bucket, _)) = state.blobs.bucket() {
        let listed = bucket.list("exports/").await?;
        return Ok(listed
            .into_iter()
            .filter_map(|l| Some((l.key.strip_prefix("exports/")?.to_string(), l.modified)))
            .filter(|(name, _)| !name.contains('/'))
            .collect());
    }
    let mut found = Vec::new();
    let mut entries = match tokio::fs::read_dir(dir(state)).await {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(e),
    };
    while let Some(entry) = entries.next_entry().await? {
        let meta = entry.metadata().await?;
        if meta.is_file() {
            if let Some(name) = entry.file_name().to_str() {
                found.push((name.to_string(), meta.modified()?));
            }
        }
    }
    Ok(found)
}

/// A ready export's sealed bytes as a blocking reader, and their length (call on the blocking pool).
pub(super) fn sealed(state: &AppState, name: &str) -> std::io::Result<(Box<dyn std::io::Read + Send>, u64)> {
    if !valid(name) {
        return Err(std::io::Error::new(std::io::ErrorKind::NotFound, "not an export file"));
    }
    match state.blobs.bucket() {
        Some((bucket, _)) => {
            let runtime = tokio::runtime::Handle::current();
            let key = object(name);
            let size = runtime.block_on(bucket.size(&key))?;
            Ok((Box::new(bucket.reader(&key, size, runtime)), size))
        }
        None => {
            let file = std::fs::File::open(dir(state).join(name))?;
            let size = file.metadata()?.len();
            Ok((Box::new(std::io::BufReader::with_capacity(128 * 1024, file)), size))
        }
    }
}

/// The plaintext length of a sealed export of `sealed_len` bytes.
pub(super) fn plaintext_len(sealed_len: u64) -> std::io::Result<u64> {
    stream_plaintext_len(sealed_len)
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "export too short"))
}
