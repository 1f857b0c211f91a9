//! Database connection and migrations.

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
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
];

/// The version of the newest migration this build has (the schema it expects).
pub fn latest_migration() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.0)
}

/// Embedded migrations as a `sqlx` migration source. (The `migrate!` macro would do the same, but its
/// proc-macro compiles a second copy of the SQLite driver for the build host.)
#[derive(Debug)]
struct Embedded;

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send>> {
        Box::pin(async {
            Ok(MIGRATIONS
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

/// Opens the SQLite database at `path` (creating it) in WAL mode, checks it (`PRAGMA quick_check`: a
/// damaged database is refused with a message, not served) and applies pending migrations.
///
/// Every commit is flushed to the disk before it is acknowledged (`synchronous=FULL`): a power cut can't
/// take back an upload, a consent, a deletion request or a moderation entry the person was told about.
/// Measured on this project's machine it costs about 0.2 ms per commit (BENCHMARKS.md, "Durability"),
/// nothing next to the work behind any of ViNano's writes, so it applies to every table, not a chosen few.
pub async fn connect(path: &Path) -> anyhow::Result<SqlitePool> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
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
    // Two processes starting on one new database race to migrate it; the loser finds the tables already
    // made (or the database locked), waits, and on its next try sees the migrations recorded as applied.
    let migrator = Migrator::new(Embedded).await?;
    let mut attempt = 0;
    loop {
        match migrator.run(&pool).await {
            Ok(()) => break,
            Err(e) if attempt < 5 => {
                attempt += 1;
                tracing::warn!(error = %e, attempt, "migrating the database failed; another process may be at it");
                tokio::time::sleep(Duration::from_millis(300 * attempt)).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    guard_closed_accounts(&pool).await?;
    Ok(pool)
}

/// Every table with a `user_id` column (found by walking the schema, so a table added later is covered
/// without anyone remembering it).
pub async fn user_tables(db: &mut sqlx::SqliteConnection) -> sqlx::Result<Vec<String>> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
    )
    .fetch_all(&mut *db)
    .await?;
    let mut with_user = Vec::new();
    for table in tables {
        let has: Option<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_info($1) WHERE name = 'user_id'")
                .bind(&table)
                .fetch_optional(&mut *db)
                .await?;
        if has.is_some() {
            with_user.push(table);
        }
    }
    Ok(with_user)
}

/// The message of the error a write for a closed account fails with.
pub const ACCOUNT_CLOSED: &str = "account closed";

/// Makes every table with a `user_id` column refuse new rows for a closed (purged) account: a request that
/// passed its session check just before the purge committed can't write anything for that person after
/// it. (Triggers made at every start, so a table added by a later migration gets one too.)
async fn guard_closed_accounts(pool: &SqlitePool) -> anyhow::Result<()> {
    let mut conn = pool.acquire().await?;
    for table in user_tables(&mut conn).await? {
        // The name comes from the schema itself.
        let sql = format!(
            "CREATE TRIGGER IF NOT EXISTS \"{table}_open_account\" BEFORE INSERT ON \"{table}\"
             WHEN EXISTS (SELECT 1 FROM users WHERE id = NEW.user_id AND closed_at IS NOT NULL)
             BEGIN SELECT RAISE(ABORT, '{ACCOUNT_CLOSED}'); END"
        );
        sqlx::raw_sql(&sql).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Whether `e` is a write refused because the account was closed meanwhile.
pub fn is_account_closed(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.message().contains(ACCOUNT_CLOSED))
}

/// Whether `e` is the database or the disk being full (SQLite's `SQLITE_FULL`, or `ENOSPC`).
pub fn is_storage_full(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => db.code().as_deref() == Some("13"),
        sqlx::Error::Io(io) => io.kind() == std::io::ErrorKind::StorageFull,
        _ => false,
    }
}

/// Starts a write transaction. `BEGIN IMMEDIATE` takes SQLite's write lock up front (waiting up to the busy
/// timeout): a deferred transaction that reads first and writes later fails at once with "database is
/// locked" when another connection wrote in between, which the busy timeout cannot help.
pub async fn write_tx(db: &sqlx::SqlitePool) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
    db.begin_with("BEGIN IMMEDIATE").await
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
