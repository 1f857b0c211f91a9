//! Proves the server hands the built SPA to every page of the app (so deep links load it), keeps API
//! misses as JSON 404s, sends the bundle as built (precompressed, cached by its hash), and 404s missing files.

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

#[tokio::test]
async fn the_bundle_is_sent_as_built_cached_by_its_hash_and_missing_files_are_404() {
    let app = TestApp::new().await;
    let dist = &app.state.config.dist_dir;
    std::fs::create_dir_all(dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>ViNano</title>").unwrap();
    let wasm = "vinano-web-0123456789abcdef_bg.wasm";
    std::fs::write(dist.join(wasm), vec![0u8; 5000]).unwrap();
    // The build's brotli twin: sent as it is (its bytes prove it was not compressed again).
    std::fs::write(dist.join(format!("{wasm}.br")), b"built-brotli-bytes").unwrap();
    std::fs::write(dist.join("worker_bg.wasm"), vec![1u8; 5000]).unwrap();

    let app = &app;
    let get = |path: &'static str, encoding: &'static str| async move {
        app.request_with(Method::GET, path, None, None, vec![], &[("accept-encoding", encoding)]).await
    };
    let r = get("/vinano-web-0123456789abcdef_bg.wasm", "br, gzip").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_ENCODING], "br");
    assert_eq!(r.body, b"built-brotli-bytes");
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(r.headers[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
    // Without brotli in Accept-Encoding: the file itself.
    let plain = get("/vinano-web-0123456789abcdef_bg.wasm", "identity").await;
    assert_eq!((plain.body.len(), plain.headers.get(header::CONTENT_ENCODING)), (5000, None));

    // Fixed names are revalidated; so is index.html, for deep links too.
    assert_eq!(get("/worker_bg.wasm", "identity").await.headers[header::CACHE_CONTROL], "no-cache");
    for path in ["/", "/index.html", "/image/0123abcd"] {
        let r = get(path, "identity").await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(r.headers[header::CACHE_CONTROL], "no-cache", "{path}");
        assert!(String::from_utf8_lossy(&r.body).contains("<title>ViNano</title>"), "{path}");
    }
    // A file that isn't there is not the app's page (a stale script must not get HTML).
    for path in ["/vinano-web-ffffffffffffffff.js", "/old_bg.wasm", "/favicon.ico", "/image/x.png"] {
        let r = get(path, "br").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!String::from_utf8_lossy(&r.body).contains("<title>"), "{path}");
        assert!(r.headers.get(header::CACHE_CONTROL).is_none(), "{path}");
    }
}

#[tokio::test]
async fn the_service_worker_is_made_for_the_build_and_a_share_without_it_opens_the_editor() {
    let app = TestApp::new().await;
    let dist = &app.state.config.dist_dir;
    std::fs::create_dir_all(dist).unwrap();
    // No built SPA: no app to install.
    assert_eq!(app.get("/sw.js", None).await.status, StatusCode::NOT_FOUND);

    let js = "vinano-web-0123456789abcdef.js";
    std::fs::write(dist.join("index.html"), format!(r#"<script type="module" src="/{js}"></script>"#))
        .unwrap();
    std::fs::write(dist.join(js), "export {}").unwrap();
    std::fs::write(dist.join("worker.js"), "").unwrap();
    std::fs::write(dist.join("sw.js"), "self.addEventListener('fetch', () => {});").unwrap();
    let first = app.get("/sw.js", None).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.headers[header::CACHE_CONTROL], "no-cache");
    assert!(first.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/javascript"));
    let script = String::from_utf8(first.body.clone()).unwrap();
    assert!(script.contains(&format!(r#"const SHELL = ["/","/{js}"];"#)), "{script}");
    assert!(script.ends_with("self.addEventListener('fetch', () => {});"));
    assert_eq!(app.get("/sw.js", None).await.body, first.body, "the same build, the same worker");

    // A new build (swapped under the running server) is a new worker at once.
    std::fs::write(
        dist.join("index.html"),
        format!(r#"<script type="module" src="/{js}"></script><!-- 2 -->"#),
    )
    .unwrap();
    assert_ne!(app.get("/sw.js", None).await.body, first.body);

    // A share that no service worker took: to the editor, which says the photo didn't arrive.
    let shared = app.request_with(Method::POST, "/share", None, None, b"--x--".to_vec(), &[]).await;
    assert_eq!(shared.status, StatusCode::SEE_OTHER);
    assert_eq!(shared.headers[header::LOCATION], "/image?shared=lost");
}
