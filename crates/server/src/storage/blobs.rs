//! Image bytes on local disk, encrypted at rest (see [`super::crypto`]) and written durably (temporary file,
//! flushed, renamed, directory flushed: [`super::durable`]) before their row is committed, so neither a crash
//! nor a power cut leaves a row pointing at a half-written image. A file that isn't sealed (zeroed, swapped,
//! truncated) is refused, never served.

use super::crypto::{is_sealed, MasterKey};
use std::path::PathBuf;

/// A directory of immutable blobs addressed by key.
#[derive(Debug, Clone)]
pub struct BlobStore {
    root: PathBuf,
    key: MasterKey,
    allow_unsealed: bool,
}

impl BlobStore {
    /// Opens (creating) the store at `root`; blobs are sealed with `key`.
    pub fn open(root: PathBuf, key: MasterKey) -> std::io::Result<Self> {
        std::fs::create_dir_all(root.join("tmp"))?;
        Ok(Self { root, key, allow_unsealed: false })
    }

    /// Reads files without the sealed header as they are: only for a store written before encryption
    /// existed (`VINANO_ALLOW_UNSEALED_BLOBS`), until its files have been rewritten.
    pub fn allowing_unsealed(mut self, allow: bool) -> Self {
        self.allow_unsealed = allow;
        self
    }

    /// The store's directory (two-character fan-out directories and `tmp`).
    pub fn root(&self) -> &std::path::Path {
        &self.root
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

    /// Stores `bytes` under `key` (sealed, flushed to the disk before this returns).
    pub async fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(key);
        let tmp = self.root.join("tmp").join(format!("{key}.{}", crate::ids::random_hex(4)));
        let sealed = self.key.seal(key, bytes);
        let root = self.root.clone();
        tokio::task::spawn_blocking(move || {
            let dir = path.parent().expect("fan-out directory");
            if !dir.exists() {
                std::fs::create_dir_all(dir)?;
                super::durable::sync_dir(&root)?;
            }
            super::durable::write_atomic(&tmp, &path, &sealed)
        })
        .await
        .map_err(std::io::Error::other)?
    }

    /// Reads and opens the blob stored under `key`: a damaged, truncated, zeroed or swapped file is an error
    /// (`InvalidData`), never other bytes.
    pub async fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        let bytes = tokio::fs::read(self.path(key)).await?;
        if is_sealed(&bytes) {
            self.key.open(key, &bytes)
        } else if self.allow_unsealed {
            Ok(bytes)
        } else {
            Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("the image file of {key} is not sealed (damaged or replaced); refusing to read it"),
            ))
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
