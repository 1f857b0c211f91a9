//! Persistence: the SQL database and the blob store for image bytes.

mod blobs;
pub mod crypto;
pub mod db;
pub mod durable;

pub use blobs::BlobStore;

/// Holds `<data dir>/server.lock` (an exclusive advisory lock) for as long as the returned file lives, so that
/// no two servers, and no maintenance command, use one data directory at once; refused with a message naming
/// the directory when another process holds it.
pub fn lock_data_dir(dir: &std::path::Path) -> anyhow::Result<std::fs::File> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join("server.lock");
    let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "another ViNano process is using the data directory {} (it holds {}); stop it first",
            dir.display(),
            path.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
    }
}
