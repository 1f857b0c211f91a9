//! Headers on every response (API, static files, errors), cross-site request refusal, closed CORS, and the
//! session cookie's form over TLS — with `X-Forwarded-*` believed only from a configured proxy.

use crate::common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use common::{Reply, TestApp};
use http_body_util::BodyExt;
use serde_json::json;
use std::net::SocketAddr;
use tower::ServiceExt;

const INDEX: &str = "<!doctype html><title>ViNano</title><script type=\"module\">import init from '/app.js'; await init();</script>";

async fn app_with_spa(edit: impl FnOnce(&mut vinano_server::Config)) -> TestApp {
    TestApp::with_config(|c| {
        std::fs::create_dir_all(&c.dist_dir).unwrap();
        std::fs::write(c.dist_dir.join("index.html"), INDEX).unwrap();
        edit(c);
    })
    .await
}

/// A request from a given peer address (as `axum::serve` with connect info records it).
async fn from_peer(
    app: &TestApp,
    peer: &str,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut req = req.body(Body::from(body.to_string())).unwrap();
    req.extensions_mut().insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    let res = app.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply { status, headers, body }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = app_with_spa(|_| {}).await;
    let cookie = app.signup("ada").await;
    let responses = [
        ("SPA", app.get("/", None).await),
        ("deep link", app.get("/image/abc", None).await),
        ("API", app.get("/api/v1/me", Some(&cookie)).await),
        ("401", app.get("/api/v1/me", None).await),
        ("404", app.get("/api/v1/nothing", None).await),
        ("422", app.post_json("/api/v1/auth/login", None, json!({"login": "", "password": ""})).await),
    ];
    let script = "import init from '/app.js'; await init();";
    let hash = {
        use base64::Engine;
        use sha2::Digest;
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script))
    };
    for (what, r) in &responses {
        let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains(&format!("'sha256-{hash}'")), "{what}: {csp}");
        assert!(csp.contains("'wasm-unsafe-eval'") && !csp.contains("unsafe-inline"), "{what}: {csp}");
        for part in ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "default-src 'self'"] {
            assert!(csp.contains(part), "{what}: {part} missing from {csp}");
        }
        assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{what}");
        assert_eq!(r.headers[header::REFERRER_POLICY], "same-origin", "{what}");
        assert_eq!(r.headers[header::X_FRAME_OPTIONS], "DENY", "{what}");
        // Plain HTTP: no HSTS, no CORS.
        assert!(r.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none(), "{what}");
        assert!(r.headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none(), "{what}");
    }
}

#[tokio::test]
async fn cors_is_closed() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let preflight = app
        .request_with(
            Method::OPTIONS,
            "/api/v1/conversations",
            None,
            None,
            vec![],
            &[("origin", "https://evil.example"), ("access-control-request-method", "POST")],
        )
        .await;
    assert!(preflight.headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    assert!(preflight.headers.get(header::ACCESS_CONTROL_ALLOW_METHODS).is_none());
    let read = app
        .request_with(
            Method::GET,
            "/api/v1/me",
            Some(&cookie),
            None,
            vec![],
            &[("origin", "https://evil.example")],
        )
        .await;
    assert!(read.headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    assert!(read.headers.get(header::ACCESS_CONTROL_ALLOW_CREDENTIALS).is_none());
}

#[tokio::test]
async fn cross_site_state_changes_are_refused_and_change_nothing() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let body = json!({"title": "from evil"}).to_string().into_bytes();
    let post = |extra: &'static [(&'static str, &'static str)], ct: &'static str| {
        let body = body.clone();
        let cookie = cookie.clone();
        let app = &app;
        async move {
            app.request_with(Method::POST, "/api/v1/conversations", Some(&cookie), Some(ct), body, extra)
                .await
        }
    };
    // Another site, by Fetch metadata or by Origin.
    let m = post(&[("sec-fetch-site", "cross-site")], "application/json")
        .await
        .error(StatusCode::FORBIDDEN, "forbidden");
    assert!(m.contains("another site"), "{m}");
    post(&[("sec-fetch-site", "same-site")], "application/json")
        .await
        .error(StatusCode::FORBIDDEN, "forbidden");
    post(&[("origin", "https://evil.example")], "application/json")
        .await
        .error(StatusCode::FORBIDDEN, "forbidden");
    post(&[("origin", "null")], "application/json").await.error(StatusCode::FORBIDDEN, "forbidden");
    // What a cross-site form can send: not JSON.
    for ct in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
        post(&[], ct).await.error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    }
    // A logout from another site doesn't end the session.
    let logout = app
        .request_with(
            Method::POST,
            "/api/v1/auth/logout",
            Some(&cookie),
            None,
            vec![],
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(logout.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/me", Some(&cookie)).await.status, StatusCode::OK);
    assert_eq!(app.count("conversations").await, 0);

    // This site's own requests go through: same-origin metadata, or an Origin naming the host.
    let ok = post(&[("sec-fetch-site", "same-origin")], "application/json").await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&ok.body));
    let ok = post(&[("origin", "http://vinano.test:8080"), ("host", "vinano.test:8080")], "application/json")
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
    assert_eq!(app.count("conversations").await, 2);
}

#[tokio::test]
async fn forwarded_headers_count_only_from_a_trusted_proxy() {
    let app = app_with_spa(|c| c.trusted_proxies = vec!["10.0.0.2".parse().unwrap()]).await;
    let signup = common::signup_body("ada").to_string();
    let json_ct = [("content-type", "application/json"), ("x-forwarded-proto", "https")];
    // From the proxy: TLS, so HSTS and a __Host- Secure cookie.
    let via_proxy =
        from_peer(&app, "10.0.0.2:5000", Method::POST, "/api/v1/auth/signup", &json_ct, &signup).await;
    assert_eq!(via_proxy.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&via_proxy.body));
    let cookie = via_proxy.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("__Host-vinano_session="), "{cookie}");
    assert!(cookie.contains("; Secure") && cookie.contains("; HttpOnly") && cookie.contains("; Path=/"));
    assert!(cookie.contains("SameSite=Lax") && !cookie.contains("Domain"));
    assert!(via_proxy.headers[header::STRICT_TRANSPORT_SECURITY].to_str().unwrap().contains("max-age="));
    // The __Host- cookie is a session.
    let token = cookie.split(';').next().unwrap();
    assert_eq!(app.get("/api/v1/me", Some(token)).await.status, StatusCode::OK);

    // Anyone else claiming https is not believed.
    let direct =
        from_peer(&app, "203.0.113.7:5000", Method::GET, "/", &[("x-forwarded-proto", "https")], "").await;
    assert!(direct.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none());
    let login = json!({"login": "ada", "password": "a long enough password"}).to_string();
    let plain =
        from_peer(&app, "203.0.113.7:5000", Method::POST, "/api/v1/auth/login", &json_ct, &login).await;
    assert_eq!(plain.status, StatusCode::OK);
    let cookie = plain.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("vinano_session=") && !cookie.contains("Secure"), "{cookie}");
}
