//! Test harness: the real router over a temporary SQLite database and blob directory, called in-process.
//! With `VINANO_TEST_POSTGRES` set to a PostgreSQL server's URL (`cargo xtask test` starts a throw-away one
//! and runs the suite again), each app gets a new database of its own on that server instead.
#![allow(dead_code)]

pub mod clips;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use image::{DynamicImage, Rgb, RgbImage};
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;
use vinano_server::clock::FixedClock;
use vinano_server::{http, AppState, Config};

/// A running app on a temporary data directory.
pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    /// The app's clock, which only moves when a test moves it.
    pub clock: Arc<FixedClock>,
    _dir: tempfile::TempDir,
}

/// A new, empty database on the PostgreSQL server named by `VINANO_TEST_POSTGRES`, if it is set.
pub async fn postgres_database() -> Option<vinano_server::storage::db::DatabaseUrl> {
    use sqlx::Connection;
    let server = std::env::var("VINANO_TEST_POSTGRES").ok()?;
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(&server).await.expect("VINANO_TEST_POSTGRES reachable");
    let name = format!("vinano_test_{}", vinano_server::ids::random_hex(8));
    // A linguistic collation (ICU's en-US), as managed PostgreSQL services default to, so nothing relies on
    // text sorting byte by byte where the schema doesn't ask for it.
    let create = format!(
        "CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
    );
    sqlx::raw_sql(&create).execute(&mut admin).await.unwrap();
    admin.close().await.unwrap();
    DATABASES.with(|d| d.borrow_mut().names.push(name.clone()));
    let mut url: url::Url = server.parse().unwrap();
    url.set_path(&name);
    Some(vinano_server::storage::db::DatabaseUrl::parse(url.as_str()).unwrap())
}

/// The databases this thread made, dropped when the thread ends: each test runs on a thread of its own, so
/// a test's databases (however many apps it opened on them, in whatever order) go when the test is over, and
/// a run of the whole suite never holds more than the running tests' (each is several megabytes on disk).
struct Databases {
    names: Vec<String>,
}

thread_local! {
    static DATABASES: std::cell::RefCell<Databases> = const { std::cell::RefCell::new(Databases { names: Vec::new() }) };
}

impl Drop for Databases {
    fn drop(&mut self) {
        let (Some(server), false) = (std::env::var("VINANO_TEST_POSTGRES").ok(), self.names.is_empty())
        else {
            return;
        };
        let names = std::mem::take(&mut self.names);
        // A runtime of its own on a thread of its own: the test's runtime is gone by now.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async move {
                use sqlx::Connection;
                let mut admin = sqlx::AnyConnection::connect(&server).await?;
                for name in names {
                    // FORCE ends the connections a leftover task may still hold.
                    sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut admin)
                        .await?;
                }
                admin.close().await
            })
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("a test database could not be dropped: {e}");
        }
    }
}

/// Whether the apps of this run use PostgreSQL (`VINANO_TEST_POSTGRES`).
pub fn on_postgres() -> bool {
    std::env::var_os("VINANO_TEST_POSTGRES").is_some()
}

/// The column that orders rows as they were inserted: SQLite's `rowid`; on PostgreSQL the `seq` column its
/// schema gives the tables whose order matters (outbox, invoices, images).
pub fn insertion_order() -> &'static str {
    if on_postgres() {
        "seq"
    } else {
        "rowid"
    }
}

/// The tables with a `column` column, walked independently of the server's own schema walk.
pub async fn tables_with(app: &TestApp, column: &str) -> Vec<String> {
    let sql = if on_postgres() {
        "SELECT table_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND column_name = $1 ORDER BY 1"
    } else {
        "SELECT m.name FROM sqlite_master m WHERE m.type = 'table'
           AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = $1) ORDER BY m.name"
    };
    sqlx::query_scalar(sql).bind(column).fetch_all(&app.state.db).await.unwrap()
}

/// The columns of `table`, in order.
pub async fn columns_of(app: &TestApp, table: &str) -> Vec<String> {
    let sql = if on_postgres() {
        "SELECT column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position"
    } else {
        "SELECT name FROM pragma_table_info($1) ORDER BY cid"
    };
    sqlx::query_scalar(sql).bind(table).fetch_all(&app.state.db).await.unwrap()
}

/// How many `.sql` migrations `dir` (relative to the server crate) holds.
pub fn sql_files(dir: &str) -> usize {
    let files = std::fs::read_dir(dir).unwrap().flatten();
    files.filter(|f| f.path().extension().is_some_and(|e| e == "sql")).count()
}

/// `DROP TRIGGER` as the database writes it (PostgreSQL's triggers belong to their table).
pub fn drop_trigger(name: &str, table: &str) -> String {
    if on_postgres() {
        format!("DROP TRIGGER {name} ON {table}")
    } else {
        format!("DROP TRIGGER {name}")
    }
}

/// A response, read fully.
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&self.body)))
    }

    /// The `name=value` part of the Set-Cookie header.
    pub fn cookie(&self) -> String {
        let sc = self.headers.get(header::SET_COOKIE).expect("Set-Cookie").to_str().unwrap();
        sc.split(';').next().unwrap().to_string()
    }

    /// Asserts the error shape and code, returning the message.
    pub fn error(&self, status: StatusCode, code: &str) -> String {
        assert_eq!(self.status, status, "{}", String::from_utf8_lossy(&self.body));
        let v = self.json();
        assert_eq!(v["code"], code, "{v}");
        let message = v["message"].as_str().expect("message").to_string();
        assert!(!message.is_empty());
        // Every refusal carries a message key the app can say in the person's language.
        let key = v["key"].as_str().expect("a message key");
        assert!(vinano_api::Msg::ALL.iter().any(|m| m.key() == key), "unknown key {key}");
        message
    }
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_config(|_| {}).await
    }

    pub async fn with_config(edit: impl FnOnce(&mut Config)) -> Self {
        let app = Self::without_export_worker(edit).await;
        app.start_export_worker();
        app
    }

    /// An app whose export worker waits for [`TestApp::start_export_worker`]: queued exports stay pending.
    pub async fn without_export_worker(edit: impl FnOnce(&mut Config)) -> Self {
        Self::in_dir(tempfile::tempdir().unwrap(), edit).await
    }

    /// An app whose data directory is `dir/data` (which may hold data already, as after a restore); its
    /// export worker waits for [`TestApp::start_export_worker`].
    pub async fn in_dir(dir: tempfile::TempDir, edit: impl FnOnce(&mut Config)) -> Self {
        if std::env::var_os("VINANO_TEST_LOG").is_some() {
            // The server's log lines with the test's output (`VINANO_TEST_LOG=1 cargo test … -- --nocapture`).
            let _ = tracing_subscriber::fmt().with_test_writer().try_init();
        }
        let mut config = Config {
            data_dir: dir.path().join("data"),
            dist_dir: dir.path().join("dist"),
            // Tests sign up and log in far more often than people do; sessions.rs turns the limits back on.
            rate_limits: vinano_server::limits::RateLimits { scale: 0, ..Default::default() },
            database_url: postgres_database().await,
            ..Config::default()
        };
        edit(&mut config);
        let clock = Arc::new(FixedClock::new(time::macros::datetime!(2026-11-29 12:00 UTC)));
        let state = AppState::open(config, clock.clone()).await.unwrap();
        vinano_server::jobs::spawn_workers(&state, state.config.job_workers);
        vinano_server::mail::spawn_sender(&state).unwrap();
        let router = http::app(state.clone());
        Self { state, router, clock, _dir: dir }
    }

    /// `vinano-server <args>` (the binary's admin commands) on this app's data directory and database; the
    /// app keeps running meanwhile (its jobs may hold a transaction the command waits for).
    pub async fn command(&self, args: &[&str]) -> std::process::Output {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_vinano-server"));
        c.args(args).env("VINANO_DATA_DIR", &self.state.config.data_dir).env("RUST_LOG", "off");
        if let Some(url) = &self.state.config.database_url {
            c.env("VINANO_DATABASE_URL", url.as_str());
        }
        tokio::task::spawn_blocking(move || c.output().unwrap()).await.unwrap()
    }

    /// Starts building queued exports (once per app).
    pub fn start_export_worker(&self) {
        vinano_server::rights::export::spawn_worker(&self.state);
    }

    pub async fn request(
        &self,
        method: Method,
        uri: &str,
        cookie: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Reply {
        self.request_with(method, uri, cookie, content_type, body, &[]).await
    }

    pub async fn request_with(
        &self,
        method: Method,
        uri: &str,
        cookie: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
        extra: &[(&str, &str)],
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        let res = self.router.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply { status, headers, body }
    }

    pub async fn get(&self, uri: &str, cookie: Option<&str>) -> Reply {
        self.request(Method::GET, uri, cookie, None, vec![]).await
    }

    pub async fn post_json(&self, uri: &str, cookie: Option<&str>, body: Value) -> Reply {
        self.request(Method::POST, uri, cookie, Some("application/json"), body.to_string().into_bytes()).await
    }

    /// Signs up `name` (also the username) and returns the session cookie.
    /// Sends `text` (about `image`, when given) to a conversation as `cookie`.
    pub async fn say(&self, cookie: &str, conversation: &str, text: &str, image: Option<&str>) -> Reply {
        let uri = format!("/api/v1/conversations/{conversation}/messages");
        self.post_json(&uri, Some(cookie), json!({"text": text, "image_id": image})).await
    }

    pub async fn signup(&self, name: &str) -> String {
        let r = self.post_json("/api/v1/auth/signup", None, signup_body(name)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&r.body));
        r.cookie()
    }

    pub async fn upload(&self, cookie: &str, bytes: Vec<u8>) -> Reply {
        self.request(Method::POST, "/api/v1/images", Some(cookie), Some("image/jpeg"), bytes).await
    }

    /// An upload carrying an `Idempotency-Key` (as the app's retries send it).
    pub async fn upload_keyed(&self, cookie: &str, bytes: Vec<u8>, key: &str) -> Reply {
        let headers = [("idempotency-key", key)];
        self.request_with(Method::POST, "/api/v1/images", Some(cookie), Some("image/jpeg"), bytes, &headers)
            .await
    }

    /// Waits until a job has finished (its workers run on this test's runtime) and returns it.
    pub async fn wait_for_job(&self, cookie: &str, job_id: &str) -> Value {
        // A guard against a job that never ends, not a timing check: the real segmentation model's jobs
        // take seconds each on a loaded CI machine, so the wait is generous.
        let started = std::time::Instant::now();
        while started.elapsed() < std::time::Duration::from_secs(120) {
            let job = self.get(&format!("/api/v1/jobs/{job_id}"), Some(cookie)).await.json();
            if ["succeeded", "failed", "cancelled"].contains(&job["state"].as_str().unwrap()) {
                return job;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("job {job_id} did not finish");
    }

    /// Completes the answer to a posted instruction: waits for its job, then fills in the reply (the
    /// message answering the prompt) and the finished job.
    pub async fn complete(&self, cookie: &str, conversation: &str, mut exchange: Value) -> Value {
        let Some(job_id) = exchange["job"]["id"].as_str().map(str::to_string) else { return exchange };
        exchange["job"] = self.wait_for_job(cookie, &job_id).await;
        let detail = self.get(&format!("/api/v1/conversations/{conversation}"), Some(cookie)).await.json();
        let reply =
            detail["messages"].as_array().unwrap().iter().find(|m| m["reply_to"] == exchange["prompt"]["id"]);
        exchange["reply"] = reply.cloned().unwrap_or(Value::Null);
        exchange
    }

    /// Posts a message (`body`, a `PostMessage`) to `conversation`.
    pub async fn post_message(&self, cookie: &str, conversation: &str, body: Value) -> Reply {
        self.post_json(&format!("/api/v1/conversations/{conversation}/messages"), Some(cookie), body).await
    }

    /// Uploads the segmentation test's figure (an orange figure on a plaster wall, 480 × 360) as a PNG;
    /// returns its id.
    pub async fn upload_figure(&self, cookie: &str) -> String {
        let (photo, _) = vinano_vision::sample::figure(480, 360);
        let png = vinano_imaging::encode(&DynamicImage::ImageRgb8(photo), vinano_imaging::OutputFormat::Png);
        let reply = self.upload(cookie, png.unwrap().bytes).await;
        reply.json()["id"].as_str().unwrap().to_string()
    }

    /// A new empty conversation of the person signed in with `cookie`: its id.
    pub async fn conversation(&self, cookie: &str) -> String {
        let reply = self.post_json("/api/v1/conversations", Some(cookie), json!({})).await;
        reply.json()["id"].as_str().unwrap().to_string()
    }

    /// Signs `who` up, starts a conversation and uploads a `w` × `h` photo: (cookie, conversation, image).
    pub async fn conversation_with_photo(&self, who: &str, w: u32, h: u32) -> (String, String, String) {
        let cookie = self.signup(who).await;
        let id = |v: Value| v["id"].as_str().unwrap().to_string();
        let conv = id(self.post_json("/api/v1/conversations", Some(&cookie), json!({})).await.json());
        let image = id(self.upload(&cookie, jpeg(w, h)).await.json());
        (cookie, conv, image)
    }

    /// Waits for the person's newest data export to leave `pending`/`building` and returns it.
    pub async fn wait_for_export(&self, cookie: &str) -> Value {
        for _ in 0..1000 {
            let list = self.get("/api/v1/me/exports", Some(cookie)).await.json();
            let newest = list["exports"][0].clone();
            if !["pending", "building"].contains(&newest["status"].as_str().unwrap()) {
                return newest;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the export was not built");
    }

    /// Asks for a data export and waits until it is ready: its id.
    /// Where a finished export's (sealed) file is on disk.
    pub async fn export_file(&self, id: &str) -> std::path::PathBuf {
        let name: String = sqlx::query_scalar("SELECT file_name FROM exports WHERE id = $1")
            .bind(id)
            .fetch_one(&self.state.db)
            .await
            .unwrap();
        self.state.config.data_dir.join("exports").join(name)
    }

    pub async fn ready_export(&self, cookie: &str) -> String {
        let asked = self.post_json("/api/v1/me/exports", Some(cookie), json!({})).await;
        assert_eq!(asked.status, StatusCode::ACCEPTED, "{}", String::from_utf8_lossy(&asked.body));
        let export = self.wait_for_export(cookie).await;
        assert_eq!(export["status"], "ready", "{export}");
        export["id"].as_str().unwrap().to_string()
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&self.state.db).await.unwrap()
    }

    /// The person's credits as `/me/credits` answers, checked against the books: the balance is the credit
    /// ledger's sum, and never below zero.
    pub async fn balanced_credits(&self, cookie: &str, user: &str) -> Value {
        let credits = self.get("/api/v1/me/credits", Some(cookie)).await;
        assert_eq!(credits.status, StatusCode::OK);
        let credits = credits.json();
        let sum: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM credit_ledger WHERE user_id = $1",
        )
        .bind(user)
        .fetch_one(&self.state.db)
        .await
        .unwrap();
        assert_eq!(credits["balance"], sum, "the balance is the ledger's sum");
        assert!(sum >= 0, "never below zero");
        credits
    }
}

/// An app whose plans give few credits, easy to count: Free 5, Pro 100, Studio 400 a month.
pub async fn priced() -> TestApp {
    TestApp::with_config(|c| {
        c.billing.plans[0].credits = 5;
        c.billing.plans[1].credits = 100;
        c.billing.plans[2].credits = 400;
    })
    .await
}

pub fn signup_body(name: &str) -> Value {
    json!({
        "name": format!("{name} Tester"),
        "email": format!("{name}@example.com"),
        "username": name,
        "password": "a long enough password",
        "date_of_birth": "1990-05-17",
        "accept_terms": true,
        "accept_privacy": true,
        "accept_responsibility": true,
    })
}

/// A colourful `w`×`h` JPEG: red on the left half, blue on the right.
pub fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img =
        RgbImage::from_fn(
            w,
            h,
            |x, y| {
                if x < w / 2 {
                    Rgb([220, 30, (y % 50) as u8])
                } else {
                    Rgb([20, 40, 230])
                }
            },
        );
    vinano_imaging::encode(&DynamicImage::ImageRgb8(img), vinano_imaging::OutputFormat::Jpeg).unwrap().bytes
}

/// A real server for `state` on a free local port (HTTPS with `tls`): its address, and the sender that
/// stops it (the task ends once open connections have closed).
pub async fn serve(
    state: AppState,
    tls: Option<Arc<rustls::ServerConfig>>,
    limits: vinano_server::serve::ConnLimits,
) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let shutdown = async move {
        let _ = stopped.await;
    };
    let server = tokio::spawn(vinano_server::serve::serve(listener, http::app(state), tls, limits, shutdown));
    (addr, stop, server)
}

/// Log output kept in memory (the log tests install a subscriber writing here and search what it wrote).
#[derive(Clone, Default)]
pub struct Captured(pub Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
