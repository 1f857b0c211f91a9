//! Proves sign-up (with the under-13 gate), log-in, log-out and `/me` over real HTTP handling and SQLite.

use crate::common;

use axum::http::{header, Method, StatusCode};
use common::{signup_body, TestApp};
use serde_json::json;

#[tokio::test]
async fn signup_sets_a_session_cookie_and_me_works() {
    let app = TestApp::new().await;
    let r = app.post_json("/api/v1/auth/signup", None, signup_body("ada")).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let set_cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().to_string();
    assert!(set_cookie.contains("HttpOnly"));
    assert!(set_cookie.contains("SameSite=Lax"));
    assert!(!set_cookie.contains("Secure"), "plain HTTP on localhost: no Secure flag");
    assert_eq!(r.json()["username"], "ada");

    let me = app.get("/api/v1/me", Some(&r.cookie())).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["email"], "ada@example.com");
    assert_eq!(me.json()["date_of_birth"], "1990-05-17");

    // The password is stored as an argon2id hash only.
    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM users").fetch_one(&app.state.db).await.unwrap();
    assert!(hash.starts_with("$argon2id$"));
    assert!(!hash.contains("a long enough password"));
}

#[tokio::test]
async fn cookie_is_secure_when_configured_for_tls() {
    // `VINANO_SECURE_COOKIES` / an https public URL (a trusted proxy's X-Forwarded-Proto: see security.rs).
    let app = TestApp::with_config(|c| c.secure_cookies = true).await;
    let r = app.post_json("/api/v1/auth/signup", None, signup_body("tls")).await;
    let cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(cookie.starts_with("__Host-vinano_session=") && cookie.contains("; Secure"), "{cookie}");
    // An untrusted client claiming https changes nothing on a plain-HTTP server.
    let plain = TestApp::new().await;
    let r = plain
        .request_with(
            Method::POST,
            "/api/v1/auth/signup",
            None,
            Some("application/json"),
            signup_body("tls").to_string().into_bytes(),
            &[("x-forwarded-proto", "https")],
        )
        .await;
    let cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(cookie.starts_with("vinano_session=") && !cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn under_13_is_refused_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let mut body = signup_body("kid");
    // The test clock says 2026-11-29: this person turns 13 tomorrow.
    body["date_of_birth"] = json!("2013-11-30");
    let r = app.post_json("/api/v1/auth/signup", None, body).await;
    let message = r.error(StatusCode::UNPROCESSABLE_ENTITY, "under_age");
    assert!(message.contains("13"), "{message}");
    assert!(r.headers.get(header::SET_COOKIE).is_none());
    assert_eq!(app.count("users").await, 0);
    assert_eq!(app.count("sessions").await, 0);

    // Exactly 13 today is allowed.
    let mut body = signup_body("teen");
    body["date_of_birth"] = json!("2013-11-29");
    assert_eq!(app.post_json("/api/v1/auth/signup", None, body).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn invalid_fields_get_readable_messages() {
    let app = TestApp::new().await;
    for (field, value, needle) in [
        ("email", "not-an-email", "valid email"),
        ("password", "short", "at least 8"),
        ("username", "x", "3 to 30"),
        ("name", "  ", "your name"),
        ("date_of_birth", "17/05/1990", "YYYY-MM-DD"),
    ] {
        let mut body = signup_body("val");
        body[field] = json!(value);
        let r = app.post_json("/api/v1/auth/signup", None, body).await;
        let message = r.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
        assert!(message.contains(needle), "{field}: {message}");
    }
    let r = app
        .request(Method::POST, "/api/v1/auth/signup", None, Some("application/json"), b"{oops".to_vec())
        .await;
    r.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    let r = app
        .request(Method::POST, "/api/v1/auth/signup", None, Some("application/json"), b"{}".to_vec())
        .await;
    r.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test]
async fn duplicate_email_or_username_conflicts() {
    let app = TestApp::new().await;
    app.signup("ada").await;
    let r = app.post_json("/api/v1/auth/signup", None, signup_body("ada")).await;
    assert!(r.error(StatusCode::CONFLICT, "conflict").contains("email"));
    assert_eq!(r.json()["field"], "email", "shown next to the email field");
    let mut body = signup_body("other");
    body["username"] = json!("ADA");
    let r = app.post_json("/api/v1/auth/signup", None, body).await;
    assert!(r.error(StatusCode::CONFLICT, "conflict").contains("username"));
    assert_eq!(r.json()["field"], "username");
    assert_eq!(app.count("users").await, 1);
}

#[tokio::test]
async fn login_with_email_or_username_and_wrong_password() {
    let app = TestApp::new().await;
    app.signup("ada").await;
    for login in ["ada@example.com", "ADA@example.com", "ada", "Ada"] {
        let r = app
            .post_json(
                "/api/v1/auth/login",
                None,
                json!({"login": login, "password": "a long enough password"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{login}");
        assert_eq!(app.get("/api/v1/me", Some(&r.cookie())).await.status, StatusCode::OK);
    }
    let wrong = app
        .post_json("/api/v1/auth/login", None, json!({"login": "ada", "password": "not the password"}))
        .await;
    wrong.error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    let nobody = app
        .post_json("/api/v1/auth/login", None, json!({"login": "nobody", "password": "whatever123"}))
        .await;
    // Unknown accounts and wrong passwords look the same.
    assert_eq!(nobody.body, wrong.body);
}

#[tokio::test]
async fn logout_ends_the_session_server_side() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let r = app.request(Method::POST, "/api/v1/auth/logout", Some(&cookie), None, vec![]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().contains("Max-Age=0"));
    // Replaying the old cookie no longer works.
    app.get("/api/v1/me", Some(&cookie)).await.error(StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn missing_or_forged_sessions_are_401_json() {
    let app = TestApp::new().await;
    app.get("/api/v1/me", None).await.error(StatusCode::UNAUTHORIZED, "unauthenticated");
    app.get("/api/v1/me", Some("vinano_session=forged"))
        .await
        .error(StatusCode::UNAUTHORIZED, "unauthenticated");
    app.get("/api/v1/no-such-endpoint", None).await.error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn common_passwords_are_refused_at_signup_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let mut body = signup_body("common");
    body["password"] = "Password1".into();
    let m = app
        .post_json("/api/v1/auth/signup", None, body)
        .await
        .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert!(m.contains("most common"), "{m}");
    assert_eq!(app.count("users").await, 0);
    // Long, unusual passphrases need no digits or symbols.
    let mut body = signup_body("common");
    body["password"] = "lantern orchard piano".into();
    assert_eq!(app.post_json("/api/v1/auth/signup", None, body).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn signup_keeps_the_browsers_time_zone_and_refuses_a_malformed_one() {
    let app = TestApp::new().await;
    let mut body = signup_body("mei");
    body["time_zone"] = json!("Asia/Taipei");
    let r = app.post_json("/api/v1/auth/signup", None, body).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["time_zone"], "Asia/Taipei");
    // Left out: UTC, as before.
    let plain = app.post_json("/api/v1/auth/signup", None, signup_body("ada")).await;
    assert_eq!(plain.json()["time_zone"], "UTC");
    let mut bad = signup_body("bob");
    bad["time_zone"] = json!("../etc/passwd");
    let r = app.post_json("/api/v1/auth/signup", None, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["field"], "time_zone");
    assert_eq!(app.count("users").await, 2);
}
