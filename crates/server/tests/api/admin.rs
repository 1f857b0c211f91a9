//! The operator's controls: every admin route is 401 without a session and 404 for anyone who isn't an
//! administrator; an administrator finds people, gives or takes back credits (with a reason in the ledger;
//! never below zero), disables an account (signed out at once, refused at sign-in with a message) and
//! enables it again, makes invitations (the link once; only its hash kept), and reads use and revenue by
//! day, moderation decisions and the audit log, which has every act.

use crate::common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{json, Value};

async fn user_id(app: &TestApp, username: &str) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

fn login_body(who: &str) -> Value {
    json!({"login": who, "password": "a long enough password"})
}

#[tokio::test]
async fn admin_routes_are_for_administrators_only() {
    let app = TestApp::with_config(|c| c.billing.plans[0].credits = 5).await;
    let ada = app.signup("ada").await;
    let bob = app.signup("bob").await;
    let bob_id = user_id(&app, "bob").await;
    assert_eq!(app.get("/api/v1/me", Some(&ada)).await.json()["is_admin"], true, "the first account");
    assert_eq!(app.get("/api/v1/me", Some(&bob)).await.json()["is_admin"], false);
    let gets = [
        "/api/v1/admin/people",
        "/api/v1/admin/invites",
        "/api/v1/admin/usage",
        "/api/v1/admin/moderation",
        "/api/v1/admin/audit",
        "/api/v1/admin/partners",
    ];
    for uri in gets {
        app.get(uri, Some(&bob)).await.error(StatusCode::NOT_FOUND, "not_found");
        app.get(uri, None).await.error(StatusCode::UNAUTHORIZED, "unauthenticated");
        assert_eq!(app.get(uri, Some(&ada)).await.status, StatusCode::OK, "{uri}");
    }
    let credits = format!("/api/v1/admin/people/{bob_id}/credits");
    let r = app.post_json(&credits, Some(&bob), json!({"amount": 100, "reason": "for me"})).await;
    r.error(StatusCode::NOT_FOUND, "not_found");
    let ada_id = user_id(&app, "ada").await;
    let disable = format!("/api/v1/admin/people/{ada_id}/disabled");
    app.post_json(&disable, Some(&bob), json!({"disabled": true}))
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    app.post_json("/api/v1/admin/invites", Some(&bob), json!({}))
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(app.get("/api/v1/me/credits", Some(&bob)).await.json()["balance"], 5, "nothing changed");
    assert_eq!(app.count("invites").await, 0);
}

#[tokio::test]
async fn credits_are_given_and_taken_back_with_a_reason_never_below_zero_and_audited() {
    let app = TestApp::with_config(|c| c.billing.plans[0].credits = 5).await;
    let ada = app.signup("ada").await;
    app.clock.advance(1);
    let bob = app.signup("bob").await;
    app.clock.advance(1);
    app.signup("carol").await;
    let bob_id = user_id(&app, "bob").await;

    let all = app.get("/api/v1/admin/people", Some(&ada)).await.json();
    assert_eq!(all["total"], 3);
    let names: Vec<&str> =
        all["people"].as_array().unwrap().iter().map(|p| p["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["carol", "bob", "ada"], "newest first");
    let found = app.get("/api/v1/admin/people?q=BO", Some(&ada)).await.json();
    assert_eq!(found["total"], 1);
    let bob_row = &found["people"][0];
    assert_eq!((bob_row["username"].as_str(), bob_row["plan"].as_str()), (Some("bob"), Some("Free")));
    assert_eq!((bob_row["balance"].as_i64(), bob_row["disabled"].as_bool()), (Some(5), Some(false)));
    // A search with LIKE's wildcards finds them literally, not everyone.
    assert_eq!(app.get("/api/v1/admin/people?q=%25", Some(&ada)).await.json()["total"], 0);

    let uri = format!("/api/v1/admin/people/{bob_id}/credits");
    let r = app.post_json(&uri, Some(&ada), json!({"amount": 50, "reason": "  a goodwill gesture "})).await;
    assert_eq!(r.json()["balance"], 55);
    assert_eq!(app.get("/api/v1/me/credits", Some(&bob)).await.json()["balance"], 55);
    let r = app.post_json(&uri, Some(&ada), json!({"amount": -100, "reason": "a mistake"})).await;
    assert_eq!(r.error(StatusCode::CONFLICT, "conflict"), "That would take the balance below zero: 55 left.");
    for (body, field) in [
        (json!({"amount": 10, "reason": "x"}), "reason"),
        (json!({"amount": 0, "reason": "nothing"}), "amount"),
        (json!({"amount": 2_000_000, "reason": "too much"}), "amount"),
    ] {
        let r = app.post_json(&uri, Some(&ada), body.clone()).await;
        r.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
        assert_eq!(r.json()["field"], field, "{body}");
    }
    let r = app.post_json(&uri, Some(&ada), json!({"amount": -55, "reason": "a mistake"})).await;
    assert_eq!(r.json()["balance"], 0);
    let rows: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT kind, amount, reason FROM credit_ledger WHERE user_id = $1 AND kind = 'adjust' ORDER BY id",
    )
    .bind(&bob_id)
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    assert_eq!(
        rows,
        [
            ("adjust".into(), 50, "adjusted by an administrator: a goodwill gesture".into()),
            ("adjust".into(), -55, "adjusted by an administrator: a mistake".into()),
        ]
    );
    let audit = app.get("/api/v1/admin/audit", Some(&ada)).await.json();
    let first = &audit[0];
    assert_eq!((first["actor"].as_str(), first["action"].as_str()), (Some("ada"), Some("credits")));
    assert_eq!(
        (first["target"].as_str(), first["detail"].as_str()),
        (Some("bob"), Some("-55 credits for bob: a mistake"))
    );
    assert_eq!(audit[1]["detail"], "+50 credits for bob: a goodwill gesture");
    let unknown = "/api/v1/admin/people/nobody/credits";
    app.post_json(unknown, Some(&ada), json!({"amount": 5, "reason": "who?"}))
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_disabled_account_is_signed_out_at_once_and_refused_at_login_until_enabled() {
    let app = TestApp::new().await;
    let ada = app.signup("ada").await;
    let bob = app.signup("bob").await;
    let (ada_id, bob_id) = (user_id(&app, "ada").await, user_id(&app, "bob").await);
    let uri = format!("/api/v1/admin/people/{bob_id}/disabled");
    assert_eq!(
        app.post_json(&uri, Some(&ada), json!({"disabled": true})).await.status,
        StatusCode::NO_CONTENT
    );
    app.get("/api/v1/me", Some(&bob)).await.error(StatusCode::UNAUTHORIZED, "unauthenticated");
    let r = app.post_json("/api/v1/auth/login", None, login_body("bob")).await;
    assert_eq!(
        r.error(StatusCode::FORBIDDEN, "forbidden"),
        "This account has been disabled by the people who run this ViNano. Ask them to enable it again; you can still ask for your data or its deletion."
    );
    // A wrong password says only that: the state is for whoever knows the password.
    let wrong = json!({"login": "bob", "password": "not the password at all"});
    app.post_json("/api/v1/auth/login", None, wrong)
        .await
        .error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    let listed = app.get("/api/v1/admin/people?q=bob", Some(&ada)).await.json();
    assert_eq!(listed["people"][0]["disabled"], true);
    // Not oneself.
    let own = format!("/api/v1/admin/people/{ada_id}/disabled");
    let r = app.post_json(&own, Some(&ada), json!({"disabled": true})).await;
    assert_eq!(r.error(StatusCode::CONFLICT, "conflict"), "You can't disable your own account.");

    app.post_json(&uri, Some(&ada), json!({"disabled": false})).await;
    assert_eq!(app.post_json("/api/v1/auth/login", None, login_body("bob")).await.status, StatusCode::OK);
    let audit = app.get("/api/v1/admin/audit", Some(&ada)).await.json();
    let actions: Vec<&str> =
        audit.as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["enable", "disable", "grant-admin"]);
}

#[tokio::test]
async fn invitations_usage_by_day_and_moderation_read_as_they_happened() {
    let app = TestApp::with_config(|c| c.signups = vinano_server::admin::Signups::Invite).await;
    let first = vinano_server::admin::create_invite(&app.state, "cli").await.unwrap();
    let mut body = common::signup_body("ada");
    body["invite"] = json!(first);
    let ada = app.post_json("/api/v1/auth/signup", None, body).await.cookie();
    app.clock.advance(60);
    let r = app.post_json("/api/v1/admin/invites", Some(&ada), json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let link = r.json()["link"].as_str().unwrap().to_string();
    let code = link.split("/signup?invite=").nth(1).expect("a sign-up link").to_string();
    assert_eq!(code.len(), 32);
    let list = app.get("/api/v1/admin/invites", Some(&ada)).await.json();
    assert_eq!((list[0]["used_by"].clone(), list[1]["used_by"].clone()), (Value::Null, json!("ada")));
    assert!(!list.to_string().contains(&code), "the code is shown once, not listed");
    let mut body = common::signup_body("bob");
    body["invite"] = json!(code);
    app.post_json("/api/v1/auth/signup", None, body).await;
    assert_eq!(app.get("/api/v1/admin/invites", Some(&ada)).await.json()[0]["used_by"], "bob");

    // Bob buys Pro today: revenue and sign-ups show on today's row.
    let bob = app.post_json("/api/v1/auth/login", None, login_body("bob")).await.cookie();
    let id = app.post_json("/api/v1/billing/checkout", Some(&bob), json!({"plan": "pro"})).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let card = json!({"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"});
    app.post_json(&format!("/api/v1/billing/checkout/{id}/pay"), Some(&bob), card).await;
    let usage = app.get("/api/v1/admin/usage?days=7", Some(&ada)).await.json();
    let days = usage["days"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    assert_eq!(days[0]["day"], "2026-11-29", "newest first: today");
    assert_eq!(days[6]["day"], "2026-11-23");
    assert_eq!((days[0]["signups"].as_u64(), days[0]["revenue_cents"].as_u64()), (Some(2), Some(1200)));
    assert_eq!(days[1]["signups"], 0);
    assert_eq!(usage["currency"], "usd");
    let moderation = app.get("/api/v1/admin/moderation", Some(&ada)).await.json();
    assert_eq!(moderation["chain_intact"], true);
    assert_eq!(moderation["holds"], json!([]));
}
