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
    let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
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
