//! Database connection and migrations.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{AnyConnection, AnyPool, ConnectOptions, Executor};
use std::borrow::Cow;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::time::Duration;

/// The numbered SQL migrations, embedded in the binary and applied in order on start.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "initial", include_str!("../../migrations/0001_initial.sql")),
    (2, "generation details", include_str!("../../migrations/0002_generation_details.sql")),
    (3, "feedback", include_str!("../../migrations/0003_feedback.sql")),
    (4, "preferences", include_str!("../../migrations/0004_preferences.sql")),
    (5, "jobs", include_str!("../../migrations/0005_jobs.sql")),
    (6, "moderation", include_str!("../../migrations/0006_moderation.sql")),
    (7, "sessions", include_str!("../../migrations/0007_sessions.sql")),
    (8, "account email", include_str!("../../migrations/0008_account_email.sql")),
    (9, "privacy", include_str!("../../migrations/0009_privacy.sql")),
    (10, "data rights", include_str!("../../migrations/0010_data_rights.sql")),
    (11, "policy versions", include_str!("../../migrations/0011_policy.sql")),
    (12, "analytics and error reports", include_str!("../../migrations/0012_reports.sql")),
    (13, "data exports", include_str!("../../migrations/0013_exports.sql")),
    (14, "hardening", include_str!("../../migrations/0014_hardening.sql")),
    (15, "quotas", include_str!("../../migrations/0015_quotas.sql")),
    (16, "idempotency per conversation", include_str!("../../migrations/0016_idempotency.sql")),
    (17, "job cost", include_str!("../../migrations/0017_job_cost.sql")),
    (18, "durability", include_str!("../../migrations/0018_durability.sql")),
    (19, "words as message keys", include_str!("../../migrations/0019_words.sql")),
    (20, "undo for deleted versions", include_str!("../../migrations/0020_undo.sql")),
    (21, "plans and credits", include_str!("../../migrations/0021_credits.sql")),
    (22, "checkout, payment methods, invoices", include_str!("../../migrations/0022_checkout.sql")),
    (23, "administrators, invitations, audit log", include_str!("../../migrations/0023_admin.sql")),
    (24, "plan changes, cards on file, dunning", include_str!("../../migrations/0024_plan_changes.sql")),
    (25, "disabled accounts", include_str!("../../migrations/0025_people.sql")),
    (26, "payment processor ids", include_str!("../../migrations/0026_processor.sql")),
    (27, "shared rate limits, export file names", include_str!("../../migrations/0027_replicas.sql")),
    (28, "selections", include_str!("../../migrations/0028_selection.sql")),
    (29, "variants", include_str!("../../migrations/0029_variants.sql")),
    (30, "partners and widget visitors", include_str!("../../migrations/0030_partners.sql")),
    (31, "share links", include_str!("../../migrations/0031_shares.sql")),
    (32, "presets", include_str!("../../migrations/0032_presets.sql")),
];

/// PostgreSQL's migrations: its first is the whole schema of SQLite's 1–26 at once; every later one has a
/// twin with the same number in [`MIGRATIONS`].
const MIGRATIONS_POSTGRES: &[(i64, &str, &str)] = &[
    (26, "schema (PostgreSQL)", include_str!("../../migrations/postgres/0026_schema.sql")),
    (
        27,
        "shared rate limits, export file names",
        include_str!("../../migrations/postgres/0027_replicas.sql"),
    ),
    (28, "selections", include_str!("../../migrations/postgres/0028_selection.sql")),
    (29, "variants", include_str!("../../migrations/postgres/0029_variants.sql")),
    (30, "partners and widget visitors", include_str!("../../migrations/postgres/0030_partners.sql")),
    (31, "share links", include_str!("../../migrations/postgres/0031_shares.sql")),
    (32, "presets", include_str!("../../migrations/postgres/0032_presets.sql")),
];

/// The version of the newest migration this build has (the schema it expects).
pub fn latest_migration() -> i64 {
    let (sqlite, postgres) =
        (MIGRATIONS.last().map_or(0, |m| m.0), MIGRATIONS_POSTGRES.last().map_or(0, |m| m.0));
    debug_assert_eq!(sqlite, postgres, "every migration needs its twin for the other database");
    sqlite
}

/// How many migrations a database of `backend` has once it is up to date.
pub fn migration_count(backend: Backend) -> i64 {
    match backend {
        Backend::Sqlite => MIGRATIONS.len() as i64,
        Backend::Postgres => MIGRATIONS_POSTGRES.len() as i64,
    }
}

/// The database a pool or connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, a file in the data directory (the default).
    Sqlite,
    /// PostgreSQL (`VINANO_DATABASE_URL=postgres://…`).
    Postgres,
}

impl Backend {
    /// The database behind `pool`.
    pub fn of_pool(pool: &AnyPool) -> Self {
        if pool.connect_options().database_url.scheme().starts_with("postgres") {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }

    /// The database behind `conn`.
    pub fn of(conn: &AnyConnection) -> Self {
        if conn.backend_name() == "PostgreSQL" {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }
}

/// Embedded migrations as a `sqlx` migration source. (The `migrate!` macro would do the same, but its
/// proc-macro compiles a second copy of the SQLite driver for the build host.)
#[derive(Debug)]
struct Embedded(Backend);

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send>> {
        let set = match self.0 {
            Backend::Sqlite => MIGRATIONS,
            Backend::Postgres => MIGRATIONS_POSTGRES,
        };
        Box::pin(async move {
            Ok(set
                .iter()
                .map(|&(version, description, sql)| {
                    Migration::new(
                        version,
                        Cow::Borrowed(description),
                        MigrationType::Simple,
                        Cow::Borrowed(sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// Characters escaped in a file path made into a `sqlite://` URL (`?`, `#`, `%` and spaces would otherwise
/// end or change it).
const PATH_CHARS: &percent_encoding::AsciiSet =
    &percent_encoding::CONTROLS.add(b' ').add(b'?').add(b'#').add(b'%').add(b'"').add(b'<').add(b'>');

/// Opens the SQLite database at `path` (creating it) in WAL mode, checks it (`PRAGMA quick_check`: a
/// damaged database is refused with a message, not served) and applies pending migrations.
///
/// Every commit is flushed to the disk before it is acknowledged (`synchronous=FULL`): a power cut can't
/// take back an upload, a consent, a deletion request or a moderation entry the person was told about.
/// Measured on this project's machine it costs about 0.2 ms per commit (BENCHMARKS.md, "Durability"),
/// nothing next to the work behind any of ViNano's writes, so it applies to every table, not a chosen few.
pub async fn connect(path: &Path) -> anyhow::Result<AnyPool> {
    sqlx::any::install_default_drivers();
    let file =
        path.to_str().ok_or_else(|| anyhow::anyhow!("the database path {} is not UTF-8", path.display()))?;
    let url = format!("sqlite://{}?mode=rwc", percent_encoding::utf8_percent_encode(file, PATH_CHARS));
    let options = AnyConnectOptions::from_url(&url.parse()?)?;
    let pool = AnyPoolOptions::new()
        .max_connections(8)
        .after_connect(|conn, _| {
            Box::pin(async move {
                // Write-ahead log (readers never wait for the writer), every commit on the disk, foreign keys
                // enforced, and a writer waits up to 5 s for another's lock instead of failing at once.
                conn.execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                     PRAGMA busy_timeout = 5000;",
                )
                .await?;
                Ok(())
            })
        })
        // A connection must never go back to the pool inside a transaction: idle, it would keep SQLite's
        // write lock and every other writer (in this process or another) would fail with "database is
        // locked" until it happened to be reused. `BEGIN` fails exactly when one is open; then the
        // connection is closed, which ends the transaction and releases its locks.
        .after_release(|conn, _| {
            Box::pin(async move {
                if sqlx::query("BEGIN").execute(&mut *conn).await.is_ok() {
                    sqlx::query("ROLLBACK").execute(&mut *conn).await?;
                    return Ok(true);
                }
                tracing::error!("a database connection was released inside a transaction; closing it");
                Ok(false)
            })
        })
        .connect_with(options)
        .await?;
    let problems: Vec<String> = match sqlx::query_scalar("PRAGMA quick_check").fetch_all(&pool).await {
        Ok(rows) => rows,
        Err(e) => vec![e.to_string()],
    };
    if problems.iter().any(|p| p != "ok") {
        anyhow::bail!(
            "the database {} is damaged (PRAGMA quick_check: {}). Stop every ViNano process, keep a copy of the \
             data directory, and restore the database from a backup (or try `sqlite3 vinano.db .recover`).",
            path.display(),
            problems.iter().take(5).cloned().collect::<Vec<_>>().join("; ")
        );
    }
    migrate(&pool, Backend::Sqlite).await?;
    Ok(pool)
}

/// A PostgreSQL address (`postgres://user:password@host:5432/vinano`); its password never shows in `Debug`
/// or in a message.
#[derive(Clone)]
pub struct DatabaseUrl(url::Url);

impl DatabaseUrl {
    /// Checks `text` is a `postgres://` URL.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let url: url::Url =
            text.parse().map_err(|e| anyhow::anyhow!("VINANO_DATABASE_URL is not a URL: {e}"))?;
        anyhow::ensure!(
            matches!(url.scheme(), "postgres" | "postgresql") && url.host_str().is_some(),
            "VINANO_DATABASE_URL must be postgres://user:password@host/database (SQLite needs no URL: it is \
             the default)"
        );
        Ok(Self(url))
    }

    /// The whole address, password included: only for handing on (a child process's environment).
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The address without its password, to show.
    pub fn shown(&self) -> String {
        let mut shown = self.0.clone();
        if shown.password().is_some() {
            let _ = shown.set_password(Some("***"));
        }
        shown.to_string()
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown())
    }
}

/// Opens the database: PostgreSQL at `url` when one is configured, otherwise SQLite's `vinano.db` in
/// `data_dir`.
pub async fn open(url: Option<&DatabaseUrl>, data_dir: &Path) -> anyhow::Result<AnyPool> {
    match url {
        Some(url) => connect_postgres(url).await,
        None => connect(&data_dir.join("vinano.db")).await,
    }
}

/// Connects to PostgreSQL at `url` and applies pending migrations (PostgreSQL's advisory lock keeps
/// replicas starting together from migrating twice).
pub async fn connect_postgres(url: &DatabaseUrl) -> anyhow::Result<AnyPool> {
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(|conn, _| {
            Box::pin(async move {
                // A transaction left open (a stalled request) is ended by the server, locks and all.
                conn.execute("SET idle_in_transaction_session_timeout = '60s'").await?;
                Ok(())
            })
        })
        .connect_with(AnyConnectOptions::from_url(&url.0)?)
        .await
        .map_err(|e| anyhow::anyhow!("can't connect to PostgreSQL at {}: {e}", url.shown()))?;
    migrate(&pool, Backend::Postgres).await?;
    Ok(pool)
}

/// Applies the pending migrations of `backend` to `pool`, then the closed-account guards.
async fn migrate(pool: &AnyPool, backend: Backend) -> anyhow::Result<()> {
    // Two processes starting on one new database race to migrate it; the loser finds the tables already
    // made (or the database locked), waits, and on its next try sees the migrations recorded as applied.
    let migrator = Migrator::new(Embedded(backend)).await?;
    let mut attempt = 0;
    loop {
        match migrator.run(pool).await {
            Ok(()) => break,
            Err(e) if attempt < 5 => {
                attempt += 1;
                tracing::warn!(error = %e, attempt, "migrating the database failed; another process may be at it");
                tokio::time::sleep(Duration::from_millis(300 * attempt)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    guard_closed_accounts(pool).await
}

/// Every table with a `user_id` column (found by walking the schema, so a table added later is covered
/// without anyone remembering it).
pub async fn user_tables(db: &mut AnyConnection) -> sqlx::Result<Vec<String>> {
    let sql = match Backend::of(db) {
        Backend::Sqlite => {
            "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
               AND m.name NOT LIKE '_sqlx%'
               AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'user_id')
             ORDER BY m.name"
        }
        Backend::Postgres => {
            "SELECT t.table_name::text FROM information_schema.tables t
             WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
               AND t.table_name NOT LIKE '\\_sqlx%'
               AND EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = t.table_schema
                             AND c.table_name = t.table_name AND c.column_name = 'user_id')
             ORDER BY t.table_name"
        }
    };
    sqlx::query_scalar(sql).fetch_all(&mut *db).await
}

/// The columns of `table`, in their order.
pub async fn columns(db: &mut AnyConnection, table: &str) -> sqlx::Result<Vec<String>> {
    let sql = match Backend::of(db) {
        Backend::Sqlite => "SELECT name FROM pragma_table_info($1) ORDER BY cid",
        Backend::Postgres => {
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position"
        }
    };
    sqlx::query_scalar(sql).bind(table).fetch_all(db).await
}

/// The message of the error a write for a closed account fails with.
pub const ACCOUNT_CLOSED: &str = "account closed";

/// Makes every table with a `user_id` column refuse new rows for a closed (purged) account: a request that
/// passed its session check just before the purge committed can't write anything for that person after
/// it. (Triggers made at every start, so a table added by a later migration gets one too.)
async fn guard_closed_accounts(pool: &AnyPool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    let backend = Backend::of(&tx);
    if backend == Backend::Postgres {
        // Replicas starting together would otherwise replace the same triggers at once.
        sqlx::query("SELECT 1 FROM pg_advisory_xact_lock(7212)").execute(&mut *tx).await?;
    }
    for table in user_tables(&mut tx).await? {
        if backend == Backend::Postgres {
            // Only a missing one is made: making a trigger locks its table against writes, which a replica
            // starting beside busy ones must not do for nothing.
            let exists: Option<i64> = sqlx::query_scalar(
                "SELECT 1 FROM pg_trigger WHERE tgname = $1 AND tgrelid = to_regclass(quote_ident($2))",
            )
            .bind(format!("{table}_open_account"))
            .bind(&table)
            .fetch_optional(&mut *tx)
            .await?;
            if exists.is_some() {
                continue;
            }
        }
        // The name comes from the schema itself.
        let sql = match backend {
            Backend::Sqlite => format!(
                "CREATE TRIGGER IF NOT EXISTS \"{table}_open_account\" BEFORE INSERT ON \"{table}\"
                 WHEN EXISTS (SELECT 1 FROM users WHERE id = NEW.user_id AND closed_at IS NOT NULL)
                 BEGIN SELECT RAISE(ABORT, '{ACCOUNT_CLOSED}'); END"
            ),
            Backend::Postgres => format!(
                "CREATE OR REPLACE TRIGGER \"{table}_open_account\" BEFORE INSERT ON \"{table}\"
                 FOR EACH ROW EXECUTE FUNCTION vinano_open_account()"
            ),
        };
        sqlx::raw_sql(&sql).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Whether `e` is a write refused because the account was closed meanwhile.
pub fn is_account_closed(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.message().contains(ACCOUNT_CLOSED))
}

/// Whether `e` is the database or the disk being full (SQLite's `SQLITE_FULL`, or `ENOSPC`).
pub fn is_storage_full(e: &sqlx::Error) -> bool {
    match e {
        // SQLite's SQLITE_FULL; PostgreSQL's disk_full.
        sqlx::Error::Database(db) => matches!(db.code().as_deref(), Some("13" | "53100")),
        sqlx::Error::Io(io) => io.kind() == std::io::ErrorKind::StorageFull,
        _ => false,
    }
}

/// Starts a write transaction: one at a time, on either database, so what a transaction read is still true
/// when it writes (a balance, a quota, a job's state) on every replica.
///
/// On SQLite `BEGIN IMMEDIATE` takes the write lock up front (waiting up to the busy timeout): a deferred
/// transaction that reads first and writes later fails at once with "database is locked" when another
/// connection wrote in between, which the busy timeout cannot help. On PostgreSQL a transaction-scoped
/// advisory lock does the same across every replica, released by the commit or rollback.
pub async fn write_tx(db: &AnyPool) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
    match Backend::of_pool(db) {
        Backend::Sqlite => db.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => {
            let mut tx = db.begin().await?;
            // A holder that hangs fails the writers behind it after 10 s instead of stopping every replica.
            sqlx::query("SET LOCAL lock_timeout = '10s'").execute(&mut *tx).await?;
            sqlx::query("SELECT 1 FROM pg_advisory_xact_lock(7211)").execute(&mut *tx).await?;
            Ok(tx)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_connection_flushes_commits_and_a_damaged_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let pool = connect(&path).await.unwrap();
        let mut held = Vec::new();
        for _ in 0..4 {
            // Several connections of the pool, each with the same settings.
            let mut conn = pool.acquire().await.unwrap();
            let sync: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut *conn).await.unwrap();
            let journal: String =
                sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *conn).await.unwrap();
            let keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut *conn).await.unwrap();
            assert_eq!((sync, journal.as_str(), keys), (2, "wal", 1), "FULL, WAL, foreign keys");
            held.push(conn);
        }
        drop(held);
        sqlx::raw_sql(
            "CREATE TABLE filler (x TEXT);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
             INSERT INTO filler SELECT printf('%0200d', i) FROM n;",
        )
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&pool).await.unwrap();
        pool.close().await;
        // Scribble over a few pages in the middle of the file (a bad disk, a copy made while writing).
        let mut bytes = std::fs::read(&path).unwrap();
        assert!(bytes.len() > 40 * 4096, "{}", bytes.len());
        for b in &mut bytes[20 * 4096..24 * 4096] {
            *b = 0x5a;
        }
        std::fs::write(&path, bytes).unwrap();
        let refused = connect(&path).await.unwrap_err().to_string();
        assert!(refused.contains("is damaged") && refused.contains("backup"), "{refused}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_connection_left_inside_a_transaction_never_keeps_the_database_locked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let pool = connect(&path).await.unwrap();
        // A transaction begun behind sqlx's back and never ended (the worst a leak could do), and callers
        // cancelled at every point of starting one (a browser that goes away mid-request).
        let mut conn = pool.acquire().await.unwrap();
        sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut *conn).await.unwrap();
        drop(conn);
        tokio::time::sleep(Duration::from_millis(100)).await;
        let other = connect(&path).await.unwrap();
        let write = sqlx::query("CREATE TABLE IF NOT EXISTS probe0 (x INTEGER)").execute(&other);
        let written = tokio::time::timeout(Duration::from_secs(8), write).await;
        assert!(matches!(written, Ok(Ok(_))), "a leaked transaction kept the database locked: {written:?}");
        for i in 0..200 {
            let pool = pool.clone();
            tokio::spawn(async move {
                tokio::select! {
                    tx = write_tx(&pool) => drop(tx),
                    _ = async { for _ in 0..(i % 9) { tokio::task::yield_now().await } } => {}
                }
            })
            .await
            .unwrap();
        }
        // Another process (its own pool) can write at once, and so can this one.
        let write = sqlx::query("CREATE TABLE IF NOT EXISTS probe (x INTEGER)").execute(&other);
        let written = tokio::time::timeout(Duration::from_secs(8), write).await;
        assert!(matches!(written, Ok(Ok(_))), "the database stayed locked: {written:?}");
        let mut tx = write_tx(&pool).await.unwrap();
        sqlx::query("INSERT INTO probe (x) VALUES (1)").execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
    }
}
