//! HTTP layer: one router per resource under `/api/v1`, and the SPA for everything else.

mod account;
mod auth;
mod conversations;
mod error;
mod extract;
pub(crate) mod images;
mod jobs;
mod preferences;
pub mod security;

pub use auth::CurrentUser;
pub use error::{Error, Result};

use crate::AppState;
use axum::middleware;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

/// Builds the whole application: the API and the static SPA with its client-side routes.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .merge(auth::router())
        .merge(account::router())
        .merge(conversations::router())
        .merge(images::router())
        .merge(jobs::router())
        .merge(preferences::router())
        .fallback(|| async { Error::NotFound })
        .layer(middleware::from_fn_with_state(state.clone(), security::refuse_cross_site));
    let index = state.config.dist_dir.join("index.html");
    // Unknown paths get index.html so that deep links (/image/abc) load the SPA, which routes them.
    let spa = ServeDir::new(&state.config.dist_dir).fallback(ServeFile::new(index));
    Router::new()
        .nest(vinano_api::API_PREFIX, api)
        .fallback_service(spa)
        .layer(middleware::from_fn_with_state(
            (state.clone(), security::Headers::new(&state.config.dist_dir)),
            security::headers,
        ))
        // Brotli/gzip for the SPA bundle and JSON; the default predicate leaves images and tiny bodies alone.
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
