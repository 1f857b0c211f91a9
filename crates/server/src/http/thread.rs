//! Writing a conversation's thread: a message row, the conversation marked active (and named after its
//! first instruction), and the ownership check of an image a message names. Shared by sending an
//! instruction and saving a version made on the device.

use super::idempotency::Idempotency;
use super::{Error, Result};
use crate::conversations::title_from;
use crate::ids::{ImageId, UserId};
use crate::AppState;
use vinano_api::{Conversation, Problem};

/// Marks `conversation` as just active, named after `words` (its first instruction) while it still has the
/// default title.
pub(super) async fn touch(
    tx: &mut sqlx::AnyConnection,
    conversation: &Conversation,
    words: Option<&str>,
    now: i64,
) -> Result<()> {
    let title = match words {
        Some(words) if conversation.title == super::conversations::DEFAULT_TITLE => title_from(words),
        _ => conversation.title.clone(),
    };
    sqlx::query("UPDATE conversations SET title = $1, updated_at = $2 WHERE id = $3")
        .bind(&title)
        .bind(now)
        .bind(&conversation.id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// A message row to insert.
pub(super) struct NewMessage<'a> {
    pub id: &'a str,
    pub conversation_id: &'a str,
    pub user_id: &'a str,
    pub position: i64,
    pub role: &'a str,
    pub text: &'a str,
    /// The text as a message key (an assistant's reply).
    pub said: Option<&'a Problem>,
    pub image_id: Option<&'a str>,
    pub reply_to: Option<&'a str>,
    pub idempotency: Option<&'a Idempotency>,
    pub now: i64,
}

pub(super) async fn insert_message(tx: &mut sqlx::AnyConnection, m: NewMessage<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO messages (id, conversation_id, user_id, position, role, text, text_said, image_id, reply_to,
                               idempotency_key, request_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(m.id)
    .bind(m.conversation_id)
    .bind(m.user_id)
    .bind(m.position)
    .bind(m.role)
    .bind(m.text)
    .bind(m.said.map(crate::i18n::stored))
    .bind(m.image_id)
    .bind(m.reply_to)
    .bind(m.idempotency.map(|i| i.key.as_str()))
    .bind(m.idempotency.map(|i| i.fingerprint.as_str()))
    .bind(m.now)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// 404 unless the image exists and belongs to `user_id`.
pub(super) async fn load_owned_id(
    state: &AppState,
    user_id: &UserId,
    image_id: &ImageId,
) -> Result<(u32, u32)> {
    let found: Option<(i64, i64)> =
        sqlx::query_as("SELECT width, height FROM images WHERE id = $1 AND user_id = $2")
            .bind(image_id)
            .bind(user_id)
            .fetch_optional(&state.db)
            .await?;
    let (w, h) = found.ok_or(Error::NotFound)?;
    Ok((w.clamp(0, i64::from(u32::MAX)) as u32, h.clamp(0, i64::from(u32::MAX)) as u32))
}
