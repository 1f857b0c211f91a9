//! Extractors: the signed-in person ([`CurrentUser`], from the session cookie), and JSON bodies and query
//! strings whose rejections use the API's JSON error shape.

use super::security::Client;
use super::{Error, Result};
use crate::credentials::{self, SESSION_IDLE_SECS};
use crate::ids::UserId;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, OptionalFromRequestParts, Request};
use axum::http::{header, request::Parts, HeaderMap};
use serde::de::DeserializeOwned;
use vinano_api::{Msg, Problem};

/// Name of the session cookie over plain HTTP (development on localhost).
pub const SESSION_COOKIE: &str = "vinano_session";
/// Name of the session cookie over TLS: the `__Host-` prefix makes the browser insist on `Secure`, `Path=/`
/// and no `Domain`, so no subdomain can plant or overwrite it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-vinano_session";
/// The widget's session cookie, apart from the site's: `Secure; SameSite=None; Partitioned`, so it works
/// inside a partner's page, keyed to that page's site, and is never the site's own session.
pub const WIDGET_COOKIE: &str = "__Host-vinano_widget";

/// The signed-in user, resolved from the session cookie; rejects with 401 otherwise (no cookie, unknown,
/// past its absolute lifetime, or idle for longer than the idle timeout).
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// Account id.
    pub id: UserId,
    /// Hash of the session token in use.
    pub session_hash: String,
    /// The session's public id.
    pub session_id: String,
    /// When this session last proved the password (Unix ms): logging in, or entering it again.
    pub reauth_at: i64,
    /// The partner whose widget this session belongs to; `None` for the site's own session.
    pub widget: Option<String>,
}

impl CurrentUser {
    /// Refuses (403 `reauth_required`) unless this session entered its password within `within_ms`.
    pub fn require_recent_password(&self, now_ms: i64, within_ms: i64) -> Result<()> {
        if now_ms - self.reauth_at <= within_ms {
            Ok(())
        } else {
            Err(Error::ReauthRequired)
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let tls = Client::from_request_parts(parts, state).await?.tls;
        // The widget names its partner in a header: then only the widget's cookie counts, and only on the
        // routes the widget uses (`widget::ROUTES`); otherwise only the site's own session does.
        let (token, widget) = match parts.headers.get(vinano_api::WIDGET_HEADER) {
            Some(partner) => {
                let partner = partner.to_str().map_err(|_| Error::Unauthenticated)?.to_string();
                let path =
                    parts.extensions.get::<axum::extract::MatchedPath>().map(|m| m.as_str().to_string());
                if !path.is_some_and(|p| super::widget::allows(&parts.method, &p)) {
                    return Err(Error::Unauthenticated);
                }
                (super::devices::cookie_value(&parts.headers, WIDGET_COOKIE), Some(partner))
            }
            None => (session_token(&parts.headers, tls), None),
        };
        let hash = credentials::hash_token(&token.ok_or(Error::Unauthenticated)?);
        let now = state.clock.now_ms();
        let row: Option<(UserId, String, i64, i64, Option<String>)> = sqlx::query_as(
            "SELECT user_id, id, last_seen_at, reauth_at, widget_partner FROM sessions
             WHERE token_hash = $1 AND expires_at > $2
               AND last_seen_at > CASE WHEN widget_partner IS NULL THEN $3 ELSE $4 END",
        )
        .bind(&hash)
        .bind(now)
        .bind(now - SESSION_IDLE_SECS * 1000)
        // A widget session lasts as long as its cookie says (a guest's comes back after weeks).
        .bind(now - crate::partners::visitors::GUEST_SESSION_SECS * 1000)
        .fetch_optional(&state.db)
        .await?;
        let (id, session_id, last_seen, reauth_at, partner) = row.ok_or(Error::Unauthenticated)?;
        // A widget session never opens the site, and the site's session never opens the widget.
        if partner != widget {
            return Err(Error::Unauthenticated);
        }
        // "Last seen" to the minute is enough, and saves a write on most requests. It is bookkeeping: when
        // it can't be written (a full disk, a busy database) the request goes on, so reading keeps working.
        if now - last_seen > 60_000 {
            let seen = sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(&state.db)
                .await;
            if let Err(e) = seen {
                tracing::warn!(error = %e, "could not record when a session was last seen");
            }
        }
        Ok(CurrentUser { id, session_hash: hash, session_id, reauth_at, widget })
    }
}

/// `Option<CurrentUser>`: `None` for a visitor (no session, or one that ended) instead of a 401; other
/// failures (the database) are still errors.
impl OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>> {
        match <Self as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(user) => Ok(Some(user)),
            Err(Error::Unauthenticated) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The session token the browser sent. Over TLS only the `__Host-` cookie counts: a plain-named one may have
/// been planted by a sibling domain or over plain HTTP (cookie tossing). Browsers send `__Host-` cookies
/// only to secure origins, so over plain HTTP (a proxy that isn't trusted) either name is taken.
pub(super) fn session_token(headers: &HeaderMap, tls: bool) -> Option<String> {
    let secure = super::devices::cookie_value(headers, SECURE_SESSION_COOKIE);
    if tls {
        secure
    } else {
        secure.or_else(|| super::devices::cookie_value(headers, SESSION_COOKIE))
    }
}

/// `axum::Json`, but a malformed body is a readable 422 (and one over the size limit a 413) instead of a
/// plain-text rejection, and the body must be a JSON object (every request body of the API is one; serde
/// would otherwise read an array as a struct's fields in order).
#[derive(Debug)]
pub struct Json<T>(pub T);

/// Whether the request says its body is JSON (`application/json` or a `+json` type).
fn says_json(headers: &HeaderMap) -> bool {
    let Some(kind) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let essence = kind.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Error> {
        if !says_json(request.headers()) {
            return Err(Error::invalid(Msg::JsonContentType));
        }
        let bytes = Bytes::from_request(request, state).await?;
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(Error::InvalidInput(Msg::JsonObject.into()));
        }
        Ok(Json(axum::Json::<T>::from_bytes(&bytes)?.0))
    }
}

impl From<BytesRejection> for Error {
    fn from(r: BytesRejection) -> Self {
        if crate::serve::body::timed_out(&r) {
            return Error::RequestTimeout;
        }
        if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            return Error::PayloadTooLarge(Msg::RequestTooLarge.into());
        }
        Error::invalid(Problem::new(Msg::RequestUnreadable).text("detail", r.body_text()))
    }
}

impl From<JsonRejection> for Error {
    fn from(r: JsonRejection) -> Self {
        Error::invalid(Problem::new(Msg::RequestUnreadable).text("detail", r.body_text()))
    }
}

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Query`, but a malformed query string is a readable 422 in the API's error shape.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        let axum::extract::Query(value) = axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Query(value))
    }
}

impl From<QueryRejection> for Error {
    fn from(r: QueryRejection) -> Self {
        Error::invalid(Problem::new(Msg::QueryUnreadable).text("detail", r.body_text()))
    }
}
