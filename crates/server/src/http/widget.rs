//! The widget on partners' sites (`/widget/session`), the routes a widget session may use, and the framing
//! policy of the embed page.
//!
//! Inside a partner's page the widget is an iframe of `/embed?partner=…` on this origin, so its requests to
//! the API are same-origin; it names its partner in the `X-Vinano-Widget` header and carries its own cookie
//! (`__Host-vinano_widget`), which opens only the routes in [`ROUTES`]. The site's session cookie is
//! `SameSite=Lax`, so a browser doesn't send it inside another site's page at all.

use super::extract::{Json, WIDGET_COOKIE};
use super::security::Client;
use super::{CurrentUser, Error, Result};
use crate::billing::ledger;
use crate::partners::{self, visitors};
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{AppendHeaders, IntoResponse};
use utoipa_axum::{router::OpenApiRouter, routes};
use vinano_api::{Msg, WidgetSession, WidgetSignIn};

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
    ("GET", "/jobs/{id}/events"),
    ("POST", "/jobs/{id}/cancel"),
];

/// Whether a widget session may use `method` on the route whose pattern is `path` (with the API prefix).
pub fn allows(method: &Method, path: &str) -> bool {
    let Some(route) = path.strip_prefix(vinano_api::API_PREFIX) else { return false };
    ROUTES.iter().any(|(m, r)| *m == method.as_str() && *r == route)
}

/// Routes of this resource.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(sign_in, show, sign_out))
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
/// opens, and a guest's session then lasts another 30 days from now (its cookie is set again).
#[utoipa::path(get, path = "/widget/session", tag = "widget", responses((status = 200, description = "The widget's session", body = vinano_api::WidgetSession)), security(("widget" = [])))]
async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
) -> Result<impl IntoResponse> {
    let partner = partner(&state, user.widget.as_deref().ok_or(Error::Unauthenticated)?).await?;
    let session = session_of(&state, &user.id, &partner).await?;
    let mut cookies = Vec::new();
    if session.visitor == "guest" {
        let max_age = visitors::GUEST_SESSION_SECS;
        sqlx::query("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2")
            .bind(state.clock.now_ms() + max_age * 1000)
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
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(&user.session_hash)
        .execute(&state.db)
        .await?;
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
