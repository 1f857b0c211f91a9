//! Me → Admin → Partners over HTTP: an administrator registers a partner (its secret in that answer only),
//! sees this month's spending and its visitors, changes it, rotates its secret with an overlap and removes
//! it; bad names and origins are refused with a message and write nothing; every act is in the audit log.

use crate::common::TestApp;
use crate::widget::{member_token, sign_in};
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

async fn send(app: &TestApp, method: Method, uri: &str, cookie: &str, body: Value) -> crate::common::Reply {
    app.request(method, uri, Some(cookie), Some("application/json"), body.to_string().into_bytes()).await
}

#[tokio::test]
async fn an_administrator_registers_changes_rotates_and_removes_a_partner() {
    let app = TestApp::new().await;
    let ada = app.signup("ada").await;
    let bob = app.signup("bob").await;
    let new = json!({"name": "  Example Prints ", "origins": ["https://Prints.Example/", "http://localhost:5173"],
                     "monthly_credits": 100, "visitor_allowance": 3, "guests": true});

    // Only administrators: Bob's attempt is 404 and writes nothing.
    let r = app.post_json("/api/v1/admin/partners", Some(&bob), new.clone()).await;
    r.error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(app.count("partners").await, 0);

    // Bad input: a message the person can read, nothing written.
    for (body, key) in [
        (
            json!({"name": "", "origins": ["https://a.example"], "monthly_credits": 1, "visitor_allowance": 1, "guests": true}),
            "error-partner-name",
        ),
        (
            json!({"name": "A", "origins": [], "monthly_credits": 1, "visitor_allowance": 1, "guests": true}),
            "error-partner-origins",
        ),
        (
            json!({"name": "A", "origins": ["http://shop.example"], "monthly_credits": 1, "visitor_allowance": 1, "guests": true}),
            "error-partner-origin",
        ),
    ] {
        let r = app.post_json("/api/v1/admin/partners", Some(&ada), body).await;
        r.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
        assert_eq!(r.json()["key"], key);
    }
    assert_eq!(app.count("partners").await, 0);

    let r = app.post_json("/api/v1/admin/partners", Some(&ada), new).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&r.body));
    let made = r.json();
    let id = made["partner"]["id"].as_str().unwrap().to_string();
    let secret = made["secret"].as_str().unwrap().to_string();
    assert!(id.starts_with("pt_") && secret.starts_with("vns_"), "{made}");
    assert_eq!(made["partner"]["name"], "Example Prints");
    assert_eq!(made["partner"]["origins"], json!(["https://prints.example", "http://localhost:5173"]));
    let snippet = made["snippet"].as_str().unwrap();
    assert!(
        snippet.contains(&format!("data-partner=\"{id}\"")) && snippet.contains("/widget.js"),
        "{snippet}"
    );

    // The secret signs a member in; the list shows the visitor and never the secret.
    let r = sign_in(&app, &id, Some(&member_token(&app, &id, &secret, "m-1", "nonce-admin-0000001"))).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let list = app.get("/api/v1/admin/partners", Some(&ada)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!String::from_utf8_lossy(&list.body).contains(&secret), "the secret is shown once only");
    let listed = &list.json()[0];
    assert_eq!((listed["id"].as_str(), listed["visitors"].as_u64()), (Some(id.as_str()), Some(1)));
    assert_eq!(listed["spent_this_month"], 0);

    // Changing: what is sent changes, the rest stays; a bad origin changes nothing.
    let uri = format!("/api/v1/admin/partners/{id}");
    let r =
        send(&app, Method::PATCH, &uri, &ada, json!({"origins": ["https://*.example"], "name": "X"})).await;
    r.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert_eq!(app.get("/api/v1/admin/partners", Some(&ada)).await.json()[0]["name"], "Example Prints");
    let r = send(&app, Method::PATCH, &uri, &ada, json!({"name": "Prints & Co", "guests": false})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    let changed = r.json();
    assert_eq!((changed["name"].as_str(), changed["guests"].as_bool()), (Some("Prints & Co"), Some(false)));
    assert_eq!(changed["origins"], json!(["https://prints.example", "http://localhost:5173"]));
    assert_eq!(changed["visitor_allowance"], 3);
    let r = sign_in(&app, &id, None).await;
    assert_eq!(r.json()["key"], "error-widget-guests-off", "guests are off now");
    let unknown = "/api/v1/admin/partners/pt_0000000000000000";
    send(&app, Method::PATCH, unknown, &ada, json!({"name": "Y"}))
        .await
        .error(StatusCode::NOT_FOUND, "not_found");

    // Rotating: a new secret, the old one still accepted for the overlap asked for, then not.
    let r = app.post_json(&format!("{uri}/secret"), Some(&ada), json!({"overlap_hours": 2})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    let rotated = r.json();
    let fresh = rotated["secret"].as_str().unwrap().to_string();
    assert!(fresh.starts_with("vns_") && fresh != secret);
    assert!(rotated["partner"]["previous_secret_until"].is_string(), "{rotated}");
    let r = sign_in(&app, &id, Some(&member_token(&app, &id, &secret, "m-1", "nonce-admin-0000002"))).await;
    assert_eq!(r.status, StatusCode::OK, "the old secret during the overlap");
    app.clock.advance(2 * 3600 + 1);
    let r = sign_in(&app, &id, Some(&member_token(&app, &id, &secret, "m-1", "nonce-admin-0000003"))).await;
    assert_eq!(r.json()["key"], "error-widget-token-invalid");
    let r = sign_in(&app, &id, Some(&member_token(&app, &id, &fresh, "m-1", "nonce-admin-0000004"))).await;
    assert_eq!(r.status, StatusCode::OK);

    // Removing: gone from the list, its widget refused, a second removal is 404.
    let r = send(&app, Method::DELETE, &uri, &ada, json!({})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/admin/partners", Some(&ada)).await.json(), json!([]));
    let r = sign_in(&app, &id, Some(&member_token(&app, &id, &fresh, "m-1", "nonce-admin-0000005"))).await;
    assert_eq!(r.json()["key"], "error-widget-partner-unknown");
    send(&app, Method::DELETE, &uri, &ada, json!({})).await.error(StatusCode::NOT_FOUND, "not_found");

    // Every act is in the audit log, by Ada.
    let audit = app.get("/api/v1/admin/audit", Some(&ada)).await.json();
    let acts: Vec<&str> = audit.as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    for act in ["partner_added", "partner_changed", "partner_secret_rotated", "partner_removed"] {
        assert!(acts.contains(&act), "{act} missing from {acts:?}");
    }
}
