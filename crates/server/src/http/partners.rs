//! Me → Admin → Partners (`/admin/partners*`): the sites that embed the widget, registered and managed by an
//! administrator (anyone else gets 404, as for every admin route). The same acts as
//! `vinano-server admin partner …` (`src/partners/`), each written to the audit log; a secret is in the
//! answer that makes it and nowhere else.

use super::admin::Admin;
use super::extract::Json;
use super::{Error, Result};
use crate::partners::{self, NewPartner, PartnerChange};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::{AdminPartner, PartnerRotation, PartnerSecret};

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, add)).routes(routes!(change, remove)).routes(routes!(rotate))
}

/// Every partner, oldest first, with this month's spending and its visitors.
#[utoipa::path(get, path = "/admin/partners", tag = "admin", responses((status = 200, description = "The partners", body = Vec<vinano_api::AdminPartner>)), security(("session" = [])))]
async fn list(State(state): State<AppState>, _: Admin) -> Result<Json<Vec<AdminPartner>>> {
    Ok(Json(partners::overview(&state.db, state.clock.now_ms()).await?))
}

/// Registers a partner; its signing secret is in this answer only.
#[utoipa::path(post, path = "/admin/partners", tag = "admin", request_body = vinano_api::NewPartner, responses((status = 201, description = "The partner, its secret (shown once) and its snippet", body = vinano_api::PartnerSecret), (status = 422, description = "A name or an origin that can't be used", body = vinano_api::ErrorBody)), security(("session" = [])))]
async fn add(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Json(new): Json<NewPartner>,
) -> Result<(StatusCode, Json<PartnerSecret>)> {
    let (partner, secret) = partners::add(&state, &admin.id, new).await?;
    tracing::info!(event = "admin_partner_added", admin = %admin.id, partner = %partner.id, "partner registered");
    Ok((StatusCode::CREATED, Json(shown_once(&state, partner, secret).await?)))
}

/// A partner with its new secret and the snippet for its pages: the one answer that shows the secret.
async fn shown_once(state: &AppState, partner: partners::Partner, secret: String) -> Result<PartnerSecret> {
    let snippet = partners::snippet(&state.config.site_url(), &partner.id);
    let partner = partners::admin_view(&state.db, partner, state.clock.now_ms()).await?;
    Ok(PartnerSecret { partner, secret, snippet })
}

/// Changes a partner's name, origins, budget, allowance or guests; what is absent stays.
#[utoipa::path(patch, path = "/admin/partners/{id}", tag = "admin", params(("id" = String, Path, description = "A partner's id")), request_body = vinano_api::PartnerChange, responses((status = 200, description = "The partner as it is now", body = vinano_api::AdminPartner), (status = 404, description = "No such partner", body = vinano_api::ErrorBody), (status = 422, description = "A name or an origin that can't be used", body = vinano_api::ErrorBody)), security(("session" = [])))]
async fn change(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    Json(change): Json<PartnerChange>,
) -> Result<Json<AdminPartner>> {
    let partner = partners::change(&state, &admin.id, &id, change).await?.ok_or(Error::NotFound)?;
    tracing::info!(event = "admin_partner_changed", admin = %admin.id, partner = %id, "partner changed");
    Ok(Json(partners::admin_view(&state.db, partner, state.clock.now_ms()).await?))
}

/// Makes a partner a new signing secret (in this answer only); the previous one is still accepted for the
/// overlap, so the partner's servers can switch without refused sign-ins.
#[utoipa::path(post, path = "/admin/partners/{id}/secret", tag = "admin", params(("id" = String, Path, description = "A partner's id")), request_body = vinano_api::PartnerRotation, responses((status = 200, description = "The new secret (shown once)", body = vinano_api::PartnerSecret), (status = 404, description = "No such partner", body = vinano_api::ErrorBody)), security(("session" = [])))]
async fn rotate(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    Json(rotation): Json<PartnerRotation>,
) -> Result<Json<PartnerSecret>> {
    let hours = rotation.overlap_hours.map_or(partners::DEFAULT_OVERLAP_HOURS, u64::from);
    let overlap = partners::overlap_ms(hours);
    let secret = partners::rotate(&state, &admin.id, &id, overlap).await?.ok_or(Error::NotFound)?;
    tracing::info!(event = "admin_partner_rotated", admin = %admin.id, partner = %id, hours, "partner secret rotated");
    let partner = partners::get(&state.db, &id).await?.ok_or(Error::NotFound)?;
    Ok(Json(shown_once(&state, partner, secret).await?))
}

/// Removes a partner: its widget stops loading everywhere and its visitors' sessions end at once (their
/// accounts follow the usual retention and data rights).
#[utoipa::path(delete, path = "/admin/partners/{id}", tag = "admin", params(("id" = String, Path, description = "A partner's id")), responses((status = 204, description = "Removed"), (status = 404, description = "No such partner", body = vinano_api::ErrorBody)), security(("session" = [])))]
async fn remove(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    if !partners::remove(&state, &admin.id, &id).await? {
        return Err(Error::NotFound);
    }
    tracing::info!(event = "admin_partner_removed", admin = %admin.id, partner = %id, "partner removed");
    Ok(StatusCode::NO_CONTENT)
}
