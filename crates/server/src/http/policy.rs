//! The privacy policy's current version (`GET /policy`, public) and accepting it (`POST /me/policy/accept`).

use super::auth::load_me;
use super::extract::Json;
use super::CurrentUser;
use super::Result;
use crate::AppState;
use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::{Me, PolicyInfo};

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(current)).routes(routes!(accept))
}

/// The privacy policy version in force and when it was published.
#[utoipa::path(get, path = "/policy", tag = "policy", responses((status = 200, description = "The privacy policy in force", body = vinano_api::PolicyInfo)))]
async fn current(State(state): State<AppState>) -> Result<Json<PolicyInfo>> {
    let published: Option<i64> =
        sqlx::query_scalar("SELECT published_at FROM policy_versions WHERE version = $1")
            .bind(&state.config.policy_version)
            .fetch_optional(&state.db)
            .await?;
    Ok(Json(PolicyInfo {
        version: state.config.policy_version.clone(),
        published_at: published.map(crate::clock::timestamp),
    }))
}

/// Accepts the privacy policy version in force (recorded in the consent ledger).
#[utoipa::path(post, path = "/me/policy/accept", tag = "policy", responses((status = 200, description = "Accepted", body = vinano_api::Me)), security(("session" = [])))]
async fn accept(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Me>> {
    crate::policy::accept(&state, &user.id, "banner").await?;
    tracing::info!(event = "policy_accepted", user = %user.id, version = %state.config.policy_version, "policy accepted");
    Ok(Json(load_me(&state, &user.id).await?))
}
