//! Single-use links sent by email (confirming an address, resetting a password): the token is mailed, only
//! its hash is kept, and it expires.

use crate::{credentials, ids, mail, AppState};

/// Lifetime of a password-reset link.
pub const RESET_LINK_SECS: i64 = 30 * 60;
/// Lifetime of an email-verification link.
pub const VERIFY_LINK_SECS: i64 = 2 * 24 * 3600;

/// Creates a single-use link token for `purpose` and returns the token (to mail; only its hash is kept).
pub async fn new_link(
    tx: &mut sqlx::AnyConnection,
    now: i64,
    user_id: &str,
    purpose: &str,
    new_email: Option<&str>,
    lifetime_secs: i64,
) -> sqlx::Result<String> {
    let token = ids::random_hex(32);
    sqlx::query(
        "INSERT INTO email_tokens (token_hash, user_id, purpose, new_email, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(credentials::hash_token(&token))
    .bind(user_id)
    .bind(purpose)
    .bind(new_email)
    .bind(now)
    .bind(now + lifetime_secs * 1000)
    .execute(tx)
    .await?;
    Ok(token)
}

/// Queues the "confirm your email" message for `address` (the account's, or a new one being changed to).
pub async fn send_verification(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    user_id: &str,
    address: &str,
    change: bool,
) -> sqlx::Result<()> {
    let now = state.clock.now_ms();
    let purpose = if change { "email_change" } else { "verify" };
    let token = new_link(tx, now, user_id, purpose, change.then_some(address), VERIFY_LINK_SECS).await?;
    let link = format!("{}/verify-email?token={token}", state.config.site_url());
    // The caller wakes the sender once its transaction has committed (before, the message isn't visible).
    let args = [("address", address), ("link", link.as_str())];
    mail::queue_letter(tx, now, user_id, address, "mail-verify", &args).await
}
