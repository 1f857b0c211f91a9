//! Who may sign up, and who administers: closed sign-ups refuse in words and store nothing; by invitation,
//! each invitation makes one account and then no more (nor after it expires); the first account is the
//! administrator, `grant-admin` makes another; every such act is in the append-only audit log.

use crate::common;

use axum::http::StatusCode;
use common::{signup_body, TestApp};
use serde_json::json;
use vinano_server::admin::{self, Signups};

async fn with(signups: Signups) -> TestApp {
    TestApp::with_config(|c| c.signups = signups).await
}

#[tokio::test]
async fn closed_sign_ups_refuse_in_words_and_store_nothing() {
    let app = with(Signups::Closed).await;
    // The sign-up page asks first, and says so instead of showing a form that can't work.
    assert_eq!(app.get("/api/v1/auth/signups", None).await.json(), json!({"signups": "closed"}));
    let r = app.post_json("/api/v1/auth/signup", None, signup_body("ada")).await;
    assert_eq!(
        r.error(StatusCode::FORBIDDEN, "forbidden"),
        "This ViNano isn't taking new accounts. Ask the people who run it for one."
    );
    assert_eq!((app.count("users").await, app.count("consents").await), (0, 0));
}

#[tokio::test]
async fn an_invitation_makes_one_account_and_no_more() {
    let app = with(Signups::Invite).await;
    assert_eq!(app.get("/api/v1/auth/signups", None).await.json(), json!({"signups": "invite"}));
    let r = app.post_json("/api/v1/auth/signup", None, signup_body("ada")).await;
    assert_eq!(
        r.error(StatusCode::FORBIDDEN, "forbidden"),
        "This ViNano takes new accounts by invitation: open the link in your invitation."
    );
    let code = admin::create_invite(&app.state, "cli").await.unwrap();
    let mut ada = signup_body("ada");
    ada["invite"] = json!(code);
    assert_eq!(app.post_json("/api/v1/auth/signup", None, ada).await.status, StatusCode::CREATED);
    let mut bob = signup_body("bob");
    bob["invite"] = json!(code);
    let r = app.post_json("/api/v1/auth/signup", None, bob.clone()).await;
    assert_eq!(
        r.error(StatusCode::FORBIDDEN, "forbidden"),
        "This invitation has been used or has expired. Ask for a new one."
    );
    assert_eq!(app.count("users").await, 1, "nothing of Bob's stored");
    // An invitation not used in its 14 days is no longer good.
    let late = admin::create_invite(&app.state, "cli").await.unwrap();
    app.clock.advance(15 * 86_400);
    bob["invite"] = json!(late);
    app.post_json("/api/v1/auth/signup", None, bob).await.error(StatusCode::FORBIDDEN, "forbidden");
    // Only the codes' hashes are kept.
    let hashes: Vec<String> =
        sqlx::query_scalar("SELECT code_hash FROM invites").fetch_all(&app.state.db).await.unwrap();
    assert!(!hashes.contains(&code) && !hashes.contains(&late));
}

#[tokio::test]
async fn the_first_account_administers_and_grant_admin_makes_another_with_the_audit_log_saying_so() {
    let app = with(Signups::Open).await;
    assert_eq!(app.get("/api/v1/auth/signups", None).await.json(), json!({"signups": "open"}));
    app.signup("ada").await;
    app.signup("bob").await;
    let admins = || async {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT username, is_admin FROM users ORDER BY username")
                .fetch_all(&app.state.db)
                .await
                .unwrap();
        rows
    };
    assert_eq!(admins().await, [("ada".to_string(), 1), ("bob".to_string(), 0)]);
    assert!(admin::grant_admin(&app.state, "BOB", "cli").await.unwrap().is_some(), "by username, any case");
    assert!(admin::grant_admin(&app.state, "nobody", "cli").await.unwrap().is_none());
    assert_eq!(admins().await, [("ada".to_string(), 1), ("bob".to_string(), 1)]);
    let log: Vec<(String, String, String)> =
        sqlx::query_as("SELECT actor, action, detail FROM admin_audit ORDER BY id")
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    assert_eq!(
        log,
        [
            ("system".into(), "grant-admin".into(), "the first account".into()),
            ("cli".into(), "grant-admin".into(), "made an administrator".into()),
        ]
    );
    let changed = sqlx::query("DELETE FROM admin_audit").execute(&app.state.db).await;
    assert!(changed.unwrap_err().to_string().contains("append-only"));
}
