//! Image bytes on local disk, encrypted at rest (see [`super::crypto`]) and written atomically (temporary
//! file, then rename) so a crash never leaves a half-written image behind a database row.

use super::crypto::{is_sealed, MasterKey};
use std::path::PathBuf;

/// A directory of immutable blobs addressed by key.
#[derive(Debug, Clone)]
pub struct BlobStore {
    root: PathBuf,
    key: MasterKey,
}

impl BlobStore {
    /// Opens (creating) the store at `root`; blobs are sealed with `key`.
    pub fn open(root: PathBuf, key: MasterKey) -> std::io::Result<Self> {
        std::fs::create_dir_all(root.join("tmp"))?;
        Ok(Self { root, key })
    }

    /// Where the (encrypted) bytes of `key` are on disk.
    pub fn file_of(&self, key: &str) -> PathBuf {
        self.path(key)
    }

    fn path(&self, key: &str) -> PathBuf {
        // Keys are server-generated hex ids; the two-character fan-out keeps directories small.
        debug_assert!(key.len() > 2 && key.bytes().all(|b| b.is_ascii_hexdigit()));
        self.root.join(&key[..2]).join(key)
    }

    /// Stores `bytes` under `key`.
    pub async fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(key);
        let tmp = self.root.join("tmp").join(format!("{key}.{}", crate::ids::random_hex(4)));
        tokio::fs::create_dir_all(path.parent().expect("fan-out directory")).await?;
        tokio::fs::write(&tmp, self.key.seal(key, bytes)).await?;
        if let Err(e) = tokio::fs::rename(&tmp, &path).await {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(e);
        }
        Ok(())
    }

    /// Reads and opens the blob stored under `key` (a damaged or swapped file is an error, never other bytes).
    /// Blobs written before encryption existed are read as they are.
    pub async fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        let bytes = tokio::fs::read(self.path(key)).await?;
        if is_sealed(&bytes) {
            self.key.open(key, &bytes)
        } else {
            Ok(bytes)
        }
    }

    /// Removes the blob under `key`; a missing blob is not an error.
    pub async fn delete(&self, key: &str) -> std::io::Result<()> {
        match tokio::fs::remove_file(self.path(key)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Number of stored blobs (used by tests to prove nothing half-written stays behind).
    pub fn count(&self) -> usize {
        let Ok(dirs) = std::fs::read_dir(&self.root) else { return 0 };
        dirs.flatten()
            .filter(|d| d.file_name() != "tmp" && d.path().is_dir())
            .map(|d| std::fs::read_dir(d.path()).map(|f| f.count()).unwrap_or(0))
            .sum::<usize>()
            + std::fs::read_dir(self.root.join("tmp")).map(|f| f.count()).unwrap_or(0)
    }
}
