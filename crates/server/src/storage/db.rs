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
];

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

/// Opens the SQLite database at `path` (creating it) in WAL mode and applies pending migrations.
pub async fn connect(path: &Path) -> anyhow::Result<SqlitePool> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
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
    Ok(pool)
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
