//! `Idempotency-Key` on sending a message: a repeated request (a double tap, a retry after a dropped
//! connection) answers with the first exchange instead of sending it twice. A key belongs to one
//! conversation and to one request: the stored fingerprint (SHA-256 of the request body as parsed) must
//! match, so the same key with other words is refused (422) rather than answered with the wrong exchange,
//! and the same key in another conversation is simply a new key there.

use super::conversations::messages;
use super::{CurrentUser, Error, Result};
use crate::AppState;
use axum::http::HeaderMap;
use vinano_api::Msg;
use vinano_api::{Exchange, PostMessage};

/// A request's key and fingerprint.
pub(super) struct Idempotency {
    /// The client's key (1 to 200 characters).
    pub key: String,
    /// What the request asked for, hashed.
    pub fingerprint: String,
}

/// The client's `Idempotency-Key` (none when absent, empty or longer than 200 characters): the one reading
/// of the header for every request that takes one (a message, an upload, a checkout).
pub(super) fn key(headers: &HeaderMap) -> Option<String> {
    let key = headers.get("idempotency-key")?.to_str().ok()?.trim();
    (!key.is_empty() && key.len() <= 200).then(|| key.to_string())
}

impl Idempotency {
    /// The key from the headers (none when absent, empty or too long) with the request's fingerprint.
    pub fn of(headers: &HeaderMap, request: &PostMessage) -> Option<Self> {
        let key = key(headers)?;
        let canonical = serde_json::to_string(request).unwrap_or_default();
        Some(Self { key, fingerprint: crate::credentials::hash_token(&canonical) })
    }

    /// The exchange this key already made in this conversation; 422 when it was made by another request.
    pub async fn replay(
        &self,
        state: &AppState,
        user: &CurrentUser,
        conversation_id: &str,
    ) -> Result<Option<Exchange>> {
        let row: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT p.id, r.id, p.request_hash FROM messages p LEFT JOIN messages r ON r.reply_to = p.id
             WHERE p.user_id = $1 AND p.idempotency_key = $2 AND p.conversation_id = $3",
        )
        .bind(&user.id)
        .bind(&self.key)
        .bind(conversation_id)
        .fetch_optional(&state.db)
        .await?;
        let Some((prompt, reply, fingerprint)) = row else { return Ok(None) };
        if fingerprint.is_some_and(|f| f != self.fingerprint) {
            return Err(Error::InvalidInput(Msg::MessageKeyReused.into()));
        }
        let ids = [prompt.as_str(), reply.as_deref().unwrap_or(&prompt)];
        let mut stored = messages(state, conversation_id, Some(ids)).await?.into_iter();
        Ok(stored.next().map(|prompt| {
            let job = prompt.job.clone();
            Exchange { prompt, reply: stored.next(), job }
        }))
    }
}
