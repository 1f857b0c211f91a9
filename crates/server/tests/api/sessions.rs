//! Sessions people can see and end (list, revoke one, log out everywhere), idle and absolute timeouts, no
//! session fixation, who a browser is signed in as (`GET /session`, 200 for a visitor too), and brute-force
//! limits on log-in and sign-up (429 with Retry-After).

use crate::common;

use axum::http::{header, Method, StatusCode};
use common::{signup_body, TestApp};
use serde_json::json;

const FIREFOX: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const PHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

async fn login_as(app: &TestApp, who: &str, agent: &str) -> String {
    let body = json!({"login": who, "password": "a long enough password"}).to_string().into_bytes();
    let r = app
        .request_with(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some("application/json"),
            body,
            &[("user-agent", agent)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    r.cookie()
}

#[tokio::test]
async fn sessions_are_listed_and_each_can_be_ended() {
    let app = TestApp::new().await;
    app.signup("ada").await;
    let laptop = login_as(&app, "ada", FIREFOX).await;
    let phone = login_as(&app, "ada", PHONE).await;
    let list = app.get("/api/v1/me/sessions", Some(&laptop)).await.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3, "signup, laptop, phone: {list:?}");
    let devices: Vec<&str> = list.iter().map(|s| s["device"].as_str().unwrap()).collect();
    assert!(devices.contains(&"Firefox on Windows") && devices.contains(&"Safari on iPhone"), "{devices:?}");
    let current: Vec<&serde_json::Value> = list.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["device"], "Firefox on Windows");
    // Nothing secret in the list: no token, no hash.
    let text = serde_json::to_string(&list).unwrap();
    assert!(!text.contains(phone.trim_start_matches("vinano_session=")));
    assert!(list.iter().all(|s| s.get("token_hash").is_none()));

    // End the phone's session from the laptop: the phone is logged out, the laptop isn't.
    let phone_id = list.iter().find(|s| s["device"] == "Safari on iPhone").unwrap()["id"].as_str().unwrap();
    let r = app
        .request(Method::DELETE, &format!("/api/v1/me/sessions/{phone_id}"), Some(&laptop), None, vec![])
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/me", Some(&phone)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/v1/me", Some(&laptop)).await.status, StatusCode::OK);

    // Someone else's session id is "not found", and stays alive.
    let bob = app.signup("bob").await;
    let bobs = app.get("/api/v1/me/sessions", Some(&bob)).await.json();
    let bob_id = bobs[0]["id"].as_str().unwrap();
    let r = app
        .request(Method::DELETE, &format!("/api/v1/me/sessions/{bob_id}"), Some(&laptop), None, vec![])
        .await;
    r.error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(app.get("/api/v1/me", Some(&bob)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn log_out_everywhere_ends_every_session() {
    let app = TestApp::new().await;
    let first = app.signup("ada").await;
    let second = login_as(&app, "ada", PHONE).await;
    let other = app.signup("bob").await;
    let r = app.request(Method::POST, "/api/v1/auth/logout-everywhere", Some(&first), None, vec![]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.headers[header::SET_COOKIE].to_str().unwrap().contains("Max-Age=0"));
    for cookie in [&first, &second] {
        assert_eq!(app.get("/api/v1/me", Some(cookie)).await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.get("/api/v1/me", Some(&other)).await.status, StatusCode::OK, "other accounts untouched");
}

#[tokio::test]
async fn the_session_check_answers_visitors_without_an_error() {
    let app = TestApp::new().await;
    // Nobody: 200 and `me: null` (a visitor's page load fails no request).
    let visitor = app.get("/api/v1/session", None).await;
    assert_eq!(visitor.status, StatusCode::OK);
    assert_eq!(visitor.json(), json!({"me": null}));
    let cookie = app.signup("ada").await;
    let me = app.get("/api/v1/me", Some(&cookie)).await.json();
    let signed_in = app.get("/api/v1/session", Some(&cookie)).await;
    assert_eq!(signed_in.status, StatusCode::OK);
    // Nobody's cache keeps who is signed in.
    assert_eq!(signed_in.headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(visitor.headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(signed_in.json()["me"], me);
    // A session that has ended is nobody again; an unknown cookie too.
    app.post_json("/api/v1/auth/logout", Some(&cookie), json!({})).await;
    assert_eq!(app.get("/api/v1/session", Some(&cookie)).await.json(), json!({"me": null}));
    let forged = "vinano_session=0123456789abcdef0123456789abcdef";
    assert_eq!(app.get("/api/v1/session", Some(forged)).await.json(), json!({"me": null}));
}

#[tokio::test]
async fn idle_and_absolute_timeouts_end_sessions() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    // Used every six days, a session stays alive...
    for _ in 0..4 {
        app.clock.advance(6 * 24 * 3600);
        assert_eq!(app.get("/api/v1/me", Some(&cookie)).await.status, StatusCode::OK);
    }
    // ...until its 30-day lifetime is up.
    app.clock.advance(7 * 24 * 3600);
    assert_eq!(app.get("/api/v1/me", Some(&cookie)).await.status, StatusCode::UNAUTHORIZED);

    // Left alone for more than seven days, it ends.
    let idle = login_as(&app, "ada", FIREFOX).await;
    app.clock.advance(7 * 24 * 3600 + 60);
    assert_eq!(app.get("/api/v1/me", Some(&idle)).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logging_in_replaces_the_session_the_browser_brought() {
    let app = TestApp::new().await;
    app.signup("ada").await;
    // A session id planted in the browser before login (fixation) is ended by the login, not adopted.
    let planted = login_as(&app, "ada", FIREFOX).await;
    let body = json!({"login": "ada", "password": "a long enough password"}).to_string().into_bytes();
    let r =
        app.request(Method::POST, "/api/v1/auth/login", Some(&planted), Some("application/json"), body).await;
    assert_eq!(r.status, StatusCode::OK);
    let fresh = r.cookie();
    assert_ne!(fresh, planted);
    assert_eq!(app.get("/api/v1/me", Some(&planted)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/v1/me", Some(&fresh)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn brute_force_is_slowed_by_rate_limits() {
    let app = TestApp::with_config(|c| {
        c.rate_limits = vinano_server::limits::RateLimits::default();
    })
    .await;
    app.signup("ada").await;
    let wrong = |n: usize| json!({"login": "ADA", "password": format!("wrong password {n}")});
    // Ten wrong guesses for one account are answered; the eleventh is refused without checking.
    for n in 0..10 {
        app.post_json("/api/v1/auth/login", None, wrong(n))
            .await
            .error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    let limited = app.post_json("/api/v1/auth/login", None, wrong(10)).await;
    let message = limited.error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert!(message.contains("Too many attempts"), "{message}");
    let retry: u64 = limited.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=15 * 60).contains(&retry), "{retry}");
    // Even the right password waits from a browser that never signed in to the account (a known browser
    // still gets in: see hardening.rs).
    let right = json!({"login": "ada", "password": "a long enough password"});
    app.post_json("/api/v1/auth/login", None, right)
        .await
        .error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");

    // Sign-ups from one address: ten an hour.
    for n in 0..9 {
        let r = app.post_json("/api/v1/auth/signup", None, signup_body(&format!("user{n}"))).await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let r = app.post_json("/api/v1/auth/signup", None, signup_body("onemore")).await;
    r.error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert_eq!(app.count("users").await, 10, "the refused sign-up stored nothing");
}
