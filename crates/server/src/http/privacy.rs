//! Me → Privacy: settings with their ledger (`/me/privacy`, `/me/consents`) and an image's privacy flags
//! (`PATCH /images/{id}`: commercial use, and explicit training consent for a commercial image).

use super::extract::Json;
use super::CurrentUser;
use super::{Error, Result};
use crate::ids::ImageId;
use crate::privacy;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::Msg;
use vinano_api::{ConsentEntry, ImageFlags, ImageInfo, PrivacySettings, PrivacyUpdate};

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(show, update)).routes(routes!(ledger)).routes(routes!(flag_image))
}

/// Applies Global Privacy Control when the browser sends it (once per account), then reads the settings.
async fn current(state: &AppState, user: &CurrentUser, headers: &HeaderMap) -> Result<PrivacySettings> {
    let gpc = privacy::gpc(headers);
    if gpc {
        let mut tx = crate::storage::db::write_tx(&state.db).await?;
        if privacy::apply_gpc(&mut tx, privacy::At::now(state), &user.id).await? {
            tracing::info!(event = "gpc_applied", user = %user.id, "Global Privacy Control honoured");
        }
        tx.commit().await?;
    }
    Ok(privacy::load(&state.db, &user.id).await?.view(gpc))
}

/// The privacy settings (Global Privacy Control is honoured when the browser sends it).
#[utoipa::path(get, path = "/me/privacy", tag = "privacy", params(("Sec-GPC" = Option<String>, Header, description = "Global Privacy Control: `1` opts out (applied once per account)")), responses((status = 200, description = "The privacy settings", body = vinano_api::PrivacySettings)), security(("session" = [])))]
async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
) -> Result<Json<PrivacySettings>> {
    Ok(Json(current(&state, &user, &headers).await?))
}

/// Changes privacy settings; each change is recorded in the consent ledger.
#[utoipa::path(patch, path = "/me/privacy", tag = "privacy", request_body = vinano_api::PrivacyUpdate, responses((status = 200, description = "The updated settings", body = vinano_api::PrivacySettings)), security(("session" = [])))]
async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Json(req): Json<PrivacyUpdate>,
) -> Result<Json<PrivacySettings>> {
    if req == PrivacyUpdate::default() {
        return Err(Error::InvalidInput(Msg::PrivacyNothing.into()));
    }
    current(&state, &user, &headers).await?;
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let settings = privacy::change(&mut tx, privacy::At::now(&state), &user.id, &req, "settings").await?;
    tx.commit().await?;
    tracing::info!(event = "privacy_changed", user = %user.id, "privacy settings changed");
    Ok(Json(settings.view(privacy::gpc(&headers))))
}

/// The consent ledger: every consent given or withdrawn, newest first.
#[utoipa::path(get, path = "/me/consents", tag = "privacy", responses((status = 200, description = "Every consent given or withdrawn, newest first", body = [vinano_api::ConsentEntry])), security(("session" = [])))]
async fn ledger(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Vec<ConsentEntry>>> {
    let rows: Vec<(String, Option<String>, String, String, String, i64)> = sqlx::query_as(
        "SELECT what, old_value, new_value, policy_version, source, created_at FROM consents
         WHERE user_id = $1 ORDER BY seq DESC",
    )
    .bind(&user.id)
    .fetch_all(&state.db)
    .await?;
    Ok(Json(
        rows.into_iter()
            .map(|(what, old_value, new_value, policy_version, source, at)| ConsentEntry {
                what,
                old_value,
                new_value,
                policy_version,
                source,
                at: crate::clock::timestamp(at),
            })
            .collect(),
    ))
}

/// Sets an image's commercial-use and training-consent flags.
#[utoipa::path(patch, path = "/images/{id}", tag = "privacy", params(("id" = String, Path, description = "An image id")), request_body = vinano_api::ImageFlags, responses((status = 200, description = "The image with its new flags", body = vinano_api::ImageInfo)), security(("session" = [])))]
async fn flag_image(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<ImageId>,
    Json(req): Json<ImageFlags>,
) -> Result<Json<ImageInfo>> {
    if req == ImageFlags::default() {
        return Err(Error::InvalidInput(Msg::ImageFlagsNothing.into()));
    }
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let before: Option<(i64, i64)> =
        sqlx::query_as("SELECT commercial, training_consent FROM images WHERE id = $1 AND user_id = $2")
            .bind(&id)
            .bind(&user.id)
            .fetch_optional(&mut *tx)
            .await?;
    let (commercial, consent) = before.map(|(c, t)| (c != 0, t != 0)).ok_or(Error::NotFound)?;
    let new_commercial = req.commercial.unwrap_or(commercial);
    // Consent is about a commercial image; unmarking it as commercial withdraws the consent with it.
    let new_consent = new_commercial && req.training_consent.unwrap_or(consent);
    sqlx::query("UPDATE images SET commercial = $1, training_consent = $2 WHERE id = $3")
        .bind(i64::from(new_commercial))
        .bind(i64::from(new_consent))
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    if new_consent != consent {
        let what = format!("training_consent:image:{id}");
        let (old, new) =
            (if consent { "given" } else { "none" }, if new_consent { "given" } else { "withdrawn" });
        privacy::record(&mut tx, privacy::At::now(&state), &user.id, &what, Some(old), new, "image").await?;
    }
    tx.commit().await?;
    let info = crate::images::info_of(&state, &user.id, &id).await?;
    Ok(Json(info))
}
