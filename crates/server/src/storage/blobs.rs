//! Image bytes, encrypted at rest (see [`super::crypto`]), in a directory on local disk (the default) or in an
//! S3-compatible bucket (see [`super::s3`]): sealed here, so the store only ever holds ciphertext. On disk
//! they are written durably (temporary file, flushed, renamed, directory flushed: [`super::durable`]) before
//! their row is committed, so neither a crash nor a power cut leaves a row pointing at a half-written image;
//! a bucket's put is complete or absent. A file that isn't sealed (zeroed, swapped, truncated) is refused,
//! never served.

use super::crypto::{is_sealed, MasterKey};
use super::s3::{Bucket, Listed};
use std::path::PathBuf;
use std::sync::Arc;

/// Where a store's objects are.
#[derive(Debug, Clone)]
enum Place {
    /// `<root>/<first two characters>/<key>`, with `<root>/tmp` for files being written.
    Disk(PathBuf),
    /// `<prefix>/<first two characters>/<key>` in a bucket.
    Bucket(Arc<Bucket>, String),
}

/// Immutable blobs addressed by key.
#[derive(Debug, Clone)]
pub struct BlobStore {
    place: Place,
    key: MasterKey,
    allow_unsealed: bool,
}

impl BlobStore {
    /// Opens (creating) the store in the directory `root`; blobs are sealed with `key`.
    pub fn open(root: PathBuf, key: MasterKey) -> std::io::Result<Self> {
        std::fs::create_dir_all(root.join("tmp"))?;
        Ok(Self { place: Place::Disk(root), key, allow_unsealed: false })
    }

    /// The store under `prefix` (`blobs`, `previews`) in `bucket`; blobs are sealed with `key`.
    pub fn in_bucket(bucket: Arc<Bucket>, prefix: &str, key: MasterKey) -> Self {
        Self { place: Place::Bucket(bucket, prefix.to_string()), key, allow_unsealed: false }
    }

    /// Reads files without the sealed header as they are: only for a store written before encryption
    /// existed (`VINANO_ALLOW_UNSEALED_BLOBS`), until its files have been rewritten.
    pub fn allowing_unsealed(mut self, allow: bool) -> Self {
        self.allow_unsealed = allow;
        self
    }

    /// The store's directory (two-character fan-out directories and `tmp`), when it is on local disk.
    pub fn root(&self) -> Option<&std::path::Path> {
        match &self.place {
            Place::Disk(root) => Some(root),
            Place::Bucket(..) => None,
        }
    }

    /// The bucket and key prefix, when the store is a bucket.
    pub fn bucket(&self) -> Option<(&Bucket, &str)> {
        match &self.place {
            Place::Disk(_) => None,
            Place::Bucket(bucket, prefix) => Some((bucket, prefix)),
        }
    }

    /// Where the (encrypted) bytes of `key` are, for a store on local disk.
    pub fn file_of(&self, key: &str) -> Option<PathBuf> {
        self.root().map(|root| root.join(Self::relative(key)))
    }

    /// Where `key` is within the store: its fan-out directory and name.
    fn relative(key: &str) -> String {
        // Keys are server-generated hex ids; the two-character fan-out keeps directories small.
        debug_assert!(key.len() > 2 && key.bytes().all(|b| b.is_ascii_hexdigit()));
        format!("{}/{key}", &key[..2])
    }

    /// Stores `bytes` under `key` (sealed; on disk, flushed to the disk before this returns).
    pub async fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let sealed = self.key.seal(key, bytes);
        let root = match &self.place {
            Place::Disk(root) => root.clone(),
            Place::Bucket(bucket, prefix) => {
                return bucket.put(&format!("{prefix}/{}", Self::relative(key)), sealed).await;
            }
        };
        let path = root.join(Self::relative(key));
        let tmp = root.join("tmp").join(format!("{key}.{}", crate::ids::random_hex(4)));
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
    /// (`InvalidData`), never other bytes; a missing one is `NotFound`.
    pub async fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        let bytes = match &self.place {
            Place::Disk(root) => tokio::fs::read(root.join(Self::relative(key))).await?,
            Place::Bucket(bucket, prefix) => bucket.get(&format!("{prefix}/{}", Self::relative(key))).await?,
        };
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
        match &self.place {
            Place::Disk(root) => match tokio::fs::remove_file(root.join(Self::relative(key))).await {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
            Place::Bucket(bucket, prefix) => {
                bucket.delete(&format!("{prefix}/{}", Self::relative(key))).await
            }
        }
    }

    /// The objects of a bucket store (their keys without the prefix and fan-out, and when each was written).
    pub async fn list_bucket(&self) -> std::io::Result<Vec<Listed>> {
        let Place::Bucket(bucket, prefix) = &self.place else { return Ok(Vec::new()) };
        let listed = bucket.list(&format!("{prefix}/")).await?;
        Ok(listed
            .into_iter()
            .filter_map(|l| {
                let name = l.key.rsplit('/').next()?.to_string();
                Some(Listed { key: name, modified: l.modified })
            })
            .collect())
    }

    /// Whether the store takes a write and gives it back (`/readyz`): a probe object written, read and removed.
    pub async fn probe(&self) -> std::io::Result<()> {
        let key = crate::ids::random_hex(8);
        self.put(&key, b"ready").await?;
        let read = self.get(&key).await;
        self.delete(&key).await?;
        match read? {
            r if r == b"ready" => Ok(()),
            _ => Err(std::io::Error::other("an object written there read back different")),
        }
    }

    /// Number of stored blobs (used by tests to prove nothing half-written stays behind).
    pub async fn count(&self) -> usize {
        let root = match &self.place {
            Place::Disk(root) => root,
            Place::Bucket(..) => return self.list_bucket().await.map_or(0, |l| l.len()),
        };
        let Ok(dirs) = std::fs::read_dir(root) else { return 0 };
        dirs.flatten()
            .filter(|d| d.file_name() != "tmp" && d.path().is_dir())
            .map(|d| std::fs::read_dir(d.path()).map(|f| f.count()).unwrap_or(0))
            .sum::<usize>()
            + std::fs::read_dir(root.join("tmp")).map(|f| f.count()).unwrap_or(0)
    }
}
