//! Several server processes on one PostgreSQL database and one shared data directory: what one does, the
//! others see. PostgreSQL only — these run in the suite's PostgreSQL pass (`VINANO_TEST_POSTGRES`); SQLite
//! is one machine's database.

use crate::common::{self, TestApp};
use axum::http::StatusCode;
use serde_json::json;
use std::time::Duration;

/// Two replicas of one deployment, neither running jobs yet.
async fn two_replicas() -> (TestApp, TestApp) {
    replicas_with(|_| {}).await
}

/// Two replicas of one deployment with `tweak` applied to both configurations.
async fn replicas_with(tweak: impl Fn(&mut vinano_server::config::Config)) -> (TestApp, TestApp) {
    let a = TestApp::with_config(|c| {
        c.job_workers = 0;
        tweak(c);
    })
    .await;
    let (url, data) = (a.state.config.database_url.clone(), a.state.config.data_dir.clone());
    let b = TestApp::with_config(|c| {
        c.job_workers = 0;
        tweak(c);
        c.database_url = url;
        c.data_dir = data;
    })
    .await;
    (a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_changed_by_one_replica_wakes_the_progress_streams_of_another() {
    if !common::on_postgres() {
        return;
    }
    let (a, b) = two_replicas().await;
    let (cookie, conv, photo) = a.conversation_with_photo("ada", 64, 48).await;
    let asked = a.say(&cookie, &conv, "make it warmer", Some(&photo)).await.json();
    let job = asked["job"]["id"].as_str().unwrap().to_string();
    // Someone follows the job on B; A's process changes it (as A's worker would).
    let mut follow = b.state.job_signals.follow(&job);
    sqlx::query("UPDATE jobs SET progress = 40 WHERE id = $1").bind(&job).execute(&a.state.db).await.unwrap();
    // Only a signal ends this wait (B's streams also poll, but not through it): PostgreSQL told B.
    let woken = tokio::time::timeout(Duration::from_secs(20), follow.changed()).await;
    assert!(woken.is_ok(), "B was never told of A's change");
    // B's API shows the change, for the same person.
    let seen = b.get(&format!("/api/v1/jobs/{job}"), Some(&cookie)).await.json();
    assert_eq!(seen["progress"], 40, "{seen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_queued_on_either_replica_are_each_run_once_by_one_of_them() {
    if !common::on_postgres() {
        return;
    }
    let (a, b) = two_replicas().await;
    let mut sent = Vec::new();
    for (who, app) in [("ada", &a), ("bob", &b), ("cyd", &a)] {
        let (cookie, conv, photo) = app.conversation_with_photo(who, 64, 48).await;
        for text in ["make it warmer", "rotate it", "black and white"] {
            let asked = app.say(&cookie, &conv, text, Some(&photo)).await.json();
            sent.push((cookie.clone(), asked["job"]["id"].as_str().unwrap().to_string()));
        }
    }
    // Both replicas' workers race for the queue.
    vinano_server::jobs::spawn_workers(&a.state, 2);
    vinano_server::jobs::spawn_workers(&b.state, 2);
    for (cookie, job) in &sent {
        let done = a.wait_for_job(cookie, job).await;
        assert_eq!(done["state"], "succeeded", "{done}");
    }
    // Each job was taken once (no second attempt, no takeover) and answered once.
    let runs: Vec<(i64, i64)> =
        sqlx::query_as("SELECT attempts, crashes FROM jobs").fetch_all(&a.state.db).await.unwrap();
    assert_eq!(runs.len(), 9);
    assert!(runs.iter().all(|&r| r == (1, 0)), "{runs:?}");
    let replies: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE role = 'assistant' AND image_id IS NOT NULL")
            .fetch_one(&a.state.db)
            .await
            .unwrap();
    assert_eq!(replies, 9);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_brute_force_limits_hold_across_replicas() {
    if !common::on_postgres() {
        return;
    }
    let (a, b) = replicas_with(|c| c.rate_limits = vinano_server::limits::RateLimits::default()).await;
    assert!(a.state.limits.is_shared() && b.state.limits.is_shared());
    a.signup("ada").await;
    // Ten wrong guesses for Ada's account, alternating between the replicas: the eleventh is refused on
    // either, even with the right password (a load balancer can't be used to double the guesses).
    for n in 0..10 {
        let app = if n % 2 == 0 { &a } else { &b };
        app.post_json("/api/v1/auth/login", None, json!({"login": "ada", "password": format!("guess {n}")}))
            .await
            .error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    let right = json!({"login": "ada", "password": "a long enough password"});
    for app in [&a, &b] {
        let r = app.post_json("/api/v1/auth/login", None, right.clone()).await;
        r.error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
        let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=15 * 60).contains(&retry), "{retry}");
    }
    // Sign-ups from one address: ten an hour across both (Ada's was the first, on A).
    for n in 0..9 {
        let app = if n % 2 == 0 { &b } else { &a };
        let r = app.post_json("/api/v1/auth/signup", None, common::signup_body(&format!("user{n}"))).await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    for app in [&a, &b] {
        app.post_json("/api/v1/auth/signup", None, common::signup_body("onemore"))
            .await
            .error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    }
    // The table names no address or account, only keyed hashes.
    let names: Vec<String> =
        sqlx::query_scalar("SELECT name FROM rate_limits").fetch_all(&a.state.db).await.unwrap();
    assert!(!names.is_empty());
    assert!(names.iter().all(|n| n.len() == 32 && n.bytes().all(|b| b.is_ascii_hexdigit())), "{names:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_with_another_master_key_refuses_to_start() {
    if !common::on_postgres() {
        return;
    }
    let a = TestApp::with_config(|c| c.job_workers = 0).await;
    // (Sharing A's data directory, as replicas share their image store; the key comes from the setting.)
    let mut config = a.state.config.as_ref().clone();
    config.master_key = Some(vinano_server::storage::crypto::MasterKey::generate());
    let clock: std::sync::Arc<dyn vinano_server::clock::Clock> = a.clock.clone();
    let Err(refused) = vinano_server::AppState::open(config.clone(), clock.clone()).await else {
        panic!("a replica with another master key started");
    };
    assert!(refused.to_string().contains("same key (VINANO_MASTER_KEY"), "{refused:#}");
    // With the deployment's key it starts.
    config.master_key = Some(a.state.master_key.clone());
    vinano_server::AppState::open(config.clone(), clock.clone()).await.unwrap();

    // A deployment from before the check (nothing recorded) with images stored: a replica whose key doesn't
    // open them can't be the one to record its key.
    let cookie = a.signup("ada").await;
    assert_eq!(a.upload(&cookie, common::jpeg(16, 16)).await.status, StatusCode::CREATED);
    sqlx::query("DELETE FROM instance").execute(&a.state.db).await.unwrap();
    config.master_key = Some(vinano_server::storage::crypto::MasterKey::generate());
    let Err(refused) = vinano_server::AppState::open(config.clone(), clock.clone()).await else {
        panic!("a replica whose key opens no stored image started");
    };
    assert!(refused.to_string().contains("doesn't open the images already stored"), "{refused:#}");
    let recorded: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM instance").fetch_one(&a.state.db).await.unwrap();
    assert_eq!(recorded, 0, "the wrong key was not recorded");
    config.master_key = Some(a.state.master_key.clone());
    vinano_server::AppState::open(config, clock).await.unwrap();
}
