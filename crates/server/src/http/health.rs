//! `/healthz` (the process answers), `/readyz` (it can do its work: [`crate::health`]), `/metrics`
//! (Prometheus, behind a token: [`crate::metrics`]) and `GET /api/v1/version`. The probes sit outside `/api/v1`, need no session and answer JSON that is never
//! cached; `/readyz` answers 503 with the failing checks' reasons when not ready.

use super::Result;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vinano_api::VersionInfo;

/// The probes, mounted at the root.
pub fn probes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

/// The API's part: `GET /version`.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(version))
}

fn uncached(status: StatusCode, body: Value) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

async fn healthz() -> Response {
    uncached(StatusCode::OK, json!({"status": "ok", "version": crate::health::VERSION}))
}

async fn readyz(State(state): State<AppState>) -> Response {
    let checks = crate::health::readiness(&state).await;
    let ready = checks.iter().all(|c| c.ok);
    let mut shown = Map::new();
    for check in &checks {
        shown.insert(check.name.into(), json!({"ok": check.ok, "detail": check.detail}));
        if !check.ok {
            tracing::warn!(event = "not_ready", check = check.name, detail = %check.detail, "not ready");
        }
    }
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    uncached(status, json!({"status": if ready { "ready" } else { "not_ready" }, "checks": shown}))
}

/// Prometheus metrics ([`crate::metrics`]): 404 unless `VINANO_METRICS_TOKEN` is set, then 401 without
/// `Authorization: Bearer <that token>`.
async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = state.config.metrics_token.as_deref() else {
        return super::Error::NotFound.into_response();
    };
    let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    if !given.and_then(|v| v.strip_prefix("Bearer ")).is_some_and(|given| same(given, token)) {
        let challenge = [(header::WWW_AUTHENTICATE, "Bearer")];
        return (
            StatusCode::UNAUTHORIZED,
            challenge,
            "/metrics needs Authorization: Bearer <VINANO_METRICS_TOKEN>\n",
        )
            .into_response();
    }
    match crate::metrics::render(&state).await {
        Ok(text) => {
            let kind = (header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            (StatusCode::OK, [kind, (header::CACHE_CONTROL, "no-store")], text).into_response()
        }
        Err(e) => {
            tracing::error!(error = ?e, "metrics could not be read");
            (StatusCode::SERVICE_UNAVAILABLE, "the metrics could not be read; see the server's log\n")
                .into_response()
        }
    }
}

/// Whether two tokens are equal, in a time that doesn't depend on where they differ (their digests are
/// compared whole).
fn same(given: &str, token: &str) -> bool {
    use sha2::{Digest, Sha256};
    let (a, b) = (Sha256::digest(given.as_bytes()), Sha256::digest(token.as_bytes()));
    a.iter().zip(b.iter()).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// Which build answers: its version and the database schema it expects.
#[utoipa::path(get, path = "/version", tag = "meta", responses((status = 200, description = "This server's version", body = VersionInfo)))]
async fn version(State(state): State<AppState>) -> Result<Json<VersionInfo>> {
    let schema = crate::storage::db::latest_migration();
    let background_editing = state.segmentation.off_because().is_none();
    let id_photos = background_editing && state.faces.off_because().is_none();
    Ok(Json(VersionInfo { version: crate::health::VERSION.into(), schema, background_editing, id_photos }))
}
