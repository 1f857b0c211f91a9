//! Usage analytics (counted only while on, never under Global Privacy Control, stored without any person)
//! and error reports (anonymous or signed in, bounded, deleted with the account and by retention).

use crate::common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::json;

async fn usage_rows(app: &TestApp) -> Vec<(String, String, i64, i64)> {
    sqlx::query_as("SELECT day, event, count, total_ms FROM usage_daily ORDER BY event")
        .fetch_all(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn analytics_are_anonymous_counts_and_only_while_on() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let batch = json!({"events": [{"name": "edit_sent"}, {"name": "edit_done", "ms": 1200}, {"name": "edit_done", "ms": 800}]});
    let r = app.post_json("/api/v1/analytics", Some(&cookie), batch.clone()).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        usage_rows(&app).await,
        [("2026-11-29".into(), "edit_done".into(), 2, 2000), ("2026-11-29".into(), "edit_sent".into(), 1, 0)]
    );
    // The table has no column that could name anyone.
    let columns = common::columns_of(&app, "usage_daily").await;
    assert_eq!(columns, ["day", "event", "count", "total_ms"]);

    // Turned off: accepted and dropped. Global Privacy Control: the same.
    let bob = app.signup("bob").await;
    app.request(
        Method::PATCH,
        "/api/v1/me/privacy",
        Some(&bob),
        Some("application/json"),
        br#"{"analytics":false}"#.to_vec(),
    )
    .await;
    assert_eq!(
        app.post_json("/api/v1/analytics", Some(&bob), batch.clone()).await.status,
        StatusCode::NO_CONTENT
    );
    let with_gpc = app
        .request_with(
            Method::POST,
            "/api/v1/analytics",
            Some(&cookie),
            Some("application/json"),
            batch.to_string().into_bytes(),
            &[("sec-gpc", "1")],
        )
        .await;
    assert_eq!(with_gpc.status, StatusCode::NO_CONTENT);
    assert_eq!(usage_rows(&app).await.iter().map(|r| r.2).sum::<i64>(), 3, "nothing more counted");

    // Bounded and validated; anonymous callers get 401.
    let too_many = json!({"events": vec![json!({"name": "download"}); 51]});
    app.post_json("/api/v1/analytics", Some(&cookie), too_many)
        .await
        .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    app.post_json("/api/v1/analytics", Some(&cookie), json!({"events": [{"name": "keystrokes"}]}))
        .await
        .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    app.post_json(
        "/api/v1/analytics",
        Some(&cookie),
        json!({"events": [{"name": "session", "ms": 90_000_000u64}]}),
    )
    .await
    .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    app.post_json("/api/v1/analytics", Some(&cookie), json!({"events": []}))
        .await
        .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert_eq!(app.post_json("/api/v1/analytics", None, batch).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn error_reports_are_bounded_and_go_with_the_account() {
    let app = TestApp::new().await;
    let anonymous = app
        .post_json(
            "/api/v1/errors",
            None,
            json!({"kind": "panic", "message": "index out of bounds", "path": "/image?token=secret"}),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::ACCEPTED);
    let cookie = app.signup("ada").await;
    let mine = app
        .post_json(
            "/api/v1/errors",
            Some(&cookie),
            json!({"kind": "request", "message": "HTTP 502 on /api/v1/images", "path": "/image", "description": "I was uploading a big photo"}),
        )
        .await;
    assert_eq!(mine.status, StatusCode::ACCEPTED);
    let rows: Vec<(Option<String>, String, String)> =
        sqlx::query_as("SELECT user_id, path, description FROM error_reports ORDER BY created_at, path")
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|(_, path, _)| !path.contains("token")), "query strings are dropped");
    // Bad input: named, nothing stored.
    for (body, field) in [
        (json!({"kind": "oops", "message": "x", "path": "/"}), "kind"),
        (json!({"kind": "panic", "message": "", "path": "/"}), "message"),
        (json!({"kind": "panic", "message": "x".repeat(2001), "path": "/"}), "message"),
        (
            json!({"kind": "panic", "message": "x", "path": "/", "description": "y".repeat(2001)}),
            "description",
        ),
    ] {
        assert_eq!(app.post_json("/api/v1/errors", None, body).await.json()["field"], field);
    }
    assert_eq!(app.count("error_reports").await, 2);
    // Theirs appears in their access view and goes with the account.
    let data = app.get("/api/v1/me/data", Some(&cookie)).await.json();
    assert_eq!(data["error_reports"][0]["description"], "I was uploading a big photo");
    app.post_json("/api/v1/me/deletion", Some(&cookie), json!({"password": "a long enough password"})).await;
    app.clock.advance(31 * 24 * 3600);
    vinano_server::retention::sweep(&app.state).await.unwrap();
    assert_eq!(app.count("error_reports").await, 1, "hers went with the account");
    app.clock.advance(60 * 24 * 3600);
    vinano_server::retention::sweep(&app.state).await.unwrap();
    assert_eq!(app.count("error_reports").await, 0, "the anonymous one after 90 days");
}
