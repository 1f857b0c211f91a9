//! The person's default edit settings (the server's `http/preferences.rs`).

use super::{json, url, ApiError};
use gloo_net::http::Request;
use vinano_api::Preferences;

/// The person's editor defaults.
pub async fn preferences() -> Result<Preferences, ApiError> {
    json(Request::get(&url("/me/preferences")).send().await).await
}
