//! The built SPA: files under the dist directory as they are, with the `.br`/`.gz` twins made at build time
//! sent to browsers that take them (no compressing the same bundle again on every request). Files whose
//! names carry a content hash are cached for a year; `index.html`, the service worker and other fixed
//! names are revalidated each time, so a new build is picked up at once. A deep link (a path without a
//! file extension, such as `/image/abc`) gets `index.html` for the app to route; a missing file with an
//! extension is a real 404 (a stale `*.js` must not be answered with HTML). The service worker is made for
//! the build (see `service_worker.rs`). The widget's loader (`widget.js`, also at `/widget/v1.js`) may be
//! loaded by any site (`Cross-Origin-Resource-Policy: cross-origin`).

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::path::Path;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// `Cache-Control` of a file whose name changes with its content.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of everything else: use it, but ask first.
const REVALIDATE: &str = "no-cache";

/// Whether `path`'s file name carries a build hash (`main-6755d25caab83865.css`,
/// `vinano-web-f39146610258aacd_bg.wasm`): hex digits after the last `-`. Trunk writes the 64-bit hash
/// without leading zeros, so there are up to 16 of them; at least 12 tells a hash from a word or a size
/// (`icon-192.png`).
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// Whether `path` names a file (its last segment has an extension) rather than a page of the app.
fn names_a_file(path: &str) -> bool {
    path.rsplit('/').next().is_some_and(|last| last.contains('.'))
}

/// The router serving `dist` (mounted as the application's fallback).
pub fn router(dist: &Path) -> Router {
    let index = ServeFile::new(dist.join("index.html")).precompressed_br().precompressed_gzip();
    let page = move |request: Request| {
        let index = index.clone();
        async move {
            if names_a_file(request.uri().path()) {
                return (StatusCode::NOT_FOUND, "Not found").into_response();
            }
            match index.oneshot(request).await {
                Ok(response) => response.into_response(),
                Err(never) => match never {},
            }
        }
    };
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(axum::handler::HandlerWithoutStateExt::into_service(page));
    // The widget's loader, at its latest and its versioned address, is loaded by partners' pages.
    let loader = ServeFile::new(dist.join("widget.js")).precompressed_br().precompressed_gzip();
    let loader = tower::ServiceBuilder::new()
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("cross-origin"),
        ))
        .service(loader);
    Router::new()
        .route_service("/widget.js", loader.clone())
        .route_service("/widget/v1.js", loader)
        .route("/sw.js", get(super::service_worker::script))
        .route("/share", post(super::service_worker::share_without_worker))
        .with_state(dist.to_path_buf())
        .fallback_service(files)
        .layer(middleware::from_fn(cache_control))
}

/// Sets how long a browser may keep what was served.
async fn cache_control(request: Request, next: Next) -> Response {
    let hashed = is_hashed(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let value = if hashed { IMMUTABLE } else { REVALIDATE };
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_told_from_fixed_ones() {
        assert!(is_hashed("/main-6755d25caab83865.css"));
        assert!(is_hashed("/vinano-web-f39146610258aacd_bg.wasm"));
        assert!(is_hashed("/vinano-web-f39146610258aacd.js"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/worker_bg.wasm"));
        assert!(!is_hashed("/sw.js"));
        assert!(!is_hashed("/image/0123456789abcdef"));
        assert!(is_hashed("/vinano-web-df86785a85fd98.js"), "a hash with leading zeros left out");
        assert!(!is_hashed("/icon-192.png") && !is_hashed("/icon-maskable-512.png"));
        assert!(!is_hashed("/main-6755d25c.css"), "8 digits");
        assert!(!is_hashed("/main-6755d25caab83865a.css"), "17 digits");
        assert!(names_a_file("/app-1.js") && names_a_file("/robots.txt"));
        assert!(!names_a_file("/image/abc") && !names_a_file("/"));
    }
}
