//! The person's default edit settings (the server's `http/preferences.rs`).

use super::{json, ApiError};
use vinano_api::Preferences;

/// The person's editor defaults.
pub async fn preferences() -> Result<Preferences, ApiError> {
    json(super::early::get("/me/preferences").await).await
}
