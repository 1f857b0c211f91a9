//! The widget on partners' sites (`/widget/session`), the routes a widget session may use, and the framing
//! policy of the embed page.
//!
//! Inside a partner's page the widget is an iframe of `/embed?partner=…` on this origin, so its requests to
//! the API are same-origin; it names its partner in the `X-Vinano-Widget` header and carries its own cookie
//! (`__Host-vinano_widget`), which opens only the routes in [`ROUTES`]. The site's session cookie is
//! `SameSite=Lax`, so a browser doesn't send it inside another site's page at all.

use super::extract::{Json, Query, WIDGET_COOKIE};
use super::security::Client;
use super::{CurrentUser, Error, Result};
use crate::billing::ledger;
use crate::partners::{self, visitors};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{AppendHeaders, IntoResponse};
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::{Msg, WidgetImageLink, WidgetPartner, WidgetSession, WidgetSignIn};

/// What a widget session may do: `(method, route under /api/v1)`. Everything else answers 401 to it.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/widget/session"),
    ("DELETE", "/widget/session"),
    ("POST", "/images"),
    ("GET", "/images/{id}"),
    ("POST", "/conversations"),
    ("GET", "/conversations/{id}"),
    ("POST", "/conversations/{id}/messages"),
    ("GET", "/jobs/{id}"),
    ("POST", "/jobs/{id}/cancel"),
    ("POST", "/widget/images/{id}/link"),
    // The visitor's data rights, as everyone's: a copy of everything, and deleting everything.
    ("POST", "/me/exports"),
    ("GET", "/me/exports"),
    ("GET", "/me/exports/{id}/download"),
    ("DELETE", "/widget/visitor"),
];

/// How long an image link given to the widget (and its partner's page) works.
pub const LINK_MS: i64 = 10 * 60 * 1000;

/// Whether a widget session may use `method` on the route whose pattern is `path` (with the API prefix).
pub fn allows(method: &Method, path: &str) -> bool {
    let Some(route) = path.strip_prefix(vinano_api::API_PREFIX) else { return false };
    ROUTES.iter().any(|(m, r)| *m == method.as_str() && *r == route)
}

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_in, show, sign_out))
        .routes(routes!(forget))
        .routes(routes!(partner_info))
        .routes(routes!(image_link))
        .routes(routes!(file))
}

/// The widget's cookie: always `Secure` (a browser keeps a `SameSite=None` cookie only then, and treats
/// `localhost` as secure while developing), partitioned by the partner's site.
fn cookie(token: &str, max_age: i64) -> String {
    format!(
        "{WIDGET_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=None; Partitioned; Max-Age={max_age}"
    )
}

/// The session as the widget shows it: the partner, the kind of visitor, the credits left.
async fn session_of(state: &AppState, user_id: &str, partner: &partners::Partner) -> Result<WidgetSession> {
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    ledger::current(&mut tx, &state.config, user_id, now).await?;
    let credits = ledger::balance(&mut tx, user_id).await?;
    let member: Option<String> = sqlx::query_scalar("SELECT partner_user FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(WidgetSession {
        partner: partner.id.clone(),
        partner_name: partner.name.clone(),
        visitor: if member.is_some() { "member" } else { "guest" }.into(),
        credits,
    })
}

/// The partner of a widget session; the site's own session is refused (401) on the widget's routes.
fn widget_of(user: &CurrentUser) -> Result<&str> {
    user.widget.as_deref().ok_or(Error::Unauthenticated)
}

async fn partner(state: &AppState, id: &str) -> Result<partners::Partner> {
    partners::get(&state.db, id).await?.ok_or_else(|| Error::NotFound)
}

/// Starts a widget session for the partner's page: as a guest, or as the partner's user with the token its
/// server made (HS256 JWT, used once). Sets the widget's own cookie.
#[utoipa::path(post, path = "/widget/session", tag = "widget", request_body = vinano_api::WidgetSignIn, responses((status = 201, description = "Signed in (widget cookie set)", body = vinano_api::WidgetSession)))]
async fn sign_in(
    State(state): State<AppState>,
    client: Client,
    Json(req): Json<WidgetSignIn>,
) -> Result<impl IntoResponse> {
    let Some(partner) = partners::get(&state.db, req.partner.trim()).await? else {
        return Err(Error::Field("partner", Msg::WidgetPartnerUnknown.into()));
    };
    if req.token.is_none() {
        // A guest is a new account: as many as sign-ups from one address.
        state.limits.attempt(crate::limits::Action::Signup, client.ip, None).await?;
    }
    let device = visitors::Device {
        user_agent: client.user_agent.clone(),
        ip: client.ip.map(|ip| ip.to_string()).unwrap_or_default(),
    };
    let started = visitors::sign_in(&state, &partner, req.token.as_deref(), &device).await?;
    let session = session_of(&state, &started.user_id, &partner).await?;
    let status = if started.new_account { StatusCode::CREATED } else { StatusCode::OK };
    Ok((
        status,
        AppendHeaders([(header::SET_COOKIE, cookie(&started.token, started.max_age))]),
        Json(session),
    ))
}

/// The widget's session: the partner, the kind of visitor and the credits left. The widget asks when it
/// opens, and a guest's session then lasts another 30 days from now (its cookie is set again) and counts as
/// freshly signed in.
#[utoipa::path(get, path = "/widget/session", tag = "widget", responses((status = 200, description = "The widget's session", body = vinano_api::WidgetSession)), security(("widget" = [])))]
async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
) -> Result<impl IntoResponse> {
    let partner = partner(&state, widget_of(&user)?).await?;
    let session = session_of(&state, &user.id, &partner).await?;
    let mut cookies = Vec::new();
    if session.visitor == "guest" {
        let max_age = visitors::GUEST_SESSION_SECS;
        // A guest has no password nor token: this browser's cookie is all there is to prove who they are,
        // so opening the widget counts as signing in again (a copy of their data needs one in the last
        // 10 minutes, as everyone's does).
        let now = state.clock.now_ms();
        sqlx::query("UPDATE sessions SET expires_at = $1, reauth_at = $2 WHERE token_hash = $3")
            .bind(now + max_age * 1000)
            .bind(now)
            .bind(&user.session_hash)
            .execute(&state.db)
            .await?;
        let token = super::devices::cookie_value(&headers, WIDGET_COOKIE);
        cookies.extend(token.map(|t| (header::SET_COOKIE, cookie(&t, max_age))));
    }
    Ok((AppendHeaders(cookies), Json(session)))
}

/// Ends the widget's session (the visitor's account stays, as a guest's until it goes quiet).
#[utoipa::path(delete, path = "/widget/session", tag = "widget", responses((status = 204, description = "Signed out of the widget")), security(("widget" = [])))]
async fn sign_out(State(state): State<AppState>, user: CurrentUser) -> Result<impl IntoResponse> {
    widget_of(&user)?;
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(&user.session_hash)
        .execute(&state.db)
        .await?;
    Ok((StatusCode::NO_CONTENT, AppendHeaders([(header::SET_COOKIE, cookie("", 0))])))
}

/// Deletes the visitor's account here at once, with every image, conversation and export in it (what
/// deleting an account does, without the grace period: a visitor has no password to come back with), and
/// ends the widget's session. A member of the partner who opens the widget again starts afresh.
#[utoipa::path(delete, path = "/widget/visitor", tag = "widget", responses((status = 204, description = "Everything of the visitor's is deleted")), security(("widget" = [])))]
async fn forget(State(state): State<AppState>, user: CurrentUser) -> Result<impl IntoResponse> {
    let partner = widget_of(&user)?.to_string();
    let kept = crate::rights::purge_account(&state, &user.id, "visitor_request").await?;
    tracing::info!(event = "visitor_deleted", user = %user.id, partner = %partner, kept, "a widget visitor deleted everything");
    Ok((StatusCode::NO_CONTENT, AppendHeaders([(header::SET_COOKIE, cookie("", 0))])))
}

/// The `frame-ancestors` sources of the embed page for the partner its query names (`/embed?partner=…`):
/// exactly that partner's origins, or `'none'` for an unknown one.
pub async fn embed_ancestors(state: &AppState, query: Option<&str>) -> String {
    let id = query
        .into_iter()
        .flat_map(|q| url::form_urlencoded::parse(q.as_bytes()))
        .find(|(k, _)| k == "partner")
        .map(|(_, v)| v.into_owned());
    let partner = match id {
        Some(id) => partners::get(&state.db, &id).await.ok().flatten(),
        None => None,
    };
    match partner {
        Some(p) => p.origins.join(" "),
        None => "'none'".into(),
    }
}

/// A partner as its widget needs to know it: its name, the origins it may be shown on, whether it takes
/// guests. Public (the embed page asks before anything else); 404 for an unknown or removed partner.
#[utoipa::path(get, path = "/widget/partners/{id}", tag = "widget", params(("id" = String, Path, description = "The partner's public id")), responses((status = 200, description = "The partner", body = vinano_api::WidgetPartner)))]
async fn partner_info(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<WidgetPartner>> {
    let p = partner(&state, &id).await?;
    Ok(Json(WidgetPartner { id: p.id, name: p.name, origins: p.origins, guests: p.guests }))
}

/// What the widget's image links are signed for.
const LINK_PURPOSE: &str = "widget-image-link";

/// A short-lived address of one of the visitor's images, for the widget to show and for the partner's page
/// to download (no cookie needed until it expires).
#[utoipa::path(post, path = "/widget/images/{id}/link", tag = "widget", params(("id" = String, Path, description = "An image id")), responses((status = 200, description = "The address and what it points to", body = vinano_api::WidgetImageLink)), security(("widget" = [])))]
async fn image_link(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<WidgetImageLink>> {
    widget_of(&user)?;
    let row: Option<(String, i64, i64)> =
        sqlx::query_as("SELECT content_type, width, height FROM images WHERE id = $1 AND user_id = $2")
            .bind(&id)
            .bind(&user.id)
            .fetch_optional(&state.db)
            .await?;
    let (content_type, width, height) = row.ok_or(Error::NotFound)?;
    let expires = state.clock.now_ms() + LINK_MS;
    let sig = crate::signed::signature(&state.master_key, LINK_PURPOSE, &id, expires);
    let url = format!(
        "{}{}/widget/files/{id}?expires={expires}&sig={sig}",
        state.config.site_url(),
        vinano_api::API_PREFIX
    );
    Ok(Json(WidgetImageLink {
        id,
        url,
        expires_at: crate::clock::timestamp(expires),
        width: width.max(0) as u32,
        height: height.max(0) as u32,
        content_type,
    }))
}

/// The signature of an image link (`GET /widget/files/{id}`).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct FileQuery {
    /// When the address stops working (Unix ms).
    expires: i64,
    /// Its signature (hex).
    sig: String,
}

/// An image by the address [`image_link`] made: its bytes until the address expires, readable by the
/// partner's page (`Access-Control-Allow-Origin: *`, no cookies involved; the address is the permission).
/// 404 once expired, with a wrong signature, or when the image was deleted.
#[utoipa::path(get, path = "/widget/files/{id}", tag = "widget", params(("id" = String, Path, description = "An image id"), FileQuery), responses((status = 200, description = "The image", content((super::openapi::Binary = "image/png"), (super::openapi::Binary = "image/jpeg"), (super::openapi::Binary = "image/webp")))))]
async fn file(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<FileQuery>,
) -> Result<axum::response::Response> {
    let now = state.clock.now_ms();
    if !crate::signed::holds(&state.master_key, LINK_PURPOSE, (&id, q.expires), &q.sig, now, LINK_MS) {
        return Err(Error::NotFound);
    }
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT blob_key, content_type FROM images WHERE id = $1")
            .bind(&id)
            .fetch_optional(&state.db)
            .await?;
    let (key, content_type) = row.ok_or(Error::NotFound)?;
    let bytes = state.blobs.get(&key).await.map_err(anyhow::Error::from)?;
    let left = ((q.expires - now) / 1000).max(0);
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, format!("private, max-age={left}")),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_string()),
            (header::HeaderName::from_static("cross-origin-resource-policy"), "cross-origin".to_string()),
        ],
        bytes,
    )
        .into_response())
}
