//! Data rights: the request tracker (every export, deletion and correction with its one-month due date) and
//! deletion — of image versions, of an account after a 30-day grace period, at once for an account found to
//! belong to someone under 13.
//!
//! An account purge walks the schema: every table with a `user_id` column loses that person's rows, so a
//! table added later is covered without anyone remembering to. What stays, as the privacy policy allows: a
//! minimal closed-account record (the `users` row with every personal field blanked, kept 3 years), the
//! hash-chained moderation log (no content, only hashes), images on evidence hold, and invoices (amounts,
//! plan, period and the card's brand and last four digits; no name or address), which the law asks a seller
//! to keep for years ([`crate::periods::INVOICE_DAYS`]). The customer record at the payment processor goes
//! first (Stripe: the customer is deleted there, and with it its cards; the local processor: the cards on
//! file, with the rest here).

pub mod export;

use crate::billing::processor::BillingProcessor;
use crate::periods::DAY_MS;
use crate::{ids, AppState};

/// Days between asking to delete an account and its purge.
pub const GRACE_DAYS: i64 = 30;
/// Days a closed-account record is kept.
pub const CLOSED_RECORD_DAYS: i64 = 3 * 365;
/// A request is due within a month of its receipt.
pub const DUE_DAYS: i64 = 30;

/// Tables that keep rows of a purged account: the closed-account record, the audit log, images (only
/// those on evidence hold; the others are deleted with their files first), and invoices.
const KEPT: [&str; 4] = ["users", "moderation_log", "images", "invoices"];

/// Records a data-rights request; `detail` says what it is about (stored in English and as its key).
pub async fn open_request(
    tx: &mut sqlx::AnyConnection,
    now_ms: i64,
    user_id: &str,
    kind: &str,
    status: &str,
    detail: &vinano_api::Problem,
) -> sqlx::Result<String> {
    let id = ids::new_id();
    let completed = (status == "completed").then_some(now_ms);
    sqlx::query(
        "INSERT INTO data_requests (id, user_id, kind, status, detail, detail_said, received_at, due_at,
                                    completed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(kind)
    .bind(status)
    .bind(crate::i18n::english(detail))
    .bind(crate::i18n::stored(detail))
    .bind(now_ms)
    .bind(now_ms + DUE_DAYS * DAY_MS)
    .bind(completed)
    .execute(tx)
    .await?;
    Ok(id)
}

/// Moves a request to `status` (completing it when that is `completed`).
pub async fn set_status(
    tx: &mut sqlx::AnyConnection,
    now_ms: i64,
    user_id: &str,
    kind: &str,
    from: &str,
    to: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE data_requests SET status = $1, completed_at = CASE WHEN $1 IN ('completed', 'cancelled') THEN $2 END
         WHERE user_id = $3 AND kind = $4 AND status = $5",
    )
    .bind(to)
    .bind(now_ms)
    .bind(user_id)
    .bind(kind)
    .bind(from)
    .execute(tx)
    .await?;
    Ok(())
}

/// What deleting images did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Deleted {
    /// Versions deleted (rows and files).
    pub deleted: u64,
    /// Versions kept because they are on evidence hold.
    pub retained: u64,
    /// When they can still be brought back: how, and until when.
    pub restorable: Option<crate::undo::Restorable>,
}

/// Deletes the given images of `user_id` that are not on hold (rows now, files after the commit). With
/// `undo`, they can be brought back for a few seconds (see [`crate::undo`]); their files go after that.
pub async fn delete_images(
    state: &AppState,
    user_id: &str,
    ids: &[String],
    undo: bool,
) -> anyhow::Result<Deleted> {
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let mut keys = Vec::new();
    let mut result = Deleted::default();
    let token = ids::new_id();
    for id in ids {
        let key: Option<String> = if undo {
            crate::undo::delete_restorably(&mut tx, user_id, id, &token, now).await?
        } else {
            sqlx::query_scalar(
                "DELETE FROM images WHERE id = $1 AND user_id = $2 AND evidence_hold = 0 RETURNING blob_key",
            )
            .bind(id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?
        };
        match key {
            Some(key) => {
                keys.push(key);
                result.deleted += 1;
            }
            None => result.retained += 1,
        }
    }
    if undo {
        if result.deleted > 0 {
            result.restorable = Some(crate::undo::Restorable { token, until: now + crate::undo::WINDOW_MS });
        }
    } else {
        crate::trash::queue(&mut tx, now, crate::trash::Kind::Blob, &keys).await?;
    }
    tx.commit().await?;
    if result.restorable.is_some() {
        crate::undo::expire_later(state);
    } else {
        crate::trash::empty_now(state).await;
    }
    Ok(result)
}

/// An administrator's finding that an account belongs to someone under 13 (`vinano-server admin
/// delete-under-13 <email or username>`): the account is purged at once, without a grace period. Returns
/// the account id and how many images were kept for legal reasons, or `None` when no open account matches.
pub async fn delete_under_13(state: &AppState, login: &str) -> anyhow::Result<Option<(String, u64)>> {
    let id: Option<String> = sqlx::query_scalar(
        "SELECT id FROM users WHERE (email = $1 OR lower(username) = lower($1)) AND closed_at IS NULL",
    )
    .bind(login.trim())
    .fetch_optional(&state.db)
    .await?;
    let Some(id) = id else { return Ok(None) };
    let retained = purge_account(state, &id, "under_13_admin").await?;
    Ok(Some((id, retained)))
}

/// Deletes everything of an account but the closed-account record, the audit log and held images; ends its
/// sessions. Returns how many images were kept for legal reasons.
pub async fn purge_account(state: &AppState, user_id: &str, reason: &str) -> anyhow::Result<u64> {
    // First the customer record at the payment processor: if it can't be reached, nothing here is deleted
    // yet and the next sweep tries the whole purge again.
    state.billing.forget_customer(state, user_id).await?;
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let keys: Vec<String> =
        sqlx::query_scalar("DELETE FROM images WHERE user_id = $1 AND evidence_hold = 0 RETURNING blob_key")
            .bind(user_id)
            .fetch_all(&mut *tx)
            .await?;
    // Each export's file, and the one a build in flight may already have put in place (named for its lease).
    let rows: Vec<(String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT id, file_name, lease_owner FROM exports WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(&mut *tx)
            .await?;
    let exports: Vec<String> = rows
        .into_iter()
        .flat_map(|(id, file, owner)| {
            let building = owner.map(|o| crate::rights::export::files::name_for(&id, &o));
            [Some(file.unwrap_or(id)), building]
        })
        .flatten()
        .collect();
    for table in crate::storage::db::user_tables(&mut tx).await? {
        if KEPT.contains(&table.as_str()) {
            continue;
        }
        // The name comes from the schema itself, not from a request.
        sqlx::query(&format!("DELETE FROM \"{table}\" WHERE user_id = $1"))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "UPDATE users SET name = '', email = 'closed:' || id, username = 'closed-' || id, password_hash = '',
                          date_of_birth = '', email_verified_at = NULL, avatar_image_id = NULL,
                          language = 'en', time_zone = 'UTC', deletion_due_at = NULL, closed_at = $1
         WHERE id = $2",
    )
    .bind(now)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    let retained: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM images WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
    crate::trash::queue(&mut tx, now, crate::trash::Kind::Blob, &keys).await?;
    crate::trash::queue(&mut tx, now, crate::trash::Kind::Export, &exports).await?;
    tx.commit().await?;
    crate::trash::empty_now(state).await;
    tracing::info!(event = "account_purged", user = %user_id, reason, retained, "account deleted");
    Ok(retained as u64)
}

/// Purges accounts whose grace period is over, and drops closed-account records older than 3 years (once
/// nothing of theirs is held); returns `(purged, records dropped)`. A purge that fails is logged and
/// tried again at the next sweep; it doesn't hold up the other accounts.
pub async fn sweep(state: &AppState) -> anyhow::Result<(u64, u64)> {
    let now = state.clock.now_ms();
    let due: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM users WHERE deletion_due_at IS NOT NULL AND deletion_due_at <= $1",
    )
    .bind(now)
    .fetch_all(&state.db)
    .await?;
    let mut purged = 0;
    for id in &due {
        match purge_account(state, id, "requested").await {
            Ok(_) => purged += 1,
            Err(e) => tracing::error!(error = ?e, user = %id, "purging an account failed; will try again"),
        }
    }
    let dropped = sqlx::query(
        "DELETE FROM users WHERE closed_at IS NOT NULL AND closed_at <= $1
           AND NOT EXISTS (SELECT 1 FROM images WHERE images.user_id = users.id)",
    )
    .bind(now - CLOSED_RECORD_DAYS * DAY_MS)
    .execute(&state.db)
    .await?
    .rows_affected();
    // Invoices outlive the account, but not their legal period.
    sqlx::query("DELETE FROM invoices WHERE created_at <= $1")
        .bind(now - crate::periods::INVOICE_DAYS * DAY_MS)
        .execute(&state.db)
        .await?;
    Ok((purged, dropped))
}

/// `text` with the value of every `token=` (the single-use links in emails) replaced by `[removed]`.
pub fn redact_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("token=") {
        let (before, after) = rest.split_at(at + "token=".len());
        out.push_str(before);
        let secret = after.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(after.len());
        if secret > 0 {
            out.push_str("[removed]");
        }
        rest = &after[secret..];
    }
    out.push_str(rest);
    out
}

/// Columns never shown or exported: secrets, and internal storage keys.
const SECRET_COLUMNS: [&str; 5] =
    ["password_hash", "token_hash", "token_sealed", "blob_key", "prompt_sha256"];

/// Everything held about a person, by table: every table with a `user_id` column (found by walking the
/// schema, so a new table appears without anyone remembering it), plus their `users` row — secrets and
/// storage keys left out. Values are as stored (plus each image's `expires_at`, when retention deletes it);
/// times are Unix milliseconds.
pub async fn personal_data(
    db: &sqlx::AnyPool,
    user_id: &str,
) -> anyhow::Result<serde_json::Map<String, serde_json::Value>> {
    use sqlx::{Column, Row, TypeInfo, ValueRef};
    let mut conn = db.acquire().await?;
    let mut tables = crate::storage::db::user_tables(&mut conn).await?;
    tables.sort();
    let mut out = serde_json::Map::new();
    for table in std::iter::once("users".to_string()).chain(tables.into_iter().filter(|t| t != "users")) {
        let key = if table == "users" { "id" } else { "user_id" };
        let rows = sqlx::query(&format!("SELECT * FROM \"{table}\" WHERE {key} = $1"))
            .bind(user_id)
            .fetch_all(&mut *conn)
            .await?;
        let mut list = Vec::with_capacity(rows.len());
        for row in rows {
            let mut object = serde_json::Map::new();
            for (i, column) in row.columns().iter().enumerate() {
                let name = column.name();
                if SECRET_COLUMNS.contains(&name) {
                    continue;
                }
                let raw = row.try_get_raw(i)?;
                let value = if raw.is_null() {
                    serde_json::Value::Null
                } else {
                    match raw.type_info().name() {
                        "INTEGER" | "BIGINT" | "BOOLEAN" => row.try_get::<i64, _>(i)?.into(),
                        "REAL" => row.try_get::<f64, _>(i)?.into(),
                        "BLOB" => hex::encode(row.try_get::<Vec<u8>, _>(i)?).into(),
                        _ => row.try_get::<String, _>(i)?.into(),
                    }
                };
                object.insert(name.to_string(), value);
            }
            if table == "outbox" {
                // A message not yet delivered still holds its single-use link: never show or export it.
                if let Some(serde_json::Value::String(body)) = object.get_mut("body") {
                    *body = redact_tokens(body);
                }
            }
            if table == "images" {
                // When retention deletes it (none while it is held for legal reasons).
                let held = object.get("evidence_hold").and_then(serde_json::Value::as_i64).unwrap_or(0) != 0;
                let created = object.get("created_at").and_then(serde_json::Value::as_i64);
                let expires = created.filter(|_| !held).map(|c| c + crate::periods::IMAGE_DAYS * DAY_MS);
                object.insert("expires_at".into(), expires.into());
            }
            list.push(serde_json::Value::Object(object));
        }
        out.insert(table, serde_json::Value::Array(list));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn link_tokens_are_removed_from_text() {
        let token = "ab12".repeat(16);
        let text = format!("Reset: https://x.example/reset-password?token={token}\nand token={token}. Bye");
        let redacted = super::redact_tokens(&text);
        assert!(!redacted.contains(&token), "{redacted}");
        assert_eq!(
            redacted,
            "Reset: https://x.example/reset-password?token=[removed]\nand token=[removed]. Bye"
        );
        assert_eq!(super::redact_tokens("no links here"), "no links here");
        assert_eq!(super::redact_tokens("token="), "token=");
    }
}
