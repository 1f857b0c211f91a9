//! `vinano-server admin backup <dir>` and `admin restore <dir>`: a consistent copy of a server's data, and
//! that copy put back.
//!
//! A backup may be taken while servers run. The database is copied with SQLite's `VACUUM INTO` (one
//! consistent snapshot, compacted); then every image file a row of that snapshot names is copied as it is
//! on disk — sealed: the backup holds no image in the clear — and the previews with them. `backup.json`
//! records what was copied. The **master key** that seals the images is not in the backup unless asked
//! for (`--with-master-key`): a backup that leaks should not be readable. Without the key the images in a
//! backup can't be read, so the command says so loudly.
//!
//! When the images are in an S3-compatible bucket, the backup holds the database and a manifest of the image
//! objects it names (`bucket-objects.json`), after checking that the bucket holds every one of them; the
//! objects themselves are kept with the store's own means (versioning, replication, a copy), and a restore
//! checks that each opens from the bucket with the server's key.
//!
//! A restore needs every server stopped and an empty data directory (`--force` replaces what is there,
//! after moving it aside). It refuses a backup made by a newer build, puts the database and files in place
//! (each written whole and flushed before it is renamed into place), and then checks that the key it will
//! run with opens the restored images.

use crate::storage::durable;
use anyhow::{ensure, Context};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The manifest's file name inside a backup.
pub const MANIFEST: &str = "backup.json";
/// The master key's file name, in a data directory and (when asked for) in a backup.
pub const KEY_FILE: &str = "master.key";

/// What a backup holds (`backup.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The build that made it.
    pub version: String,
    /// The schema (newest migration) of the database in it.
    pub schema: i64,
    /// When it was made (RFC 3339, UTC).
    pub created_at: String,
    /// Image files copied (sealed).
    pub images: u64,
    /// Preview files copied (sealed).
    pub previews: u64,
    /// Bytes of the database and the files.
    pub bytes: u64,
    /// Whether the master key is in it.
    pub master_key_included: bool,
    /// Whether the images stayed in a bucket (listed in `bucket-objects.json`) instead of being copied.
    #[serde(default)]
    pub images_in_bucket: bool,
}

/// The list of image objects a bucket backup's database names, inside the backup.
pub const BUCKET_OBJECTS: &str = "bucket-objects.json";

/// What a restore found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The backup's manifest.
    pub manifest: Manifest,
    /// Where what was in the data directory before went (`--force`), if anything was there.
    pub moved_aside: Option<PathBuf>,
}

/// Why `admin backup` and `admin restore` don't copy a PostgreSQL database themselves.
pub const POSTGRES: &str =
    "the database is PostgreSQL (VINANO_DATABASE_URL): back it up with PostgreSQL's own \
    tools — pg_dump --format=custom, or continuous archiving — and the data directory's blobs/ and previews/ \
    with it, as docs/deploy.md describes; admin backup and restore copy SQLite databases";

/// Where the image files are when a backup is made.
#[derive(Debug, Clone, Copy)]
pub enum Images<'a> {
    /// Under the data directory: copied into the backup.
    Disk,
    /// In a bucket (this store): checked there and listed in the backup.
    Bucket(&'a crate::storage::BlobStore),
}

/// Copies the data of the server whose data directory is `data` into `dest`, which must not exist or be
/// empty; with the master key when `with_key`. `key_from_config` says the master key comes from `VINANO_MASTER_KEY` rather than `data`'s key
/// file (then it can't be copied: the operator keeps it with the configuration).
pub async fn create(
    db: &sqlx::AnyPool,
    data: &Path,
    dest: &Path,
    options: (bool, bool),
    now_ms: i64,
) -> anyhow::Result<Manifest> {
    create_with(db, data, Images::Disk, dest, options, now_ms).await
}

/// [`create`], with the images where `images` says.
pub async fn create_with(
    db: &sqlx::AnyPool,
    data: &Path,
    images: Images<'_>,
    dest: &Path,
    (with_key, key_from_config): (bool, bool),
    now_ms: i64,
) -> anyhow::Result<Manifest> {
    ensure!(crate::storage::db::Backend::of_pool(db) == crate::storage::db::Backend::Sqlite, "{POSTGRES}");
    ensure!(
        !with_key || !key_from_config,
        "the master key comes from VINANO_MASTER_KEY (or its _FILE), not from the data directory: keep a \
         copy of it with your configuration; --with-master-key can't copy it"
    );
    if dest.exists() {
        let mut entries =
            std::fs::read_dir(dest).with_context(|| format!("can't read {}", dest.display()))?;
        ensure!(entries.next().is_none(), "{} is not empty: back up into a new directory", dest.display());
    }
    std::fs::create_dir_all(dest).with_context(|| format!("can't create {}", dest.display()))?;
    let snapshot = dest.join("vinano.db");
    let target = snapshot.to_str().context("the backup directory's path is not UTF-8")?;
    sqlx::query("VACUUM INTO $1").bind(target).execute(db).await.context("copying the database")?;
    let schema: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations").fetch_one(db).await?;
    // The files the snapshot names (not those of rows added since: they aren't in it).
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&snapshot).read_only(true);
    let copy = sqlx::SqlitePool::connect_with(options).await.context("opening the copied database")?;
    let keys: Vec<String> =
        sqlx::query_scalar("SELECT blob_key FROM images UNION SELECT blob_key FROM deleted_images")
            .fetch_all(&copy)
            .await?;
    copy.close().await;
    if let Images::Bucket(store) = images {
        return list_bucket(store, data, dest, &snapshot, keys, (with_key, schema), now_ms).await;
    }
    let (data, dest_dir) = (data.to_path_buf(), dest.to_path_buf());
    let (images, previews, mut bytes, missing) = tokio::task::spawn_blocking(move || {
        let mut bytes = 0;
        let mut missing = Vec::new();
        for key in &keys {
            let relative = Path::new("blobs").join(&key[..2.min(key.len())]).join(key);
            match copy_file(&data.join(&relative), &dest_dir.join(&relative)) {
                Ok(n) => bytes += n,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => missing.push(key.clone()),
                Err(e) => return Err(anyhow::Error::from(e).context(format!("copying the image file {key}"))),
            }
        }
        let (previews, preview_bytes) = copy_tree(&data.join("previews"), &dest_dir.join("previews"))?;
        if with_key {
            bytes += copy_file(&data.join(KEY_FILE), &dest_dir.join(KEY_FILE))
                .context("copying the master key")?;
        }
        Ok::<_, anyhow::Error>((
            keys.len() as u64 - missing.len() as u64,
            previews,
            bytes + preview_bytes,
            missing,
        ))
    })
    .await??;
    ensure!(
        missing.is_empty(),
        "{} image file(s) named by the database are missing from the data directory (first: {}); run \
         `vinano-server admin reconcile` with the server stopped to see them all",
        missing.len(),
        missing[0]
    );
    bytes += std::fs::metadata(&snapshot)?.len();
    let manifest = Manifest {
        version: crate::health::VERSION.into(),
        schema,
        created_at: crate::clock::rfc3339(now_ms),
        images,
        previews,
        bytes,
        master_key_included: with_key,
        images_in_bucket: false,
    };
    let text = serde_json::to_vec_pretty(&manifest)?;
    durable::write_atomic(&dest.join(".backup.json.tmp"), &dest.join(MANIFEST), &text)?;
    Ok(manifest)
}

/// The rest of a backup whose images are in a bucket: every object the snapshot names must be there; their
/// keys are written to [`BUCKET_OBJECTS`].
async fn list_bucket(
    store: &crate::storage::BlobStore,
    data: &Path,
    dest: &Path,
    snapshot: &Path,
    keys: Vec<String>,
    (with_key, schema): (bool, i64),
    now_ms: i64,
) -> anyhow::Result<Manifest> {
    let held: std::collections::HashSet<String> =
        store.list_bucket().await.context("listing the bucket")?.into_iter().map(|l| l.key).collect();
    let missing: Vec<&String> = keys.iter().filter(|k| !held.contains(*k)).collect();
    ensure!(
        missing.is_empty(),
        "{} image object(s) named by the database are missing from the bucket (first: {}); run \
         `vinano-server admin reconcile` to see them all",
        missing.len(),
        missing[0]
    );
    let mut bytes = std::fs::metadata(snapshot)?.len();
    if with_key {
        bytes += copy_file(&data.join(KEY_FILE), &dest.join(KEY_FILE)).context("copying the master key")?;
    }
    let listed = serde_json::to_vec_pretty(&serde_json::json!({ "prefix": "blobs", "keys": keys }))?;
    durable::write_atomic(&dest.join(".objects.tmp"), &dest.join(BUCKET_OBJECTS), &listed)?;
    bytes += listed.len() as u64;
    let manifest = Manifest {
        version: crate::health::VERSION.into(),
        schema,
        created_at: crate::clock::rfc3339(now_ms),
        images: keys.len() as u64,
        previews: 0,
        bytes,
        master_key_included: with_key,
        images_in_bucket: true,
    };
    let text = serde_json::to_vec_pretty(&manifest)?;
    durable::write_atomic(&dest.join(".backup.json.tmp"), &dest.join(MANIFEST), &text)?;
    Ok(manifest)
}

/// Puts the backup in `src` into the data directory `data` (every server stopped). With `force`, what
/// `data` holds is moved aside into `data/before-restore-<time>/` first; otherwise `data` must hold no
/// database. The master key must be at hand: in the backup, in `data`, or in the configuration.
/// `key_configured` says the master key comes from the configuration (`VINANO_MASTER_KEY`).
pub fn restore(src: &Path, data: &Path, options: (bool, bool), now_ms: i64) -> anyhow::Result<Restored> {
    restore_with(src, data, options, now_ms, false)
}

/// [`restore`] for a server whose images are in a bucket (`in_bucket`) or on its disk.
pub fn restore_with(
    src: &Path,
    data: &Path,
    (force, key_configured): (bool, bool),
    now_ms: i64,
    in_bucket: bool,
) -> anyhow::Result<Restored> {
    let text = std::fs::read(src.join(MANIFEST))
        .with_context(|| format!("{} is not a ViNano backup (no {MANIFEST})", src.display()))?;
    let manifest: Manifest =
        serde_json::from_slice(&text).with_context(|| format!("{MANIFEST} is damaged"))?;
    ensure!(
        manifest.images_in_bucket == in_bucket,
        "{}",
        if in_bucket {
            "this backup holds image files, but this server keeps images in a bucket (VINANO_S3_*): restore it \
             on a server without a bucket, then copy blobs/ into the bucket, or restore without VINANO_S3_*"
        } else {
            "this backup's images are in a bucket (bucket-objects.json lists them): restore it with the same \
             VINANO_S3_* settings as the server it was made on"
        }
    );
    let newest = crate::storage::db::latest_migration();
    ensure!(
        manifest.schema <= newest,
        "the backup's database (schema {}) is newer than this build's ({newest}): restore it with ViNano {} or \
         later",
        manifest.schema,
        manifest.version
    );
    ensure!(src.join("vinano.db").is_file(), "the backup has no database (vinano.db)");
    // Without the key the images can't be read, and a server started without one makes a new key.
    ensure!(
        manifest.master_key_included || key_configured || data.join(KEY_FILE).is_file(),
        "the backup doesn't hold the master key and none is set up: put the key that was in use when the \
         backup was made in {} (or set VINANO_MASTER_KEY), then restore again",
        data.join(KEY_FILE).display()
    );
    std::fs::create_dir_all(data)?;
    let present: Vec<PathBuf> =
        ["vinano.db", "vinano.db-wal", "vinano.db-shm", "blobs", "previews", "exports"]
            .iter()
            .map(|n| data.join(n))
            .filter(|p| p.exists())
            .collect();
    let mut moved_aside = None;
    if !present.is_empty() {
        ensure!(
            force,
            "{} already holds a database or images: restore into an empty data directory, or add --force to \
             move what is there aside",
            data.display()
        );
        let aside = data.join(format!("before-restore-{}", now_ms / 1000));
        std::fs::create_dir_all(&aside)?;
        for path in present {
            std::fs::rename(&path, aside.join(path.file_name().expect("a named entry")))?;
        }
        moved_aside = Some(aside);
    }
    let key_here = data.join(KEY_FILE);
    if manifest.master_key_included {
        let theirs = std::fs::read(src.join(KEY_FILE))
            .context("the backup says it holds the master key, but it doesn't")?;
        match std::fs::read(&key_here) {
            Ok(ours) if ours != theirs => anyhow::bail!(
                "{} holds a different master key than the backup's: move it away (the images of this backup \
                 need the backup's key)",
                key_here.display()
            ),
            Ok(_) => {}
            Err(_) => {
                copy_file(&src.join(KEY_FILE), &key_here)?;
            }
        }
    }
    copy_file(&src.join("vinano.db"), &data.join("vinano.db"))?;
    copy_tree(&src.join("blobs"), &data.join("blobs"))?;
    copy_tree(&src.join("previews"), &data.join("previews"))?;
    durable::sync_dir(data)?;
    Ok(Restored { manifest, moved_aside })
}

/// Copies one file whole and flushed (through a temporary name, then renamed), with its permissions;
/// returns its size.
fn copy_file(from: &Path, to: &Path) -> std::io::Result<u64> {
    let dir = to.parent().expect("a file in a directory");
    std::fs::create_dir_all(dir)?;
    let name = to.file_name().expect("a file name").to_string_lossy();
    durable::copy_atomic(from, &dir.join(format!(".{name}.tmp")), to)
}

/// Copies every file under `from` (but its `tmp` directory: files still being written) to `to`;
/// returns how many and their bytes. A missing `from` copies nothing.
fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<(u64, u64)> {
    let (mut files, mut bytes) = (0, 0);
    let Ok(entries) = std::fs::read_dir(from) else { return Ok((0, 0)) };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        if name == "tmp" {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            let (f, b) = copy_tree(&entry.path(), &to.join(&name))?;
            files += f;
            bytes += b;
        } else if kind.is_file() {
            bytes += copy_file(&entry.path(), &to.join(&name))?;
            files += 1;
        }
    }
    Ok((files, bytes))
}

/// After a restore: whether the key this server runs with opens every restored image. Returns how many
/// opened and the keys of those that didn't (missing, or sealed with another key).
pub async fn verify(state: &crate::AppState) -> anyhow::Result<(u64, Vec<String>)> {
    let keys: Vec<String> = sqlx::query_scalar("SELECT blob_key FROM images").fetch_all(&state.db).await?;
    let mut opened = 0;
    let mut failed = Vec::new();
    for key in keys {
        match state.blobs.get(&key).await {
            Ok(_) => opened += 1,
            Err(_) => failed.push(key),
        }
    }
    Ok((opened, failed))
}
