//! The person's default edit settings (the server's `http/preferences.rs`).

use super::{get, json, url, ApiError};
use vinano_api::Preferences;

/// The person's editor defaults.
pub async fn preferences() -> Result<Preferences, ApiError> {
    json(get(&url("/me/preferences")).send().await).await
}
