//! The privacy policy in force, and accepting it (the server's `http/policy.rs`).

use super::{get, json, post, url, ApiError};
use vinano_api::{Me, PolicyInfo};

/// The privacy policy in force.
pub async fn policy() -> Result<PolicyInfo, ApiError> {
    json(get(&url("/policy")).send().await).await
}

/// Accepts the current privacy policy.
pub async fn accept_policy() -> Result<Me, ApiError> {
    json(post(&url("/me/policy/accept")).send().await).await
}
