//! Deleting, the request tracker and exports (the server's `http/rights.rs`).

use super::{check, delete, get, json, post, send_json, url, ApiError};
use vinano_api::{
    DataRequest, DateRange, DeleteAccount, DeletedImages, ExportInfo, ExportList, Me, Restore, Restored,
};

/// Deletes one image version, or (`all`) every version of the image; with `undo`, they can be brought
/// back for a few seconds ([`restore_images`]).
pub async fn delete_image(id: &str, all: bool, undo: bool) -> Result<DeletedImages, ApiError> {
    let which = if all { "all" } else { "one" };
    json(delete(&url(&format!("/images/{id}?versions={which}&undo={undo}"))).send().await).await
}

/// Brings back versions deleted a moment ago: the same ids, pictures and places in their threads.
pub async fn restore_images(token: &str) -> Result<Restored, ApiError> {
    send_json(post(&url("/me/images/restore")), &Restore { token: token.to_string() }).await
}

/// Deletes every image made between two dates (inclusive).
pub async fn delete_range(range: &DateRange) -> Result<DeletedImages, ApiError> {
    send_json(post(&url("/me/images/delete-range")), range).await
}

/// Schedules the account's deletion (after the grace period) and signs out everywhere.
pub async fn request_deletion(password: &str) -> Result<(), ApiError> {
    let request = post(&url("/me/deletion"))
        .json(&DeleteAccount { password: password.into() })
        .map_err(|_| ApiError::Decode)?;
    check(request.send().await).await.map(|_| ())
}

/// Keeps the account: cancels a scheduled deletion.
pub async fn cancel_deletion() -> Result<Me, ApiError> {
    json(delete(&url("/me/deletion")).send().await).await
}

/// Everything held about the person, table by table (Access).
pub async fn personal_data() -> Result<serde_json::Map<String, serde_json::Value>, ApiError> {
    json(get(&url("/me/data")).send().await).await
}

/// Asks for a copy of everything (built in the background).
pub async fn request_export() -> Result<ExportInfo, ApiError> {
    json(post(&url("/me/exports")).send().await).await
}

/// The person's exports, newest first, and whether this session may download without its password.
pub async fn exports() -> Result<ExportList, ApiError> {
    json(get(&url("/me/exports")).send().await).await
}

/// The data-rights requests, newest first.
pub async fn requests() -> Result<Vec<DataRequest>, ApiError> {
    json(get(&url("/me/requests")).send().await).await
}

/// A ready export's ZIP, whole (the widget saves it from memory: a link can't carry its header).
pub async fn export_bytes(id: &str) -> Result<Vec<u8>, ApiError> {
    let response = check(get(&url(&format!("/me/exports/{id}/download"))).send().await).await?;
    response.binary().await.map_err(|_| ApiError::Network)
}
