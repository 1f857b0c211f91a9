//! Share links (the server's `http/shares.rs`): the owner's links, and what a link shows to anyone.

use super::{check, delete, get, json, post, send_json, url, ApiError};
use vinano_api::{ImageInfo, NewShare, Share, SharedView, SharesRevoked};

/// Makes a read-only link to a version or a conversation.
pub async fn create_share(new: &NewShare) -> Result<Share, ApiError> {
    send_json(post(&url("/shares")), new).await
}

/// The person's links that still work, newest first.
pub async fn shares() -> Result<Vec<Share>, ApiError> {
    json(get(&url("/shares")).send().await).await
}

/// Turns one link off.
pub async fn revoke_share(id: &str) -> Result<(), ApiError> {
    check(delete(&url(&format!("/shares/{id}"))).send().await).await.map(|_| ())
}

/// Turns every one of the person's links off.
pub async fn revoke_all_shares() -> Result<SharesRevoked, ApiError> {
    json(delete(&url("/shares")).send().await).await
}

/// What a link shows (no account needed).
pub async fn shared(token: &str) -> Result<SharedView, ApiError> {
    json(get(&url(&format!("/shared/{token}"))).send().await).await
}

/// A copy of a picture a link shows, as a new photo of the signed-in person's.
pub async fn copy_shared(token: &str, image_id: &str) -> Result<ImageInfo, ApiError> {
    json(post(&url(&format!("/shared/{token}/images/{image_id}/copy"))).send().await).await
}
