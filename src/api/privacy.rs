//! Privacy settings, an image's flags and the consent ledger (the server's `http/privacy.rs`).

use super::{get, json, patch, send_json, url, ApiError};
use vinano_api::{ConsentEntry, ImageFlags, ImageInfo, PrivacySettings, PrivacyUpdate};

/// Sets an image's privacy flags (commercial use, training consent).
pub async fn flag_image(id: &str, flags: &ImageFlags) -> Result<ImageInfo, ApiError> {
    send_json(patch(&url(&format!("/images/{id}"))), flags).await
}

/// The person's privacy settings.
pub async fn privacy() -> Result<PrivacySettings, ApiError> {
    json(get(&url("/me/privacy")).send().await).await
}

/// Changes privacy settings.
pub async fn update_privacy(update: &PrivacyUpdate) -> Result<PrivacySettings, ApiError> {
    send_json(patch(&url("/me/privacy")), update).await
}

/// The consent ledger, newest first.
pub async fn consents() -> Result<Vec<ConsentEntry>, ApiError> {
    json(get(&url("/me/consents")).send().await).await
}
