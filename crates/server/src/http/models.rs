//! `GET /models/u2netp-<hash>.onnx`: the segmentation model for the browser's on-device editor — the very
//! file the server runs (checked against its pinned SHA-256 at start), named by its hash so browsers keep
//! it for good. 404 when background editing is off here. Not under `/api`: it is a file of the app, and
//! nothing about the person is asked or told.

use crate::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// The route, mounted at the root.
pub fn router() -> Router<AppState> {
    Router::new().route(vinano_vision::U2NETP_URL, get(u2netp))
}

async fn u2netp(State(state): State<AppState>) -> Response {
    let Some(path) = state.segmentation.path().map(std::path::Path::to_path_buf) else {
        return super::Error::NotFound.into_response();
    };
    match read_once(path).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/octet-stream"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "the segmentation model could not be read");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The file's bytes, read on the first request and shared by every later one (4.6 MB, once per process).
async fn read_once(path: PathBuf) -> std::io::Result<Bytes> {
    static READ: OnceLock<Mutex<Option<(PathBuf, Bytes)>>> = OnceLock::new();
    let cell = READ.get_or_init(Mutex::default);
    if let Some((p, bytes)) = cell.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        if *p == path {
            return Ok(bytes.clone());
        }
    }
    let bytes = Bytes::from(tokio::fs::read(&path).await?);
    *cell.lock().unwrap_or_else(|e| e.into_inner()) = Some((path, bytes.clone()));
    Ok(bytes)
}
