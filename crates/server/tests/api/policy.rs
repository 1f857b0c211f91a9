//! Policy versions: a material change (a new version at start-up) emails every account once, shows each
//! person a pending update until they accept it, and the acceptance goes into the consent ledger.

use crate::common;

use common::TestApp;
use serde_json::Value;

#[tokio::test]
async fn a_policy_bump_emails_everyone_and_asks_each_person_to_accept() {
    let first = TestApp::new().await;
    assert_eq!(
        vinano_server::policy::publish(&first.state).await.unwrap(),
        0,
        "the first version emails nobody"
    );
    let ada = first.signup("ada").await;
    first.signup("bob").await;
    assert_eq!(
        first.get("/api/v1/policy", None).await.json()["version"],
        vinano_api::policy::PRIVACY_VERSION
    );
    assert_eq!(first.get("/api/v1/me", Some(&ada)).await.json()["policy_update"], Value::Null);

    // The same data, served under a new policy version.
    let dir = first.state.config.data_dir.clone();
    let bumped = TestApp::with_config(|c| {
        c.data_dir = dir;
        c.database_url = first.state.config.database_url.clone();
        c.policy_version = "2026-12".into();
    })
    .await;
    assert_eq!(vinano_server::policy::publish(&bumped.state).await.unwrap(), 2);
    assert_eq!(vinano_server::policy::publish(&bumped.state).await.unwrap(), 0, "once");
    let mails: Vec<String> = sqlx::query_scalar(
        "SELECT to_addr FROM outbox WHERE subject = 'We''ve updated our privacy policy' ORDER BY to_addr",
    )
    .fetch_all(&bumped.state.db)
    .await
    .unwrap();
    assert_eq!(mails, ["ada@example.com", "bob@example.com"]);
    assert_eq!(bumped.get("/api/v1/policy", None).await.json()["version"], "2026-12");
    assert_eq!(bumped.get("/api/v1/me", Some(&ada)).await.json()["policy_update"], "2026-12");

    let accepted =
        bumped.post_json("/api/v1/me/policy/accept", Some(&ada), serde_json::json!({})).await.json();
    assert_eq!(accepted["policy_update"], Value::Null);
    let ledger = bumped.get("/api/v1/me/consents", Some(&ada)).await.json();
    assert_eq!(ledger[0]["what"], "privacy_policy");
    assert_eq!(ledger[0]["old_value"], format!("accepted {}", vinano_api::policy::PRIVACY_VERSION));
    assert_eq!(ledger[0]["new_value"], "accepted");
    assert_eq!(ledger[0]["policy_version"], "2026-12");
    assert_eq!(ledger[0]["source"], "banner");
    // New people accept the version in force when they sign up.
    let carol = bumped.signup("carol").await;
    assert_eq!(bumped.get("/api/v1/me", Some(&carol)).await.json()["policy_update"], Value::Null);
}
