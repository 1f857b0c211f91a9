//! What `synchronous=FULL` costs against `NORMAL` on this machine's disk, for writes shaped like ViNano's
//! (a transaction that inserts a ~600-byte row and updates another, as sending a message does), one writer
//! at a time and eight at once. `cargo run --release -p vinano-server --example sync_cost [commits]`;
//! the result is recorded in BENCHMARKS.md ("Durability: the cost of synchronous=FULL").

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::time::{Duration, Instant};

async fn run(sync: SqliteSynchronous, commits: usize, writers: usize) -> anyhow::Result<(f64, Duration)> {
    let dir = tempfile::tempdir_in(".")?;
    let options = SqliteConnectOptions::new()
        .filename(dir.path().join("bench.db"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(sync)
        .busy_timeout(Duration::from_secs(30));
    let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
    sqlx::raw_sql(
        "CREATE TABLE messages (id TEXT PRIMARY KEY, body TEXT NOT NULL, at INTEGER NOT NULL);
         CREATE TABLE conversations (id INTEGER PRIMARY KEY, updated_at INTEGER NOT NULL);
         INSERT INTO conversations VALUES (1, 0);",
    )
    .execute(&pool)
    .await?;
    let body = "x".repeat(600);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..writers {
        let (pool, body) = (pool.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let mut worst = Duration::ZERO;
            for i in 0..commits / writers {
                let t = Instant::now();
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                sqlx::query("INSERT INTO messages VALUES ($1, $2, $3)")
                    .bind(format!("{w}-{i}"))
                    .bind(&body)
                    .bind(i as i64)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE conversations SET updated_at = $1 WHERE id = 1")
                    .bind(i as i64)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                worst = worst.max(t.elapsed());
            }
            anyhow::Ok(worst)
        }));
    }
    let mut worst = Duration::ZERO;
    for task in tasks {
        worst = worst.max(task.await??);
    }
    Ok((commits as f64 / started.elapsed().as_secs_f64(), worst))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let commits: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(2000);
    println!("{commits} commits per run, WAL journal, on the disk under the current directory");
    for writers in [1, 8] {
        for (name, sync) in [("NORMAL", SqliteSynchronous::Normal), ("FULL", SqliteSynchronous::Full)] {
            let (rate, worst) = run(sync, commits, writers).await?;
            println!(
                "synchronous={name:<6} writers={writers}: {rate:>7.0} commits/s, {:.2} ms each, slowest {:.1} ms",
                1000.0 / rate,
                worst.as_secs_f64() * 1000.0
            );
        }
    }
    Ok(())
}
