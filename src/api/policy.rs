//! The privacy policy in force, and accepting it (the server's `http/policy.rs`).

use super::{json, url, ApiError};
use gloo_net::http::Request;
use vinano_api::{Me, PolicyInfo};

/// The privacy policy in force.
pub async fn policy() -> Result<PolicyInfo, ApiError> {
    json(Request::get(&url("/policy")).send().await).await
}

/// Accepts the current privacy policy.
pub async fn accept_policy() -> Result<Me, ApiError> {
    json(Request::post(&url("/me/policy/accept")).send().await).await
}
