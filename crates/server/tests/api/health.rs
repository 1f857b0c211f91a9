//! What operators and their tools ask of a running server: `/healthz` (up), `/readyz` (able to work, with
//! the reason when not), the version, and a 404 — not the app's page — for a file or API path that doesn't
//! exist. (JSON log lines: `tests/json_log.rs`.)

use crate::common::{self, TestApp};
use axum::http::StatusCode;
use serde_json::Value;

fn check<'a>(body: &'a Value, name: &str) -> (&'a Value, &'a str) {
    let c = &body["checks"][name];
    (&c["ok"], c["detail"].as_str().unwrap_or_else(|| panic!("{name} has no detail: {body}")))
}

#[tokio::test]
async fn the_probes_say_up_and_ready_and_unknown_paths_are_not_found() {
    let app = TestApp::with_config(|c| c.job_workers = 2).await;
    let up = app.get("/healthz", None).await;
    assert_eq!(up.status, StatusCode::OK);
    assert_eq!(up.headers["cache-control"], "no-store");
    assert_eq!(up.json()["status"], "ok");
    assert_eq!(up.json()["version"], env!("CARGO_PKG_VERSION"));

    let ready = app.get("/readyz", None).await;
    let body = ready.json();
    assert_eq!((ready.status, body["status"].as_str()), (StatusCode::OK, Some("ready")), "{body}");
    // SQLite has one migration per version; PostgreSQL's first holds the schema of them all.
    let schema = common::sql_files("migrations");
    let applied = if common::on_postgres() { common::sql_files("migrations/postgres") } else { schema };
    assert_eq!(
        check(&body, "migrations"),
        (&Value::Bool(true), format!("{applied} applied, schema {schema}").as_str())
    );
    assert_eq!(check(&body, "workers"), (&Value::Bool(true), "2 of 2 running"));
    for name in ["database", "storage", "disk", "process"] {
        assert_eq!(check(&body, name).0, true, "{name}: {body}");
    }
    assert!(check(&body, "disk").1.contains("free, floor 512 MiB"), "{body}");
    // The storage check leaves nothing behind.
    let left: Vec<_> = std::fs::read_dir(&app.state.config.data_dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(".ready"))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    let version = app.get("/api/v1/version", None).await;
    assert_eq!(version.status, StatusCode::OK);
    assert_eq!(version.json()["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(version.json()["schema"], schema as i64);

    // A probe that guesses a path gets a 404, never the app's page with 200.
    for path in ["/health", "/app-0123456789abcdef.js", "/vinano_bg.wasm", "/metrics.txt"] {
        assert_eq!(app.get(path, None).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let api = app.get("/api/v1/nothing-here", None).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.json()["code"], "not_found");
}

#[tokio::test]
async fn readyz_names_what_is_wrong() {
    // The disk keeps less than the floor.
    let app = TestApp::with_config(|c| c.min_free_disk_bytes = u64::MAX).await;
    let r = app.get("/readyz", None).await;
    let body = r.json();
    assert_eq!((r.status, body["status"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("not_ready")));
    let (ok, detail) = check(&body, "disk");
    assert_eq!(ok, false);
    assert!(detail.contains("free, floor"), "{detail}");
    assert_eq!(check(&body, "database").0, true, "only the disk fails: {body}");

    // A database written by a newer build.
    let app = TestApp::new().await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (9999, 'from the future', TRUE, $1, 0)",
    )
    .bind(vec![0u8])
    .execute(&app.state.db)
    .await
    .unwrap();
    let body = app.get("/readyz", None).await.json();
    let (ok, detail) = check(&body, "migrations");
    assert_eq!(ok, false);
    assert!(detail.starts_with("the schema is newer (9999)"), "{detail}");

    // Stopping: not ready, and its workers wind down.
    let app = TestApp::with_config(|c| c.job_workers = 1).await;
    app.state.stopping.begin();
    app.state.jobs_wakeup.notify_waiters();
    let mut body = app.get("/readyz", None).await.json();
    for _ in 0..50 {
        if check(&body, "workers").1 == "0 of 1 running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        body = app.get("/readyz", None).await.json();
    }
    assert_eq!(check(&body, "process"), (&Value::Bool(false), "stopping"));
    assert_eq!(check(&body, "workers"), (&Value::Bool(false), "0 of 1 running"));

    // The database is gone.
    let app = TestApp::new().await;
    app.state.db.close().await;
    let r = app.get("/readyz", None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(check(&r.json(), "database").0, false);
    // …while the process itself still answers.
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_says_when_the_database_cannot_be_reached_and_recovers_when_it_can() {
    if !common::on_postgres() {
        return;
    }
    let app = TestApp::new().await;
    assert_eq!(app.get("/readyz", None).await.status, StatusCode::OK);
    // The database stops taking connections and drops the ones it has (as a restart or failover would).
    let name: String =
        sqlx::query_scalar("SELECT current_database()::text").fetch_one(&app.state.db).await.unwrap();
    let server = std::env::var("VINANO_TEST_POSTGRES").unwrap();
    let admin = |sql: String| {
        let server = server.clone();
        async move {
            use sqlx::Connection;
            let mut c = sqlx::AnyConnection::connect(&server).await.unwrap();
            sqlx::raw_sql(&sql).execute(&mut c).await.unwrap();
        }
    };
    admin(format!(
        "ALTER DATABASE {name} ALLOW_CONNECTIONS false;
         SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity WHERE datname = '{name}'"
    ))
    .await;
    let down = app.get("/readyz", None).await;
    assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE);
    let body = down.json();
    assert_eq!(body["checks"]["database"]["ok"], false, "{body}");
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK, "the process itself is up");
    // Back: the pool connects again and the server is ready without a restart.
    admin(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true")).await;
    let mut ready = app.get("/readyz", None).await;
    for _ in 0..100 {
        if ready.status == StatusCode::OK {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        ready = app.get("/readyz", None).await;
    }
    assert_eq!(ready.status, StatusCode::OK, "{}", String::from_utf8_lossy(&ready.body));
}
