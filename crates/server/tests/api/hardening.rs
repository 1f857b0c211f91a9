//! Hardening: no one can crash, stall or drain the server. Edits are held to a pixel budget before a job
//! exists and after every step; a job that kills its worker twice ends `failed` and is never claimed again;
//! retries are capped.

use crate::common;

use axum::http::StatusCode;
use common::{insertion_order, TestApp};
use serde_json::json;

/// An app whose queue has no workers until the test starts one.
async fn paused() -> TestApp {
    TestApp::with_config(|c| c.job_workers = 0).await
}

/// Ada asks to flip an 80 × 40 photo: her cookie and the job's id.
async fn flip_job(app: &TestApp) -> (String, String) {
    let (cookie, conv, image) = app.conversation_with_photo("ada", 80, 40).await;
    let r = app.say(&cookie, &conv, "flip it", Some(&image)).await;
    let id = r.json()["job"]["id"].as_str().unwrap().to_string();
    (cookie, id)
}

#[tokio::test]
async fn three_four_hundred_percent_steps_are_refused_before_a_job_exists() {
    let app = TestApp::new().await;
    let (cookie, conv, image) = app.conversation_with_photo("ada", 1800, 1200).await;
    let (messages, jobs) = (app.count("messages").await, app.count("jobs").await);
    let r = app
        .post_json(
            &format!("/api/v1/conversations/{conv}/messages"),
            Some(&cookie),
            json!({"text": "resize it to 400% then resize it to 400% then resize it to 400%", "image_id": image}),
        )
        .await;
    let message = r.error(StatusCode::UNPROCESSABLE_ENTITY, "too_many_pixels");
    assert_eq!(
        message,
        "This would make a 28 800 × 19 200 image; the limit is 40 megapixels. Try a smaller size."
    );
    assert_eq!(r.json()["args"], json!({"width": 28800, "height": 19200, "limit_mp": 40}));
    assert_eq!(app.count("jobs").await, jobs, "no job for a refused plan");
    assert_eq!(app.count("messages").await, messages, "no message for a refused plan");
    assert_eq!(app.count("images").await, 1);

    // The budget is configurable, and a plan within it still runs.
    let small = TestApp::with_config(|c| c.max_pixels = 2_000_000).await;
    let (cookie, conv, image) = small.conversation_with_photo("bob", 800, 600).await;
    let url = format!("/api/v1/conversations/{conv}/messages");
    let r = small.post_json(&url, Some(&cookie), json!({"text": "scale to 300%", "image_id": image})).await;
    let message = r.error(StatusCode::UNPROCESSABLE_ENTITY, "too_many_pixels");
    assert_eq!(
        message,
        "This would make a 2 400 × 1 800 image; the limit is 2 megapixels. Try a smaller size."
    );
    let r = small.post_json(&url, Some(&cookie), json!({"text": "scale to 150%", "image_id": image})).await;
    let done = small.complete(&cookie, &conv, r.json()).await;
    assert_eq!(done["job"]["state"], "succeeded", "{done}");
    assert_eq!(done["reply"]["image"]["width"], 1200);
}

#[tokio::test]
async fn a_job_whose_worker_died_twice_fails_for_good_and_cannot_be_retried() {
    let app = paused().await;
    let (cookie, id) = flip_job(&app).await;
    // Claimed, and the process died mid-step: its lease ran out. Then the same again.
    for died in 1..=2 {
        let expired = app.state.clock.now_ms() - 1;
        sqlx::query(
            "UPDATE jobs SET state = 'running', lease_owner = 'gone', lease_until = $1, crashes = $2 - 1",
        )
        .bind(expired)
        .bind(died)
        .execute(&app.state.db)
        .await
        .unwrap();
    }
    vinano_server::jobs::spawn_workers(&app.state, 1);
    let job = app.wait_for_job(&cookie, &id).await;
    assert_eq!(job["state"], "failed");
    assert!(job["error"].as_str().unwrap().contains("stopped the editor twice"), "{job}");
    assert_eq!(app.count("images").await, 1, "never run again");
    let crashes: i64 = sqlx::query_scalar("SELECT crashes FROM jobs").fetch_one(&app.state.db).await.unwrap();
    assert_eq!(crashes, 2);
    let message = app
        .post_json(&format!("/api/v1/jobs/{id}/retry"), Some(&cookie), json!({}))
        .await
        .error(StatusCode::CONFLICT, "conflict");
    assert!(message.contains("won't be tried again"), "{message}");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let job = app.get(&format!("/api/v1/jobs/{id}"), Some(&cookie)).await.json();
    assert_eq!(job["state"], "failed");
}

#[tokio::test]
async fn retry_is_capped_and_does_not_reset_the_count() {
    // No worker until the photo is gone (one could otherwise run the flip first).
    let app = paused().await;
    let (cookie, id) = flip_job(&app).await;
    // The photo is deleted, so every run fails at once.
    sqlx::query("DELETE FROM images").execute(&app.state.db).await.unwrap();
    vinano_server::jobs::spawn_workers(&app.state, 1);
    let job = app.wait_for_job(&cookie, &id).await;
    assert_eq!(job["state"], "failed");
    for _ in 0..vinano_server::jobs::MAX_RETRIES {
        let r = app.post_json(&format!("/api/v1/jobs/{id}/retry"), Some(&cookie), json!({})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
        assert_eq!(app.wait_for_job(&cookie, &id).await["state"], "failed");
    }
    let message = app
        .post_json(&format!("/api/v1/jobs/{id}/retry"), Some(&cookie), json!({}))
        .await
        .error(StatusCode::CONFLICT, "conflict");
    assert!(message.contains("retried 3 times"), "{message}");
}

#[tokio::test]
async fn one_persons_queue_never_delays_anothers_first_job_by_more_than_one() {
    let app = paused().await;
    let (ada, ada_conv, ada_image) = app.conversation_with_photo("ada", 40, 30).await;
    let url = format!("/api/v1/conversations/{ada_conv}/messages");
    for n in 0..5 {
        let r = app
            .post_json(
                &url,
                Some(&ada),
                json!({"text": format!("rotate it {} degrees", 90 * (n % 3 + 1)), "image_id": ada_image}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        app.clock.advance(1);
    }
    let (bob, bob_conv, bob_image) = app.conversation_with_photo("bob", 40, 30).await;
    let r = app
        .post_json(
            &format!("/api/v1/conversations/{bob_conv}/messages"),
            Some(&bob),
            json!({"text": "flip it", "image_id": bob_image}),
        )
        .await;
    let bob_job = r.json()["job"]["id"].as_str().unwrap().to_string();
    vinano_server::jobs::spawn_workers(&app.state, 1);
    assert_eq!(app.wait_for_job(&bob, &bob_job).await["state"], "succeeded");
    let ada_jobs: Vec<String> = sqlx::query_scalar(
        "SELECT j.id FROM jobs j JOIN users u ON u.id = j.user_id WHERE u.username = 'ada'",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    for id in &ada_jobs {
        assert_eq!(app.wait_for_job(&ada, id).await["state"], "succeeded");
    }
    // One worker: Ada's oldest job ran first, then Bob's — not Ada's other four before it.
    let order = results_in_order(&app).await;
    assert_eq!(order.len(), 6);
    let bob_at = order.iter().position(|u| u == "bob").unwrap();
    assert!(bob_at <= 1, "{order:?}");
}

#[tokio::test]
async fn the_queue_weighs_jobs_by_their_cost_so_heavy_plans_wait_for_light_ones() {
    let app = paused().await;
    // Ada edits a 1 000 × 1 000 photo (2 MP held per step), Bob a 40 × 30 one (2 400 pixels).
    let (ada, ada_conv, ada_image) = app.conversation_with_photo("ada", 1000, 1000).await;
    for text in ["rotate it 90 degrees", "flip it"] {
        assert_eq!(app.say(&ada, &ada_conv, text, Some(&ada_image)).await.status, StatusCode::OK);
        app.clock.advance(1);
    }
    let (bob, bob_conv, bob_image) = app.conversation_with_photo("bob", 40, 30).await;
    for text in ["rotate it 90 degrees", "flip it", "mirror it"] {
        assert_eq!(app.say(&bob, &bob_conv, text, Some(&bob_image)).await.status, StatusCode::OK);
        app.clock.advance(1);
    }
    vinano_server::jobs::spawn_workers(&app.state, 1);
    let all: Vec<(String, String)> = sqlx::query_as(
        "SELECT j.id, u.username FROM jobs j JOIN users u ON u.id = j.user_id ORDER BY j.created_at",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    for (id, who) in &all {
        let cookie = if who == "ada" { &ada } else { &bob };
        assert_eq!(app.wait_for_job(cookie, id).await["state"], "succeeded");
    }
    // One worker: Ada's first (oldest) job, then all of Bob's light ones (his minute's cost stays below
    // hers), then her second — not turn about.
    let order = results_in_order(&app).await;
    assert_eq!(order, ["ada", "bob", "bob", "bob", "ada"]);
}

/// Whose edit results were stored, in the order they were stored.
async fn results_in_order(app: &TestApp) -> Vec<String> {
    let sql = format!(
        "SELECT u.username FROM images i JOIN users u ON u.id = i.user_id
         WHERE i.parent_id IS NOT NULL ORDER BY i.{}",
        insertion_order()
    );
    sqlx::query_scalar(&sql).fetch_all(&app.state.db).await.unwrap()
}

fn hashes(app: &TestApp) -> u64 {
    app.state.hash_runs.load(std::sync::atomic::Ordering::Relaxed)
}

/// An app with the production rate limits.
async fn limited() -> TestApp {
    TestApp::with_config(|c| c.rate_limits = vinano_server::limits::RateLimits::default()).await
}

#[tokio::test]
async fn a_reset_password_burst_is_refused_without_hashing_anything() {
    let app = limited().await;
    let before = hashes(&app);
    let body = |n: usize| json!({"token": format!("{n:064x}"), "password": "a brand new password"});
    for n in 0..10 {
        let message = app
            .post_json("/api/v1/auth/reset-password", None, body(n))
            .await
            .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
        assert!(message.contains("expired or was already used"), "{message}");
    }
    let r = app.post_json("/api/v1/auth/reset-password", None, body(10)).await;
    r.error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert!(r.headers.contains_key("retry-after"));
    assert_eq!(r.json()["args"]["retry_after"].as_u64().map(|s| s > 0), Some(true));
    assert_eq!(hashes(&app), before, "a dead link costs no hash");
}

#[tokio::test]
async fn an_attackers_failures_do_not_lock_the_owner_out_of_a_known_browser() {
    let app = limited().await;
    let r = app.post_json("/api/v1/auth/signup", None, common::signup_body("ada")).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let device = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("vinano_device="))
        .expect("a device cookie");
    // Someone else guesses: ten failures, then the account refuses strangers.
    for n in 0..10 {
        app.post_json("/api/v1/auth/login", None, json!({"login": "ada", "password": format!("guess {n}")}))
            .await
            .error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    let right = json!({"login": "ADA@example.com", "password": "a long enough password"});
    let before = hashes(&app);
    app.post_json("/api/v1/auth/login", None, json!({"login": "ada", "password": "guess 11"}))
        .await
        .error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    app.post_json("/api/v1/auth/login", None, right.clone())
        .await
        .error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert_eq!(hashes(&app), before, "refused attempts check nothing");
    // Ada's own browser still gets in with the right password...
    let body = right.to_string().into_bytes();
    let r = app
        .request(
            axum::http::Method::POST,
            "/api/v1/auth/login",
            Some(&device),
            Some("application/json"),
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    // ...and a device cookie made for another account (or made up) doesn't open Bob's.
    app.signup("bob").await;
    for n in 0..10 {
        app.post_json("/api/v1/auth/login", None, json!({"login": "bob", "password": format!("guess {n}")}))
            .await;
    }
    let bob = json!({"login": "bob", "password": "a long enough password"}).to_string().into_bytes();
    let r = app
        .request(axum::http::Method::POST, "/api/v1/auth/login", Some(&device), Some("application/json"), bob)
        .await;
    r.error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
}

#[tokio::test]
async fn a_json_body_over_the_limit_is_413() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    let huge = json!({"title": "x".repeat(3 * 1024 * 1024)});
    let r = app.post_json("/api/v1/conversations", Some(&cookie), huge).await;
    r.error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    assert_eq!(app.count("conversations").await, 0);
}

#[tokio::test]
async fn over_tls_only_the_host_prefixed_session_cookie_counts() {
    let app = TestApp::with_config(|c| c.secure_cookies = true).await;
    let cookie = app.signup("ada").await;
    let token = cookie.strip_prefix("__Host-vinano_session=").expect("__Host- cookie over TLS");
    assert_eq!(app.get("/api/v1/me", Some(&cookie)).await.status, StatusCode::OK);
    // The same session under the plain name (planted by a sibling domain, say) is not accepted.
    let tossed = format!("vinano_session={token}");
    assert_eq!(app.get("/api/v1/me", Some(&tossed)).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn confirmation_mail_is_rate_limited_per_account() {
    let app = TestApp::with_config(|c| c.rate_limits.scale = 1).await;
    let cookie = app.signup("ada").await;
    let resend = || app.post_json("/api/v1/auth/resend-verification", Some(&cookie), json!({}));
    for _ in 0..5 {
        assert_eq!(resend().await.status, StatusCode::ACCEPTED);
    }
    let r = resend().await;
    r.error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert!(r.headers.contains_key("retry-after"));
    assert_eq!(app.count("outbox").await, 6, "the sign-up mail and five resends, no more");
}
