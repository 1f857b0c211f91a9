//! My presets (`/presets`; the rules are `src/presets.rs`'s): the person saves the steps of a version under a
//! name and an icon, lists and deletes them; a message runs one with `PostMessage.preset`.

use super::extract::Json;
use super::{CurrentUser, Error, Result};
use crate::presets;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::{NewPreset, Preset};

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(delete))
}

/// The person's presets, the most recently used or saved first.
#[utoipa::path(get, path = "/presets", tag = "presets", responses((status = 200, description = "The presets", body = Vec<vinano_api::Preset>)), security(("session" = [])))]
async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Vec<Preset>>> {
    Ok(Json(presets::list(&state, &user.id).await?))
}

/// Saves the steps that made one of the person's versions as a preset.
#[utoipa::path(post, path = "/presets", tag = "presets", request_body = vinano_api::NewPreset, responses((status = 201, description = "The preset", body = vinano_api::Preset), (status = 404, description = "No such version of theirs", body = vinano_api::ErrorBody), (status = 409, description = "They keep the most presets allowed already", body = vinano_api::ErrorBody), (status = 422, description = "A name that is empty or too long, or steps that can't be run again on another photo", body = vinano_api::ErrorBody)), security(("session" = [])))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(new): Json<NewPreset>,
) -> Result<(StatusCode, Json<Preset>)> {
    Ok((StatusCode::CREATED, Json(presets::create(&state, &user.id, &new).await?)))
}

/// Deletes one of the person's presets.
#[utoipa::path(delete, path = "/presets/{id}", tag = "presets", params(("id" = String, Path, description = "The preset's id")), responses((status = 204, description = "Deleted"), (status = 404, description = "No such preset of theirs", body = vinano_api::ErrorBody)), security(("session" = [])))]
async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    if !presets::delete(&state, &user.id, &id).await? {
        return Err(Error::NotFound);
    }
    tracing::info!(event = "preset_deleted", user = %user.id, preset = %id, "preset deleted");
    Ok(StatusCode::NO_CONTENT)
}
