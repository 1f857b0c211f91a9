//! Auth events and denied access are logged with UTC time, user, address and a request id — and never a
//! password, a session token, a cookie or an emailed link's token. The whole log of a run is captured and
//! searched.

mod common;

use axum::http::{Method, StatusCode};
use common::{signup_body, Captured, TestApp};
use serde_json::json;
use std::sync::OnceLock;

fn capture() -> Captured {
    static LOG: OnceLock<Captured> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Captured::default();
        let writer = log.clone();
        tracing_subscriber::fmt()
            .with_ansi(false)
            .with_env_filter("vinano_server=info")
            .with_writer(move || writer.clone())
            .init();
        log
    })
    .clone()
}

#[tokio::test]
async fn auth_events_are_logged_without_secrets() {
    let log = capture();
    let app = TestApp::new().await;
    let mut body = signup_body("ada");
    body["password"] = json!("Secret-Passphrase-One");
    let signed_up = app.post_json("/api/v1/auth/signup", None, body).await;
    assert_eq!(signed_up.status, StatusCode::CREATED);
    let token = signed_up.cookie();
    let request_id = signed_up.headers["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(request_id.len(), 16);
    let wrong = app
        .post_json("/api/v1/auth/login", None, json!({"login": "ada", "password": "Wrong-Guess-Two"}))
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    app.post_json("/api/v1/auth/forgot-password", None, json!({"email": "ada@example.com"})).await;
    let reset_token: String = {
        // The link's token only ever exists in the mail; find it there.
        let dir = vinano_server::mail::outbox_dir(&app.state.config.data_dir);
        let mut token = String::new();
        for _ in 0..200 {
            let texts: Vec<String> = std::fs::read_dir(&dir)
                .map(|d| {
                    d.filter_map(Result::ok)
                        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
                        .collect()
                })
                .unwrap_or_default();
            if let Some(t) = texts.iter().find(|t| t.contains("Reset your ViNano password")) {
                let joined = t.replace("=\r\n", "").replace("=3D", "=");
                let at = joined.find("token=").unwrap() + 6;
                token = joined[at..at + 64].to_string();
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        token
    };
    assert_eq!(token.len(), "vinano_session=".len() + 64);
    let reset = app
        .post_json(
            "/api/v1/auth/reset-password",
            None,
            json!({"token": reset_token, "password": "Secret-Passphrase-Three"}),
        )
        .await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT);
    // Denied: no session, and someone else's object.
    assert_eq!(app.get("/api/v1/me", Some(&token)).await.status, StatusCode::UNAUTHORIZED);
    let bob = app.signup("bob").await;
    let r = app
        .request(
            Method::GET,
            "/api/v1/conversations/0123456789abcdef0123456789abcdef",
            Some(&bob),
            None,
            vec![],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let forbidden = app
        .request_with(
            Method::POST,
            "/api/v1/auth/logout",
            Some(&bob),
            None,
            vec![],
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    for event in ["signup", "login_failed", "reset_requested", "password_reset", "access_denied"] {
        assert!(text.contains(&format!("event=\"{event}\"")), "no {event} in the log:\n{text}");
    }
    // Every auth line has a UTC time, and the request id ties it to its request.
    let failed = text.lines().find(|l| l.contains("login_failed")).unwrap();
    assert!(failed.contains("Z ") && failed.contains("request{id="), "{failed}");
    assert!(text.contains(&format!("id={request_id}")), "the signup's request id is in the log");
    assert!(failed.contains("ip="), "{failed}");
    for secret in [
        "Secret-Passphrase-One",
        "Wrong-Guess-Two",
        "Secret-Passphrase-Three",
        token.trim_start_matches("vinano_session="),
        &reset_token,
        "vinano_session=",
    ] {
        assert!(!text.contains(secret), "the log holds a secret: {secret}");
    }
}
