//! `/healthz` (the process answers), `/readyz` (it can do its work: [`crate::health`]) and
//! `GET /api/v1/version`. The probes sit outside `/api/v1`, need no session and answer JSON that is never
//! cached; `/readyz` answers 503 with the failing checks' reasons when not ready.

use super::Result;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vinano_api::VersionInfo;

/// The probes, mounted at the root.
pub fn probes() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz))
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

/// Which build answers: its version and the database schema it expects.
#[utoipa::path(get, path = "/version", tag = "meta", responses((status = 200, description = "This server's version", body = VersionInfo)))]
async fn version() -> Result<Json<VersionInfo>> {
    let schema = crate::storage::db::latest_migration();
    Ok(Json(VersionInfo { version: crate::health::VERSION.into(), schema }))
}
