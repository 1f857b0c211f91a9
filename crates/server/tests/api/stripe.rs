//! Stripe as the processor (`VINANO_BILLING_PROCESSOR=stripe`), against the in-process fake of its API
//! (`fake_stripe.rs`, which checks each request's shape) and recorded event payloads
//! (`tests/fixtures/stripe`): subscribing goes through Stripe Checkout and its events start the plan; a
//! renewal that fails makes the account past due until Stripe's retry or "Pay now" collects it; plan
//! changes, cancelling and the portal are calls on Stripe; deleting an account deletes its Stripe customer.
//! After every case the balance is the ledger's sum and never below zero.

use crate::common::{self, TestApp};
use crate::fake_stripe::{self, Fake, PRICE_PRO, PRICE_STUDIO, SECRET_KEY, WEBHOOK_SECRET};
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use vinano_server::billing::stripe::StripeConfig;
use vinano_server::billing::webhook;
use vinano_server::clock::Clock;

const DAY: i64 = 24 * 3600;

async fn app() -> (TestApp, Fake) {
    let (url, fake) = fake_stripe::start().await;
    let app = TestApp::with_config(|c| {
        c.billing.plans[0].credits = 5;
        c.billing.plans[1].credits = 100;
        c.billing.plans[2].credits = 400;
        c.billing.stripe = Some(StripeConfig {
            api_base: url,
            secret_key: SECRET_KEY.into(),
            webhook_secret: WEBHOOK_SECRET.into(),
            prices: [PRICE_PRO.into(), PRICE_STUDIO.into()],
        });
    })
    .await;
    (app, fake)
}

fn now(app: &TestApp) -> i64 {
    app.clock.now_ms() / 1000
}

/// Posts an event to the webhook, signed as Stripe signs it.
async fn deliver(app: &TestApp, body: Vec<u8>) -> common::Reply {
    let signature = webhook::sign(WEBHOOK_SECRET.as_bytes(), now(app), &body);
    let headers = [("stripe-signature", signature.as_str())];
    let uri = "/api/v1/billing/webhook";
    app.request_with(Method::POST, uri, None, Some("application/json"), body, &headers).await
}

async fn post_keyed(app: &TestApp, cookie: &str, uri: &str, body: Value, key: &str) -> common::Reply {
    let body = body.to_string().into_bytes();
    let headers = [("idempotency-key", key)];
    app.request_with(Method::POST, uri, Some(cookie), Some("application/json"), body, &headers).await
}

/// Someone subscribed to Pro through Stripe Checkout.
struct Subscriber {
    cookie: String,
    user: String,
    customer: String,
}

/// Ids and times an event is filled in with.
fn values<'a>(s: &Subscriber, extra: &[(&'a str, String)]) -> Vec<(&'a str, String)> {
    let mut v: Vec<(&'a str, String)> = vec![
        ("user", s.user.clone()),
        ("customer", s.customer.clone()),
        ("subscription", "sub_test_ada".into()),
        ("item", "si_test_item".into()),
        ("price", PRICE_PRO.into()),
        ("amount", "1200".into()),
        ("cancel_at_period_end", "false".into()),
        ("status", "active".into()),
    ];
    for (k, val) in extra {
        v.retain(|(key, _)| key != k);
        v.push((k, val.clone()));
    }
    v
}

/// An invoice event for the period `start`..`start + 30 days` (seconds).
fn invoice_event(s: &Subscriber, kind: &str, invoice: &str, reason: &str, start: i64, at: i64) -> Vec<u8> {
    let paid = kind == "invoice.paid";
    let extra = [
        ("event", format!("evt_{kind}_{invoice}_{at}")),
        ("type", kind.to_string()),
        ("created", at.to_string()),
        ("invoice", invoice.to_string()),
        ("billing_reason", reason.to_string()),
        ("period_start", start.to_string()),
        ("period_end", (start + 30 * DAY).to_string()),
        ("amount_paid", if paid { "1200" } else { "0" }.to_string()),
        ("amount_remaining", if paid { "0" } else { "1200" }.to_string()),
        ("paid", paid.to_string()),
        ("status", if paid { "paid" } else { "open" }.to_string()),
        ("next_attempt", if paid { "null".to_string() } else { (at + 3 * DAY).to_string() }),
    ];
    fake_stripe::event("invoice", &values(s, &extra))
}

fn subscription_event(s: &Subscriber, kind: &str, at: i64, extra: &[(&str, String)]) -> Vec<u8> {
    let mut all = vec![
        ("event", format!("evt_{kind}_{at}")),
        ("type", kind.to_string()),
        ("created", at.to_string()),
        ("invoice", "in_test_first".to_string()),
        ("period_start", at.to_string()),
        ("period_end", (at + 30 * DAY).to_string()),
    ];
    all.extend(extra.iter().map(|(k, v)| (*k, v.clone())));
    fake_stripe::event("customer.subscription", &values(s, &all))
}

async fn credits(app: &TestApp, s: &Subscriber) -> Value {
    app.balanced_credits(&s.cookie, &s.user).await
}

/// Ada subscribes to Pro: ViNano's checkout sends her to Stripe's, and Stripe's events start the plan.
async fn subscribe(app: &TestApp, fake: &Fake) -> Subscriber {
    let cookie = app.signup("ada").await;
    let user = app.get("/api/v1/me", Some(&cookie)).await.json()["id"].as_str().unwrap().to_string();
    let r = post_keyed(app, &cookie, "/api/v1/billing/checkout", json!({"plan": "pro"}), "click-1").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&r.body));
    let session = r.json();
    let id = session["id"].as_str().unwrap().to_string();
    assert_eq!(session["url"], format!("https://checkout.stripe.com/c/pay/{id}"));
    assert_eq!(session["test_mode"], false);
    let customer = fake.calls(Method::POST, "/v1/customers")[0].clone();
    assert_eq!(customer.field("email"), Some("ada@example.com"));
    assert_eq!(customer.field("metadata[user_id]"), Some(user.as_str()));
    let customer_id: String =
        sqlx::query_scalar("SELECT processor_customer FROM subscriptions WHERE user_id = $1")
            .bind(&user)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let s = Subscriber { cookie, user, customer: customer_id };
    let at = now(app);
    let extra = [
        ("event", "evt_checkout_1".to_string()),
        ("created", at.to_string()),
        ("session", id),
        ("invoice", "in_test_first".to_string()),
    ];
    let r = deliver(app, fake_stripe::event("checkout.session.completed", &values(&s, &extra))).await;
    assert_eq!(r.json()["outcome"], "applied");
    let r =
        deliver(app, invoice_event(&s, "invoice.paid", "in_test_first", "subscription_create", at, at)).await;
    assert_eq!(r.json()["outcome"], "applied");
    s
}

#[tokio::test]
async fn subscribing_goes_through_stripe_checkout_and_its_events_start_the_plan_once() {
    let (app, fake) = app().await;
    let s = subscribe(&app, &fake).await;
    let sessions = fake.calls(Method::POST, "/v1/checkout/sessions");
    assert_eq!(sessions.len(), 1);
    let call = &sessions[0];
    for (field, value) in [
        ("mode", "subscription"),
        ("customer", s.customer.as_str()),
        ("client_reference_id", s.user.as_str()),
        ("line_items[0][price]", PRICE_PRO),
        ("line_items[0][quantity]", "1"),
        ("metadata[plan]", "pro"),
        ("success_url", "http://127.0.0.1:8080/me?checkout=done#subscription"),
        ("cancel_url", "http://127.0.0.1:8080/me#subscription"),
    ] {
        assert_eq!(call.field(field), Some(value), "{field} in {call:?}");
    }
    assert_eq!(call.key.as_deref(), Some(format!("checkout-{}-click-1|pro", s.user).as_str()));
    // The plan started once — by the checkout's event — with its credits, and its first invoice is kept.
    let now = credits(&app, &s).await;
    assert_eq!((now["plan"]["id"].as_str(), now["balance"].as_i64()), (Some("pro"), Some(100)));
    assert_eq!(now["cards_at_processor"], true);
    let invoices = app.get("/api/v1/me/invoices", Some(&s.cookie)).await.json();
    assert_eq!(invoices.as_array().unwrap().len(), 1);
    assert_eq!(
        (invoices[0]["amount_cents"].as_i64(), invoices[0]["status"].as_str()),
        (Some(1200), Some("paid"))
    );

    // A double-submitted checkout is the same Stripe session (Stripe answers the same key the same way).
    let mut again =
        post_keyed(&app, &s.cookie, "/api/v1/billing/checkout", json!({"plan": "studio"}), "x").await;
    assert_eq!(again.status, StatusCode::CONFLICT, "a subscriber changes plan instead of a second checkout");
    again.error(StatusCode::CONFLICT, "conflict");
    again = app.get("/api/v1/me/payment-methods", Some(&s.cookie)).await;
    assert_eq!(again.json(), json!([]), "no card is kept at ViNano with Stripe");
    let card = json!({"number": "4242 4242 4242 4242", "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "Ada"});
    let r = app.post_json("/api/v1/me/payment-methods", Some(&s.cookie), card).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "a card number never reaches ViNano with Stripe");

    // A replayed event changes nothing; one with a bad signature is refused and changes nothing.
    let at = self::now(&app);
    let body = invoice_event(&s, "invoice.paid", "in_test_first", "subscription_create", at, at + 5);
    assert_eq!(deliver(&app, body.clone()).await.json()["outcome"], "applied", "another event id");
    assert_eq!(deliver(&app, body.clone()).await.json()["outcome"], "replayed");
    let forged = webhook::sign(b"whsec_someone_else", at, &body);
    let r = app
        .request_with(
            Method::POST,
            "/api/v1/billing/webhook",
            None,
            Some("application/json"),
            body,
            &[("stripe-signature", &forged)],
        )
        .await;
    r.error(StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_eq!(credits(&app, &s).await["balance"], 100, "nothing granted twice");
    assert_eq!(app.count("invoices").await, 1, "the invoice recorded once, by its Stripe id");
}

#[tokio::test]
async fn a_paid_renewal_starts_the_next_period_with_its_credits_and_an_early_invoice_starts_the_plan() {
    let (app, fake) = app().await;
    let s = subscribe(&app, &fake).await;
    let start = now(&app);
    app.clock.advance(30 * DAY + 60);
    let renewal = start + 30 * DAY;
    let r = deliver(
        &app,
        invoice_event(&s, "invoice.paid", "in_test_renewal", "subscription_cycle", renewal, now(&app)),
    )
    .await;
    assert_eq!(r.json()["outcome"], "applied");
    let rows: Vec<(String, i64, Option<String>)> = sqlx::query_as(
        "SELECT kind, amount, invoice_id FROM credit_ledger WHERE user_id = $1 ORDER BY id DESC LIMIT 2",
    )
    .bind(&s.user)
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    assert_eq!((rows[1].0.as_str(), rows[1].1), ("expire", -100), "what was left expired");
    assert_eq!((rows[0].0.as_str(), rows[0].1), ("grant", 100), "the new period's credits");
    let invoice: String =
        sqlx::query_scalar("SELECT id FROM invoices WHERE processor_invoice = 'in_test_renewal'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(rows[0].2.as_deref(), Some(invoice.as_str()), "the grant names its invoice");
    let login = json!({"login": "ada", "password": "a long enough password"});
    let cookie = app.post_json("/api/v1/auth/login", None, login).await.cookie();
    let s = Subscriber { cookie, ..s };
    let c = credits(&app, &s).await;
    assert_eq!(c["period_start"], vinano_server::clock::rfc3339(renewal * 1000));
    assert_eq!((c["plan"]["id"].as_str(), c["balance"].as_i64()), (Some("pro"), Some(100)));

    // Stripe doesn't promise an order: bob's first invoice arrives before his checkout's event.
    let bob = app.signup("bob").await;
    let r = post_keyed(&app, &bob, "/api/v1/billing/checkout", json!({"plan": "pro"}), "b").await;
    let session = r.json()["id"].as_str().unwrap().to_string();
    let bob_id = app.get("/api/v1/me", Some(&bob)).await.json()["id"].as_str().unwrap().to_string();
    let customer: String =
        sqlx::query_scalar("SELECT processor_customer FROM subscriptions WHERE user_id = $1")
            .bind(&bob_id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let b = Subscriber { cookie: bob, user: bob_id, customer };
    let at = now(&app);
    deliver(&app, invoice_event(&b, "invoice.paid", "in_test_bob", "subscription_create", at, at)).await;
    assert_eq!(credits(&app, &b).await["balance"], 100);
    let extra = [
        ("event", "evt_checkout_bob".to_string()),
        ("created", at.to_string()),
        ("session", session),
        ("invoice", "in_test_bob".into()),
    ];
    deliver(&app, fake_stripe::event("checkout.session.completed", &values(&b, &extra))).await;
    let c = credits(&app, &b).await;
    assert_eq!((c["plan"]["id"].as_str(), c["balance"].as_i64()), (Some("pro"), Some(100)), "started once");
}

#[tokio::test]
async fn a_failed_renewal_is_past_due_until_pay_now_collects_it_then_a_deleted_subscription_is_free() {
    let (app, fake) = app().await;
    let mut s = subscribe(&app, &fake).await;
    let start = now(&app);
    // The sign-up's letter is sent first (by the mail thread, which a loaded machine runs late): the sweep
    // below then clears it as any sent letter a month old, and the outbox holds only what follows.
    for _ in 0..500 {
        let unsent: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE user_id = $1 AND sent_at IS NULL")
                .bind(&s.user)
                .fetch_one(&app.state.db)
                .await
                .unwrap();
        if unsent == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // The period ends; until Stripe says how its renewal went, the period stands (no local charge).
    app.clock.advance(30 * DAY + 60);
    vinano_server::retention::sweep(&app.state).await.unwrap();
    let login = json!({"login": "ada", "password": "a long enough password"});
    s.cookie = app.post_json("/api/v1/auth/login", None, login).await.cookie();
    assert_eq!(credits(&app, &s).await["plan"]["id"], "pro");
    let renewal = start + 30 * DAY;
    let r = deliver(
        &app,
        invoice_event(
            &s,
            "invoice.payment_failed",
            "in_test_renewal",
            "subscription_cycle",
            renewal,
            now(&app),
        ),
    )
    .await;
    assert_eq!(r.json()["outcome"], "applied");
    let c = credits(&app, &s).await;
    assert_eq!((c["status"].as_str(), c["balance"].as_i64()), (Some("past_due"), Some(0)));
    assert!(c["retry_at"].is_string(), "Stripe's next attempt is shown: {c}");
    let letters: Vec<String> = sqlx::query_scalar("SELECT subject FROM outbox WHERE user_id = $1")
        .bind(&s.user)
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(letters, ["Your ViNano Pro renewal wasn't paid"], "one letter: the renewal failed");

    // Pay now: declined first (told why, nothing changes), then paid at Stripe.
    let mut paid = serde_json::from_slice::<Value>(&invoice_event(
        &s,
        "invoice.paid",
        "in_test_renewal",
        "subscription_cycle",
        renewal,
        now(&app),
    ))
    .unwrap();
    fake.set(|f| {
        f.invoices.insert("in_test_renewal".into(), paid["data"]["object"].take());
        f.decline = Some("insufficient_funds");
    });
    let r = app.post_json("/api/v1/me/subscription/pay", Some(&s.cookie), json!({})).await;
    assert!(r.error(StatusCode::PAYMENT_REQUIRED, "payment_required").contains("insufficient funds"));
    assert_eq!(credits(&app, &s).await["status"], "past_due");
    let r = app.post_json("/api/v1/me/subscription/pay", Some(&s.cookie), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    let pays = fake.calls(Method::POST, "/v1/invoices/in_test_renewal/pay");
    assert_eq!(pays.len(), 2);
    assert_ne!(pays[0].key, pays[1].key, "a new try is a new key: Stripe would repeat the refusal");
    let c = credits(&app, &s).await;
    assert_eq!((c["status"].as_str(), c["balance"].as_i64()), (Some("active"), Some(100)));
    // Stripe's own invoice.paid for it, arriving afterwards, changes nothing.
    let r = deliver(
        &app,
        invoice_event(&s, "invoice.paid", "in_test_renewal", "subscription_cycle", renewal, now(&app)),
    )
    .await;
    assert_eq!(r.json()["outcome"], "applied");
    assert_eq!(credits(&app, &s).await["balance"], 100);

    // The subscription ends at Stripe: Free from now. An older update arriving late doesn't bring it back.
    let at = now(&app);
    let ended = subscription_event(&s, "customer.subscription.deleted", at, &[("status", "canceled".into())]);
    assert_eq!(deliver(&app, ended).await.json()["outcome"], "applied");
    assert_eq!(credits(&app, &s).await["plan"]["id"], "free");
    let late =
        subscription_event(&s, "customer.subscription.updated", at - 60, &[("price", PRICE_STUDIO.into())]);
    assert_eq!(deliver(&app, late).await.json()["outcome"], "stale");
    let c = credits(&app, &s).await;
    assert_eq!((c["plan"]["id"].as_str(), c["balance"].as_i64()), (Some("free"), Some(5)));
}

#[tokio::test]
async fn changing_and_cancelling_are_calls_on_the_stripe_subscription() {
    let (app, fake) = app().await;
    let s = subscribe(&app, &fake).await;
    // The proration shown is Stripe's own.
    fake.set(|f| f.amount_due = 2345);
    let r = app.get("/api/v1/me/subscription/change?plan=studio", Some(&s.cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!((r.json()["when"].as_str(), r.json()["amount_cents"].as_i64()), (Some("now"), Some(2345)));
    let preview = fake.calls(Method::GET, "/v1/invoices/upcoming")[0].clone();
    assert_eq!(preview.field("subscription_items[0][price]"), Some(PRICE_STUDIO));
    assert_eq!(preview.field("subscription_proration_behavior"), Some("always_invoice"));

    // Declined: told why, nothing changed here.
    fake.set(|f| f.decline = Some("generic_decline"));
    let r = post_keyed(&app, &s.cookie, "/api/v1/me/subscription/change", json!({"plan": "studio"}), "up-1")
        .await;
    assert!(r.error(StatusCode::PAYMENT_REQUIRED, "payment_required").contains("declined"));
    assert_eq!(credits(&app, &s).await["plan"]["id"], "pro");
    // Paid: Studio at once with the credits for the days left (all 30 of them here).
    let r = post_keyed(&app, &s.cookie, "/api/v1/me/subscription/change", json!({"plan": "studio"}), "up-2")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    let update = fake.calls(Method::POST, "/v1/subscriptions/sub_test_ada").last().cloned().unwrap();
    for (field, value) in [
        ("items[0][id]", "si_test_item"),
        ("items[0][price]", PRICE_STUDIO),
        ("proration_behavior", "always_invoice"),
        ("payment_behavior", "error_if_incomplete"),
    ] {
        assert_eq!(update.field(field), Some(value), "{field} in {update:?}");
    }
    let c = credits(&app, &s).await;
    assert_eq!((c["plan"]["id"].as_str(), c["balance"].as_i64()), (Some("studio"), Some(400)));
    // Its event arriving afterwards agrees: nothing more.
    let at = now(&app);
    let updated =
        subscription_event(&s, "customer.subscription.updated", at, &[("price", PRICE_STUDIO.into())]);
    deliver(&app, updated).await;
    assert_eq!(credits(&app, &s).await["balance"], 400);

    // Cancel at the period's end, then keep it from Stripe's portal (its event).
    let r = app.post_json("/api/v1/me/subscription/cancel", Some(&s.cookie), json!({})).await;
    assert_eq!(r.json()["cancel_at_period_end"], true);
    let cancel = fake.calls(Method::POST, "/v1/subscriptions/sub_test_ada").last().cloned().unwrap();
    assert_eq!(cancel.field("cancel_at_period_end"), Some("true"));
    let kept = [("price", PRICE_STUDIO.to_string()), ("cancel_at_period_end", "false".into())];
    deliver(&app, subscription_event(&s, "customer.subscription.updated", at + 1, &kept)).await;
    assert_eq!(credits(&app, &s).await["cancel_at_period_end"], false);

    // Cards are Stripe's portal's.
    let r = app.post_json("/api/v1/me/billing-portal", Some(&s.cookie), json!({})).await;
    assert!(r.json()["url"].as_str().unwrap().starts_with("https://billing.stripe.com/p/session/"));
    let portal = fake.calls(Method::POST, "/v1/billing_portal/sessions")[0].clone();
    assert_eq!(portal.field("customer"), Some(s.customer.as_str()));
    let bob = app.signup("bob").await;
    let r = app.post_json("/api/v1/me/billing-portal", Some(&bob), json!({})).await;
    r.error(StatusCode::CONFLICT, "conflict");
}

#[tokio::test]
async fn deleting_the_account_deletes_the_stripe_customer_and_keeps_the_invoices() {
    let (app, fake) = app().await;
    let s = subscribe(&app, &fake).await;
    let r = app
        .post_json("/api/v1/me/deletion", Some(&s.cookie), json!({"password": "a long enough password"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    // Nobody is charged for an account they asked to delete.
    let cancel = fake.calls(Method::POST, "/v1/subscriptions/sub_test_ada").last().cloned().unwrap();
    assert_eq!(cancel.field("cancel_at_period_end"), Some("true"));
    // The request tracker shows the step at Stripe.
    let steps: Vec<String> =
        sqlx::query_scalar("SELECT detail FROM data_requests WHERE user_id = $1 AND kind = 'deletion'")
            .bind(&s.user)
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    assert!(steps.iter().any(|d| d.contains("payment service (Stripe)")), "{steps:?}");

    // Stripe unreachable at the purge: nothing is deleted here either, and the next sweep tries again.
    app.clock.advance(31 * DAY);
    fake.set(|f| f.fail = 100);
    vinano_server::retention::sweep(&app.state).await.unwrap();
    let closed: Option<i64> = sqlx::query_scalar("SELECT closed_at FROM users WHERE id = $1")
        .bind(&s.user)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(closed, None, "not purged while its Stripe customer couldn't be deleted");
    fake.set(|f| f.fail = 0);
    vinano_server::retention::sweep(&app.state).await.unwrap();
    let deleted = fake.calls(Method::DELETE, "/v1/customers/");
    assert_eq!(deleted.last().unwrap().path, format!("/v1/customers/{}", s.customer));
    assert!(fake.0.lock().unwrap().deleted.contains(&s.customer));
    let left: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM subscriptions WHERE user_id = $1), (SELECT COUNT(*) FROM invoices WHERE user_id = $1)",
    )
    .bind(&s.user)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(left, (0, 1), "the Stripe ids go with the account; its invoice stays for the legal period");
}

#[tokio::test]
async fn a_failing_stripe_is_retried_with_the_same_key_and_then_told_as_unavailable() {
    let (app, fake) = app().await;
    let cookie = app.signup("ada").await;
    fake.set(|f| f.fail = 1);
    let r = post_keyed(&app, &cookie, "/api/v1/billing/checkout", json!({"plan": "pro"}), "k").await;
    assert_eq!(r.status, StatusCode::CREATED, "retried after one 500");
    let customers = fake.calls(Method::POST, "/v1/customers");
    assert_eq!(customers.len(), 2);
    assert_eq!(customers[0].key, customers[1].key, "the retry carries the same Idempotency-Key");
    fake.set(|f| f.fail = 100);
    let r = post_keyed(&app, &cookie, "/api/v1/billing/checkout", json!({"plan": "studio"}), "k2").await;
    let message = r.error(StatusCode::SERVICE_UNAVAILABLE, "service_unavailable");
    assert!(message.contains("Nothing was charged"), "{message}");
    assert_eq!(app.count("checkout_sessions").await, 1, "no session half-written");
}

#[tokio::test]
async fn a_plan_changed_on_stripe_s_portal_is_mirrored_up_at_once_and_down_at_the_period_s_end() {
    let (app, fake) = app().await;
    let s = subscribe(&app, &fake).await;
    let at = now(&app);
    // Up to Studio in the portal: Studio here at once, with the credits for the days left.
    let up =
        subscription_event(&s, "customer.subscription.updated", at + 1, &[("price", PRICE_STUDIO.into())]);
    assert_eq!(deliver(&app, up).await.json()["outcome"], "applied");
    let c = credits(&app, &s).await;
    assert_eq!((c["plan"]["id"].as_str(), c["balance"].as_i64()), (Some("studio"), Some(400)));
    // Back down to Pro: Studio is kept (and paid for) until the period's end, then Pro.
    let down =
        subscription_event(&s, "customer.subscription.updated", at + 2, &[("price", PRICE_PRO.into())]);
    assert_eq!(deliver(&app, down).await.json()["outcome"], "applied");
    let c = credits(&app, &s).await;
    assert_eq!(
        (c["plan"]["id"].as_str(), c["next_plan"]["id"].as_str(), c["balance"].as_i64()),
        (Some("studio"), Some("pro"), Some(400))
    );
    // No call went back to Stripe for a change Stripe told us about.
    assert!(fake.calls(Method::POST, "/v1/subscriptions/sub_test_ada").is_empty());
}
