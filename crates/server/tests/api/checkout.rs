//! Paying for a plan with the local test-mode processor: each test card does what it says, a paid checkout
//! starts the plan (its credits, an invoice, the card kept as brand and last four digits only — the number
//! is nowhere in the database); the processor's events are refused without a valid signature, recognised
//! when replayed and never move the state back when they arrive out of order.

use crate::common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{json, Value};
use vinano_server::billing::{checkout, webhook};

async fn app() -> TestApp {
    common::priced().await
}

async fn open(app: &TestApp, cookie: &str, plan: &str, key: &str) -> common::Reply {
    let body = json!({ "plan": plan }).to_string().into_bytes();
    let headers = [("idempotency-key", key)];
    app.request_with(
        Method::POST,
        "/api/v1/billing/checkout",
        Some(cookie),
        Some("application/json"),
        body,
        &headers,
    )
    .await
}

async fn pay(app: &TestApp, cookie: &str, id: &str, number: &str) -> common::Reply {
    let card = json!({"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "Ada"});
    app.post_json(&format!("/api/v1/billing/checkout/{id}/pay"), Some(cookie), card).await
}

async fn credits(app: &TestApp, cookie: &str) -> Value {
    app.get("/api/v1/me/credits", Some(cookie)).await.json()
}

/// Every byte the database holds on disk (the file and its write-ahead log).
fn database_bytes(app: &TestApp) -> Vec<u8> {
    let dir = &app.state.config.data_dir;
    ["vinano.db", "vinano.db-wal"]
        .iter()
        .flat_map(|f| std::fs::read(dir.join(f)).unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn free_to_pro_with_4242_starts_the_plan_with_its_credits_an_invoice_and_no_card_number_kept() {
    let app = app().await;
    let cookie = app.signup("ada").await;
    assert_eq!(credits(&app, &cookie).await["balance"], 5);
    let r = open(&app, &cookie, "pro", "k1").await;
    assert_eq!(r.status, StatusCode::CREATED);
    let session = r.json();
    assert_eq!((session["state"].as_str(), session["plan"]["id"].as_str()), (Some("open"), Some("pro")));
    assert_eq!(session["test_mode"], true);
    let id = session["id"].as_str().unwrap().to_string();
    // A double-submitted checkout is the same checkout.
    assert_eq!(open(&app, &cookie, "pro", "k1").await.json()["id"], id.as_str());

    let r = pay(&app, &cookie, &id, "4242 4242 4242 4242").await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["state"], "complete");
    let now = credits(&app, &cookie).await;
    assert_eq!((now["plan"]["id"].as_str(), now["balance"].as_i64()), (Some("pro"), Some(100)));
    assert_eq!(now["period_start"], "2026-11-29T12:00:00Z");
    let kinds: Vec<(String, i64)> = sqlx::query_as("SELECT kind, amount FROM credit_ledger ORDER BY id")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    let kinds: Vec<(&str, i64)> = kinds.iter().map(|(k, a)| (k.as_str(), *a)).collect();
    assert_eq!(kinds, [("grant", 5), ("expire", -5), ("grant", 100)]);
    let invoice: (String, i64, String, String) =
        sqlx::query_as("SELECT plan, amount_cents, status, paid_with FROM invoices")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(invoice, ("pro".into(), 1200, "paid".into(), "visa 4242".into()));
    let card: (String, String, i64, i64, i64) =
        sqlx::query_as("SELECT brand, last4, exp_month, exp_year, is_default FROM payment_methods")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(card, ("visa".into(), "4242".into(), 12, 2030, 1));
    let bytes = database_bytes(&app);
    assert!(!bytes.windows(16).any(|w| w == b"4242424242424242"), "the card number is nowhere on disk");
    assert!(!bytes.windows(19).any(|w| w == b"4242 4242 4242 4242"));

    // Paid is closed; Pro again is the plan already.
    pay(&app, &cookie, &id, "4242424242424242").await.error(StatusCode::CONFLICT, "conflict");
    open(&app, &cookie, "pro", "k2").await.error(StatusCode::CONFLICT, "conflict");
}

#[tokio::test]
async fn each_refused_card_says_why_and_changes_nothing() {
    let app = app().await;
    let cookie = app.signup("ada").await;
    let id = open(&app, &cookie, "studio", "k").await.json()["id"].as_str().unwrap().to_string();
    for (number, status, code, message) in [
        ("4000 0000 0000 0002", StatusCode::PAYMENT_REQUIRED, "payment_required", "Your card was declined. Try another card."),
        ("4000000000009995", StatusCode::PAYMENT_REQUIRED, "payment_required", "Your card has insufficient funds. Try another card."),
        ("4111 1111 1111 1111", StatusCode::PAYMENT_REQUIRED, "payment_required", "This is the test checkout: no real card is charged. Use a test card such as 4242 4242 4242 4242."),
        ("4242 4242 4242 4241", StatusCode::UNPROCESSABLE_ENTITY, "invalid_input", "This card number isn't valid. Check it and try again."),
    ] {
        let r = pay(&app, &cookie, &id, number).await;
        assert_eq!(r.error(status, code), message, "{number}");
        let now = credits(&app, &cookie).await;
        assert_eq!((now["plan"]["id"].as_str(), now["balance"].as_i64()), (Some("free"), Some(5)), "{number}");
        assert_eq!((app.count("invoices").await, app.count("payment_methods").await), (0, 0), "{number}");
    }
    let expired = json!({"number": "4242424242424242", "exp_month": 10, "exp_year": 2026, "cvc": "123"});
    let r = app.post_json(&format!("/api/v1/billing/checkout/{id}/pay"), Some(&cookie), expired).await;
    assert_eq!(r.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"), "This card has expired.");
    assert_eq!(r.json()["field"], "exp");
    // After all that, a good card still works.
    assert_eq!(pay(&app, &cookie, &id, "4242424242424242").await.json()["state"], "complete");
    assert_eq!(credits(&app, &cookie).await["plan"]["id"], "studio");
}

#[tokio::test]
async fn a_card_asking_for_confirmation_is_paid_only_once_confirmed() {
    let app = app().await;
    let cookie = app.signup("ada").await;
    let id = open(&app, &cookie, "pro", "k").await.json()["id"].as_str().unwrap().to_string();
    assert_eq!(pay(&app, &cookie, &id, "4000 0025 0000 3155").await.json()["state"], "confirming");
    assert_eq!(credits(&app, &cookie).await["plan"]["id"], "free", "not before it is confirmed");
    let uri = format!("/api/v1/billing/checkout/{id}/confirm");
    let refused = app.post_json(&uri, Some(&cookie), json!({"approve": false})).await;
    assert_eq!(
        refused.error(StatusCode::PAYMENT_REQUIRED, "payment_required"),
        "The payment wasn't confirmed, so nothing was charged. Try again or use another card."
    );
    assert_eq!(
        app.get(&format!("/api/v1/billing/checkout/{id}"), Some(&cookie)).await.json()["state"],
        "open"
    );
    assert_eq!(pay(&app, &cookie, &id, "4000002500003155").await.json()["state"], "confirming");
    assert_eq!(
        app.post_json(&uri, Some(&cookie), json!({"approve": true})).await.json()["state"],
        "complete"
    );
    assert_eq!(credits(&app, &cookie).await["plan"]["id"], "pro");
    assert_eq!(app.count("invoices").await, 1);
}

#[tokio::test]
async fn checkouts_are_the_persons_own_and_only_for_a_paid_plan() {
    let app = app().await;
    let ada = app.signup("ada").await;
    let bob = app.signup("bob").await;
    let id = open(&app, &ada, "pro", "k").await.json()["id"].as_str().unwrap().to_string();
    app.get(&format!("/api/v1/billing/checkout/{id}"), Some(&bob))
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    pay(&app, &bob, &id, "4242424242424242").await.error(StatusCode::NOT_FOUND, "not_found");
    for plan in ["free", "gold"] {
        open(&app, &ada, plan, plan).await.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    }
    // A day later the session has expired.
    app.clock.advance(24 * 3600);
    let login = json!({"login": "ada", "password": "a long enough password"});
    let ada = app.post_json("/api/v1/auth/login", None, login).await.cookie();
    assert_eq!(
        app.get(&format!("/api/v1/billing/checkout/{id}"), Some(&ada)).await.json()["state"],
        "expired"
    );
    pay(&app, &ada, &id, "4242424242424242").await.error(StatusCode::CONFLICT, "conflict");
}

/// A `checkout.session.completed` event for `user`'s session `session` buying `plan`, made at `created`.
fn event(id: &str, created: i64, session: &str, user: &str, plan: &str) -> Vec<u8> {
    json!({
        "id": id, "object": "event", "type": "checkout.session.completed", "created": created,
        "data": {"object": {"id": session, "client_reference_id": user, "metadata": {"plan": plan}}}
    })
    .to_string()
    .into_bytes()
}

async fn deliver(app: &TestApp, body: Vec<u8>, signature: &str) -> common::Reply {
    let headers = [("stripe-signature", signature)];
    app.request_with(Method::POST, "/api/v1/billing/webhook", None, Some("application/json"), body, &headers)
        .await
}

#[tokio::test]
async fn events_need_their_signature_a_replay_changes_nothing_and_a_late_one_never_moves_the_state_back() {
    let app = app().await;
    let cookie = app.signup("ada").await;
    let user: String = sqlx::query_scalar("SELECT id FROM users").fetch_one(&app.state.db).await.unwrap();
    let pro = open(&app, &cookie, "pro", "a").await.json()["id"].as_str().unwrap().to_string();
    let studio = open(&app, &cookie, "studio", "b").await.json()["id"].as_str().unwrap().to_string();
    let secret = checkout::local_secret(&app.state);
    let now = app.state.clock.now_ms() / 1000;

    let body = event("evt_1", now, &studio, &user, "studio");
    for signature in [
        webhook::sign(b"another secret", now, &body),
        webhook::sign(&secret, now - 301, &body),
        "t=1,v1=00".to_string(),
    ] {
        let r = deliver(&app, body.clone(), &signature).await;
        assert_eq!(
            r.error(StatusCode::UNAUTHORIZED, "unauthenticated"),
            "This event's signature doesn't match."
        );
    }
    assert_eq!(app.count("billing_events").await, 0, "nothing recorded");
    assert_eq!(credits(&app, &cookie).await["plan"]["id"], "free");

    let r = deliver(&app, body.clone(), &webhook::sign(&secret, now, &body)).await;
    assert_eq!(r.json()["outcome"], "applied");
    let after = credits(&app, &cookie).await;
    assert_eq!((after["plan"]["id"].as_str(), after["balance"].as_i64()), (Some("studio"), Some(400)));
    // The same event again: recognised, nothing changes.
    let r = deliver(&app, body.clone(), &webhook::sign(&secret, now, &body)).await;
    assert_eq!(r.json()["outcome"], "replayed");
    assert_eq!(credits(&app, &cookie).await, after);
    assert_eq!(app.count("invoices").await, 1);

    // An older event (Pro, made a minute before) arriving late is recorded and not applied.
    let late = event("evt_0", now - 60, &pro, &user, "pro");
    let r = deliver(&app, late.clone(), &webhook::sign(&secret, now, &late)).await;
    assert_eq!(r.json()["outcome"], "stale");
    assert_eq!(credits(&app, &cookie).await, after);
    assert_eq!(app.count("billing_events").await, 2);
    // A body that isn't an event, correctly signed: refused, nothing recorded.
    let junk = br#"{"id": 5}"#.to_vec();
    deliver(&app, junk.clone(), &webhook::sign(&secret, now, &junk))
        .await
        .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert_eq!(app.count("billing_events").await, 2);
}

/// Signs `who` up and puts them on Pro with 4242 (returns the cookie).
async fn on_pro(app: &TestApp, who: &str) -> String {
    let cookie = app.signup(who).await;
    let id = open(app, &cookie, "pro", "k").await.json()["id"].as_str().unwrap().to_string();
    assert_eq!(pay(app, &cookie, &id, "4242424242424242").await.json()["state"], "complete");
    cookie
}

async fn relogin(app: &TestApp, who: &str) -> String {
    let login = json!({"login": who, "password": "a long enough password"});
    app.post_json("/api/v1/auth/login", None, login).await.cookie()
}

#[tokio::test]
async fn a_cancelled_plan_lasts_its_period_then_is_free_and_a_kept_one_renews_with_an_invoice() {
    let app = app().await;
    let ada = on_pro(&app, "ada").await;
    let bob = on_pro(&app, "bob").await;
    let cancelled = app.post_json("/api/v1/me/subscription/cancel", Some(&ada), json!({})).await.json();
    assert_eq!(
        (cancelled["plan"]["id"].as_str(), cancelled["cancel_at_period_end"].as_bool()),
        (Some("pro"), Some(true))
    );
    assert_eq!(cancelled["balance"], 100, "the credits stay until the period ends");
    app.post_json("/api/v1/me/subscription/cancel", Some(&bob), json!({})).await;
    let kept = app.post_json("/api/v1/me/subscription/resume", Some(&bob), json!({})).await.json();
    assert_eq!(kept["cancel_at_period_end"], false);

    app.clock.advance(31 * 86_400);
    let ada = relogin(&app, "ada").await;
    let bob = relogin(&app, "bob").await;
    let a = credits(&app, &ada).await;
    assert_eq!((a["plan"]["id"].as_str(), a["balance"].as_i64()), (Some("free"), Some(5)));
    let b = credits(&app, &bob).await;
    assert_eq!((b["plan"]["id"].as_str(), b["balance"].as_i64()), (Some("pro"), Some(100)));
    let ada_invoices = app.get("/api/v1/me/invoices", Some(&ada)).await.json();
    assert_eq!(ada_invoices.as_array().unwrap().len(), 1, "no renewal for a cancelled plan");
    let bob_invoices = app.get("/api/v1/me/invoices", Some(&bob)).await.json();
    let bob_invoices = bob_invoices.as_array().unwrap();
    assert_eq!(bob_invoices.len(), 2, "the checkout and the renewal");
    assert_eq!(bob_invoices[0]["period_start"], "2026-12-29T12:00:00Z", "newest first: the renewal");
    assert_eq!(bob_invoices[0]["paid_with"], "visa 4242");
    // Free has nothing to cancel.
    app.post_json("/api/v1/me/subscription/cancel", Some(&ada), json!({}))
        .await
        .error(StatusCode::CONFLICT, "conflict");
}

#[tokio::test]
async fn an_invoice_is_a_printable_page_of_its_owner_only() {
    let app = app().await;
    let ada = on_pro(&app, "ada").await;
    let bob = app.signup("bob").await;
    let list = app.get("/api/v1/me/invoices", Some(&ada)).await.json();
    let invoice = &list[0];
    assert_eq!((invoice["plan"].as_str(), invoice["amount_cents"].as_u64()), (Some("Pro"), Some(1200)));
    assert_eq!((invoice["currency"].as_str(), invoice["status"].as_str()), (Some("usd"), Some("paid")));
    let uri = format!("/api/v1/me/invoices/{}", invoice["id"].as_str().unwrap());
    let page = app.get(&uri, Some(&ada)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers["content-type"], "text/html; charset=utf-8");
    let html = String::from_utf8(page.body).unwrap();
    assert!(
        html.contains("<td>Pro plan</td><td>2026-11-29 – 2026-12-29</td><td class=\"num\">USD 12.00</td>"),
        "{html}"
    );
    assert!(html.contains("Paid with visa 4242 on 2026-11-29."));
    assert!(html.contains("ada@example.com"));
    app.get(&uri, Some(&bob)).await.error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(app.get("/api/v1/me/invoices", Some(&bob)).await.json(), json!([]));
}
