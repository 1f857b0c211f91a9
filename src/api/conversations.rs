//! Conversations and their messages (the server's `http/conversations.rs`).

use super::{check, delete, get, json, patch, post, put, send_json, url, ApiError};
use vinano_api::{
    Conversation, ConversationDetail, DeviceEdit, Exchange, Message, NewConversation, PickVariant,
    PostMessage, RenameConversation,
};

/// The signed-in person's conversations, most recent first; `search` filters by title and prompt text.
pub async fn list_conversations(search: &str, limit: u32) -> Result<Vec<Conversation>, ApiError> {
    let mut path = format!("/conversations?limit={limit}");
    if !search.trim().is_empty() {
        path.push_str("&q=");
        path.push_str(&String::from(js_sys::encode_uri_component(search.trim())));
    }
    json(super::early::get(&path).await).await
}

/// Renames a conversation.
pub async fn rename_conversation(id: &str, title: &str) -> Result<Conversation, ApiError> {
    send_json(
        patch(&url(&format!("/conversations/{id}"))),
        &RenameConversation { title: Some(title.into()), commercial: None },
    )
    .await
}

/// Marks or unmarks a conversation for commercial use.
pub async fn set_conversation_commercial(id: &str, commercial: bool) -> Result<Conversation, ApiError> {
    send_json(
        patch(&url(&format!("/conversations/{id}"))),
        &RenameConversation { title: None, commercial: Some(commercial) },
    )
    .await
}

/// Deletes a conversation with its messages and images.
/// Returns the server's note when some images were kept (an evidence hold).
pub async fn delete_conversation(id: &str) -> Result<Option<vinano_api::ConversationDeleted>, ApiError> {
    let response = check(delete(&url(&format!("/conversations/{id}"))).send().await).await?;
    if response.status() == 204 {
        return Ok(None);
    }
    response.json().await.map(Some).map_err(|_| ApiError::Decode)
}

/// Starts a conversation.
pub async fn create_conversation() -> Result<Conversation, ApiError> {
    send_json(post(&url("/conversations")), &NewConversation::default()).await
}

/// A conversation with its messages.
pub async fn conversation(id: &str) -> Result<ConversationDetail, ApiError> {
    json(super::early::get(&format!("/conversations/{id}")).await).await
}

/// Sends an instruction; `idempotency_key` makes a retried send run once.
pub async fn post_message(id: &str, body: &PostMessage, idempotency_key: &str) -> Result<Exchange, ApiError> {
    let builder =
        post(&url(&format!("/conversations/{id}/messages"))).header("Idempotency-Key", idempotency_key);
    send_json(builder, body).await
}

/// Picks `image_id`, one of reply `message_id`'s variants: the reply shows it and the next edit works on it.
pub async fn pick_variant(conversation: &str, message_id: &str, image_id: &str) -> Result<Message, ApiError> {
    send_json(
        put(&url(&format!("/conversations/{conversation}/messages/{message_id}/image"))),
        &PickVariant { image_id: image_id.into() },
    )
    .await
}

/// Saves a version made on this device (`image`, its file) into conversation `id` as the reply to its
/// instruction (`edit`): the first time anything of it reaches the server.
pub async fn save_device_edit(
    id: &str,
    edit: &DeviceEdit,
    image: &web_sys::Blob,
) -> Result<Exchange, ApiError> {
    let form = web_sys::FormData::new().map_err(|_| ApiError::Decode)?;
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let words = serde_json::to_string(edit).map_err(|_| ApiError::Decode)?;
    let part = web_sys::Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&words.into()), &options)
        .map_err(|_| ApiError::Decode)?;
    form.append_with_blob("edit", &part).map_err(|_| ApiError::Decode)?;
    form.append_with_blob("image", image).map_err(|_| ApiError::Decode)?;
    let request =
        post(&url(&format!("/conversations/{id}/device-edits"))).body(form).map_err(|_| ApiError::Decode)?;
    json(request.send().await).await
}

/// The bytes of one of the person's images (to edit it on this device).
pub async fn image_bytes(image: &vinano_api::ImageInfo) -> Result<Vec<u8>, ApiError> {
    check(get(&image.url()).send().await).await?.binary().await.map_err(|_| ApiError::Network)
}
