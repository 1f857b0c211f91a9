//! Deletion that holds: every delete that stops naming a file (an image version, a conversation's images,
//! retention, an account purge, an expired or failed export) records the file here **in the same
//! transaction**. After the commit the file is removed and then its row; a crash, a kill or an I/O error in
//! between leaves the row, and the next pass (right after the next delete, at start-up and in the hourly
//! sweep) removes the file. So an erasure the person was told about can't leave their data on disk.

use crate::{ids, AppState};

/// What kind of file a trash row names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An image blob, by its key.
    Blob,
    /// A data export's ZIP, by its file name.
    Export,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Blob => "blob",
            Kind::Export => "export",
        }
    }
}

/// Records files to remove once `tx` commits (nothing when `keys` is empty).
pub async fn queue(
    tx: &mut sqlx::AnyConnection,
    now_ms: i64,
    kind: Kind,
    keys: &[String],
) -> sqlx::Result<()> {
    queue_after(tx, now_ms, kind, keys, 0).await
}

/// Records files to remove once `tx` commits, but not before `not_before` (unix ms): the files of versions
/// that can still be brought back (see [`crate::undo`]).
pub async fn queue_after(
    tx: &mut sqlx::AnyConnection,
    now_ms: i64,
    kind: Kind,
    keys: &[String],
    not_before: i64,
) -> sqlx::Result<()> {
    for key in keys {
        sqlx::query("INSERT INTO trash (id, kind, key, queued_at, not_before) VALUES ($1, $2, $3, $4, $5)")
            .bind(ids::new_id())
            .bind(kind.as_str())
            .bind(key)
            .bind(now_ms)
            .bind(not_before)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// What a trash row names: an image file (the blob store removes it, previews with it) or an export's file;
/// `None` for a key that isn't a server-made hex id (such a row is dropped without touching anything).
fn target(kind: &str, key: &str) -> Option<Kind> {
    if key.len() <= 2 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match kind {
        "blob" => Some(Kind::Blob),
        "export" => Some(Kind::Export),
        _ => None,
    }
}

/// Rows handled per batch.
const BATCH: i64 = 200;

/// Removes the queued files whose time has come, then their rows; returns how many were removed. A file that
/// can't be removed keeps its row (with the error and one more attempt counted) for the next pass.
pub async fn empty(state: &AppState) -> anyhow::Result<u64> {
    let now = state.clock.now_ms();
    let mut removed = 0;
    let mut skip = 0;
    loop {
        let batch: Vec<(String, String, String)> =
            sqlx::query_as(
                "SELECT id, kind, key FROM trash WHERE not_before <= $1 ORDER BY queued_at, id LIMIT $2 OFFSET $3",
            )
            .bind(now)
            .bind(BATCH)
                .bind(skip)
                .fetch_all(&state.db)
                .await?;
        let full = batch.len() as i64 == BATCH;
        for (id, kind, key) in batch {
            let result = match target(&kind, &key) {
                // An image file (on disk or in a bucket), and its previews with it.
                Some(Kind::Blob) => match state.blobs.delete(&key).await {
                    Ok(()) => crate::preview::remove(state, &key).await,
                    Err(e) => Err(e),
                },
                Some(Kind::Export) => crate::rights::export::files::remove(state, &key).await,
                None => Ok(()),
            };
            match result {
                Ok(()) => {
                    sqlx::query("DELETE FROM trash WHERE id = $1").bind(&id).execute(&state.db).await?;
                    removed += 1;
                }
                Err(e) => {
                    tracing::warn!(error = %e, %kind, %key, "could not remove a deleted file; will try again");
                    sqlx::query("UPDATE trash SET attempts = attempts + 1, error = $1 WHERE id = $2")
                        .bind(e.to_string())
                        .bind(&id)
                        .execute(&state.db)
                        .await?;
                    skip += 1;
                }
            }
        }
        if !full {
            return Ok(removed);
        }
    }
}

/// Empties the trash now, after a delete committed; a failure is logged (the rows stay for the sweep).
pub async fn empty_now(state: &AppState) {
    if let Err(e) = empty(state).await {
        tracing::warn!(error = ?e, "emptying the deletion queue failed; the sweep will try again");
    }
}

/// How many files wait to be removed (for tests and the operator's view).
pub async fn pending(db: &sqlx::AnyPool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM trash").fetch_one(db).await
}
