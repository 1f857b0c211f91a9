//! Plans and credits: every edit reserves its price when it is queued, or is refused with 402 and stores
//! nothing; a success settles the reservation once, a failure or a cancellation refunds it; a retry reserves
//! again; periods end by expiring what is left and begin with the plan's credits; and after every case the
//! books agree (the balance is the ledger's sum, never below zero, one end per run).

use crate::common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{json, Value};

/// An app whose Free plan gives `credits` a month, with no limit on edits in flight, without workers.
async fn paused(credits: u64) -> TestApp {
    TestApp::with_config(|c| {
        c.billing.plans[0].credits = credits;
        c.quotas.jobs_in_flight = 0;
        c.job_workers = 0;
    })
    .await
}

async fn user_of(app: &TestApp, username: &str) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

/// The ledger's kinds and amounts, in order.
async fn ledger(app: &TestApp, user: &str) -> Vec<(String, i64)> {
    sqlx::query_as("SELECT kind, amount FROM credit_ledger WHERE user_id = $1 ORDER BY id")
        .bind(user)
        .fetch_all(&app.state.db)
        .await
        .unwrap()
}

/// The books agree: the balance shown is the ledger's sum and not negative; each run of each job was
/// reserved once and ended (settled or refunded) at most once, as its state says.
async fn check_books(app: &TestApp, cookie: &str, user: &str) -> Value {
    let credits = app.balanced_credits(cookie, user).await;
    let jobs: Vec<(String, String, i64, i64)> =
        sqlx::query_as("SELECT id, state, credits, retries FROM jobs WHERE user_id = $1")
            .bind(user)
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    for (id, state, price, run) in jobs {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT kind, amount FROM credit_ledger WHERE job_id = $1 AND run = $2 ORDER BY id",
        )
        .bind(&id)
        .bind(run)
        .fetch_all(&app.state.db)
        .await
        .unwrap();
        let expected: Vec<(String, i64)> = match state.as_str() {
            "queued" | "running" => vec![("reserve".into(), -price)],
            "succeeded" => vec![("reserve".into(), -price), ("settle".into(), 0)],
            _ => vec![("reserve".into(), -price), ("refund".into(), price)],
        };
        assert_eq!(rows, expected, "job {id} ({state}), run {run}");
    }
    credits
}

#[tokio::test]
async fn twenty_sends_racing_for_five_credits_queue_exactly_five_and_refuse_the_rest_with_402() {
    let app = paused(5).await;
    let (cookie, conv, image) = app.conversation_with_photo("ada", 80, 40).await;
    let sends = (0..20).map(|_| app.say(&cookie, &conv, "make it black and white", Some(&image)));
    let replies = futures_util::future::join_all(sends).await;
    let queued: Vec<&common::Reply> = replies.iter().filter(|r| r.status == StatusCode::OK).collect();
    assert_eq!(queued.len(), 5, "exactly the five the balance covers");
    for refused in replies.iter().filter(|r| r.status != StatusCode::OK) {
        refused.error(StatusCode::PAYMENT_REQUIRED, "payment_required");
    }
    // A refused send stored nothing: five prompts, five jobs.
    assert_eq!(app.count("messages").await, 5, "the five instructions");
    assert_eq!(app.count("jobs").await, 5);
    let ada = user_of(&app, "ada").await;
    assert_eq!(check_books(&app, &cookie, &ada).await["balance"], 0);

    vinano_server::jobs::spawn_workers(&app.state, 2);
    for reply in queued {
        let job = app.wait_for_job(&cookie, reply.json()["job"]["id"].as_str().unwrap()).await;
        assert_eq!(job["state"], "succeeded");
    }
    let credits = check_books(&app, &cookie, &ada).await;
    assert_eq!((credits["balance"].as_i64(), credits["used"].as_u64()), (Some(0), Some(5)));
    let settled = ledger(&app, &ada).await.iter().filter(|(kind, _)| kind == "settle").count();
    assert_eq!(settled, 5, "each success settled once");
}

#[tokio::test]
async fn a_refused_send_says_what_it_costs_and_what_is_left() {
    let app = paused(0).await;
    let (cookie, conv, image) = app.conversation_with_photo("ada", 80, 40).await;
    let before = (app.count("messages").await, app.count("jobs").await);
    let r = app.say(&cookie, &conv, "rotate it", Some(&image)).await;
    let message = r.error(StatusCode::PAYMENT_REQUIRED, "payment_required");
    assert_eq!(
        message,
        "This costs one credit and you have 0 left on the Free plan. New credits come at the start of your \
         next period; Me → Subscription shows when, and the plans on offer."
    );
    assert_eq!(r.json()["args"], json!({"cost": 1, "balance": 0, "plan": "Free"}));
    assert_eq!((app.count("messages").await, app.count("jobs").await), before, "nothing stored");
    // A photo with no words costs nothing.
    let r = app
        .post_json(
            &format!("/api/v1/conversations/{conv}/messages"),
            Some(&cookie),
            json!({"text": "", "image_id": image}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn a_cancelled_or_failed_job_gives_its_credits_back_and_a_retry_takes_them_again() {
    let app = paused(3).await;
    let (cookie, conv, image) = app.conversation_with_photo("ada", 80, 40).await;
    let ada = user_of(&app, "ada").await;
    let ex = app.say(&cookie, &conv, "rotate it", Some(&image)).await.json();
    let id = ex["job"]["id"].as_str().unwrap().to_string();
    assert_eq!(check_books(&app, &cookie, &ada).await["balance"], 2);

    let cancelled = app.post_json(&format!("/api/v1/jobs/{id}/cancel"), Some(&cookie), json!({})).await;
    assert_eq!(cancelled.json()["state"], "cancelled");
    assert_eq!(check_books(&app, &cookie, &ada).await["balance"], 3, "refunded");
    // Cancelling again refunds nothing more.
    app.post_json(&format!("/api/v1/jobs/{id}/cancel"), Some(&cookie), json!({})).await;
    assert_eq!(check_books(&app, &cookie, &ada).await["balance"], 3);

    let retried = app.post_json(&format!("/api/v1/jobs/{id}/retry"), Some(&cookie), json!({})).await;
    assert_eq!(retried.json()["state"], "queued");
    assert_eq!(check_books(&app, &cookie, &ada).await["balance"], 2, "the new run reserved again");

    // The image goes: the run fails, and its credits come back.
    sqlx::query("DELETE FROM images").execute(&app.state.db).await.unwrap();
    vinano_server::jobs::spawn_workers(&app.state, 1);
    assert_eq!(app.wait_for_job(&cookie, &id).await["state"], "failed");
    let credits = check_books(&app, &cookie, &ada).await;
    assert_eq!((credits["balance"].as_i64(), credits["used"].as_u64()), (Some(3), Some(0)));
    let kinds: Vec<String> = ledger(&app, &ada).await.into_iter().map(|(k, _)| k).collect();
    assert_eq!(kinds, ["grant", "reserve", "refund", "reserve", "refund"]);

    // A retry the balance can't cover is refused and leaves the job as it was.
    let mut tx = app.state.db.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO credit_ledger (user_id, at, kind, amount, reason) VALUES ($1, 0, 'adjust', -3, 'test')",
    )
    .bind(&ada)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    app.post_json(&format!("/api/v1/jobs/{id}/retry"), Some(&cookie), json!({}))
        .await
        .error(StatusCode::PAYMENT_REQUIRED, "payment_required");
    assert_eq!(app.get(&format!("/api/v1/jobs/{id}"), Some(&cookie)).await.json()["state"], "failed");
    check_books(&app, &cookie, &ada).await;
}

#[tokio::test]
async fn a_period_ends_by_expiring_what_is_left_and_the_next_begins_with_the_plans_credits() {
    let app = TestApp::with_config(|c| c.billing.plans[0].credits = 10).await;
    let (cookie, conv, image) = app.conversation_with_photo("ada", 80, 40).await;
    let ada = user_of(&app, "ada").await;
    let credits = check_books(&app, &cookie, &ada).await;
    assert_eq!(credits["plan"]["id"], "free");
    assert_eq!(credits["balance"], 10);
    assert_eq!(credits["period_start"], "2026-11-29T12:00:00Z");
    assert_eq!(credits["period_end"], "2026-12-29T12:00:00Z", "a calendar month");
    let ex = app.say(&cookie, &conv, "flip it", Some(&image)).await.json();
    assert_eq!(app.complete(&cookie, &conv, ex).await["job"]["state"], "succeeded");
    let credits = check_books(&app, &cookie, &ada).await;
    assert_eq!((credits["balance"].as_i64(), credits["used"].as_u64()), (Some(9), Some(1)));

    // Two months and a day later: one expiry of what was left, one grant for the period now.
    app.clock.advance(61 * 86_400);
    let login = json!({"login": "ada", "password": "a long enough password"});
    let cookie = app.post_json("/api/v1/auth/login", None, login).await.cookie();
    let credits = check_books(&app, &cookie, &ada).await;
    assert_eq!((credits["balance"].as_i64(), credits["used"].as_u64()), (Some(10), Some(0)));
    assert_eq!(credits["period_start"], "2027-01-29T12:00:00Z");
    assert_eq!(credits["period_end"], "2027-02-28T12:00:00Z");
    let rows = ledger(&app, &ada).await;
    let tail: Vec<(&str, i64)> = rows.iter().skip(3).map(|(k, a)| (k.as_str(), *a)).collect();
    assert_eq!(tail, [("expire", -9), ("grant", 10)]);
    // Asking again changes nothing.
    check_books(&app, &cookie, &ada).await;
    assert_eq!(ledger(&app, &ada).await.len(), rows.len());
}

#[tokio::test]
async fn the_ledger_is_append_only() {
    let app = paused(5).await;
    let cookie = app.signup("ada").await;
    app.get("/api/v1/me/credits", Some(&cookie)).await;
    let changed = sqlx::query("UPDATE credit_ledger SET amount = 1000000").execute(&app.state.db).await;
    assert!(changed.unwrap_err().to_string().contains("append-only"));
}

#[tokio::test]
async fn the_plans_are_public_and_are_the_configurations() {
    let app = TestApp::with_config(|c| {
        c.billing.plans[1].credits = 700;
        c.billing.plans[1].price_cents = 990;
        c.billing.plans[2].name = "Team".into();
        c.billing.costs.video = 25;
    })
    .await;
    let r = app.get("/api/v1/billing/plans", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let plans = r.json();
    let ids: Vec<&str> =
        plans["plans"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["free", "pro", "studio"]);
    assert_eq!(plans["plans"][1]["credits"], 700);
    assert_eq!(plans["plans"][1]["price_cents"], 990);
    assert_eq!(plans["plans"][1]["currency"], "usd");
    assert_eq!(plans["plans"][2]["name"], "Team");
    assert_eq!(plans["costs"]["video"], 25);
    // The person's own credits need a session.
    app.get("/api/v1/me/credits", None).await.error(StatusCode::UNAUTHORIZED, "unauthenticated");
}
