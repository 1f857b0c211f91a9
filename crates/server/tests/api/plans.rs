//! Keeping a paid plan: cards on file (add, make default, remove — one's own only), changing plans (an
//! upgrade prorated, shown before it is confirmed and charged once; a downgrade at the period's end), a
//! renewal that isn't paid (past due, retried on the schedule by the clock, each try a letter, then Free),
//! paying it with a new card, and invoices outliving a deleted account for their legal period. After each
//! step the books agree: the balance is the ledger's sum, never negative, and the subscription's state
//! matches its invoices.

use crate::common;

use axum::http::{Method, StatusCode};
use common::{insertion_order, TestApp};
use serde_json::{json, Value};

async fn app() -> TestApp {
    common::priced().await
}

fn card(number: &str) -> Value {
    json!({"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "Ada"})
}

async fn add_card(app: &TestApp, cookie: &str, number: &str) -> common::Reply {
    app.post_json("/api/v1/me/payment-methods", Some(cookie), card(number)).await
}

/// Signs `who` up and puts them on Pro with 4242; returns the cookie and the account's id.
async fn on_pro(app: &TestApp, who: &str) -> (String, String) {
    let cookie = app.signup(who).await;
    let r = app.post_json("/api/v1/billing/checkout", Some(&cookie), json!({"plan": "pro"})).await;
    let id = r.json()["id"].as_str().unwrap().to_string();
    let paid = app
        .post_json(&format!("/api/v1/billing/checkout/{id}/pay"), Some(&cookie), card("4242424242424242"))
        .await;
    assert_eq!(paid.json()["state"], "complete");
    let user = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(who)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    (cookie, user)
}

async fn login(app: &TestApp, who: &str) -> String {
    let body = json!({"login": who, "password": "a long enough password"});
    app.post_json("/api/v1/auth/login", None, body).await.cookie()
}

/// The person's credits, after checking the books: the balance is the ledger's sum and not negative; past
/// due means exactly one open invoice and a retry date; otherwise no invoice is open.
async fn books(app: &TestApp, cookie: &str, user: &str) -> Value {
    let credits = app.balanced_credits(cookie, user).await;
    let open: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM invoices WHERE user_id = $1 AND status = 'open'")
            .bind(user)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let past_due = credits["status"] == "past_due";
    assert_eq!(open, i64::from(past_due), "an open invoice exactly while past due: {credits}");
    assert_eq!(credits["retry_at"].is_string(), past_due);
    credits
}

/// The subjects of the letters to `user`, oldest first.
async fn letters(app: &TestApp, user: &str) -> Vec<String> {
    let sql =
        format!("SELECT subject FROM outbox WHERE user_id = $1 ORDER BY created_at, {}", insertion_order());
    sqlx::query_scalar(&sql).bind(user).fetch_all(&app.state.db).await.unwrap()
}

/// `(plan, amount, status, attempts, description)` of each of the person's invoices, oldest first.
async fn invoices(app: &TestApp, user: &str) -> Vec<(String, i64, String, i64, String)> {
    let sql = format!(
        "SELECT plan, amount_cents, status, attempts, description FROM invoices WHERE user_id = $1
         ORDER BY period_start, {}",
        insertion_order()
    );
    sqlx::query_as(&sql).bind(user).fetch_all(&app.state.db).await.unwrap()
}

#[tokio::test]
async fn cards_on_file_are_added_made_default_and_removed_and_are_ones_own() {
    let app = app().await;
    let ada = app.signup("ada").await;
    let bob = app.signup("bob").await;
    let r = add_card(&app, &ada, "4242 4242 4242 4242").await;
    assert_eq!(r.status, StatusCode::CREATED);
    let list = r.json();
    assert_eq!((list[0]["brand"].as_str(), list[0]["last4"].as_str()), (Some("visa"), Some("4242")));
    assert_eq!((list[0]["exp_month"].as_u64(), list[0]["exp_year"].as_i64()), (Some(12), Some(2030)));
    assert_eq!(list[0]["is_default"], true);
    let list = add_card(&app, &ada, "5555555555554444").await.json();
    let shown: Vec<(&str, bool)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["last4"].as_str().unwrap(), c["is_default"] == true))
        .collect();
    assert_eq!(shown, [("4444", true), ("4242", false)], "the card added is the default, listed first");
    let visa = list[1]["id"].as_str().unwrap().to_string();

    // Refused cards are not kept, and say why.
    for (number, status, message) in [
        ("4000000000000002", StatusCode::PAYMENT_REQUIRED, "Your card was declined. Try another card."),
        (
            "4242424242424241",
            StatusCode::UNPROCESSABLE_ENTITY,
            "This card number isn't valid. Check it and try again.",
        ),
    ] {
        let r = add_card(&app, &ada, number).await;
        assert_eq!(r.status, status, "{number}");
        assert_eq!(r.json()["message"], message);
    }
    assert_eq!(app.count("payment_methods").await, 2);

    // Bob can neither see nor touch Ada's cards.
    assert_eq!(app.get("/api/v1/me/payment-methods", Some(&bob)).await.json(), json!([]));
    let uri = format!("/api/v1/me/payment-methods/{visa}/default");
    app.post_json(&uri, Some(&bob), json!({})).await.error(StatusCode::NOT_FOUND, "not_found");
    let delete = format!("/api/v1/me/payment-methods/{visa}");
    let r = app.request(Method::DELETE, &delete, Some(&bob), None, vec![]).await;
    r.error(StatusCode::NOT_FOUND, "not_found");

    let list = app.post_json(&uri, Some(&ada), json!({})).await.json();
    assert_eq!((list[0]["last4"].as_str(), list[0]["is_default"].as_bool()), (Some("4242"), Some(true)));
    assert_eq!(list[1]["is_default"], false);
    // Removing the default makes the other one the default.
    let list = app.request(Method::DELETE, &delete, Some(&ada), None, vec![]).await.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!((list[0]["last4"].as_str(), list[0]["is_default"].as_bool()), (Some("4444"), Some(true)));
    assert_eq!(app.get("/api/v1/me/payment-methods", Some(&ada)).await.json(), list);
}

#[tokio::test]
async fn an_upgrade_is_prorated_shown_first_and_charged_once_and_a_downgrade_waits_for_the_period_end() {
    let app = app().await;
    let (_, user) = on_pro(&app, "ada").await;
    // Ten days into the 30-day period (2026-11-29 to 12-29): 20 days left.
    app.clock.advance(10 * 86_400);
    let cookie = login(&app, "ada").await;
    let preview = app.get("/api/v1/me/subscription/change?plan=studio", Some(&cookie)).await;
    assert_eq!(preview.status, StatusCode::OK);
    let preview = preview.json();
    assert_eq!((preview["from"]["id"].as_str(), preview["to"]["id"].as_str()), (Some("pro"), Some("studio")));
    assert_eq!(preview["when"], "now");
    // Two thirds of (36.00 − 12.00) and of (400 − 100) credits.
    assert_eq!((preview["amount_cents"].as_u64(), preview["credits"].as_u64()), (Some(1600), Some(200)));
    assert_eq!((preview["days_left"].as_u64(), preview["days_in_period"].as_u64()), (Some(20), Some(30)));
    assert_eq!(books(&app, &cookie, &user).await["plan"]["id"], "pro", "a preview changes nothing");
    assert_eq!(invoices(&app, &user).await.len(), 1);

    let change = |key: &'static str| {
        let app = &app;
        let cookie = cookie.clone();
        async move {
            let body = json!({"plan": "studio"}).to_string().into_bytes();
            let headers = [("idempotency-key", key)];
            let uri = "/api/v1/me/subscription/change";
            app.request_with(Method::POST, uri, Some(&cookie), Some("application/json"), body, &headers).await
        }
    };
    let done = change("up-1").await;
    assert_eq!(done.status, StatusCode::OK, "{}", String::from_utf8_lossy(&done.body));
    let now = books(&app, &cookie, &user).await;
    assert_eq!((now["plan"]["id"].as_str(), now["balance"].as_i64()), (Some("studio"), Some(300)));
    assert_eq!(now["period_end"], "2026-12-29T12:00:00Z", "the period's dates stay");
    // Sent again (a double click, a retry): not charged twice.
    assert_eq!(change("up-1").await.status, StatusCode::OK);
    assert_eq!(books(&app, &cookie, &user).await["balance"], 300);
    let bills = invoices(&app, &user).await;
    assert_eq!(bills.len(), 2);
    assert_eq!(
        bills[1],
        (
            "studio".into(),
            1600,
            "paid".into(),
            1,
            "Upgrade from Pro to Studio, prorated for 20 of 30 days".into()
        )
    );
    let list = app.get("/api/v1/me/invoices", Some(&cookie)).await.json();
    let page =
        app.get(&format!("/api/v1/me/invoices/{}", list[0]["id"].as_str().unwrap()), Some(&cookie)).await;
    assert!(String::from_utf8(page.body).unwrap().contains(
        "<td>Upgrade from Pro to Studio, prorated for 20 of 30 days</td><td>2026-12-09 – 2026-12-29</td><td class=\"num\">USD 16.00</td>"
    ));

    // Down to Pro: at the end of the period; Studio and its credits stay until then.
    let down =
        app.post_json("/api/v1/me/subscription/change", Some(&cookie), json!({"plan": "pro"})).await.json();
    assert_eq!((down["when"].as_str(), down["amount_cents"].as_u64()), (Some("period_end"), Some(0)));
    assert_eq!(down["effective_at"], "2026-12-29T12:00:00Z");
    let now = books(&app, &cookie, &user).await;
    assert_eq!((now["plan"]["id"].as_str(), now["next_plan"]["id"].as_str()), (Some("studio"), Some("pro")));
    // To Free is cancelling; a plan that doesn't exist is refused.
    let r = app.post_json("/api/v1/me/subscription/change", Some(&cookie), json!({"plan": "free"})).await;
    assert_eq!(
        r.error(StatusCode::CONFLICT, "conflict"),
        "To move to Free, cancel your plan: it stays until the end of the period you paid for."
    );
    let r = app.get("/api/v1/me/subscription/change?plan=gold", Some(&cookie)).await;
    r.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");

    app.clock.advance(20 * 86_400);
    vinano_server::retention::sweep(&app.state).await.unwrap();
    let cookie = login(&app, "ada").await;
    let now = books(&app, &cookie, &user).await;
    assert_eq!((now["plan"]["id"].as_str(), now["balance"].as_i64()), (Some("pro"), Some(100)));
    assert_eq!(now["next_plan"], Value::Null);
    let bills = invoices(&app, &user).await;
    assert_eq!(bills[2], ("pro".into(), 1200, "paid".into(), 1, String::new()), "renewed at Pro's price");
}

#[tokio::test]
async fn an_unpaid_renewal_is_past_due_retried_by_the_clock_with_a_letter_each_time_then_free() {
    let app = app().await;
    let (cookie, user) = on_pro(&app, "ada").await;
    // Replace the card with one whose charges fail.
    let list = add_card(&app, &cookie, "4000 0000 0000 0341").await.json();
    let visa = list[1]["id"].as_str().unwrap();
    app.request(Method::DELETE, &format!("/api/v1/me/payment-methods/{visa}"), Some(&cookie), None, vec![])
        .await;

    app.clock.advance(30 * 86_400);
    vinano_server::retention::sweep(&app.state).await.unwrap();
    let cookie = login(&app, "ada").await;
    let now = books(&app, &cookie, &user).await;
    assert_eq!((now["plan"]["id"].as_str(), now["status"].as_str()), (Some("pro"), Some("past_due")));
    assert_eq!(now["balance"], 0, "no new credits until it is paid");
    assert_eq!(now["retry_at"], "2026-12-30T12:00:00Z");
    assert_eq!(invoices(&app, &user).await[1], ("pro".into(), 1200, "open".into(), 1, String::new()));
    assert_eq!(letters(&app, &user).await.last().unwrap(), "Your ViNano Pro renewal wasn't paid");
    // An edit can't be paid for from credits that haven't come: the message says why.
    let conv = app.post_json("/api/v1/conversations", Some(&cookie), json!({})).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app.say(&cookie, &conv, "a poster for a summer sale", None).await;
    assert_eq!(
        r.error(StatusCode::PAYMENT_REQUIRED, "payment_required"),
        "This costs one credit and you have 0 left: your Pro renewal isn't paid yet, so this period's credits haven't come. Pay it in Me → Subscription."
    );
    // A change of plan waits until it is paid.
    let r = app.post_json("/api/v1/me/subscription/change", Some(&cookie), json!({"plan": "studio"})).await;
    r.error(StatusCode::CONFLICT, "conflict");

    // Nothing happens before a retry is due; each due retry fails, is counted and is told.
    app.clock.advance(12 * 3600);
    vinano_server::retention::sweep(&app.state).await.unwrap();
    assert_eq!(invoices(&app, &user).await[1].3, 1);
    for (days, attempts, next) in [(1, 2, "2027-01-01T12:00:00Z"), (2, 3, "2027-01-05T12:00:00Z")] {
        app.clock.advance(days * 86_400);
        vinano_server::retention::sweep(&app.state).await.unwrap();
        let now = books(&app, &cookie, &user).await;
        assert_eq!((now["status"].as_str(), now["retry_at"].as_str()), (Some("past_due"), Some(next)));
        assert_eq!(invoices(&app, &user).await[1].3, attempts);
    }
    assert_eq!(letters(&app, &user).await.iter().filter(|s| s.contains("wasn't paid")).count(), 3);

    // The last try fails too: Free for the rest of the period, with Free's credits; the invoice is void.
    app.clock.advance(4 * 86_400);
    vinano_server::retention::sweep(&app.state).await.unwrap();
    let cookie = login(&app, "ada").await;
    let now = books(&app, &cookie, &user).await;
    assert_eq!((now["plan"]["id"].as_str(), now["status"].as_str()), (Some("free"), Some("active")));
    assert_eq!(now["balance"], 5);
    assert_eq!(now["period_end"], "2027-01-29T12:00:00Z");
    assert_eq!(invoices(&app, &user).await[1], ("pro".into(), 1200, "void".into(), 4, String::new()));
    assert_eq!(letters(&app, &user).await.last().unwrap(), "Your ViNano Pro plan has ended");
    let r = app.post_json("/api/v1/me/subscription/pay", Some(&cookie), json!({})).await;
    assert_eq!(r.error(StatusCode::CONFLICT, "conflict"), "Nothing is waiting to be paid.");
}

#[tokio::test]
async fn a_past_due_renewal_is_paid_by_pay_now_or_by_adding_a_card() {
    let app = app().await;
    let (cookie, user) = on_pro(&app, "ada").await;
    let (bob, bob_id) = on_pro(&app, "bob").await;
    for (who, cookie) in [("ada", &cookie), ("bob", &bob)] {
        let list = add_card(&app, cookie, "4000000000000341").await.json();
        let visa = list[1]["id"].as_str().unwrap();
        app.request(
            Method::DELETE,
            &format!("/api/v1/me/payment-methods/{visa}"),
            Some(cookie),
            None,
            vec![],
        )
        .await;
        assert_eq!(list[0]["last4"], "0341", "{who}");
    }
    app.clock.advance(30 * 86_400);
    vinano_server::retention::sweep(&app.state).await.unwrap();
    let cookie = login(&app, "ada").await;
    let bob = login(&app, "bob").await;

    // Pay now with the failing card: the reason, nothing changed, the schedule untouched.
    let r = app.post_json("/api/v1/me/subscription/pay", Some(&cookie), json!({})).await;
    assert_eq!(
        r.error(StatusCode::PAYMENT_REQUIRED, "payment_required"),
        "Your card was declined. Try another card."
    );
    assert_eq!(books(&app, &cookie, &user).await["status"], "past_due");
    assert_eq!(invoices(&app, &user).await[1].3, 1);

    // Ada adds a good card: it is charged at once.
    assert_eq!(add_card(&app, &cookie, "4242424242424242").await.status, StatusCode::CREATED);
    let now = books(&app, &cookie, &user).await;
    assert_eq!((now["status"].as_str(), now["balance"].as_i64()), (Some("active"), Some(100)));
    assert_eq!(invoices(&app, &user).await[1], ("pro".into(), 1200, "paid".into(), 2, String::new()));
    assert_eq!(letters(&app, &user).await.last().unwrap(), "Payment received: ViNano Pro");

    // Bob adds another good card: paid at once too; then there is nothing left to pay.
    let list = add_card(&app, &bob, "5555 5555 5555 4444").await.json();
    assert_eq!(books(&app, &bob, &bob_id).await["status"], "active", "adding a good card pays");
    assert_eq!(list[0]["last4"], "4444");
    let r = app.post_json("/api/v1/me/subscription/pay", Some(&bob), json!({})).await;
    r.error(StatusCode::CONFLICT, "conflict");
}

#[tokio::test]
async fn a_deleted_accounts_invoices_stay_for_their_legal_period_and_its_cards_go() {
    let app = app().await;
    let (cookie, user) = on_pro(&app, "ada").await;
    app.post_json("/api/v1/me/deletion", Some(&cookie), json!({"password": "a long enough password"})).await;
    app.clock.advance(31 * 86_400);
    assert_eq!(vinano_server::retention::sweep(&app.state).await.unwrap().accounts, 1);
    let kept = invoices(&app, &user).await;
    assert_eq!(kept, [("pro".into(), 1200, "paid".into(), 1, String::new())], "the invoice stays");
    let of = |table: &'static str| {
        let app = &app;
        let user = user.clone();
        async move {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE user_id = $1"))
                .bind(user)
                .fetch_one(&app.state.db)
                .await
                .unwrap();
            n
        }
    };
    for table in ["payment_methods", "subscriptions", "credit_ledger", "checkout_sessions"] {
        assert_eq!(of(table).await, 0, "{table}");
    }
    // Ten years on, the invoice goes too.
    app.clock.advance(10 * 365 * 86_400);
    vinano_server::retention::sweep(&app.state).await.unwrap();
    assert_eq!(of("invoices").await, 0);
}
