//! Retention, enforced: what the privacy policy says is kept only so long is deleted on time.
//!
//! - images (originals and results) 90 days after they were made — rows and files;
//! - conversation history 12 months after its last activity;
//! - data exports 24 hours after they were ready (the file; the tracker keeps the request);
//! - housekeeping: expired sessions and email links, and delivered mail after 30 days;
//! - widget guests 30 days after they were last seen, with everything in them;
//! - billing, on the same clock: periods that ended are renewed and unpaid renewals tried again
//!   ([`crate::billing::dunning`]);
//! - files: whatever the deletion queue ([`crate::trash`]) still holds is removed, and the reconciler
//!   ([`crate::reconcile`]) checks the files on disk against the rows.
//!
//! Anything on evidence hold is skipped. The sweep runs at start-up and then every hour; it reads the
//! injectable clock, so tests move time instead of waiting.

use crate::AppState;
use std::time::Duration;

pub use crate::periods::{image_expiry, CONVERSATION_DAYS, DAY_MS, IMAGE_DAYS, MAIL_DAYS};

/// What one sweep deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    /// Image versions (rows and files).
    pub images: u64,
    /// Conversations (with their messages).
    pub conversations: u64,
    /// Expired sessions, used or expired links (emailed and shared), old delivered mail.
    pub housekeeping: u64,
    /// Accounts purged at the end of their grace period.
    pub accounts: u64,
    /// Closed-account records dropped after 3 years.
    pub closed_records: u64,
    /// Widget guests removed after 30 quiet days ([`crate::partners::visitors`]).
    pub guests: u64,
    /// Data exports past their 24 hours (files deleted).
    pub exports: u64,
    /// Files removed from the deletion queue (this sweep's deletes and any a crash left queued).
    pub files_removed: u64,
    /// What the reconciler found: files no row names, temporary leftovers, rows without their file.
    pub reconciled: crate::reconcile::Reconciled,
}

/// Runs one sweep. Each part runs even when one before it failed (the first error is returned after all
/// of them ran): a failing purge can't hold up export expiry or file removal.
pub async fn sweep(state: &AppState) -> anyhow::Result<Swept> {
    let mut swept = Swept::default();
    let mut first_error = None;
    let mut note = |e: anyhow::Error| {
        tracing::error!(error = ?e, "part of the retention sweep failed; will try again");
        first_error.get_or_insert(e);
    };
    if let Err(e) = expire(state, &mut swept).await {
        note(e);
    }
    match crate::rights::sweep(state).await {
        Ok(counts) => (swept.accounts, swept.closed_records) = counts,
        Err(e) => note(e),
    }
    match crate::partners::visitors::purge_quiet_guests(state).await {
        Ok(count) => swept.guests = count,
        Err(e) => note(e),
    }
    if let Err(e) = crate::billing::dunning::sweep(state).await {
        note(e);
    }
    match crate::rights::export::sweep(state).await {
        Ok(count) => swept.exports = count,
        Err(e) => note(e),
    }
    if let Err(e) = crate::undo::forget_expired(state).await {
        note(e);
    }
    match crate::trash::empty(state).await {
        Ok(count) => swept.files_removed = count,
        Err(e) => note(e),
    }
    match crate::reconcile::run(state, crate::reconcile::SAFETY_WINDOW).await {
        Ok(found) => swept.reconciled = found,
        Err(e) => note(e),
    }
    if swept != Swept::default() {
        tracing::info!(
            event = "retention",
            images = swept.images,
            conversations = swept.conversations,
            housekeeping = swept.housekeeping,
            accounts = swept.accounts,
            closed_records = swept.closed_records,
            guests = swept.guests,
            exports = swept.exports,
            files_removed = swept.files_removed,
            "expired data deleted"
        );
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(swept),
    }
}

/// Deletes expired images and conversations and the housekeeping rows (files queued for removal).
async fn expire(state: &AppState, swept: &mut Swept) -> anyhow::Result<()> {
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let blobs: Vec<String> = sqlx::query_scalar(
        "DELETE FROM images WHERE created_at <= $1 AND evidence_hold = 0 RETURNING blob_key",
    )
    .bind(now - IMAGE_DAYS * DAY_MS)
    .fetch_all(&mut *tx)
    .await?;
    swept.images = blobs.len() as u64;
    swept.conversations = sqlx::query("DELETE FROM conversations WHERE updated_at <= $1")
        .bind(now - CONVERSATION_DAYS * DAY_MS)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    for (sql, cutoff) in [
        ("DELETE FROM sessions WHERE expires_at <= $1", now),
        ("DELETE FROM email_tokens WHERE expires_at <= $1", now),
        ("DELETE FROM shares WHERE expires_at IS NOT NULL AND expires_at <= $1", now),
        ("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at <= $1", now - MAIL_DAYS * DAY_MS),
        ("DELETE FROM error_reports WHERE created_at <= $1", now - IMAGE_DAYS * DAY_MS),
        ("DELETE FROM usage WHERE at <= $1", now - crate::quota::HOUR_MS),
    ] {
        swept.housekeeping += sqlx::query(sql).bind(cutoff).execute(&mut *tx).await?.rows_affected();
    }
    // The files go after the commit, by the deletion queue written in the same transaction.
    crate::trash::queue(&mut tx, now, crate::trash::Kind::Blob, &blobs).await?;
    tx.commit().await?;
    Ok(())
}

/// Sweeps now and then every `every`.
pub fn spawn(state: &AppState, every: Duration) {
    let state = state.clone();
    tokio::spawn(async move {
        loop {
            if let Err(e) = sweep(&state).await {
                tracing::error!(error = ?e, "retention sweep failed; will try again");
            }
            tokio::time::sleep(every).await;
        }
    });
}
