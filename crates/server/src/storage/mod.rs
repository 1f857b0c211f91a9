//! Persistence: the SQL database (SQLite or PostgreSQL) and the blob store for image bytes (local disk or an
//! S3-compatible bucket).

mod blobs;
pub mod crypto;
pub mod db;
pub mod durable;
pub mod s3;

pub use blobs::BlobStore;

/// How a process holds `<data dir>/server.lock`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataDirUse {
    /// A server: any number may share the directory (SQLite in WAL mode, leases per process).
    Serve,
    /// Maintenance that needs every server stopped (nothing in flight), like `admin reconcile`.
    Alone,
}

/// Holds `<data dir>/server.lock` (an advisory lock: shared by servers, exclusive for maintenance) for as
/// long as the returned file lives; refused with a message naming the directory when the other kind holds it.
pub fn lock_data_dir(dir: &std::path::Path, usage: DataDirUse) -> anyhow::Result<std::fs::File> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join("server.lock");
    let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path)?;
    let locked = match usage {
        DataDirUse::Serve => file.try_lock_shared(),
        DataDirUse::Alone => file.try_lock(),
    };
    match locked {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) if usage == DataDirUse::Alone => anyhow::bail!(
            "a ViNano server is using the data directory {} (it holds {}); stop it first",
            dir.display(),
            path.display()
        ),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "a maintenance command is using the data directory {} (it holds {}); wait for it to finish",
            dir.display(),
            path.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
    }
}

/// Makes sure every process on one database seals with the same master key: the first to start records a
/// keyed hash of its key (in `instance`), and a later one whose key gives another hash refuses to start (it
/// could read none of the images, and what it wrote no other replica could). Used with PostgreSQL, where
/// replicas may run on other machines.
pub async fn check_master_key(
    db: &sqlx::AnyPool,
    key: &crypto::MasterKey,
    blobs: &BlobStore,
) -> anyhow::Result<()> {
    let ours = hex::encode(&key.mac("key-check", b"vinano")[..16]);
    let recorded = sqlx::query(
        "INSERT INTO instance (name, value) VALUES ('master_key_check', $1) ON CONFLICT DO NOTHING",
    )
    .bind(&ours)
    .execute(db)
    .await?
    .rows_affected();
    if recorded == 1 {
        // The first to record it (a deployment that predates the check, say): the key must open an image
        // that is already stored, or a replica with a key of its own would lock the right ones out.
        let stored: Option<String> =
            sqlx::query_scalar("SELECT blob_key FROM images ORDER BY created_at LIMIT 1")
                .fetch_optional(db)
                .await?;
        if let Some(stored) = stored {
            if let Err(e) = blobs.get(&stored).await {
                if e.kind() == std::io::ErrorKind::InvalidData {
                    sqlx::query("DELETE FROM instance WHERE name = 'master_key_check'").execute(db).await?;
                    anyhow::bail!(
                        "this server's master key doesn't open the images already stored: give it the \
                         deployment's key (VINANO_MASTER_KEY or VINANO_MASTER_KEY_FILE)"
                    );
                }
            }
        }
    }
    let recorded: String = sqlx::query_scalar("SELECT value FROM instance WHERE name = 'master_key_check'")
        .fetch_one(db)
        .await?;
    anyhow::ensure!(
        recorded == ours,
        "this server's master key is not the one the database's images are sealed with: give every replica \
         the same key (VINANO_MASTER_KEY or VINANO_MASTER_KEY_FILE)"
    );
    Ok(())
}
