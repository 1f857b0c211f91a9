//! Proves the server hands the built SPA to every non-API path (so deep links load the app), keeps API
//! misses as JSON 404s, and compresses the bundle.

use crate::common;

use axum::http::{header, Method, StatusCode};
use common::TestApp;

#[tokio::test]
async fn deep_links_get_the_spa_and_api_misses_get_json() {
    let app = TestApp::new().await;
    let dist = &app.state.config.dist_dir;
    std::fs::create_dir_all(dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>ViNano</title>").unwrap();
    std::fs::write(dist.join("app.js"), "console.log('ViNano');\n".repeat(200)).unwrap();

    for path in ["/", "/image", "/image/0123abcd", "/me"] {
        let r = app.get(path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(String::from_utf8_lossy(&r.body).contains("<title>ViNano</title>"), "{path}");
        assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
    app.get("/api/v1/nothing/here", None).await.error(StatusCode::NOT_FOUND, "not_found");

    let r = app.request_with(Method::GET, "/app.js", None, None, vec![], &[("accept-encoding", "br")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_ENCODING], "br");
    assert!(r.body.len() < 200 * 24 / 4, "compressed to {} bytes", r.body.len());
}
