//! The operator's controls (`/admin/*`): only for administrators — anyone else signed in gets 404, as if
//! there were nothing here. Every act that changes something is written to the audit log in its own
//! transaction (`src/admin/`).

use super::extract::{Json, Query};
use super::{CurrentUser, Error, Result};
use crate::admin::{self, people, reports};
use crate::AppState;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::{
    AccountDisabled, AdminPeople, AuditEntry, CreditAdjustment, InviteCreated, InviteInfo, Moderation, Usage,
};

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_people))
        .routes(routes!(adjust_credits))
        .routes(routes!(set_disabled))
        .routes(routes!(list_invites, create_invite))
        .routes(routes!(usage))
        .routes(routes!(moderation))
        .routes(routes!(audit))
}

/// A signed-in administrator (401 without a session; 404 for anyone who isn't one).
pub struct Admin(pub CurrentUser);

impl FromRequestParts<AppState> for Admin {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let is_admin: Option<i64> =
            sqlx::query_scalar("SELECT is_admin FROM users WHERE id = $1 AND closed_at IS NULL")
                .bind(&user.id)
                .fetch_optional(&state.db)
                .await?;
        match is_admin {
            Some(1) => Ok(Admin(user)),
            _ => Err(Error::NotFound),
        }
    }
}

/// A search over people.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Search {
    /// Part of a username, name or email (all when absent).
    #[serde(default)]
    q: String,
    /// How many to skip (pages of 50).
    #[serde(default)]
    offset: i64,
}

/// Open accounts, newest first, with plan, credits and whether they may sign in.
#[utoipa::path(get, path = "/admin/people", tag = "admin", params(Search), responses((status = 200, description = "A page of people", body = vinano_api::AdminPeople)), security(("session" = [])))]
async fn list_people(
    State(state): State<AppState>,
    _: Admin,
    Query(search): Query<Search>,
) -> Result<Json<AdminPeople>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(people::search(&mut conn, &state.config, &search.q, search.offset).await?))
}

/// Gives or takes back credits, with the reason the ledger keeps; the balance never goes below zero.
#[utoipa::path(post, path = "/admin/people/{id}/credits", tag = "admin", params(("id" = String, Path, description = "An account id")), request_body = vinano_api::CreditAdjustment, responses((status = 200, description = "The new balance", body = Object)), security(("session" = [])))]
async fn adjust_credits(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    Json(req): Json<CreditAdjustment>,
) -> Result<Json<serde_json::Value>> {
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let balance =
        people::adjust_credits(&mut tx, &state.config, (&admin.id, &id), req.amount, &req.reason, now)
            .await?;
    tx.commit().await?;
    tracing::info!(event = "admin_credits", admin = %admin.id, user = %id, amount = req.amount, "credits adjusted");
    Ok(Json(serde_json::json!({ "balance": balance })))
}

/// Disables an account (signed out everywhere at once, refused at sign-in) or enables it again.
#[utoipa::path(post, path = "/admin/people/{id}/disabled", tag = "admin", params(("id" = String, Path, description = "An account id")), request_body = vinano_api::AccountDisabled, responses((status = 204, description = "Done")), security(("session" = [])))]
async fn set_disabled(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    Json(req): Json<AccountDisabled>,
) -> Result<StatusCode> {
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    people::set_disabled(&mut tx, (&admin.id, &id), req.disabled, now).await?;
    tx.commit().await?;
    tracing::info!(event = "admin_disable", admin = %admin.id, user = %id, disabled = req.disabled, "account access changed");
    Ok(StatusCode::NO_CONTENT)
}

/// The latest invitations (their codes are not kept).
#[utoipa::path(get, path = "/admin/invites", tag = "admin", responses((status = 200, description = "Invitations, newest first", body = Vec<vinano_api::InviteInfo>)), security(("session" = [])))]
async fn list_invites(State(state): State<AppState>, _: Admin) -> Result<Json<Vec<InviteInfo>>> {
    Ok(Json(reports::invites(&state.db).await?))
}

/// Makes an invitation: its sign-up link is in this answer only.
#[utoipa::path(post, path = "/admin/invites", tag = "admin", responses((status = 201, description = "The link, shown once", body = vinano_api::InviteCreated)), security(("session" = [])))]
async fn create_invite(
    State(state): State<AppState>,
    Admin(admin): Admin,
) -> Result<(StatusCode, Json<InviteCreated>)> {
    let code = admin::create_invite(&state, &admin.id).await?;
    let expires = state.clock.now_ms() + admin::INVITE_DAYS * crate::periods::DAY_MS;
    let link = format!("{}/signup?invite={code}", state.config.site_url());
    Ok((StatusCode::CREATED, Json(InviteCreated { link, expires_at: crate::clock::timestamp(expires) })))
}

/// The window of a usage report.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Window {
    /// Days, today included (1–366; 30 when absent).
    days: Option<i64>,
}

/// Sign-ups, edits, credits spent and revenue for each day of the window (UTC), newest first.
#[utoipa::path(get, path = "/admin/usage", tag = "admin", params(Window), responses((status = 200, description = "By day", body = vinano_api::Usage)), security(("session" = [])))]
async fn usage(State(state): State<AppState>, _: Admin, Query(window): Query<Window>) -> Result<Json<Usage>> {
    let days = window.days.unwrap_or(30);
    let now = state.clock.now_ms();
    Ok(Json(reports::usage(&state.db, &state.config.billing.currency, now, days).await?))
}

/// The moderation log's latest decisions (hashes and categories), the evidence holds, and whether the log's
/// hash chain is intact.
#[utoipa::path(get, path = "/admin/moderation", tag = "admin", responses((status = 200, description = "Decisions and holds", body = vinano_api::Moderation)), security(("session" = [])))]
async fn moderation(State(state): State<AppState>, _: Admin) -> Result<Json<Moderation>> {
    Ok(Json(reports::moderation(&state.db).await?))
}

/// The latest administrators' acts, newest first.
#[utoipa::path(get, path = "/admin/audit", tag = "admin", responses((status = 200, description = "The audit log", body = Vec<vinano_api::AuditEntry>)), security(("session" = [])))]
async fn audit(State(state): State<AppState>, _: Admin) -> Result<Json<Vec<AuditEntry>>> {
    Ok(Json(reports::audit_log(&state.db).await?))
}
