//! The person's editor defaults (`/me/preferences`): aspect ratio, style and format, updated to their last
//! choices whenever they send an instruction with parameters.

use super::extract::Json;
use super::{CurrentUser, Result};
use crate::AppState;
use axum::extract::State;
use sqlx::{Any, Executor};
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::Preferences;

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(show, update))
}

/// The stored preferences, or the defaults.
pub(crate) async fn load(state: &AppState, user_id: &str) -> Result<Preferences> {
    let json: Option<String> = sqlx::query_scalar("SELECT edit_json FROM preferences WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&state.db)
        .await?;
    let edit = json.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default();
    Ok(Preferences { edit })
}

/// Stores preferences (insert or replace).
pub(crate) async fn save<'e, E: Executor<'e, Database = Any>>(
    db: E,
    user_id: &str,
    now_ms: i64,
    preferences: &Preferences,
) -> Result<()> {
    let json = serde_json::to_string(&preferences.edit).map_err(anyhow::Error::from)?;
    sqlx::query(
        "INSERT INTO preferences (user_id, edit_json, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET edit_json = excluded.edit_json, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(json)
    .bind(now_ms)
    .execute(db)
    .await?;
    Ok(())
}

/// The default edit settings (aspect, style, format), or the defaults.
#[utoipa::path(get, path = "/me/preferences", tag = "preferences", responses((status = 200, description = "The stored preferences, or the defaults", body = vinano_api::Preferences)), security(("session" = [])))]
async fn show(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Preferences>> {
    Ok(Json(load(&state, &user.id).await?))
}

/// Stores the default edit settings.
#[utoipa::path(put, path = "/me/preferences", tag = "preferences", request_body = vinano_api::Preferences, responses((status = 200, description = "Stored", body = vinano_api::Preferences)), security(("session" = [])))]
async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(preferences): Json<Preferences>,
) -> Result<Json<Preferences>> {
    vinano_api::validate::variants(preferences.edit.variants)?;
    save(&state.db, &user.id, state.clock.now_ms(), &preferences).await?;
    Ok(Json(preferences))
}
