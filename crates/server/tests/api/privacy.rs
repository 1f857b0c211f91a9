//! Privacy settings and the consent ledger: defaults per the policy, every change recorded (append-only),
//! Global Privacy Control honoured without a prompt, and the training-eligibility query that never returns
//! an opted-out person's image or a commercial one without its own consent.

use crate::common;

use axum::http::{Method, StatusCode};
use common::{signup_body, TestApp};
use serde_json::{json, Value};

async fn patch(app: &TestApp, cookie: &str, uri: &str, body: Value) -> common::Reply {
    app.request(Method::PATCH, uri, Some(cookie), Some("application/json"), body.to_string().into_bytes())
        .await
}

#[tokio::test]
async fn settings_start_as_the_policy_says_and_every_change_is_in_the_ledger() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let settings = app.get("/api/v1/me/privacy", Some(&cookie)).await.json();
    assert_eq!(
        settings,
        json!({"ai_training": true, "analytics": true, "email_news": false, "email_tips": false, "email_policy": true, "gpc": false})
    );
    let r =
        patch(&app, &cookie, "/api/v1/me/privacy", json!({"ai_training": false, "email_news": true})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(
        (r.json()["ai_training"].as_bool(), r.json()["email_news"].as_bool()),
        (Some(false), Some(true))
    );
    // Setting a value to what it already is records nothing.
    patch(&app, &cookie, "/api/v1/me/privacy", json!({"ai_training": false})).await;
    patch(&app, &cookie, "/api/v1/me/privacy", json!({}))
        .await
        .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");

    let ledger = app.get("/api/v1/me/consents", Some(&cookie)).await.json();
    let entries: Vec<(String, Value, String, String)> = ledger
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["what"].as_str().unwrap().into(),
                e["old_value"].clone(),
                e["new_value"].as_str().unwrap().into(),
                e["source"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("email_news".into(), json!("off"), "on".into(), "settings".into()),
            ("ai_training".into(), json!("on"), "off".into(), "settings".into()),
            ("user_responsibility".into(), Value::Null, "accepted".into(), "signup".into()),
            ("privacy_policy".into(), Value::Null, "accepted".into(), "signup".into()),
            ("terms".into(), Value::Null, "accepted".into(), "signup".into()),
        ]
    );
    assert!(ledger
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["policy_version"] == vinano_api::policy::PRIVACY_VERSION));
    // The ledger can't be rewritten.
    let edited = sqlx::query("UPDATE consents SET new_value = 'on' WHERE what = 'ai_training'")
        .execute(&app.state.db)
        .await;
    assert!(edited.unwrap_err().to_string().contains("append-only"));
    // Another person's ledger is theirs alone.
    let bob = app.signup("bob").await;
    assert_eq!(app.get("/api/v1/me/consents", Some(&bob)).await.json().as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn global_privacy_control_opts_out_without_a_prompt() {
    let app = TestApp::new().await;
    let body = signup_body("gpc").to_string().into_bytes();
    let r = app
        .request_with(
            Method::POST,
            "/api/v1/auth/signup",
            None,
            Some("application/json"),
            body,
            &[("sec-gpc", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let cookie = r.cookie();
    let with_gpc = |uri: &'static str| {
        let cookie = cookie.clone();
        let app = &app;
        async move { app.request_with(Method::GET, uri, Some(&cookie), None, vec![], &[("sec-gpc", "1")]).await }
    };
    let settings = with_gpc("/api/v1/me/privacy").await.json();
    assert_eq!(
        (settings["analytics"].as_bool(), settings["ai_training"].as_bool(), settings["gpc"].as_bool()),
        (Some(false), Some(false), Some(true))
    );
    let ledger = app.get("/api/v1/me/consents", Some(&cookie)).await.json();
    let gpc: Vec<&str> = ledger
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["source"] == "gpc")
        .map(|e| e["what"].as_str().unwrap())
        .collect();
    assert_eq!(gpc, ["analytics", "ai_training", "global_privacy_control"]);
    // Applied once: later requests with the signal add nothing, and the person's own later choice stands.
    with_gpc("/api/v1/me/privacy").await;
    let turned_on = patch(&app, &cookie, "/api/v1/me/privacy", json!({"ai_training": true})).await.json();
    assert_eq!(turned_on["ai_training"], true);
    assert_eq!(with_gpc("/api/v1/me/privacy").await.json()["ai_training"], true);
    let count = app.get("/api/v1/me/consents", Some(&cookie)).await.json().as_array().unwrap().len();
    assert_eq!(count, 3 + 3 + 1);

    // An existing account logging in with the signal gets the same.
    let ada = app.signup("ada").await;
    let login = json!({"login": "ada", "password": "a long enough password"}).to_string().into_bytes();
    let r = app
        .request_with(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some("application/json"),
            login,
            &[("sec-gpc", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(app.get("/api/v1/me/privacy", Some(&ada)).await.json()["analytics"], false);
}

#[tokio::test]
async fn training_never_sees_opted_out_or_commercial_images_without_consent() {
    let app = TestApp::new().await;
    let (ada, conv, plain) = app.conversation_with_photo("ada", 40, 30).await;
    let upload = |cookie: String| {
        let app = &app;
        async move { app.upload(&cookie, common::jpeg(20, 20)).await.json()["id"].as_str().unwrap().to_string() }
    };
    let commercial = upload(ada.clone()).await;
    let consented = upload(ada.clone()).await;
    patch(&app, &ada, &format!("/api/v1/images/{commercial}"), json!({"commercial": true})).await;
    let r = patch(
        &app,
        &ada,
        &format!("/api/v1/images/{consented}"),
        json!({"commercial": true, "training_consent": true}),
    )
    .await;
    assert_eq!(
        (r.json()["commercial"].as_bool(), r.json()["training_consent"].as_bool()),
        (Some(true), Some(true))
    );
    // An edit of a commercial image is commercial too.
    let messages = format!("/api/v1/conversations/{conv}/messages");
    let sent = app.post_json(&messages, Some(&ada), json!({"text": "flip it", "image_id": commercial})).await;
    let edited =
        app.complete(&ada, &conv, sent.json()).await["reply"]["image"]["id"].as_str().unwrap().to_string();
    // An image in a conversation marked commercial.
    let (_, conv2, in_commercial_conversation) = {
        let c = app.post_json("/api/v1/conversations", Some(&ada), json!({})).await.json();
        let id = c["id"].as_str().unwrap().to_string();
        let img = upload(ada.clone()).await;
        app.post_json(
            &format!("/api/v1/conversations/{id}/messages"),
            Some(&ada),
            json!({"text": "", "image_id": img}),
        )
        .await;
        (ada.clone(), id, img)
    };
    let r = patch(&app, &ada, &format!("/api/v1/conversations/{conv2}"), json!({"commercial": true})).await;
    assert_eq!(r.json()["commercial"], true, "{}", String::from_utf8_lossy(&r.body));
    // Bob opted out of training altogether.
    let bob = app.signup("bob").await;
    let bobs = upload(bob.clone()).await;
    patch(&app, &bob, "/api/v1/me/privacy", json!({"ai_training": false})).await;

    let eligible = vinano_server::privacy::training_eligible(&app.state.db).await.unwrap();
    assert!(eligible.contains(&plain), "an ordinary image of someone who allows training");
    assert!(eligible.contains(&consented), "a commercial image with its own consent");
    for (what, id) in [
        ("commercial", &commercial),
        ("edit of a commercial image", &edited),
        ("in a commercial conversation", &in_commercial_conversation),
        ("opted out", &bobs),
    ] {
        assert!(!eligible.contains(id), "{what} must not be eligible");
    }

    // Unmarking "commercial" withdraws the consent with it; both changes of consent are in the ledger.
    let r =
        patch(&app, &ada, &format!("/api/v1/images/{consented}"), json!({"commercial": false})).await.json();
    assert_eq!(r["training_consent"], false);
    let ledger = app.get("/api/v1/me/consents", Some(&ada)).await.json();
    let consent: Vec<&str> = ledger
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["what"] == format!("training_consent:image:{consented}"))
        .map(|e| e["new_value"].as_str().unwrap())
        .collect();
    assert_eq!(consent, ["withdrawn", "given"]);
    // Someone else's image can't be flagged.
    patch(&app, &bob, &format!("/api/v1/images/{plain}"), json!({"commercial": true}))
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
}
