//! HTTP layer: one router per resource under `/api/v1`, and the SPA for everything else.

mod account;
mod admin;
mod auth;
mod billing;
mod conversations;
mod device_edits;
mod devices;
mod error;
mod extract;
mod health;
mod idempotency;
mod images;
mod jobs;
mod models;
pub mod openapi;
mod partners;
mod policy;
mod preferences;
mod presets;
mod privacy;
mod reports;
mod rights;
pub mod security;
mod service_worker;
mod shares;
pub mod spa;
mod suggestions;
mod thread;
mod variants;
pub mod widget;

pub use crate::error::{Error, Result};
pub use devices::cookie_value;
pub use extract::CurrentUser;

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// Every API route as `(method, path under /api/v1)`, read from the OpenAPI document the router is built
/// from: the handlers' own annotations are the one route table (the access-control test walks this list,
/// so a new route is tested the day it is added).
pub fn route_list() -> Vec<(String, String)> {
    openapi::operations(&openapi::routes().1)
}

/// The routes that work without a session.
pub const PUBLIC_ROUTES: &[(&str, &str)] = &[
    ("GET", "/policy"),
    ("GET", "/billing/plans"),
    ("POST", "/billing/webhook"),
    ("GET", "/openapi.json"),
    ("GET", "/version"),
    ("GET", "/session"),
    ("POST", "/errors"),
    ("POST", "/auth/signup"),
    ("GET", "/auth/signups"),
    ("POST", "/auth/login"),
    ("POST", "/auth/logout"),
    ("POST", "/auth/verify-email"),
    ("POST", "/auth/forgot-password"),
    ("POST", "/auth/reset-password"),
    ("POST", "/widget/session"),
    ("GET", "/widget/partners/{id}"),
    ("GET", "/widget/files/{id}"),
    ("GET", "/shared/{token}"),
    ("GET", "/shared/files/{id}"),
];

/// Gives every request a fresh id (never the client's own), carried by the request's log span and returned
/// in `X-Request-Id`; API answers of 401, 403 and 404 are logged as denied access.
async fn request_id(mut request: Request, next: Next) -> Response {
    let id = crate::ids::random_hex(8);
    let value = HeaderValue::from_str(&id).expect("hex is a valid header value");
    request.headers_mut().insert("x-request-id", value.clone());
    let (method, path) = (request.method().clone(), loggable(request.uri().path()));
    // The span names the path only: query strings can hold tokens (an emailed link's page), and a share
    // link's token is left out of its path.
    let span = tracing::info_span!("request", id = %id, method = %method, path = %path);
    let mut response = tracing::Instrument::instrument(next.run(request), span.clone()).await;
    let status = response.status().as_u16();
    if path.starts_with(vinano_api::API_PREFIX) && matches!(status, 401 | 403 | 404) {
        span.in_scope(|| tracing::info!(event = "access_denied", status, "request denied"));
    }
    response.headers_mut().insert("x-request-id", value);
    response
}

/// `path` as logged: a share link's token (`/s/{token}`, `/api/v1/shared/{token}…`) replaced by `…`, since
/// anyone holding it can open what it shows.
pub(crate) fn loggable(path: &str) -> String {
    let shared = format!("{}/shared/", vinano_api::API_PREFIX);
    for prefix in ["/s/", shared.as_str()] {
        if let Some(rest) = path.strip_prefix(prefix) {
            if rest.starts_with("files/") {
                return path.to_string();
            }
            let tail = rest.find('/').map_or("", |i| &rest[i..]);
            return format!("{prefix}…{tail}");
        }
    }
    path.to_string()
}

/// Counts every request for `/metrics`, under its route's pattern when a route matched (copied onto the
/// response by [`keep_route`]): a raw path would make a label per conversation. Unmatched API paths count
/// together, and so does everything the app's files and pages answer.
async fn count_request(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = request.method().as_str().to_string();
    let api = request.uri().path().starts_with(vinano_api::API_PREFIX);
    let response = next.run(request).await;
    let route = match response.extensions().get::<MatchedPath>() {
        Some(matched) => matched.as_str().to_string(),
        None if api => format!("{}/(unmatched)", vinano_api::API_PREFIX),
        None => "(app)".into(),
    };
    let seconds = started.elapsed().as_secs_f64();
    state.metrics.observe_http(&route, &method, response.status().as_u16(), seconds);
    response
}

/// Copies the pattern of the route that matched onto the response, where [`count_request`] finds it.
async fn keep_route(request: Request, next: Next) -> Response {
    let matched = request.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(request).await;
    if let Some(matched) = matched {
        response.extensions_mut().insert(matched);
    }
    response
}

/// Builds the whole application: the API and the static SPA with its client-side routes.
pub fn app(state: AppState) -> Router {
    let (api, _) = openapi::routes();
    let api = api
        .route_layer(middleware::from_fn(keep_route))
        .fallback(|| async { Error::NotFound })
        .layer(middleware::from_fn_with_state(state.clone(), security::refuse_cross_site))
        .layer(middleware::from_fn_with_state(state.config.connections.body(), crate::serve::body::deadline));
    Router::new()
        .merge(health::probes().route_layer(middleware::from_fn(keep_route)))
        .merge(models::router().route_layer(middleware::from_fn(keep_route)))
        .nest(vinano_api::API_PREFIX, api)
        .fallback_service(spa::router(&state.config.dist_dir))
        .layer(middleware::from_fn_with_state(
            (state.clone(), security::Headers::new(&state.config.dist_dir)),
            security::headers,
        ))
        // Brotli/gzip for the SPA bundle and JSON; the default predicate leaves images and tiny bodies alone,
        // and archives and clips are compressed already.
        .layer(
            CompressionLayer::new().compress_when(
                DefaultPredicate::new()
                    .and(NotForContentType::const_new("application/zip"))
                    // Model weights hardly compress: not worth the CPU on every download.
                    .and(NotForContentType::const_new("application/octet-stream"))
                    .and(NotForContentType::const_new("video/")),
            ),
        )
        .layer(TraceLayer::new_for_http())
        .layer(middleware::from_fn_with_state(state.clone(), count_request))
        .layer(middleware::from_fn(request_id))
        .with_state(state)
}
