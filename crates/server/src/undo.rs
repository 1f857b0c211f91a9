//! Undo for deleted versions: a version deleted from the editor can be brought back, with the same id and
//! the same bytes, for [`WINDOW_MS`].
//!
//! The delete is real at once: the row leaves `images` (so the version is gone from every list, count,
//! access report and export) and its file is queued for removal. What the row was — its columns and its
//! rating as JSON, and which messages, versions and avatar named it — is kept in `deleted_images` until the
//! deadline, and the file's removal waits until [`GRACE_MS`] after it (a restore that began just before the
//! deadline can't find its file gone). Then both go: from a timer started by the delete, and from the
//! retention sweep (at start-up and hourly) for any a restart left behind.

use crate::storage::db::{columns, Backend};
use crate::{ids, AppState};
use sqlx::AnyConnection;

/// How long a deleted version can be brought back.
pub const WINDOW_MS: i64 = 10_000;
/// How long after the deadline the file stays on disk.
pub const GRACE_MS: i64 = 5_000;

/// A set of deleted versions that can be brought back until `until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restorable {
    /// What brings them back.
    pub token: String,
    /// The deadline, unix milliseconds.
    pub until: i64,
}

/// The row of `table` whose `key` column is `value`, as a JSON object of all its columns (every column is
/// saved, so a column added later is kept without anyone remembering).
async fn row_json(
    tx: &mut AnyConnection,
    table: &str,
    key: &str,
    value: &str,
) -> sqlx::Result<Option<String>> {
    let sql = match Backend::of(tx) {
        Backend::Sqlite => {
            let cols = columns(tx, table).await?;
            let pairs: Vec<String> = cols.iter().map(|c| format!("'{c}', \"{c}\"")).collect();
            format!("SELECT json_object({}) FROM \"{table}\" WHERE \"{key}\" = $1", pairs.join(", "))
        }
        Backend::Postgres => format!("SELECT row_to_json(t)::text FROM \"{table}\" t WHERE \"{key}\" = $1"),
    };
    sqlx::query_scalar(&sql).bind(value).fetch_optional(tx).await
}

/// Inserts a row saved by [`row_json`] into `table` (the columns the table still has).
async fn insert_json(tx: &mut AnyConnection, table: &str, json: &str) -> sqlx::Result<()> {
    let cols = columns(tx, table).await?;
    let names: Vec<String> = cols.iter().map(|c| format!("\"{c}\"")).collect();
    let sql = match Backend::of(tx) {
        Backend::Sqlite => {
            let values: Vec<String> = cols.iter().map(|c| format!("json_extract($1, '$.\"{c}\"')")).collect();
            format!("INSERT INTO \"{table}\" ({}) SELECT {}", names.join(", "), values.join(", "))
        }
        Backend::Postgres => format!(
            "INSERT INTO \"{table}\" ({0}) SELECT {0} FROM json_populate_record(NULL::\"{table}\", $1::json)",
            names.join(", ")
        ),
    };
    sqlx::query(&sql).bind(json).execute(tx).await?;
    Ok(())
}

/// The saved row of an image, without its idempotency key when another image has taken the key meanwhile
/// (the same upload sent again after the deletion made a new image; that one keeps answering retries).
async fn without_taken_key(tx: &mut AnyConnection, user_id: &str, image: &str) -> anyhow::Result<String> {
    let mut row: serde_json::Value = serde_json::from_str(image)?;
    let Some(key) = row["idempotency_key"].as_str() else { return Ok(image.to_string()) };
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM images WHERE user_id = $1 AND idempotency_key = $2")
            .bind(user_id)
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_none() {
        return Ok(image.to_string());
    }
    row["idempotency_key"] = serde_json::Value::Null;
    row["request_hash"] = serde_json::Value::Null;
    Ok(row.to_string())
}

/// Deletes the version `id` of `user_id` inside `tx`, keeping what it was under `token` until `until`.
/// Returns its file's key, or `None` when there is no such version or it is on evidence hold.
pub async fn delete_restorably(
    tx: &mut AnyConnection,
    user_id: &str,
    id: &str,
    token: &str,
    now_ms: i64,
) -> anyhow::Result<Option<String>> {
    let held: Option<(String, i64)> =
        sqlx::query_as("SELECT blob_key, evidence_hold FROM images WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((blob_key, 0)) = held else { return Ok(None) };
    let image = row_json(tx, "images", "id", id).await?.unwrap_or_default();
    let feedback = row_json(tx, "feedback", "image_id", id).await?;
    let messages: Vec<String> = sqlx::query_scalar("SELECT id FROM messages WHERE image_id = $1")
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
    let children: Vec<String> =
        sqlx::query_scalar("SELECT id FROM images WHERE parent_id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_all(&mut *tx)
            .await?;
    let avatar: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE id = $1 AND avatar_image_id = $2")
        .bind(user_id)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let saved = serde_json::json!({
        "image": image,
        "feedback": feedback,
        "messages": messages,
        "children": children,
        "avatar": avatar > 0,
    });
    sqlx::query("DELETE FROM images WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO deleted_images (id, token, user_id, image_id, blob_key, saved, deleted_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(ids::new_id())
    .bind(token)
    .bind(user_id)
    .bind(id)
    .bind(&blob_key)
    .bind(saved.to_string())
    .bind(now_ms)
    .bind(now_ms + WINDOW_MS)
    .execute(&mut *tx)
    .await?;
    crate::trash::queue_after(
        tx,
        now_ms,
        crate::trash::Kind::Blob,
        std::slice::from_ref(&blob_key),
        now_ms + WINDOW_MS + GRACE_MS,
    )
    .await?;
    Ok(Some(blob_key))
}

/// Why a restore did nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotRestored {
    /// No such token for this person (never, or already restored).
    Unknown,
    /// The deadline has passed.
    TooLate,
}

/// Brings back the versions deleted under `token` (ids, files, ratings and the links to them); returns
/// their ids.
pub async fn restore(
    state: &AppState,
    user_id: &str,
    token: &str,
) -> anyhow::Result<Result<Vec<String>, NotRestored>> {
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT image_id, blob_key, saved, expires_at FROM deleted_images WHERE token = $1 AND user_id = $2
         ORDER BY deleted_at, id",
    )
    .bind(token)
    .bind(user_id)
    .fetch_all(&mut *tx)
    .await?;
    if rows.is_empty() {
        return Ok(Err(NotRestored::Unknown));
    }
    if rows.iter().any(|r| r.3 <= now) {
        return Ok(Err(NotRestored::TooLate));
    }
    // Rows first (a version's parent may be among them, so foreign keys are checked at the commit), then the
    // links; a parent deleted for good meanwhile leaves the version a root.
    let defer = match Backend::of(&tx) {
        Backend::Sqlite => "PRAGMA defer_foreign_keys = ON",
        Backend::Postgres => "SET CONSTRAINTS ALL DEFERRED",
    };
    sqlx::query(defer).execute(&mut *tx).await?;
    let mut restored = Vec::new();
    let mut saved_all = Vec::new();
    for (image_id, blob_key, saved, _) in rows {
        let saved: serde_json::Value = serde_json::from_str(&saved)?;
        let image = without_taken_key(&mut tx, user_id, saved["image"].as_str().unwrap_or_default()).await?;
        insert_json(&mut tx, "images", &image).await?;
        sqlx::query("DELETE FROM trash WHERE kind = 'blob' AND key = $1")
            .bind(&blob_key)
            .execute(&mut *tx)
            .await?;
        restored.push(image_id.clone());
        saved_all.push((image_id, saved));
    }
    for id in &restored {
        sqlx::query(
            "UPDATE images SET parent_id = NULL WHERE id = $1 AND parent_id IS NOT NULL
               AND parent_id NOT IN (SELECT id FROM images)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    for (image_id, saved) in &saved_all {
        if let Some(feedback) = saved["feedback"].as_str() {
            insert_json(&mut tx, "feedback", feedback).await?;
        }
        for message in saved["messages"].as_array().into_iter().flatten().filter_map(|m| m.as_str()) {
            sqlx::query(
                "UPDATE messages SET image_id = $1 WHERE id = $2 AND user_id = $3 AND image_id IS NULL",
            )
            .bind(image_id)
            .bind(message)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        for child in saved["children"].as_array().into_iter().flatten().filter_map(|m| m.as_str()) {
            sqlx::query(
                "UPDATE images SET parent_id = $1 WHERE id = $2 AND user_id = $3 AND parent_id IS NULL",
            )
            .bind(image_id)
            .bind(child)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        if saved["avatar"].as_bool() == Some(true) {
            sqlx::query("UPDATE users SET avatar_image_id = $1 WHERE id = $2 AND avatar_image_id IS NULL")
                .bind(image_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
    }
    sqlx::query("DELETE FROM deleted_images WHERE token = $1 AND user_id = $2")
        .bind(token)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Ok(restored))
}

/// Forgets what can no longer be brought back; returns how many saved versions were forgotten. (Their files
/// go with the deletion queue's next pass after the grace period.)
pub async fn forget_expired(state: &AppState) -> anyhow::Result<u64> {
    let gone = sqlx::query("DELETE FROM deleted_images WHERE expires_at <= $1")
        .bind(state.clock.now_ms())
        .execute(&state.db)
        .await?
        .rows_affected();
    Ok(gone)
}

/// Expires this deletion when its time is up (the sweep catches any a restart cut short).
pub fn expire_later(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis((WINDOW_MS + GRACE_MS + 100) as u64)).await;
        if let Err(e) = forget_expired(&state).await {
            tracing::warn!(error = ?e, "expiring deleted versions failed; the sweep will try again");
        }
        crate::trash::empty_now(&state).await;
    });
}
